"""The privacy module's part of the nightly run (found by lms.jobs.registry.load_all): personal
data whose retention period is over is deleted (lms.privacy.retention)."""

from datetime import date

from lms.extensions import db
from lms.jobs import nightly_step
from lms.privacy import retention


@nightly_step(70, "retention")
def apply_retention(as_of: date, progress) -> dict:
    """Delete the personal data whose retention period is over, and commit."""
    counts = retention.apply(as_of)
    db.session.commit()
    return counts
