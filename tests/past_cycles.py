"""Past cycles stay past (issue 20, survivor 5): a completion or credit recorded after a cycle's
end never changes that cycle's obligations or credits, whatever path records it. Each credit
source's tests use these two helpers: open obligations in 2025 and 2026 before recording in
2026, then check that 2025 is as it was."""

from datetime import date
from decimal import Decimal

from lms.curricula.ledger import services as ledger
from lms.curricula.obligations.models import DONE, OPEN, Obligation
from lms.extensions import db
from tests.factories import cycle_of  # noqa: F401 (imported from here by the tests)


def open_obligations(official_id: int, course_id: int) -> dict[int, int]:
    """An open mandatory obligation for the course in 2025 (never met: the official is
    `not_met` there) and in 2026, due on each year's last day; committed. Ids by year."""
    ids = {}
    for year in (2025, 2026):
        row = Obligation(
            official_id=official_id,
            cycle_id=cycle_of(year).id,
            course_id=course_id,
            due_on=date(year, 12, 31),
            arose_on=date(year, 1, 1),
        )
        db.session.add(row)
        db.session.flush()
        ids[year] = row.id
    db.session.commit()
    return ids


def assert_2025_stays_past(ids: dict[int, int], official_id: int, *, met_in_2026: bool) -> None:
    """2025's obligation is still open with no completion and 2025 earned nothing; 2026's is
    met (by a completion of the course) or still open (credits with no course)."""
    db.session.expire_all()
    past = db.session.get(Obligation, ids[2025])
    assert (past.status, past.completion_id) == (OPEN, None)
    assert ledger.balance(official_id, cycle_of(2025).id) == Decimal(0)
    current = db.session.get(Obligation, ids[2026])
    assert current.status == (DONE if met_in_2026 else OPEN)
    assert (current.completion_id is not None) is met_in_2026
