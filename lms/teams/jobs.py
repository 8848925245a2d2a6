"""Teams' part of the nightly run (found by lms.jobs.registry.load_all): step "heads" (5)
brings the `head` grants in step with the posts and headships that begin or end today; step
"team_escalation" (25, after the officials' own reminders) tells the heads about overdue
officials and sends their weekly digest (lms.teams.escalation)."""

from datetime import date

from lms.extensions import db
from lms.i18n import _l
from lms.jobs import nightly_step
from lms.teams.services import sync_head_grants


@nightly_step(5, "heads", _l("Updating the heads of units"))
def sync_heads(as_of: date, progress) -> dict:
    """Sync the `head` grants for `as_of` (lms.teams.services.sync_head_grants)."""
    counts = sync_head_grants(as_of)
    db.session.commit()
    progress(1, 1)
    return counts


@nightly_step(25, "team_escalation", _l("Telling heads about overdue officials"))
def team_escalation(as_of: date, progress) -> dict:
    """Overdue courses past their escalation day go to the heads; on the first night of an ISO
    week, each head's digest (lms.teams.escalation)."""
    from lms.teams import escalation

    heads = escalation.Heads(as_of)
    notices = escalation.send_overdue_notices(as_of, heads)
    digests = escalation.send_team_digests(as_of, progress, heads)
    db.session.commit()
    return {"team_overdue": notices, "team_digest": digests}
