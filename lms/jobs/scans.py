"""Scans that turn the state of the database into notifications: deadline reminders (30 and 7
days, overdue) and the weekly digest of HR officers and training managers, with their jobs and
the curricula's nightly steps (the obligations refresh, the reminders, the ledger seal). Each
scan is idempotent (notification keys) and reports progress in batches.

Interim: these move to the curricula's obligations and compliance packages once they are split
(issue 19); lms.jobs.tasks imports this module until then."""

from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import and_, func, or_, select

from lms.auth.models import HR_OFFICER, TRAINING_MANAGER, RoleGrant, User
from lms.auth.permissions import scope_paths
from lms.catalog.models import Course
from lms.compliance.models import Statement
from lms.curricula.completions.models import Completion
from lms.curricula.cycles.models import Cycle
from lms.curricula.external.models import ExternalRecord
from lms.curricula.obligations.closures import closures_of, is_closed
from lms.curricula.obligations.models import MANDATORY, OPEN, RECERTIFICATION, Obligation
from lms.extensions import db
from lms.i18n import _, _l
from lms.jobs import rules
from lms.jobs.models import Notification
from lms.jobs.notifications import already_sent, notify, site_path
from lms.jobs.registry import job, nightly_step
from lms.jobs.tasks import as_of_day
from lms.organisation import queries as org_queries
from lms.organisation.models import Official, OrgUnit, PositionAssignment

BATCH = 200
Progress = Callable[[int, int], None]
DIGEST_ROLES = (HR_OFFICER, TRAINING_MANAGER)


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


def _satisfied():
    """An open obligation that a completion already meets (a row the refresh has not caught up
    with, as in a cycle no longer refreshed): a completion of the course by the official, not
    revoked, valid when the cycle began or made since (first-time), or lasting past the due
    date (a renewal, for a recertification)."""
    lasting = or_(
        Completion.expires_on.is_(None),
        and_(Obligation.kind == MANDATORY, Completion.expires_on >= Cycle.starts_on),
        and_(Obligation.kind == RECERTIFICATION, Completion.expires_on > Obligation.due_on),
    )
    return (
        select(Completion.id)
        .where(
            Completion.official_id == Obligation.official_id,
            Completion.course_id == Obligation.course_id,
            Completion.revoked_at.is_(None),
            Completion.completed_on <= Cycle.ends_on,
            lasting,
        )
        .exists()
    )


def _unit_paths(official_ids: set[int]) -> dict[int, str]:
    """Each official's unit path: that of their open primary post (one query)."""
    return dict(
        db.session.execute(
            select(PositionAssignment.official_id, OrgUnit.path)
            .join(OrgUnit, OrgUnit.id == PositionAssignment.unit_id)
            .where(
                PositionAssignment.official_id.in_(official_ids),
                PositionAssignment.is_primary.is_(True),
                PositionAssignment.ended_on.is_(None),
            )
        ).all()
    )


def scan_reminders(as_of: date, progress: Progress) -> dict:
    """Notify officials of their open obligations due within 30 days, within 7 days, or
    overdue — once per obligation and state, whatever later happens to its due date. Only
    true notices: the obligation is open and no completion meets it, its cycle is not closed
    for the official's unit, and the cycle ended after the official's account was made (an
    account opened at the go-live hears nothing about the years before). Commits through
    `progress` after every batch. Returns counts per kind."""
    horizon = as_of + timedelta(days=30)
    base = (
        select(
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
        .join(Course, Course.id == Obligation.course_id)
        .join(Cycle, Cycle.id == Obligation.cycle_id)
        .where(
            Obligation.status == OPEN,
            Obligation.due_on <= horizon,
            User.is_enabled,
            # a cycle over before the account existed: nothing the official could have acted on
            Cycle.ends_on >= func.date(User.created_at),
            ~_satisfied(),
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
        paths = _unit_paths({row[6] for row in rows})
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
    frozen = (
        select(Statement.id)
        .where(
            Statement.official_id == Obligation.official_id,
            Statement.cycle_id == Obligation.cycle_id,
            Statement.superseded_at.is_(None),
        )
        .exists()
    )
    open_in_scope = (
        select(func.count(Obligation.id))
        .join(Cycle, Cycle.id == Obligation.cycle_id)
        .where(
            Obligation.status == OPEN,
            Obligation.official_id.in_(officials),
            ~frozen,
            ~_satisfied(),
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


@nightly_step(
    10,
    "obligations",
    _l("Refreshing obligations"),
    failure_note=_l("Reminders sent; the refresh failed"),
    failure_name="obligations refresh",
)
def refresh_obligations(as_of: date, progress) -> dict:
    """Refresh every official's obligations and targets (every cycle not yet over)."""
    from lms.curricula.obligations import engine as obligations

    return obligations.refresh_all(as_of=as_of, progress=progress)


@nightly_step(20, "reminders", _l("Checking deadlines"))
def _nightly_reminders(as_of: date, progress) -> dict:
    return scan_reminders(as_of, progress)


@nightly_step(50, "ledger_seal")
def seal_ledger(as_of: date, progress) -> dict:
    """Seal the credit ledger (curricula.ledger.seals.seal), the frozen statements and the audit log
    (common.sealing.seal), so verify notices removed rows."""
    from lms.common import sealing
    from lms.curricula.ledger import seals

    row = seals.seal()
    for kind in sealing.KINDS:  # the frozen statements and the audit log, the same way
        sealing.seal(kind)
    db.session.commit()
    return {"entries": row.entries, "officials": row.officials} if row else {"entries": 0}


@job("notifications.reminders", label=_l("Deadline reminders"))
def reminders(ctx, as_of: str | None = None) -> dict:
    """Remind officials of mandatory courses due within 30 and 7 days, and overdue ones."""
    counts = scan_reminders(as_of_day(as_of), ctx.reporter(_("Checking deadlines")))
    return {**counts, "mail": ctx.send_mail()}


@job("notifications.weekly_digest", label=_l("Weekly digest"))
def weekly_digest(ctx, as_of: str | None = None) -> dict:
    """The weekly digest of HR officers and training managers."""
    counts = send_digests(as_of_day(as_of), ctx.reporter(_("Writing digests")))
    return {**counts, "mail": ctx.send_mail()}
