"""Training needs and the annual plan (issue 23). For 2027: the HR officer enters the needs of
SNV (BB01 ×10 in Q1 for CM-CCVC, KN01 ×5 in Q2), the head of P-HAICHAU those of the ward (BB01
×4 in Q1, and 3 officials in ND4 with no course named, Q3); both submit; a draft of SNV-CCVC
stays out. The Department (hr, whose grant covers the city) consolidates — BB01 Q1 14 officials
from 2 units, KN01 Q2 5, ND4 Q3 3: 22 in all —, sets the classes, approves. In 2027 officials
complete courses; plan vs actual counts them per unit, course, quarter, area and gender, a
revoked completion not, a course outside the plan apart. Runs on SQLite and PostgreSQL."""

import html as html_lib
import io
import re
from datetime import date

import openpyxl
import pytest
from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.curricula.completions.services import revoke_completion
from lms.extensions import db
from lms.organisation.models import Official
from lms.teams.planning.models import NeedLine, PlanClasses, PlanLine, TrainingPlan
from tests.conftest import csrf_token
from tests.factories import make_completion, make_course, make_cycle, make_official

NEEDS = "/planning/2027/needs"
PLAN = "/planning/2027/plan"
ACTUAL = "/planning/2027/actual"


def text_of(page) -> str:
    body = page if isinstance(page, str) else page.get_data(as_text=True)
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", body)))


def official(code: str) -> Official:
    return db.session.scalar(select(Official).where(Official.employee_code == code))


@pytest.fixture
def scene(world, freeze):
    freeze(date(2026, 11, 10))
    courses = {
        "BB01": make_course("BB01", content_area="ND3"),
        "KN01": make_course("KN01", content_area="ND5"),
        "VT05": make_course("VT05", content_area="ND4"),
        "QP01": make_course("QP01", content_area="ND2"),
    }
    make_cycle(2026)
    make_cycle(2027)
    db.session.commit()
    return courses


def add(client, unit: str, **values):
    url = f"{NEEDS}/{unit}"
    data = {"csrf_token": csrf_token(client, url), "course": "", "content_area": "", "note": ""}
    data.update({k: str(v) for k, v in values.items()})
    return client.post(url, data=data)


def press(client, url: str, page: str, **extra):
    return client.post(url, data={"csrf_token": csrf_token(client, page), **extra})


def enter_needs(login_as):
    hr, head = login_as("hr"), login_as("head")
    assert (
        add(hr, "SNV", course="BB01", count=10, quarter=1, positions="cm-ccvc").status_code == 302
    )
    assert add(hr, "SNV", course="KN01", count=5, quarter=2).status_code == 302
    assert add(head, "P-HAICHAU", course="BB01", count=4, quarter=1).status_code == 302
    assert add(head, "P-HAICHAU", content_area="ND4", count=3, quarter=3).status_code == 302
    assert add(hr, "SNV-CCVC", course="QP01", count=50, quarter=4).status_code == 302  # a draft
    for client, unit in ((hr, "SNV"), (head, "P-HAICHAU")):
        page = f"{NEEDS}/{unit}"
        assert press(client, f"{page}/submit", page).status_code == 302
    return hr, head


def test_needs_from_two_units_consolidate_into_a_plan_whose_counts_add_up(scene, login_as):
    hr, head = enter_needs(login_as)
    overview = text_of(hr.get(NEEDS))
    assert "2 đơn vị đã gửi nhu cầu; 1 đơn vị đang soạn" in overview
    # The ward's head is told about the units listed for them, not the city's.
    ward = text_of(head.get(NEEDS))
    assert "1 đơn vị đã gửi nhu cầu; 0 đơn vị đang soạn" in ward and "SNV" not in ward
    # A need's positions read by their names, not their codes ("CM-CCVC").
    snv = text_of(hr.get(f"{NEEDS}/SNV"))
    assert re.search(r"BB01 — .*? 10 Quý 1 (?!CM-CCVC)\S", snv), snv
    assert press(hr, f"{PLAN}/consolidate", PLAN).status_code == 302
    page = text_of(hr.get(PLAN))
    assert re.search(r"BB01 — .*? Quý 1 14 2 ", page)
    assert re.search(r"KN01 — .*? Quý 2 5 1 ", page)
    assert "chưa nêu khóa học" in page and "QP01" not in page  # the draft stays out
    plan = db.session.scalar(select(TrainingPlan))
    assert sum(line.count for line in plan.lines) == 22
    assert sum(line.count for line in db.session.scalars(select(NeedLine))) == 72  # 22 + draft 50
    bb01 = scene["BB01"]
    classes = db.session.scalar(select(PlanClasses).where(PlanClasses.course_id == bb01.id))
    assert classes.classes == 1  # 14 officials, 40 a class

    data = {"course_id": bb01.id, "quarter": 1, "classes": 2}
    assert press(hr, f"{PLAN}/classes", PLAN, **data).status_code == 302
    press(hr, f"{PLAN}/consolidate", PLAN)  # again: the Department's 2 classes are kept
    assert (
        db.session.scalar(select(PlanClasses.classes).where(PlanClasses.course_id == bb01.id)) == 2
    )
    assert db.session.scalar(select(func.count()).select_from(PlanLine)) == 4

    assert press(hr, f"{PLAN}/approve", PLAN, decision_no="125/QĐ-SNV").status_code == 302
    approved = text_of(hr.get(PLAN))
    assert "Đã phê duyệt" in approved and "125/QĐ-SNV" in approved and "Mở lớp" in approved
    # approved: the plan and the needs are locked
    press(hr, f"{PLAN}/consolidate", PLAN)
    assert "đã được phê duyệt" in text_of(hr.get(PLAN)).lower()
    answer = press(hr, f"{NEEDS}/SNV/return", f"{NEEDS}/SNV", reason="Sửa số lượng")
    assert "đã được phê duyệt" in text_of(hr.get(answer.headers["Location"])).lower()
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"needs.changed", "needs.submitted", "plan.consolidated", "plan.classes_set"} <= actions
    assert "plan.approved" in actions
    # the head nominates from the approved plan, the course chosen for them
    unit_page = head.get(f"{NEEDS}/P-HAICHAU").get_data(as_text=True)
    assert "/team/nominate?course=BB01" in unit_page
    nominate = head.get("/team/nominate?course=BB01").get_data(as_text=True)
    assert re.search(r'<option[^>]*selected[^>]*value="BB01"|value="BB01"[^>]*selected', nominate)


def test_plan_vs_actual_counts_the_completions_of_the_year(scene, login_as, freeze):
    hr, _head = enter_needs(login_as)
    press(hr, f"{PLAN}/consolidate", PLAN)
    press(hr, f"{PLAN}/approve", PLAN, decision_no="")
    freeze(date(2027, 9, 1))
    man = make_official("T-A", "Trần Văn An", "SNV-CCVC", gender="male")  # under SNV
    hoa = make_official("T-B", "Lê Thị Hoa", "SNV-CCVC")
    learner = official("T-LEARN")  # P-HAICHAU
    make_completion(man, scene["BB01"], date(2027, 2, 10))
    make_completion(hoa, scene["KN01"], date(2027, 4, 5))
    make_completion(learner, scene["BB01"], date(2027, 3, 31))
    make_completion(learner, scene["VT05"], date(2027, 8, 1))  # ND4: the ward's area line
    make_completion(hoa, scene["QP01"], date(2027, 5, 5))  # not in the plan
    wrong = make_completion(man, scene["KN01"], date(2027, 6, 1))
    make_completion(hoa, scene["BB01"], date(2026, 12, 30))  # last year: not counted
    revoke_completion(wrong, "Ghi nhầm", None)
    db.session.commit()

    by_unit = text_of(hr.get(ACTUAL + "?by=unit"))
    assert "SNV — Sở Nội vụ thành phố Đà Nẵng 15 2 13" in by_unit
    assert "P-HAICHAU — Ủy ban nhân dân phường Hải Châu 7 2 29" in by_unit
    assert "Tổng cộng 22 4 18" in by_unit and "Bồi dưỡng ngoài kế hoạch 1" in by_unit
    by_course = text_of(hr.get(ACTUAL + "?by=course"))
    assert "BB01 — Khóa học BB01 14 2 14" in by_course
    assert "KN01 — Khóa học KN01 5 1 20" in by_course
    assert re.search(r"ND4 · [^0-9]*\(chưa nêu khóa học\) 3 1 33", by_course)
    by_quarter = text_of(hr.get(ACTUAL + "?by=quarter"))
    assert "Quý 1 14 2 14" in by_quarter and "Quý 2 5 1 20" in by_quarter
    assert "Quý 3 3 1 33" in by_quarter
    by_gender = text_of(hr.get(ACTUAL + "?by=gender"))
    assert "Nam — 1 —" in by_gender and "Nữ — 3 —" in by_gender

    answer = hr.get("/planning/2027/actual.xlsx?by=course")
    assert answer.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(answer.data)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    total = next(row for row in values if row and row[0] == "Tổng cộng")
    assert total[1:3] == [22, 4]

    # the head reads their ward only
    head_view = text_of(login_as("head").get(ACTUAL + "?by=unit"))
    assert "P-HAICHAU" in head_view and "SNV —" not in head_view
    assert "Tổng cộng 7 2 29" in head_view


def test_bad_needs_are_refused_with_their_reason_and_nothing_is_written(scene, login_as):
    hr = login_as("hr")
    cases = [
        ({"course": "ZZ99", "count": 3, "quarter": 1}, "ZZ99"),
        ({"count": 3, "quarter": 1}, "Chọn khóa học"),
        ({"course": "BB01", "count": 0, "quarter": 1}, ""),
        ({"course": "BB01", "count": "nhiều", "quarter": 1}, ""),
        ({"course": "BB01", "count": 2, "quarter": 5}, ""),
        ({"course": "BB01", "count": 2, "quarter": 1, "positions": "XX-99"}, "XX-99"),
    ]
    for values, words in cases:
        answer = add(hr, "SNV", **values)
        assert answer.status_code == 200, values
        assert words in text_of(answer)
    assert db.session.scalar(select(func.count()).select_from(NeedLine)) == 0
    page = f"{NEEDS}/SNV"
    press(hr, f"{page}/submit", page)  # nothing to submit
    assert "Hãy thêm ít nhất một nhu cầu" in text_of(hr.get(page))


def test_submitted_needs_are_locked_until_the_department_returns_them(scene, login_as):
    hr, head = enter_needs(login_as)
    assert add(head, "P-HAICHAU", course="KN01", count=1, quarter=2).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(NeedLine)) == 5
    page = f"{NEEDS}/P-HAICHAU"
    press(head, f"{page}/return", page, reason="x")  # a head is not the Department
    press(hr, f"{page}/return", page, reason="Bổ sung số lượng quý 2")
    assert add(head, "P-HAICHAU", course="KN01", count=1, quarter=2).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(NeedLine)) == 6


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        ("head", "/planning/2027/needs/SNV", 404),  # not their unit
        ("head", PLAN, 403),
        ("learner", NEEDS, 403),
        ("reviewer", ACTUAL, 403),
        ("hr", "/planning/2027/needs/NOPE", 404),
        ("hr", "/planning/1999/needs", 404),
    ],
)
def test_who_may_open_what(scene, login_as, role, url, status):
    assert login_as(role).get(url).status_code == status
