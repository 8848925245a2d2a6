"""The session hooks that re-run the obligations engine when a position assignment or a leave
period changes, and the receiver of organisation's `posts_written` signal."""

from datetime import date

from sqlalchemy import inspect, select

from lms.curricula.cycles.models import Curriculum, Cycle
from lms.curricula.obligations.engine import refresh
from lms.extensions import db, on_session
from lms.organisation.models import LeavePeriod, PositionAssignment

# --- re-run when a position assignment changes ---------------------------------------------
#
# Organisation comes before curricula in the domain order and cannot call this module, so the
# session tells us: after each flush, the officials whose assignments were added or changed
# are noted in `session.info`; just before the commit their obligations are refreshed in every
# cycle from the earliest date the change touches, inside the same transaction. Posts an
# import writes in bulk arrive by organisation's `posts_written` signal instead. While no
# curriculum is defined at all (a fresh installation, targets loaded from elsewhere) the hook
# does nothing.

PENDING = "curricula.assignments_changed"


def _note_assignment_changes(session, _context) -> None:
    changed = [
        obj
        for obj in (*session.new, *session.dirty, *session.deleted)
        if isinstance(obj, PositionAssignment | LeavePeriod)
        and (
            obj in session.new
            or obj in session.deleted
            or session.is_modified(obj, include_collections=False)
        )
    ]
    if not changed:
        return
    pending: dict[int, date] = session.info.setdefault(PENDING, {})
    for period in [obj for obj in changed if isinstance(obj, LeavePeriod)]:
        # a leave period changes the months counted and the due dates: from its first day (or
        # the first day it had before an edit)
        history = inspect(period).attrs.starts_on.history
        earliest = min(d for d in (period.starts_on, *history.deleted) if d is not None)
        pending[period.official_id] = min(pending.get(period.official_id, earliest), earliest)
    changed = [obj for obj in changed if isinstance(obj, PositionAssignment)]
    for assignment in changed:
        official_id = assignment.official_id or getattr(assignment.official, "id", None)
        if official_id is None:
            continue
        earliest = min(d for d in (assignment.started_on, assignment.ended_on) if d is not None)
        pending[official_id] = min(pending.get(official_id, earliest), earliest)


def _refresh_before_commit(session) -> None:
    if session is not db.session():
        return  # a session of its own (a script, a thread): not the application's
    session.flush()  # changes not flushed yet are noted now, before the final flush
    pending: dict[int, date] | None = session.info.pop(PENDING, None)
    if not pending:
        return
    if session.scalar(select(Curriculum.id).limit(1)) is None:
        return  # no curriculum defined yet: nothing to derive, targets are left as they are
    since = min(pending.values())
    cycles = session.scalars(select(Cycle).where(Cycle.ends_on >= since).order_by(Cycle.starts_on))
    for cycle in list(cycles):
        ids = [oid for oid, day in pending.items() if day <= cycle.ends_on]
        refresh(ids, cycle)


def note_posts_written(_sender, changes: dict[int, date], **_extra) -> None:
    """organisation.imports' signal: posts written in bulk are refreshed at the commit too."""
    pending: dict[int, date] = db.session.info.setdefault(PENDING, {})
    for official_id, day in changes.items():
        pending[official_id] = min(pending.get(official_id, day), day)


def _forget(session, *_args) -> None:
    session.info.pop(PENDING, None)


def install_session_hooks() -> None:
    """Listen on the application's session class (idempotent)."""
    on_session(
        ("after_flush", _note_assignment_changes),
        ("before_commit", _refresh_before_commit),
        ("after_rollback", _forget),
    )


install_session_hooks()
