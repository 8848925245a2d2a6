"""A candidate account opens its exam and nothing else: every rule of the route table (all
domains) answers 403 or 404 to it, the home page sends it to the exam; and the candidate's way
through the computer-based round over HTTP (window, code, paper, score, results log)."""

from datetime import date, datetime

import pytest
from werkzeug.routing import FloatConverter, IntegerConverter

from lms.extensions import db
from lms.recruitment import results_log
from lms.recruitment.models import ExamAttempt
from lms.recruitment.permissions import CANDIDATE_ALLOWS
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, make_candidate, make_exam_session, make_recruitment


@pytest.fixture
def candidate(world, assets_dir):
    recruitment = make_recruitment()
    person = make_candidate(
        recruitment, "Trương Thị Thí Sinh", born_on=date(1998, 5, 17), password=PASSWORD
    )
    db.session.commit()
    make_exam_session(recruitment, seat=[person])
    return person


@pytest.fixture
def as_candidate(app, candidate):
    client = app.test_client()
    assert login(client, candidate.user.username).status_code == 302
    return client


def _dummy(converter) -> object:
    """A value the converter accepts: the guard answers before any object is loaded."""
    return 1 if isinstance(converter, (IntegerConverter, FloatConverter)) else "x1"


def test_a_candidate_account_opens_nothing_of_the_lms(app, candidate, as_candidate):
    """Every rule of the route table (all domains, the API included), each method."""
    token = csrf_token(as_candidate, "/exam/")
    adapter = app.url_map.bind("localhost")
    opened, tried = [], 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in CANDIDATE_ALLOWS:
            continue
        values = {name: _dummy(rule._converters[name]) for name in rule.arguments}
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            url = adapter.build(rule.endpoint, values, method=method)
            if method == "GET":
                response = as_candidate.get(url)
            else:
                response = as_candidate.open(url, method=method, data={"csrf_token": token})
            response.close()
            tried += 1
            if rule.endpoint == "main.home":
                assert response.status_code == 302 and response.location.endswith("/exam/")
            elif response.status_code not in (403, 404):
                opened.append((rule.endpoint, method, url, response.status_code))
    assert opened == []
    assert tried > 300
    # the pages the contract names, by hand, with real arguments
    for url in ("/courses/", "/me", "/officials/?q=a", "/api/v1/officials", "/manage/users"):
        assert as_candidate.get(url).status_code in (403, 404), url
    # and the candidate's own pages still open
    assert as_candidate.get("/exam/").status_code == 200


def test_the_exam_pages_are_the_candidates_only(login_as, candidate):
    for role in ("learner", "hr", "admin"):
        assert login_as(role).get("/exam/").status_code == 404


def _start(client, code):
    return client.post(
        "/exam/start", data={"code": code, "csrf_token": csrf_token(client, "/exam/")}
    )


def test_outside_the_window_or_without_the_code_the_paper_does_not_start(
    as_candidate, candidate, freeze
):
    freeze(datetime(2026, 6, 15, 7, 59))
    page = as_candidate.get("/exam/").get_data(as_text=True)
    assert candidate.number in page and "chưa bắt đầu" in page
    assert "Phòng" in page
    response = _start(as_candidate, "AB12CD")
    assert "chưa bắt đầu" in as_candidate.get(response.location).get_data(as_text=True)
    freeze(datetime(2026, 6, 15, 9, 0))
    response = _start(as_candidate, "SAI000")
    assert "Mã ca thi không đúng" in as_candidate.get(response.location).get_data(as_text=True)
    freeze(datetime(2026, 6, 15, 11, 0))
    assert "đã kết thúc" in as_candidate.get("/exam/").get_data(as_text=True)
    assert db.session.query(ExamAttempt).count() == 0


def test_inside_the_window_the_candidate_takes_the_paper_and_sees_the_score(
    as_candidate, candidate, freeze
):
    freeze(datetime(2026, 6, 15, 9, 0))
    response = _start(as_candidate, "ab12cd")
    assert response.location.endswith("/exam/paper")
    page = as_candidate.get("/exam/paper").get_data(as_text=True)
    assert page.count('class="card question"') == 6
    attempt = db.session.query(ExamAttempt).one()
    token = csrf_token(as_candidate, "/exam/paper")
    first = attempt.slots[0]
    saved = as_candidate.post(
        "/exam/paper/save", data={"csrf_token": token, "slots": str(first.id), f"r{first.id}": "0"}
    )
    assert saved.status_code == 200 and saved.json["changed"] == 1
    finished = as_candidate.post("/exam/paper", data={"csrf_token": token, "action": "finish"})
    assert finished.location.endswith("/exam/result")
    result = as_candidate.get("/exam/result").get_data(as_text=True)
    assert "Điểm trắc nghiệm" in result and "/ 10" in result
    db.session.expire_all()
    assert results_log.latest(candidate.id, "computer_score") is not None
    assert results_log.verify() == []
    # after the deadline nothing more is saved
    freeze(datetime(2026, 6, 15, 10, 0))
    late = as_candidate.post("/exam/paper/save", data={"csrf_token": token, "slots": "1"})
    assert late.status_code == 409


def test_the_candidates_screen_fits_a_phone(as_candidate, freeze):
    freeze(datetime(2026, 6, 15, 9, 0))
    page = as_candidate.get("/exam/").get_data(as_text=True)
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
    assert "main-nav" not in page  # no menu of the LMS on a candidate's screen


@pytest.mark.parametrize("url", ["/courses/", "/khong-co-trang-nay", "/privacy"])
def test_a_candidates_error_and_notice_pages_have_no_lms_menu(app, as_candidate, url):
    """The pages a candidate can meet outside its exam (a page it may not open answers 404;
    the privacy notice) wear the candidate's header: no link that would answer 404 to it."""
    response = as_candidate.get(url)
    page = response.get_data(as_text=True)
    assert response.status_code == (200 if url == "/privacy" else 404)
    header = page[page.index("<header") : page.index('<main id="main"')]
    for label in ("Khóa học", "Thông báo", "Mật khẩu", "API tokens", "Danh mục", "Trang chủ"):
        assert label not in header, label
    for href in (
        'href="/courses/"',
        'href="/me',
        'href="/manage',
        'href="/inbox"',
        'href="/auth/password"',
    ):
        assert href not in page, href
    assert "Thi tuyển công chức" in header and "Đăng xuất" in header
