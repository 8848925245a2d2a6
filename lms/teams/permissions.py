"""Who may do what in teams: the team page is the heads' (their own units only); naming heads
and the units' head settings are HR's and the administrators'."""

from lms.auth.models import ADMINISTRATOR, HEAD, HR_OFFICER
from lms.auth.permissions import has_role


def can_lead_team(user) -> bool:
    """The team page, nominations and the head's decisions: heads of units (the role `head`,
    derived from who heads which unit; lms.teams.services.sync_head_grants)."""
    return has_role(user, HEAD)


def can_manage_heads(user) -> bool:
    """The units' head settings: HR officers (their units) and administrators."""
    return has_role(user, HR_OFFICER, ADMINISTRATOR)
