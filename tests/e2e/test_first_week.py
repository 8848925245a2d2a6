"""A department's first week on the demo data, in a real browser, as `make run` leaves it.

Monday 7 December 2026, go-live: the demo is loaded the way `make run` loads it (two past
cycles closed, this year's curricula and history), and the HR officer creates the accounts of
every official in the city from the accounts screen. That night the nightly job runs. On Tuesday
an official of a ward who never had an account opens the activation link on a phone, chooses a
password, acknowledges the privacy notice and lands on their training: a credit target and
mandatory courses whose deadlines are all ahead of them (the curricula date from the cycle's
start, so nothing is due before the cycle's last day, and nothing is overdue on Tuesday). They
take a test on the phone — no bar, timer or header covers a question — and find in their inbox
no notice that is not true: nothing overdue, nothing about 2024 or 2025, cycles that closed
before their account existed."""

import re
from datetime import date, datetime

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from lms.assessments.models import Quiz
from lms.auth.models import User
from lms.catalog.models import Course
from lms.curricula.obligations.models import OPEN, Obligation
from lms.extensions import db as _db
from lms.jobs.queue import enqueue
from lms.organisation.models import Official, OrgUnit, PositionAssignment
from tests.e2e.test_accounts_journey import activation_path
from tests.e2e.test_journey import acknowledge_notice, log_in
from tests.scenarios.make_run import DEMO_PASSWORD, set_up_like_make_run

pytestmark = pytest.mark.browser

GO_LIVE = date(2026, 12, 7)  # a Monday, 24 days before cycle 2026 ends
NEXT_DAY = date(2026, 12, 8)
PHONE = {"width": 360, "height": 740}
NEW_PASSWORD = "Sen-Hong-2026"


@pytest.fixture
def go_live(app, db, runner, freeze, tmp_path, monkeypatch):
    """The demo as `make run` leaves it on the morning of go-live."""
    freeze(datetime(2026, 12, 7, 1, 30))  # 08:30 in Vietnam
    set_up_like_make_run(app, runner, monkeypatch, tmp_path / "assets")


def nightly(day: date) -> None:
    """The night's job, as the worker runs it (the testing queue runs it at the commit)."""
    enqueue("nightly", as_of=day.isoformat())
    _db.session.commit()
    _db.session.expire_all()


def ward_official_with_a_test() -> Official:
    """An official of phường Hải Châu without an account who owes a course that has a test."""
    owes_a_test = (
        select(Obligation.official_id)
        .join(Course, Course.id == Obligation.course_id)
        .join(Quiz, Quiz.course_id == Course.id)
        .where(Obligation.status == OPEN)
    )
    stmt = (
        select(Official)
        .join(PositionAssignment, PositionAssignment.official_id == Official.id)
        .join(OrgUnit, OrgUnit.id == PositionAssignment.unit_id)
        .where(
            OrgUnit.code == "P-HAICHAU",
            PositionAssignment.is_primary,
            PositionAssignment.ended_on.is_(None),
            Official.id.in_(owes_a_test),
            ~Official.id.in_(select(User.official_id).where(User.official_id.is_not(None))),
        )
        .order_by(Official.employee_code)
    )
    official = _db.session.scalars(stmt).first()
    assert official is not None, "the demo has no ward official without an account owing a test"
    return official


def vi_date(text: str) -> date:
    day, month, year = (int(part) for part in text.split("/"))
    return date(year, month, day)


def assert_nothing_covers_the_questions(page, where: str) -> None:
    """Scroll each question into view as a learner would; no fixed or sticky element (status
    line, timer, header) may cover any part of the question's box."""
    overlaps = page.evaluate(
        """() => {
        const pinned = [...document.querySelectorAll('body *')].filter(el => {
            const position = getComputedStyle(el).position;
            return position === 'fixed' || position === 'sticky';
        });
        const found = [];
        for (const question of document.querySelectorAll('fieldset.question')) {
            question.scrollIntoView({block: 'start'});
            const q = question.getBoundingClientRect();
            for (const el of pinned) {
                if (question.contains(el) || el.contains(question)) continue;
                const r = el.getBoundingClientRect();
                if (r.width === 0 || r.height === 0) continue;
                const covers = r.left < q.right && r.right > q.left
                    && r.top < q.bottom && r.bottom > q.top
                    && q.top < r.bottom;
                if (covers && q.top < r.bottom && r.top <= q.top) {
                    found.push(`${question.id} under ${el.tagName}#${el.id}.${el.className}`);
                }
            }
        }
        window.scrollTo(0, 0);
        return found;
    }"""
    )
    assert not overlaps, f"{where}: {overlaps}"


def answer_every_question(page) -> None:
    for question in page.locator("fieldset.question").all():
        radios = question.locator("input[type=radio]")
        boxes = question.locator("input[type=checkbox]")
        texts = question.locator("input[type=text], textarea")
        selects = question.locator("select")
        if radios.count():
            radios.first.check()
        elif boxes.count():
            boxes.first.check()
        for index in range(texts.count()):
            texts.nth(index).fill("1")
        for index in range(selects.count()):
            options = selects.nth(index).locator("option")
            if options.count() > 1:
                selects.nth(index).select_option(index=1)


def test_a_department_goes_live_and_an_official_lives_the_first_week(new_page, go_live, db, freeze):
    # Monday: HR creates the accounts of everyone in the city.
    hr = new_page()
    log_in(hr, "hr", DEMO_PASSWORD)
    hr.goto("/officials/accounts")
    without = db.session.scalar(
        select(func.count(Official.id)).where(
            Official.status == "active",
            ~Official.id.in_(select(User.official_id).where(User.official_id.is_not(None))),
        )
    )
    official = ward_official_with_a_test()
    username = official.employee_code.lower()
    hr.get_by_label("Gửi đường liên kết qua email cho cán bộ có địa chỉ email").first.uncheck()
    hr.get_by_role("button", name=f"Tạo tài khoản cho {without} cán bộ").click()
    expect(hr.get_by_role("link", name="Tất cả thư của lượt này (PDF)")).to_be_visible()
    assert db.session.scalar(select(User).where(User.username == username)) is not None

    # Monday night: the nightly job (obligations, reminders, overdue notices).
    nightly(GO_LIVE)

    # Tuesday: the official opens the activation link on a phone.
    freeze(datetime(2026, 12, 8, 1, 0))
    phone = new_page(**PHONE)
    phone.goto(activation_path(db, username))
    expect(phone.get_by_text(username, exact=True)).to_be_visible()
    phone.get_by_label("Đặt mật khẩu").fill(NEW_PASSWORD)
    phone.get_by_label("Nhập lại mật khẩu").fill(NEW_PASSWORD)
    phone.get_by_role("button", name="Kích hoạt và đăng nhập").click()
    acknowledge_notice(phone)  # the privacy notice comes first, once
    expect(phone.get_by_role("heading", level=1)).to_contain_text(official.full_name)

    # Their training: a target, and every mandatory course due in the future.
    phone.goto("/me")
    main = phone.locator("main")
    expect(main).to_contain_text("Chỉ tiêu")
    expect(main).not_to_contain_text("Quá hạn")
    dues = [
        vi_date(text)
        for text in phone.locator("section[aria-labelledby=mandatory-heading] td").all_inner_texts()
        if re.fullmatch(r"\d{2}/\d{2}/\d{4}", text.strip())
    ]
    assert dues, "no deadline on /me"
    # The demo's curricula date from the cycle's start (as in a department that set them in
    # January): every deadline is still ahead, none before the cycle's last day.
    assert all(due >= date(2026, 12, 31) for due in dues), dues

    # A test, on the phone: nothing covers a question, the answers are counted, submitting
    # says how many are unanswered and asks first.
    course = db.session.scalars(
        select(Course)
        .join(Quiz, Quiz.course_id == Course.id)
        .join(Obligation, Obligation.course_id == Course.id)
        .where(Obligation.official_id == official.id, Obligation.status == OPEN)
        .order_by(Course.code)
    ).first()
    phone.goto(f"/courses/{course.code}")
    phone.locator("#test-link").click()
    phone.locator("form[action$='/test/start'] button").click()
    expect(phone).to_have_url(re.compile(r"/attempts/\d+$"))
    assert_nothing_covers_the_questions(phone, "the attempt page at 360 px")
    answer_every_question(phone)
    expect(phone.locator("#answered")).not_to_contain_text(re.compile(r"^0 "))
    while phone.locator("button[value=next]").count():
        phone.locator("button[value=next]").click()
        assert_nothing_covers_the_questions(phone, "a later page of the attempt at 360 px")
        answer_every_question(phone)
    phone.locator("#finish").click()
    expect(phone.locator("#finish-dialog")).to_be_visible()
    expect(phone.locator("#finish-dialog")).to_contain_text("tất cả các câu hỏi")
    phone.locator("#finish-confirm").click()
    expect(phone).to_have_url(re.compile(r"/attempts/\d+/review$"))
    expect(phone.locator("#score")).to_be_visible()

    # The inbox holds only true notices.
    phone.goto("/inbox")
    inbox = phone.locator("main").inner_text()
    assert "Quá hạn" not in inbox, inbox
    assert not re.search(r"chu kỳ (2024|2025)", inbox, re.I), inbox
    # Dates in the notices' texts (not the "08:30 07/12/2026" each notice was sent at).
    said = re.findall(r"(?<!\d\d:\d\d )\b\d{2}/\d{2}/\d{4}\b", inbox)
    mentioned = [vi_date(day) for day in said]
    assert all(day > NEXT_DAY for day in mentioned), f"a notice about the past: {mentioned}"
