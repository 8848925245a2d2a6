"""The ledger's part of the nightly run (found by lms.jobs.registry.load_all): step
"ledger_seal" (50) seals the credit ledger, the frozen statements and the audit log."""

from datetime import date

from lms.common import sealing
from lms.curricula.ledger import seals
from lms.extensions import db
from lms.jobs import nightly_step


@nightly_step(50, "ledger_seal")
def seal_ledger(as_of: date, progress) -> dict:
    """Seal the credit ledger (curricula.ledger.seals.seal), the frozen statements and the audit
    log (common.sealing.seal), so verify notices removed rows."""
    row = seals.seal()
    for kind in sealing.KINDS:  # the frozen statements and the audit log, the same way
        sealing.seal(kind)
    db.session.commit()
    return {"entries": row.entries, "officials": row.officials} if row else {"entries": 0}
