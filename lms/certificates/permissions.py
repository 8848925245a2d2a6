"""Who may see, download, revoke and re-issue certificates. Views call these named predicates;
the scope itself is applied in SQL by lms.certificates.queries.

An official sees their own certificates; HR officers and training managers see (and revoke,
re-issue, download in bulk) those of the officials whose current unit lies in their scope;
reviewers also read the transcripts and open the certificates (not revoked) of the officials
they rate, from their training statements; administrators see all.
"""

from lms.auth.models import ADMINISTRATOR, HR_OFFICER, REVIEWER, TRAINING_MANAGER
from lms.auth.permissions import has_role
from lms.auth.scope import Scope

STAFF_ROLES = (HR_OFFICER, TRAINING_MANAGER)


def can_manage_certificates(user) -> bool:
    """The staff screens (/manage/certificates…): HR officers, training managers, admins."""
    return has_role(user, HR_OFFICER, TRAINING_MANAGER, ADMINISTRATOR)


def manage_scope(user) -> list[str] | None:
    """Unit paths whose officials' certificates the user manages (None: all; []: none)."""
    return Scope.of(user, *STAFF_ROLES).path_list


def transcript_scope(user) -> list[str] | None:
    """Unit paths whose officials' transcripts and certificates the user may read (reviewers
    included)."""
    return transcript_reach(user).path_list


def transcript_reach(user) -> Scope:
    """Whose transcripts and certificates the user may read: the officials in the units of
    `transcript_scope`, and their own."""
    return Scope.of(user, *STAFF_ROLES, REVIEWER, include_self=True)


def has_own_record(user) -> bool:
    """An official (a user linked to an official record): /me/certificates."""
    return getattr(user, "official_id", None) is not None
