"""A reviewer reads a review statement "as of" its review date in a real browser (issue 21):
HR froze the review statements of SNV as of 10/12/2026; a credit recorded on 11/12 does not
change what the reviewer reads (tính đến ngày 10/12/2026), with the months of work; the page
is free of serious or critical axe-core violations."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from lms.compliance import snapshots
from lms.curricula.ledger import services as ledger
from lms.organisation.queries import unit_by_code
from tests.e2e.axe import assert_accessible
from tests.e2e.test_journey import log_in
from tests.factories import make_cycle, make_official, make_target, make_units, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def review_world(db, freeze):
    """The 2026 cycle, a reviewer over SNV, E2E-R1 in SNV-CCVC with 1 TC earned on 05/06; the
    review snapshot of SNV as of 10/12/2026, then 2 TC recorded on 11/12."""
    freeze(date(2026, 12, 10))
    make_units()
    make_user("reviewer")
    cycle = make_cycle(2026)
    official = make_official("E2E-R1", "Lê Thị Thu Hằng", "SNV-CCVC")
    make_target(official, cycle, 3)
    ledger.append(ledger.NewEntry(official.id, date(2026, 6, 5), Decimal(1), "manual", "Lớp A"))
    db.session.commit()
    snapshots.review_cycle(cycle, unit_by_code("SNV"), None, date(2026, 12, 10))
    db.session.commit()
    freeze(date(2026, 12, 11))
    ledger.append(ledger.NewEntry(official.id, date(2026, 12, 11), Decimal(2), "manual", "Lớp B"))
    db.session.commit()


def test_the_reviewer_reads_the_statement_as_of_the_review_date(review_world, page):
    log_in(page, "reviewer")
    page.goto("/reviews/E2E-R1?cycle=2026")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lê Thị Thu Hằng")
    expect(page.locator(".statement-kind")).to_contain_text("tính đến ngày 10/12/2026")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("1 TC")  # not the 2 TC recorded on 11/12
    expect(facts).to_contain_text("12 tháng giữ vị trí")
    assert_accessible(page, "review statement as of the review date")
    page.get_by_role("link", name="hiện tại").click()
    expect(page.locator(".statement-kind")).to_contain_text("chưa chốt")
    expect(page.locator("dl.facts")).to_contain_text("3 TC")
