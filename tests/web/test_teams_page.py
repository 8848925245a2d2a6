"""The head's team page (/team/): their officials sorted by given name with target, earned,
mandatory courses owed and due dates, status; filters (status, position, a name typed without
diacritics); the export; one official's page; the same number of queries for 2 or 12
officials; readable on a 360 px phone (stacked table)."""

from datetime import date

import pytest

from lms.extensions import db
from tests.conftest import count_queries, csrf_token
from tests.factories import (
    make_completion,
    make_cycle,
    make_mandatory_course,
    make_obligation,
    make_official,
)


@pytest.fixture
def team(world, freeze):
    freeze(date(2026, 9, 1))
    make_cycle(2026)
    course = make_mandatory_course("BB01")
    people = {
        "vu": make_official("W-VU", "Trần Văn Vũ", "P-HAICHAU", position="XA-MC"),
        "anh": make_official("W-ANH", "Lê Thị Ánh", "P-HAICHAU", position="XA-MC"),
        "binh": make_official("W-BINH", "Đỗ Văn Bình", "P-HAICHAU", position="CM-CCVC"),
    }
    make_obligation(people["vu"].id, course, date(2026, 6, 30))  # overdue on 1 September
    make_obligation(people["anh"].id, course, date(2026, 12, 1))
    make_completion(people["binh"], course, date(2026, 3, 1))
    db.session.commit()
    return people


def _names(html: str, codes=("W-ANH", "W-BINH", "W-VU", "T-LEARN", "T-MAN")) -> list[str]:
    found = [(html.find(f"/team/{code}?"), code) for code in codes]
    return [code for at, code in sorted(found) if at >= 0]


def test_the_head_sees_their_officials_sorted_by_given_name(team, login_as):
    client = login_as("head")
    html = client.get("/team/").get_data(as_text=True)
    # Ánh, Bình, Learner (Người Dùng Learner), Vũ — by given name; nobody from SNV.
    assert _names(html) == ["W-ANH", "W-BINH", "T-LEARN", "W-VU"]
    assert "BB01" in html and "30/06/2026" in html and "01/12/2026" in html
    assert "Quá hạn" in html or "overdue" in html.lower()
    assert "Người Dùng Head" not in html.split("<main", 1)[-1].split("</h1>", 1)[-1]
    assert 'class="stacked"' in html and 'data-label="' in html  # cards on a phone
    assert "/team/" in login_as("head").get("/").get_data(as_text=True)  # in the menu


def test_filters_by_status_position_and_a_name_without_diacritics(team, login_as):
    client = login_as("head")
    assert _names(client.get("/team/?status=overdue").get_data(as_text=True)) == ["W-VU"]
    html = client.get("/team/?position=XA-MC").get_data(as_text=True)
    assert _names(html) == ["W-ANH", "W-VU"]
    assert _names(client.get("/team/?q=tran van vu").get_data(as_text=True)) == ["W-VU"]
    assert _names(client.get("/team/?q=w-anh").get_data(as_text=True)) == ["W-ANH"]


def test_one_official_of_the_team_and_nobody_else(team, login_as):
    client = login_as("head")
    html = client.get("/team/W-VU").get_data(as_text=True)
    assert "Trần Văn Vũ" in html and "BB01" in html and "30/06/2026" in html
    assert client.get("/team/T-MAN").status_code == 404  # another unit's official
    assert client.get("/team/T-HEAD").status_code == 404  # not in their own team
    assert client.get("/team/NOBODY").status_code == 404


def test_the_export_is_logged_and_holds_the_team(team, login_as):
    from sqlalchemy import select

    from lms.audit.models import AuditEntry

    client = login_as("head")
    token = csrf_token(client, "/team/export?cycle=2026")
    response = client.post(
        "/team/export?cycle=2026",
        data={"csrf_token": token, "reason": "Họp giao ban", "fmt": "csv"},
    )
    assert response.status_code == 200
    body = response.get_data().decode("utf-8-sig")
    assert "W-VU" in body and "W-ANH" in body and "T-MAN" not in body
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "compliance.exported"))
    assert entry.after["via"] == "team" and entry.after["count"] == 4


def test_the_query_count_does_not_grow_with_the_team(team, login_as):
    client = login_as("head")
    client.get("/team/")
    with count_queries() as small:
        assert client.get("/team/").status_code == 200
    for number in range(10):
        make_official(f"W-X{number:02}", f"Phan Thị Số {number}", "P-HAICHAU", position="XA-MC")
    db.session.commit()
    with count_queries() as large:
        html = client.get("/team/").get_data(as_text=True)
    assert "W-X09" in html
    assert large[0] == small[0]


def test_others_are_refused(team, login_as):
    for role in ("learner", "hr", "reviewer", "admin"):
        assert login_as(role).get("/team/").status_code == 403


def _require_programme(position: str, arose_on: date):
    from lms.programmes.models import Programme, ProgrammeRequirement

    programme = Programme(code="KNS", title="Chương trình kỹ năng số", content_area="ND5")
    db.session.add(programme)
    db.session.flush()
    db.session.add(
        ProgrammeRequirement(
            programme_id=programme.id, kind="position", code=position, arose_on=arose_on
        )
    )
    db.session.commit()


def test_the_team_page_lists_the_programmes_owed_beside_the_courses(team, login_as):
    """A programme required of XA-MC since 01/01/2026 (due within the cycle's due days, at most
    31/12) shows under both XA-MC officials, with its due date, and not under the chuyên viên;
    the page's query count stays the same for 2 officials owing it and 12."""
    _require_programme("XA-MC", date(2026, 1, 1))
    client = login_as("head")
    client.get("/locale/vi")
    with count_queries() as small:
        html = client.get("/team/").get_data(as_text=True)
    codes = [person.employee_code for person in team.values()]
    rows = {code: html[html.index(f"/team/{code}?") :].split("</tr>", 1)[0] for code in codes}
    for code in ("W-VU", "W-ANH"):
        assert 'data-owed-programme="KNS"' in rows[code], code
        assert "Chương trình KNS Chương trình kỹ năng số" in rows[code]
    assert "BB01" in rows["W-VU"]  # the course is still listed before it
    assert "data-owed-programme" not in rows["W-BINH"]
    for number in range(10):
        make_official(f"W-X{number:02}", f"Phan Thị Số {number}", "P-HAICHAU", position="XA-MC")
    db.session.commit()
    with count_queries() as large:
        html = client.get("/team/").get_data(as_text=True)
    assert html.count('data-owed-programme="KNS"') == 12
    assert large[0] == small[0]
