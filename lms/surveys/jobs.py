"""The surveys' part of the nightly run (found by lms.jobs.registry.load_all): step
"effectiveness" (27) asks the post-training effectiveness survey (TT10-EFFECTIVENESS) of the
official and of their head LMS_EFFECTIVENESS_AFTER_MONTHS (3–6, default 3) months after each
online or in-person completion — on its due day, or on the first run after it when a night was
missed (at most CATCH_UP_DAYS late); each is asked once (lms.surveys.evaluation.services.ask).
Also the job `surveys.effectiveness` to run it by hand for a day."""

from datetime import date, timedelta

from sqlalchemy import select

from lms.curricula.completions.models import Completion
from lms.curricula.rules.dates import add_months
from lms.extensions import db
from lms.i18n import _, _l
from lms.jobs import job, nightly_step
from lms.jobs.tasks import as_of_day
from lms.surveys.evaluation import services

CATCH_UP_DAYS = 14  # a due day missed by the nightly run is caught up within this many days


def due_completions(as_of: date, months: int) -> list[Completion]:
    """The completions whose effectiveness survey falls due between CATCH_UP_DAYS before
    `as_of` and `as_of` (due: the completion day plus `months`, clamped to the month's end)."""
    earliest = as_of - timedelta(days=CATCH_UP_DAYS)
    # completed_on + months ∈ [earliest, as_of] ⇒ completed_on within a month-length margin of
    # the same window `months` back; add_months decides exactly.
    low = add_months(earliest, -months) - timedelta(days=3)
    high = add_months(as_of, -months) + timedelta(days=3)
    rows = db.session.scalars(
        select(Completion)
        .where(
            Completion.completed_on >= low,
            Completion.completed_on <= high,
            Completion.source.in_(services.ASKED_AFTER),
            Completion.revoked_at.is_(None),
        )
        .order_by(Completion.id)
    )
    return [c for c in rows if earliest <= add_months(c.completed_on, months) <= as_of]


def send_effectiveness(as_of: date, progress) -> dict:
    """Ask the effectiveness survey of every completion due by `as_of` (not asked before)."""
    due = due_completions(as_of, services.effectiveness_months())
    asked = 0
    for index, completion in enumerate(due, 1):
        asked += len(services.ask_effectiveness(completion, as_of))
        if index % 100 == 0:
            progress(index, len(due))
    progress(len(due), len(due))
    return {"effectiveness_asked": asked}


@nightly_step(27, "effectiveness", _l("Asking the effectiveness survey after training"))
def effectiveness_step(as_of: date, progress) -> dict:
    """The nightly step: send_effectiveness, committed."""
    counts = send_effectiveness(as_of, progress)
    db.session.commit()
    return counts


@job("surveys.effectiveness", label=_l("Effectiveness survey after training"))
def effectiveness_job(ctx, as_of: str | None = None) -> dict:
    """The nightly step by hand, for a day (ISO date; today by default)."""
    counts = send_effectiveness(
        as_of_day(as_of), ctx.reporter(_("Asking the effectiveness survey after training"))
    )
    db.session.commit()
    return counts
