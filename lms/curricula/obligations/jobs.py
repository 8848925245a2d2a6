"""The obligations' scheduled work (found by lms.jobs.registry.load_all): the nightly refresh of
every official's obligations and targets (step "obligations", 10), the deadline reminders
(30 and 7 days, overdue: step "reminders", 20, and the job `notifications.reminders`).
The reminders are idempotent (notification keys) and report progress in batches."""

from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import func, select

from lms.auth.models import User
from lms.catalog.models import Course
from lms.curricula.cycles.models import Cycle
from lms.curricula.obligations.closures import closures_of, is_closed
from lms.curricula.obligations.models import Obligation
from lms.curricula.obligations.queries import still_owed
from lms.extensions import db
from lms.i18n import _, _l
from lms.jobs import nightly_step, rules
from lms.jobs.models import Notification
from lms.jobs.notifications import notify, site_path
from lms.jobs.registry import job
from lms.jobs.tasks import as_of_day
from lms.organisation import leave
from lms.organisation import queries as org_queries

BATCH = 200
Progress = Callable[[int, int], None]


def _course_link(code: str) -> str:
    return site_path("catalog.course_detail", code=code)


def _reminded_before(pairs: list[tuple[int, int]]) -> set[tuple[int, int, str]]:
    """Which (user, obligation, kind) deadline notices were sent before, whatever their key's
    form: `obligation:<id>` now, `obligation:<id>:<due date>` before (one query)."""
    if not pairs:
        return set()
    users = {user for user, _obligation in pairs}
    wanted = {obligation for _user, obligation in pairs}
    rows = db.session.execute(
        select(Notification.user_id, Notification.kind, Notification.key).where(
            Notification.user_id.in_(users),
            Notification.kind.in_(rules.REMINDER_KINDS),
            Notification.key.like("obligation:%"),
        )
    ).all()
    found = set()
    for user_id, kind, key in rows:
        obligation_id = rules.reminded_obligation(key)
        if obligation_id in wanted:
            found.add((user_id, obligation_id, kind))
    return found


def scan_reminders(as_of: date, progress: Progress) -> dict:
    """Notify officials of their open obligations due within 30 days, within 7 days, or
    overdue — once per obligation and state, whatever later happens to its due date. Only
    true notices: the obligation is open and no completion meets it, the official is not on
    exempting leave on `as_of`, its cycle is not closed for the official's unit, and the cycle
    ended after the official's account was made (an account opened at the go-live hears
    nothing about the years before). Commits through `progress` after every batch. Returns
    counts per kind."""
    horizon = as_of + timedelta(days=30)
    base = (
        still_owed(
            Obligation.id,
            Obligation.due_on,
            User.id,
            Course.code,
            Course.title,
            Course.title_en,
            Obligation.official_id,
            Obligation.cycle_id,
        )
        .join(User, User.official_id == Obligation.official_id)
        .where(
            Obligation.due_on <= horizon,
            User.is_enabled,
            # a cycle over before the account existed: nothing the official could have acted on
            Cycle.ends_on >= func.date(User.created_at),
            # on exempting leave today: no reminders (they come again after the return)
            Obligation.official_id.not_in(leave.on_exempting_leave(as_of)),
        )
    )
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    closures = closures_of(list(db.session.scalars(select(Cycle.id))))
    counts = {"due_30": 0, "due_7": 0, "overdue": 0}
    done, after = 0, 0
    progress(0, total)
    while True:
        rows = db.session.execute(
            base.where(Obligation.id > after).order_by(Obligation.id).limit(BATCH)
        ).all()
        if not rows:
            return counts
        paths = org_queries.current_unit_paths({row[6] for row in rows})
        wanted = []
        for obligation_id, due_on, user_id, code, title, title_en, official, cycle in rows:
            if is_closed(paths.get(official), closures.get(cycle, [])):
                continue  # the statement is frozen: nothing more to do in that cycle
            kind = rules.reminder_kind(due_on, as_of)
            if kind is None:
                continue
            context = {
                "course_code": code,
                "course_title": title,
                "course_title_en": title_en or title,
                "due_on": due_on,
                "days_left": (due_on - as_of).days,
                "link": _course_link(code),
            }
            wanted.append((user_id, obligation_id, kind, context))
        sent_before = _reminded_before([(user, obligation) for user, obligation, *_ in wanted])
        for user_id, obligation_id, kind, context in wanted:
            if (user_id, obligation_id, kind) in sent_before:
                continue
            if notify(user_id, kind, rules.reminder_key(obligation_id), context):
                counts[kind] += 1
        done += len(rows)
        after = rows[-1][0]
        progress(done, total)


@nightly_step(
    10,
    "obligations",
    _l("Refreshing obligations"),
    failure_note=_l("Reminders sent; the refresh failed"),
    failure_name="obligations refresh",
)
def refresh(as_of: date, progress) -> dict:
    """Refresh every official's obligations and targets (every cycle not yet over)."""
    from lms.curricula.obligations import engine  # looked up at each run: tests replace it

    return engine.refresh_all(as_of=as_of, progress=progress)


@nightly_step(20, "reminders", _l("Checking deadlines"))
def nightly_reminders(as_of: date, progress) -> dict:
    """The deadline reminders of the night."""
    return scan_reminders(as_of, progress)


@job("notifications.reminders", label=_l("Deadline reminders"))
def reminders(ctx, as_of: str | None = None) -> dict:
    """Remind officials of mandatory courses due within 30 and 7 days, and overdue ones."""
    counts = scan_reminders(as_of_day(as_of), ctx.reporter(_("Checking deadlines")))
    return {**counts, "mail": ctx.send_mail()}
