"""The session hooks that keep the `head` grants in step with the registry: after a flush that
added or changed a post, an HR-named headship, an account's link to an official or an
official's status, the session is marked; just before its commit the grants are synced
(lms.teams.services.sync_head_grants), inside the same transaction. Posts an import writes in
bulk arrive by organisation's `posts_written` signal instead."""

from sqlalchemy import inspect

from lms.auth.models import User
from lms.extensions import db, on_session
from lms.organisation.models import Official, PositionAssignment
from lms.teams.models import HeadAssignment

PENDING = "teams.heads_changed"
# A change to one of these attributes of these models may change who heads which unit.
WATCHED = {User: ("official_id",), Official: ("status",)}


def _touches_heads(obj, is_new: bool) -> bool:
    if isinstance(obj, PositionAssignment | HeadAssignment):
        return True
    for model, attributes in WATCHED.items():
        if isinstance(obj, model):
            if is_new:
                return model is User and obj.official_id is not None
            state = inspect(obj)
            return any(state.attrs[name].history.has_changes() for name in attributes)
    return False


def _note_changes(session, _context) -> None:
    if session.info.get(PENDING):
        return
    changed = (
        any(_touches_heads(obj, True) for obj in session.new)
        or any(_touches_heads(obj, False) for obj in session.dirty)
        or any(isinstance(obj, PositionAssignment | HeadAssignment) for obj in session.deleted)
    )
    if changed:
        session.info[PENDING] = True


def _sync_before_commit(session) -> None:
    if session is not db.session():
        return  # a session of its own (a script, a thread): not the application's
    session.flush()
    if not session.info.pop(PENDING, False):
        return
    from lms.teams.services import sync_head_grants

    sync_head_grants()


def note_posts_written(_sender, **_extra) -> None:
    """organisation.imports' signal: posts written in bulk may make or unmake heads."""
    db.session.info[PENDING] = True


def _forget(session, *_args) -> None:
    session.info.pop(PENDING, None)


def install_session_hooks() -> None:
    """Listen on the application's session class (idempotent)."""
    on_session(
        ("after_flush", _note_changes),
        ("before_commit", _sync_before_commit),
        ("after_rollback", _forget),
    )
