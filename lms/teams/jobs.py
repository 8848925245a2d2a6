"""Teams' part of the nightly run (found by lms.jobs.registry.load_all): step "heads" (5)
brings the `head` grants in step with the posts and headships that begin or end today."""

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
