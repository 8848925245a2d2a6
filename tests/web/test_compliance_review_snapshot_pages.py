"""Review snapshots on the web and in the shell (issue 21): HR freezes the review statements of
a unit as of a review date (the form beside the cycle close, `flask --app lms cycle review YEAR
--as-of DD/MM/YYYY [--unit CODE]`); a date before 01/12 is refused on the form, nothing frozen;
the reviewer then reads T-MAN's statement "as of 10/12/2026" (tính đến ngày 10/12/2026), with
the months of work, and can still open the live one."""

import html as html_lib
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from lms.compliance.models import REVIEW, Statement
from lms.extensions import db
from lms.organisation.models import Official
from tests.conftest import csrf_token
from tests.factories import make_cycle, make_target

FORM = "/compliance/cycles/2026/review"


@pytest.fixture
def today(freeze):
    """01/06/2026, from before the test users are made."""
    return freeze(date(2026, 6, 1))


@pytest.fixture
def scene(today, world, freeze):
    """The 2026 cycle, T-MAN (SNV-CCVC; the reviewer covers SNV) with a 3-TC target counted
    over 12 months; today is 10/12/2026."""
    official = db.session.scalar(select(Official).where(Official.employee_code == "T-MAN"))
    cycle = make_cycle(2026)
    target = make_target(official, cycle)
    target.months = 12
    db.session.commit()
    freeze(date(2026, 12, 10))
    return official, cycle


def reviews() -> int:
    return db.session.scalar(
        select(func.count()).select_from(Statement).where(Statement.kind == REVIEW)
    )


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", page)))


def post_review(client, day: str, unit: str = "SNV"):
    token = csrf_token(client, FORM)
    return client.post(FORM, data={"csrf_token": token, "unit": unit, "as_of": day})


def test_hr_freezes_a_review_and_the_reviewer_reads_it_as_of_the_review_date(scene, login_as):
    hr = login_as("hr")
    assert FORM in hr.get("/compliance/cycles/2026/close").get_data(as_text=True)
    refused = post_review(hr, "30/11/2026")
    assert refused.status_code == 200
    assert "01/12/2026" in text_of(refused.get_data(as_text=True))
    assert reviews() == 0
    done = post_review(hr, "10/12/2026")
    assert done.status_code == 302
    assert reviews() >= 1
    assert post_review(hr, "10/12/2026").status_code == 302  # the same date again
    count = reviews()
    reviewer = login_as("reviewer")
    page = text_of(reviewer.get("/reviews/T-MAN?cycle=2026").get_data(as_text=True))
    assert "tính đến ngày 10/12/2026" in page
    assert "12 tháng" in page
    live = text_of(reviewer.get("/reviews/T-MAN?cycle=2026&kind=live").get_data(as_text=True))
    assert "Số liệu hiện tại, tính đến ngày 10/12/2026 (chưa chốt)" in live
    assert reviews() == count


@pytest.mark.usefixtures("english")
def test_the_english_page_says_as_of(scene, login_as):
    post_review(login_as("hr"), "10/12/2026")
    page = text_of(login_as("reviewer").get("/reviews/T-MAN?cycle=2026").get_data(as_text=True))
    assert "Review statement, as of Dec 10, 2026" in page


def test_the_cli_freezes_once_and_refuses_a_bad_date(scene, runner):
    first = runner.invoke(args=["cycle", "review", "2026", "--as-of", "10/12/2026"])
    assert first.exit_code == 0, first.output
    frozen = reviews()
    assert frozen >= 1 and "review as of 10/12/2026" in first.output
    again = runner.invoke(
        args=["cycle", "review", "2026", "--as-of", "10/12/2026", "--unit", "SNV"]
    )
    assert again.exit_code == 0 and "0 review statements" in again.output
    assert reviews() == frozen
    early = runner.invoke(args=["cycle", "review", "2026", "--as-of", "30/11/2026"])
    assert early.exit_code != 0
    badly = runner.invoke(args=["cycle", "review", "2026", "--as-of", "2026-12-10"])
    assert badly.exit_code != 0 and "DD/MM/YYYY" in badly.output
