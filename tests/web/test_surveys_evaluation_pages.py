"""Training evaluation over HTTP (issue 26): the learner sees "Đánh giá khóa học" on /me, answers
once (a second answer is refused), the certificate's PDF waits for the evaluation when the
setting asks it (the certificate still verifies), and the reports show a course's breakdown
from 5 respondents only — not with 4 — in the page and in the XLSX export."""

import io
import re
from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.surveys.evaluation.models import EvaluationRequest
from tests.conftest import csrf_token
from tests.factories import (
    import_course,
    make_completion,
    make_course,
    make_learner,
    make_questionnaires,
)

TOO_FEW = "Chưa đủ 5 người trả lời để hiển thị"
QUESTION = "Nội dung sát với yêu cầu vị trí việc làm"  # item "relevance" of TT10-COURSE
ANSWERS = {
    "q_objectives": "4",
    "q_relevance": "5",
    "q_materials": "4",
    "q_overall": "5",
    "q_comment": "Liên hệ 0905.123.456",
}


@pytest.fixture
def course(world):
    make_questionnaires()
    course = make_course("EV01", title="Kỹ năng tiếp công dân")
    db.session.commit()
    return course


def _request_id(user) -> int:
    return db.session.scalar(
        select(EvaluationRequest.id).where(EvaluationRequest.user_id == user.id)
    )


def _answer(client, request_id: int, data=ANSWERS):
    url = f"/me/evaluations/{request_id}"
    return client.post(url, data={**data, "csrf_token": csrf_token(client, url)})


def test_the_learner_answers_once_from_the_task_on_me(login_as, world, course):
    make_completion(world["learner"].official, course, commit=True)
    client = login_as("learner")
    me = client.get("/me").get_data(as_text=True)
    assert "Đánh giá khóa học" in me and "Kỹ năng tiếp công dân" in me
    request_id = _request_id(world["learner"])
    assert f"/me/evaluations/{request_id}" in me
    form = client.get(f"/me/evaluations/{request_id}").get_data(as_text=True)
    assert QUESTION in form and "1 hoàn toàn không đồng ý" in form
    missing = _answer(client, request_id, {"q_objectives": "4"})
    assert missing.status_code == 422 and "Please answer" not in missing.get_data(as_text=True)
    sent = _answer(client, request_id)
    assert sent.status_code == 302
    assert "Đánh giá khóa học" not in client.get("/me").get_data(as_text=True)
    again = _answer(client, request_id)
    assert again.status_code == 409 and 'data-status="answered"' in again.get_data(as_text=True)
    hostile = _answer(client, request_id, {"q_objectives": "<script>", "q_relevance": "9" * 400})
    assert hostile.status_code == 409


def test_another_users_evaluation_is_not_found(login_as, world, course):
    make_completion(world["learner"].official, course, commit=True)
    request_id = _request_id(world["learner"])
    client = login_as("manager")
    assert client.get(f"/me/evaluations/{request_id}").status_code == 404
    assert _answer(login_as("hr"), request_id).status_code == 404


def _answered_by(count: int, course) -> None:
    for n in range(count):
        user = make_learner(f"EV-{n}", f"Trần Thị Học {n}")
        make_completion(user.official, course, date(2026, 3, 10), commit=True)
        request = db.session.get(EvaluationRequest, _request_id(user))
        from lms.surveys.evaluation import services

        services.submit(request, {k[2:]: [v] for k, v in ANSWERS.items()}, actor=user)
        db.session.commit()


def _report(client, course):
    return client.get(f"/manage/evaluations/course/{course.id}?year=2026").get_data(as_text=True)


def test_four_respondents_show_no_breakdown(login_as, course, freeze):
    freeze(date(2026, 3, 10))
    _answered_by(4, course)
    client = login_as("manager")
    page = _report(client, course)
    assert TOO_FEW in page and QUESTION not in page and "•••" not in page
    listing = client.get("/manage/evaluations/?year=2026").get_data(as_text=True)
    assert TOO_FEW in listing and 'data-shown="no"' in listing
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get("/manage/evaluations/export.xlsx?year=2026").data)
    ).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert TOO_FEW in cells and QUESTION not in cells


def test_five_respondents_show_the_breakdown(login_as, course, freeze):
    freeze(date(2026, 3, 10))
    _answered_by(5, course)
    client = login_as("hr")
    page = _report(client, course)
    assert TOO_FEW not in page and QUESTION in page
    assert "Liên hệ •••" in page and "0905" not in page  # the phone number was masked
    assert re.search(r'data-responses="5"', page)
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get("/manage/evaluations/export.xlsx?year=2026").data)
    ).active
    rows = [row for row in sheet.iter_rows(values_only=True) if QUESTION in row]
    assert rows and rows[0][1] == 5 and rows[0][4] == 5 and rows[0][9] == 5
    # The reviewer (no training role) is refused; a manager elsewhere counts nothing here.
    assert login_as("reviewer").get("/manage/evaluations/").status_code == 403


def test_the_certificate_pdf_waits_for_the_evaluation_when_the_setting_asks(
    app, login_as, world, monkeypatch
):
    make_questionnaires()
    course = import_course()  # BB01, with its certificate
    db.session.commit()
    make_completion(world["learner"].official, course, commit=True)
    from lms.certificates.models import Certificate

    certificate = db.session.scalar(select(Certificate))
    client = login_as("learner")
    pdf = f"/certificates/{certificate.serial}.pdf"
    assert client.get(pdf).status_code == 200  # the setting is off by default
    monkeypatch.setitem(app.config, "LMS_EVALUATION_REQUIRED_FOR_CERTIFICATE", True)
    waiting = client.get(pdf)
    page = waiting.get_data(as_text=True)
    assert waiting.status_code == 403 and "Vui lòng đánh giá khóa học trước" in page
    assert certificate.verification_code in page  # it exists and verifies meanwhile
    assert app.test_client().get(f"/verify/{certificate.verification_code}").status_code == 200
    assert login_as("hr").get(pdf).status_code == 200  # staff are not held
    _answer(client, _request_id(world["learner"]))
    assert client.get(pdf).status_code == 200


def test_effectiveness_shows_the_officials_and_their_heads_apart(login_as, course, freeze):
    from lms.surveys.evaluation import services

    freeze(date(2026, 6, 10))
    for n in range(10):
        role = "self" if n < 5 else "head"
        user = make_learner(f"EF-{n}", f"Lê Văn Hiệu {n}")
        completion = make_completion(user.official, course, date(2026, 3, 10), commit=True)
        request = services.ask(
            user,
            f"effect:{completion.id}:{role}",
            services.EFFECTIVENESS,
            date(2026, 6, 10),
            role=role,
            course_id=course.id,
            completion_id=completion.id,
        )
        answers = {"applied": ["5" if role == "self" else "2"], "quality": ["4"]}
        services.submit(request, answers, actor=user)
        db.session.commit()
    client = login_as("admin")
    listing = client.get("/manage/evaluations/?subject=effectiveness&year=2026").get_data(
        as_text=True
    )
    assert 'data-role="self"' in listing and 'data-role="head"' in listing
    assert "Cán bộ tự đánh giá" in listing and "Thủ trưởng đơn vị đánh giá" in listing
    url = f"/manage/evaluations/course/{course.id}?subject=effectiveness&year=2026"
    page = client.get(url).get_data(as_text=True)
    parts = re.findall(r'data-role="(\w+)" data-responses="(\d+)"', page)
    assert sorted(parts) == [("head", "5"), ("self", "5")]
    sheet = openpyxl.load_workbook(
        io.BytesIO(
            client.get("/manage/evaluations/export.xlsx?subject=effectiveness&year=2026").data
        )
    ).active
    labels = {row[0] for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]}
    assert any("Thủ trưởng đơn vị đánh giá" in label for label in labels)
    assert any("Cán bộ tự đánh giá" in label for label in labels)


def test_the_evaluation_form_says_once_that_it_is_anonymous(login_as, world, course):
    make_completion(world["learner"].official, course, commit=True)
    client = login_as("learner")
    form = client.get(f"/me/evaluations/{_request_id(world['learner'])}").get_data(as_text=True)
    notice = "Câu trả lời được lưu không kèm tên hay tài khoản của anh/chị"
    assert form.count(notice) == 1
    assert len(re.findall(r"ẩn danh|không kèm tên", form, flags=re.IGNORECASE)) == 1
