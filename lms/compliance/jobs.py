"""Compliance's scheduled work (found by lms.jobs.registry.load_all): the weekly digest of HR
officers and training managers over their own scope (job `notifications.weekly_digest`), once
per ISO week."""

from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import func, select

from lms.auth.models import HR_OFFICER, TRAINING_MANAGER, RoleGrant, User
from lms.auth.permissions import scope_paths
from lms.compliance import queries, ratings_import
from lms.curricula.completions.models import Completion
from lms.curricula.cycles.models import Cycle
from lms.curricula.external.models import ExternalRecord
from lms.curricula.obligations.models import OPEN, Obligation
from lms.curricula.obligations.queries import met_by_a_completion
from lms.extensions import db
from lms.i18n import _, _l
from lms.jobs import rules
from lms.jobs.notifications import already_sent, notify, site_path
from lms.jobs.registry import job
from lms.jobs.tasks import as_of_day
from lms.organisation import queries as org_queries
from lms.organisation.models import Official

Progress = Callable[[int, int], None]
DIGEST_ROLES = (HR_OFFICER, TRAINING_MANAGER)


def digest_recipients() -> list[int]:
    """Ids of enabled users holding an HR officer or training manager grant."""
    return list(
        db.session.scalars(
            select(User.id)
            .join(RoleGrant, RoleGrant.user_id == User.id)
            .where(RoleGrant.role.in_(DIGEST_ROLES), User.is_enabled)
            .distinct()
            .order_by(User.id)
        )
    )


def digest_numbers(scope: list[str] | None, as_of: date, start: date, end: date) -> dict:
    """The figures of a digest for a scope, each counted in SQL over the officials whose
    current unit lies in the scope; overdue and due soon count only obligations still to do
    (as the reminders: open, met by no completion, cycle not closed for the official)."""
    officials = (
        org_queries.registry_select(scope)
        .where(Official.status == "active")
        .order_by(None)
        .with_only_columns(Official.id)
        .scalar_subquery()
    )

    def count(stmt) -> int:
        return db.session.scalar(stmt) or 0

    # Only what is still to do: open, met by no completion, and in a cycle whose statement is
    # not frozen for the official (a closed cycle's leftovers are history, not overdue).
    frozen = queries.statement_frozen()
    open_in_scope = (
        select(func.count(Obligation.id))
        .join(Cycle, Cycle.id == Obligation.cycle_id)
        .where(
            Obligation.status == OPEN,
            Obligation.official_id.in_(officials),
            ~frozen,
            ~met_by_a_completion(),
        )
    )
    return {
        "officials": count(select(func.count(Official.id)).where(Official.id.in_(officials))),
        "overdue": count(open_in_scope.where(Obligation.due_on < as_of)),
        "due_soon": count(
            open_in_scope.where(
                Obligation.due_on >= as_of, Obligation.due_on <= as_of + timedelta(days=30)
            )
        ),
        "completions": count(
            select(func.count(Completion.id)).where(
                Completion.official_id.in_(officials),
                Completion.revoked_at.is_(None),
                Completion.completed_on.between(start, end),
            )
        ),
        "external_waiting": count(
            select(func.count(ExternalRecord.id)).where(
                ExternalRecord.official_id.in_(officials), ExternalRecord.status == "submitted"
            )
        ),
    }


def send_digests(as_of: date, progress: Progress) -> dict:
    """The weekly digest to each HR officer and training manager, for their scope (once per
    ISO week). Returns how many were sent."""
    week, start, end = rules.digest_week(as_of)
    recipients = digest_recipients()
    sent = 0
    for index, user_id in enumerate(recipients, 1):
        user = db.session.get(User, user_id)
        units = sorted({g.unit.name for g in user.grants if g.role in DIGEST_ROLES and g.unit})
        numbers = digest_numbers(scope_paths(user, *DIGEST_ROLES), as_of, start, end)
        if numbers["officials"]:
            context = {
                **numbers,
                "week": week,
                "week_start": start,
                "week_end": end,
                "units": units,
                "link": site_path("main.home"),
            }
            before = already_sent([(user_id, "weekly_digest", week)])
            if not before and notify(user_id, "weekly_digest", week, context):
                sent += 1
        progress(index, len(recipients))
    return {"weekly_digest": sent}


@job("notifications.weekly_digest", label=_l("Weekly digest"))
def weekly_digest(ctx, as_of: str | None = None) -> dict:
    """The weekly digest of HR officers and training managers."""
    counts = send_digests(as_of_day(as_of), ctx.reporter(_("Writing digests")))
    return {**counts, "mail": ctx.send_mail()}


@job(ratings_import.JOB, label=_l("Import annual ratings"))
def import_ratings(
    ctx, token: str, step: str, scope: list[str] | None = None, locale: str = ""
) -> dict:
    """Check or import the ratings upload `token` in the uploader's language."""
    return ratings_import.FLOW.run_as_job(ctx, token, step, locale, scope=scope)
