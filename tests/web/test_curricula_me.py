"""/me, "My training": target and earned with a progress bar, mandatory courses with due dates
and links, overdue and due-soon warnings, the cycle's ledger with sources, previous cycles, the
friendly page for accounts without an official, and a query count that does not grow with the
ledger."""

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from lms.curricula.completions.services import CompletionData, record_completion
from lms.curricula.cycles.models import Cycle
from lms.curricula.ledger import services as ledger
from lms.curricula.obligations import engine as obligations
from lms.extensions import db as _db
from lms.i18n import format_day
from lms.organisation import services as org
from lms.organisation.models import Official
from tests.conftest import count_queries
from tests.factories import make_course, make_curriculum, make_cycle

# These tests read English wording; the Vietnamese catalog is checked on its own.
pytestmark = pytest.mark.usefixtures("english")


def learner() -> Official:
    return _db.session.scalar(select(Official).where(Official.employee_code == "T-LEARN"))


@pytest.fixture
def training(world, freeze):
    """Cycles 2025 and 2026; CM-CCVC (the learner's post since 2020) needs BB01 and VT01,
    target 3 TC; the learner earned 1 TC in 2026 (BB01 online) and 2 TC in 2025."""
    freeze(date(2026, 6, 15))
    courses = {code: make_course(code) for code in ("BB01", "VT01", "VT02")}
    make_curriculum("CM-CCVC", "3", [courses["BB01"], courses["VT01"]])
    for year in (2025, 2026):
        make_cycle(year)
    _db.session.flush()
    official = learner()
    ledger.append(
        ledger.NewEntry(official.id, date(2025, 4, 2), Decimal(2), "external", "Hội thảo CCHC")
    )
    record_completion(
        CompletionData(official.id, courses["BB01"].id, date(2026, 3, 10), "online", "attempt:1")
    )
    cycles = {c.year: c for c in _db.session.scalars(select(Cycle))}
    # 2025's obligations were known since before 2025 began (due 31/12/2025); had they arisen
    # only now, in 2026, they would be due 30 days from now and not count against 2025.
    freeze(date(2024, 12, 20))
    obligations.refresh([official.id], cycles[2025])
    freeze(date(2026, 6, 15))
    obligations.refresh([official.id], cycles[2026])
    _db.session.commit()
    return courses, cycles


def page(client) -> str:
    response = client.get("/me")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_an_account_without_an_official_gets_a_friendly_page(login_as):
    html = page(login_as("admin"))
    assert "not linked to an official" in html
    assert "<progress" not in html


def test_no_cycle_yet_says_so(login_as, freeze):
    freeze(date(2026, 6, 15))
    html = page(login_as("learner"))
    assert "No training cycle covers today" in html


def test_target_earned_and_progress_bar(training, login_as):
    html = page(login_as("learner"))
    assert "Cycle 2026" in html
    assert re.search(r'<progress id="credits-progress" max="100" value="33"', html)
    assert "1 of 3 credits earned" in html
    assert "style=" not in html


def test_mandatory_courses_link_to_their_course_pages_with_status_and_due_date(training, login_as):
    html = page(login_as("learner"))
    assert 'href="/courses/BB01"' in html and 'href="/courses/VT01"' in html
    assert format_day(date(2026, 12, 31)) in html
    rows = re.findall(r"<tr>\s*<td><a href=\"/courses/(\w+)\".*?</tr>", html, re.S)
    assert rows[:2] == ["BB01", "VT01"]
    assert "Done" in html and "To do" in html


def test_an_overdue_course_and_one_due_soon_are_warned_about(training, login_as, freeze):
    courses, cycles = training
    official = learner()
    freeze(date(2026, 2, 1))
    org.add_concurrent(official, org.AssignmentData("P-HAICHAU", "XA-MC", date(2026, 2, 1)), None)
    make_curriculum("XA-MC", "3", [courses["VT02"]])
    obligations.refresh([official.id], cycles[2026], as_of=date(2026, 2, 1))
    _db.session.commit()
    freeze(date(2026, 7, 10))  # VT02 due 31/07/2026: due soon
    html = page(login_as("learner"))
    assert "Due soon: VT02" in html and "Overdue:" not in html
    freeze(date(2026, 8, 1))
    html = page(login_as("learner"))
    assert "Overdue: VT02" in html
    assert "Overdue" in html.split('id="mandatory-heading"')[1]


def test_the_ledger_shows_each_entry_with_its_source_and_corrections(training, login_as):
    official = learner()
    entry = ledger.entries(official.id)[-1]
    ledger.reverse(entry, "Nhập trùng", actor=None)
    _db.session.commit()
    html = page(login_as("learner"))
    section = html.split('id="ledger-heading"')[1].split("</section>")[0]
    assert "Online course" in section
    assert "Correction: Nhập trùng" in section
    assert format_day(date(2026, 3, 10)) in section


def test_previous_cycles_show_target_earned_and_status(training, login_as):
    html = page(login_as("learner"))
    section = html.split('id="previous-heading"')[1]
    row = re.search(r"<th scope=\"row\">2025</th>(.*?)</tr>", section, re.S).group(1)
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    assert cells[:3] == ["3", "2", "2"]  # target, earned, two mandatory courses not done
    assert "Overdue" in cells[3]


def test_withdrawn_courses_are_listed_with_the_reason(training, login_as, freeze):
    official = learner()
    org.change_position(official, org.AssignmentData("P-HAICHAU", "XA-MC", date(2026, 6, 15)), None)
    _db.session.commit()  # the session hook refreshes the obligations
    html = page(login_as("learner"))
    assert "course no longer required" in html
    assert "VT01" in html.split("<details>")[1]
    assert "the position that required it ended" in html


def test_the_query_count_does_not_grow_with_the_ledger(training, login_as):
    client = login_as("learner")
    official = learner()
    client.get("/me")
    with count_queries() as few:
        page(client)
    for day in range(1, 16):
        ledger.append(
            ledger.NewEntry(
                official.id, date(2026, 5, day), Decimal("0.5"), "manual", f"Buổi {day}"
            )
        )
    _db.session.commit()
    with count_queries() as many:
        html = page(client)
    assert "Buổi 15" in html
    assert many[0] == few[0]


def test_courses_required_at_a_december_go_live_are_to_do_and_do_not_count_against_the_cycle(
    world, freeze, login_as
):
    """Go-live on 10/12/2026: CM-CCVC's courses are due on 09/01/2027. /me counts them as to
    do (today's main says 0 while listing them) and says they do not count against 2026."""
    freeze(date(2026, 12, 10))
    courses = {code: make_course(code) for code in ("BB01", "VT01")}
    make_curriculum("CM-CCVC", "3", [courses["BB01"], courses["VT01"]])
    cycle = make_cycle(2026)
    obligations.refresh([learner().id], cycle)
    _db.session.commit()
    html = page(login_as("learner"))
    facts = html.split('id="cycle-heading"')[1].split("</dl>")[0]
    assert re.search(r"Mandatory courses to do</dt><dd>2</dd>", facts)
    section = html.split('id="mandatory-heading"')[1]
    # the due date alone in its cell (the note is in the status cell)
    assert section.count(f"<td>{format_day(date(2027, 1, 9))}</td>") == 2
    assert section.count("After the cycle ends: it does not count against cycle 2026.") == 2
    assert "Overdue" not in section
