"""The rating comes back (issue 21): HR records T-LEARN's 2026 rating ("không hoàn thành nhiệm
vụ", ND5 weak), previews the courses it assigns for 2027 (the post's BB01 again, BB03 for ND5),
applies them (twice adds nothing, audited), and in 2027 T-LEARN reads on /me why they were
assigned. A rating of an official outside the HR officer's units is 404; the apply is refused
while the 2027 cycle is not defined."""

import html as html_lib
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.compliance import ratings
from lms.compliance.models import AnnualRating
from lms.curricula.obligations.models import RATING, Obligation
from lms.errors import PermissionDenied, RuleViolation
from lms.extensions import db
from lms.organisation.models import Official
from tests.conftest import csrf_token
from tests.factories import make_course, make_curriculum, make_cycle

LIST = "/compliance/ratings/2026"
PREVIEW = "/compliance/ratings/2026/preview"


@pytest.fixture
def scene(world, freeze):
    """Cycles 2026 (and 2027 unless a test removes it); BB01 mandatory for CM-CCVC (T-LEARN's
    post); BB03 (ND5). Today is 15/12/2026."""
    freeze(date(2026, 12, 15))
    bb01 = make_course("BB01")
    make_course("BB03", content_area="ND5")
    make_curriculum("CM-CCVC", "3", [bb01])
    cycle = make_cycle(2026)
    make_cycle(2027)
    db.session.commit()
    return cycle


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", page)))


def official(code: str) -> Official:
    return db.session.scalar(select(Official).where(Official.employee_code == code))


def rate(client, code: str, level: str, areas=()):
    token = csrf_token(client, LIST)
    data = {"csrf_token": token, "official": code, "level": level, "weak_areas": list(areas)}
    return client.post(LIST, data=data)


def rating_obligations() -> list[tuple[str, int, str]]:
    rows = db.session.scalars(select(Obligation).where(Obligation.kind == RATING))
    return sorted((o.course.code, o.cycle_id, o.status) for o in rows)


def test_rating_preview_apply_and_the_reason_on_me(scene, login_as, freeze):
    hr = login_as("hr")
    page = text_of(hr.get(LIST).get_data(as_text=True))
    assert "Đánh giá, xếp loại hằng năm" in page and "Người Dùng Learner" in page
    assert rate(hr, "T-LEARN", "not_done", ["ND5"]).status_code == 302
    rating = db.session.scalar(select(AnnualRating))
    assert (rating.level, rating.areas) == ("not_done", ["ND5"])

    preview = text_of(hr.get(PREVIEW).get_data(as_text=True))
    assert "BB01" in preview and "BB03" in preview
    assert "Không hoàn thành nhiệm vụ" in preview
    assert "nội dung ND5 còn yếu" in preview
    assert rating_obligations() == []  # the preview writes nothing

    token = csrf_token(hr, PREVIEW)
    assert hr.post(PREVIEW, data={"csrf_token": token}).status_code == 302
    next_id = ratings.next_cycle(scene).id
    assert rating_obligations() == [("BB01", next_id, "open"), ("BB03", next_id, "open")]
    hr.post(PREVIEW, data={"csrf_token": csrf_token(hr, PREVIEW)})  # again: nothing more
    assert len(rating_obligations()) == 2
    audits = db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "rating.applied")
    )
    assert audits == 1
    assert "đã giao" in text_of(hr.get(PREVIEW).get_data(as_text=True))

    freeze(date(2027, 2, 1))
    me = text_of(login_as("learner").get("/me").get_data(as_text=True))
    assert "Được giao do kết quả đánh giá, xếp loại năm 2026: Không hoàn thành nhiệm vụ" in me
    assert "BB03" in me and "ND5" in me


def test_the_same_rating_twice_changes_nothing_and_a_change_is_audited(scene):
    learner = official("T-LEARN")
    ratings.record_rating(learner, scene, "good", ["nd3"], None)
    ratings.record_rating(learner, scene, "good", ["ND3"], None)
    ratings.record_rating(learner, scene, "excellent", [], None)
    db.session.commit()
    assert db.session.scalar(select(AnnualRating)).level == "excellent"
    recorded = db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "rating.recorded")
    )
    assert recorded == 2


def test_an_officer_does_not_rate_themselves(scene, login_as, world):
    hr = login_as("hr")
    answer = rate(hr, "T-HR", "excellent")
    assert answer.status_code == 302
    page = text_of(hr.get(LIST).get_data(as_text=True))
    assert "Đây là hồ sơ của chính anh/chị" in page
    with pytest.raises(PermissionDenied):
        ratings.record_rating(official("T-HR"), scene, "excellent", [], world["hr"])
    assert db.session.scalar(select(func.count()).select_from(AnnualRating)) == 0


def test_an_unknown_level_or_area_is_refused(scene, login_as):
    hr = login_as("hr")
    page = text_of(rate(hr, "T-LEARN", "great").get_data(as_text=True))
    assert rate(hr, "T-LEARN", "good", ["ND9"]).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(AnnualRating)) == 0
    assert "Đánh giá, xếp loại hằng năm" in page


def test_an_official_outside_the_units_is_404_and_out_of_the_preview(scene, login_as):
    from lms.organisation.queries import unit_path_by_code

    snv = [unit_path_by_code("SNV")]  # the reviewer's units: T-LEARN (P-HAICHAU) is not there
    ratings.record_rating(official("T-LEARN"), scene, "not_done", [], None)
    db.session.commit()
    assert ratings.preview(scene, snv) == []
    assert [p.official.employee_code for p in ratings.preview(scene, None)] == ["T-LEARN"]
    hr = login_as("hr")
    from lms.organisation import services as org
    from tests.factories import make_official

    org.upsert_unit("XX", "Ủy ban nhân dân tỉnh Xa Xôi", "UBND", "tinh", None)
    db.session.flush()
    make_official("T-OUT", "Lê Ngoài Phạm Vi", unit="XX")
    db.session.commit()
    assert rate(hr, "T-OUT", "good").status_code == 404
    assert "Lê Ngoài Phạm Vi" not in hr.get(LIST).get_data(as_text=True)


def test_apply_is_refused_while_the_next_cycle_is_not_defined(scene, login_as):
    db.session.delete(ratings.next_cycle(scene))
    ratings.record_rating(official("T-LEARN"), scene, "not_done", [], None)
    db.session.commit()
    hr = login_as("hr")
    page = text_of(hr.get(PREVIEW).get_data(as_text=True))
    assert "Chu kỳ 2027 chưa được khai báo" in page
    with pytest.raises(RuleViolation):
        ratings.apply(scene, None, None)
    assert rating_obligations() == []
