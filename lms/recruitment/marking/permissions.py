"""Who may do what in the marking of a recruitment (named predicates; views never test roles).

- The council's secretary — an HR officer whose units cover the recruitment's organising unit,
  or an administrator — appoints markers, opens and closes marking, opens the codes, publishes
  results and records appeals (`can_run_marking`).
- A marker sees only the papers given to them in the rounds they were appointed to
  (`is_marker`), and only under their codes.
"""

from sqlalchemy import select

from lms.auth.models import HR_OFFICER
from lms.auth.permissions import has_role, is_admin
from lms.auth.scope import Scope
from lms.extensions import db
from lms.recruitment.marking.models import Marker


def can_run_marking(user, recruitment) -> bool:
    """Administrators, and HR officers whose units cover the recruitment's organising unit."""
    if is_admin(user):
        return True
    if not has_role(user, HR_OFFICER) or recruitment is None:
        return False
    unit = recruitment.unit
    return Scope.of(user, HR_OFFICER).covers_unit(unit.path if unit else None)


def is_marker(user, marking_round) -> bool:
    """Whether `user` was appointed to mark the papers of `marking_round`."""
    if marking_round is None or not getattr(user, "is_authenticated", False):
        return False
    return (
        db.session.scalar(
            select(Marker.id).where(Marker.round_id == marking_round.id, Marker.user_id == user.id)
        )
        is not None
    )


def has_marking_work(user) -> bool:
    """Whether `user` is a marker of any round (the "Marking" link of their menu)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        db.session.scalar(select(Marker.id).where(Marker.user_id == user.id).limit(1)) is not None
    )
