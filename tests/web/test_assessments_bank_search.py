"""The bank page searches with or without diacritics and filters by type and category; chosen
questions move to another category or leave the bank together (audited per question)."""

import pytest
from sqlalchemy import select

from lms.assessments.models import BankQuestion
from lms.audit.models import AuditEntry
from lms.extensions import db
from tests.conftest import csrf_token
from tests.factories import make_test_course
from tests.services.test_assessments_attempts import START
from tests.web.test_common_no_english import visible_text

URL = "/courses/manage/TX01/questions"


@pytest.fixture
def course(world, freeze, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_COURSE_ASSETS_DIR", str(tmp_path / "assets"))
    freeze(START)
    return make_test_course()  # L1, L2 in TX01/Luật; N1, S1 in TX01/Tính toán


def _names(client, query: str) -> set[str]:
    html = client.get(URL + query).get_data(as_text=True)
    return {name for name in ("L1", "L2", "N1", "S1") if f">{name}</a>" in html}


def test_search_without_diacritics_and_filters(course, login_as):
    client = login_as("manager")
    assert _names(client, "?q=thu do viet nam") == {"S1"}
    assert _names(client, "?q=Thủ đô") == {"S1"}
    assert _names(client, "?q=CONG CHUC") == {"L1", "L2"}
    assert _names(client, "?kind=true_false") == {"L2"}
    assert _names(client, "?category=TX01/Tính toán") == {"N1", "S1"}
    assert _names(client, "") == {"L1", "L2", "N1", "S1"}
    assert "Không có câu hỏi nào phù hợp" in visible_text(
        client.get(URL + "?q=khong-co-dau").get_data(as_text=True)
    )


def test_bulk_move_and_retire(course, login_as):
    client = login_as("manager")
    ids = {row.key: str(row.id) for row in db.session.scalars(select(BankQuestion))}
    token = csrf_token(client, URL)
    moved = client.post(
        URL + "/bulk",
        data={
            "csrf_token": token,
            "ids": [ids["L1"], ids["N1"]],
            "action": "move",
            "target": "TX01/Ôn tập",
        },
    )
    assert moved.status_code == 302
    assert _names(client, "?category=TX01/Ôn tập") == {"L1", "N1"}
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "question.move"))
    client.post(URL + "/bulk", data={"csrf_token": token, "ids": [ids["S1"]], "action": "retire"})
    assert _names(client, "") == {"L1", "L2", "N1"}
