"""The HR officials registry: accent-blind search, Vietnamese order, scope, filters, forms."""

import re
import unicodedata
from datetime import date

import pytest
from sqlalchemy import func, select

from lms.organisation.models import Official, PositionAssignment
from tests.conftest import count_queries, csrf_token
from tests.factories import make_official

PEOPLE = [
    ("A01", "Trần Văn Bình", "SNV-CCVC", "male"),
    ("A02", "Nguyễn Thị Ánh", "SNV-CCVC", "female"),
    ("A03", "Lê Văn An", "P-HAICHAU", "male"),
    ("A04", "Nguyễn Văn Đạt", "P-HAICHAU", "male"),
    ("A05", "Phạm Đức Anh", "SNV-CCVC", "male"),
    ("A06", "Đỗ Thị Dung", "P-HAICHAU", "female"),
]


@pytest.fixture
def people(world, db):
    for code, name, unit, gender in PEOPLE:
        make_official(code, name, unit, gender=gender)
    db.session.commit()


def _names(response) -> list[str]:
    html = response.get_data(as_text=True)
    return re.findall(r'<td><a href="/officials/[^"]+">([^<]+)</a></td>', html)


@pytest.mark.parametrize(
    "query",
    [
        "Nguyễn Văn Đạt",
        unicodedata.normalize("NFD", "Nguyễn Văn Đạt"),
        "nguyen van dat",
        "NGUYEN VAN DAT",
        "\u00d0ạt",
        "dat",
        "A04",
        "a04",
    ],
    ids=["nfc", "nfd", "no-diacritics", "upper", "look-alike-D", "given-only", "code", "code-lc"],
)
def test_search_finds_the_official_however_the_name_is_typed(login_as, people, query):
    response = login_as("hr").get("/officials/", query_string={"q": query})
    assert _names(response) == ["Nguyễn Văn Đạt"]


def test_the_list_is_ordered_by_given_name_the_vietnamese_way(login_as, people):
    names = _names(login_as("hr").get("/officials/"))
    assert names[:6] == [
        "Lê Văn An",
        "Phạm Đức Anh",
        "Nguyễn Thị Ánh",
        "Trần Văn Bình",
        "Đỗ Thị Dung",
        "Nguyễn Văn Đạt",
    ]


def test_a_reviewer_sees_only_the_units_in_scope(login_as, people):
    client = login_as("reviewer")  # scope: SNV subtree
    names = _names(client.get("/officials/"))
    assert "Trần Văn Bình" in names and "Lê Văn An" not in names
    assert client.get("/officials/A03").status_code == 404  # outside scope: not even its existence
    assert client.get("/officials/A01").status_code == 200


def test_filters_by_unit_subtree_gender_and_position(login_as, people):
    client = login_as("hr")
    in_ward = _names(client.get("/officials/", query_string={"unit_code": "P-HAICHAU"}))
    assert set(in_ward) >= {"Lê Văn An", "Nguyễn Văn Đạt", "Đỗ Thị Dung"}
    assert "Trần Văn Bình" not in in_ward
    in_department = _names(client.get("/officials/", query_string={"unit_code": "SNV"}))
    assert "Trần Văn Bình" in in_department  # SNV-CCVC lies under SNV
    women = _names(
        client.get("/officials/", query_string={"gender": "female", "unit_code": "P-HAICHAU"})
    )
    assert "Đỗ Thị Dung" in women and not {"Lê Văn An", "Nguyễn Văn Đạt"} & set(women)


def test_pagination_keeps_the_filters(login_as, world, db):
    for number in range(60):
        make_official(f"P{number:03d}", f"Nguyễn Văn Số{number:02d}")
    db.session.commit()
    client = login_as("hr")
    first = client.get("/officials/", query_string={"q": "nguyen van so"})
    html = first.get_data(as_text=True)
    assert len(_names(first)) == 50 and "q=nguyen+van+so" in html and "page=2" in html
    second = client.get("/officials/", query_string={"q": "nguyen van so", "page": 2})
    assert len(_names(second)) == 10


def test_the_registry_query_count_does_not_grow_with_the_data(login_as, world, db):
    client = login_as("hr")
    for number in range(5):
        make_official(f"Q{number:03d}", f"Trần Thị Hoa{number}")
    db.session.commit()
    with count_queries() as few:
        client.get("/officials/")
    for number in range(5, 45):
        make_official(f"Q{number:03d}", f"Trần Thị Hoa{number}")
    db.session.commit()
    with count_queries() as many:
        response = client.get("/officials/")
    assert len(_names(response)) == 45 + 4  # plus the four world users linked to officials
    assert many[0] == few[0]


def test_profile_shows_the_assignment_history(login_as, people, db):
    client = login_as("hr")
    token = csrf_token(client, "/auth/password")
    response = client.post(
        "/officials/A01/position",
        data={
            "csrf_token": token,
            "unit": "P-HAICHAU",
            "position": "XA-MC",
            "rank": "01.003",
            "started_on": "2025-07-01",
            "decision_no": "45/QĐ-UBND",
        },
    )
    assert response.status_code == 302
    page = client.get("/officials/A01").get_data(as_text=True)
    assert "01/07/2025" in page and "30/06/2025" in page and "45/QĐ-UBND" in page


def test_position_change_before_the_current_start_shows_a_vietnamese_error(login_as, people, db):
    client = login_as("hr")
    token = csrf_token(client, "/auth/password")
    response = client.post(
        "/officials/A01/position",
        data={
            "csrf_token": token,
            "unit": "P-HAICHAU",
            "position": "XA-MC",
            "started_on": "01/01/2019",
        },
    )
    assert response.status_code == 200
    assert "phải bắt đầu sau" in response.get_data(as_text=True)
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(PositionAssignment)
            .where(
                PositionAssignment.official_id
                == select(Official.id).where(Official.employee_code == "A01").scalar_subquery()
            )
        )
        == 1
    )


@pytest.mark.parametrize(
    "overrides, field_error",
    [
        ({"employee_code": ""}, "Thông tin này là bắt buộc"),
        ({"employee_code": "A01"}, "Mã cán bộ này đã được cấp cho người khác"),
        ({"unit": "NO-SUCH"}, "Đơn vị không tồn tại hoặc nằm ngoài phạm vi"),
        ({"started_on": "31/02/2024"}, "dd/mm/yyyy"),
    ],
    ids=["empty-code", "duplicate-code", "unknown-unit", "bad-date"],
)
def test_adding_an_official_with_bad_input_saves_nothing(
    login_as, people, db, overrides, field_error
):
    client = login_as("hr")
    data = {
        "csrf_token": csrf_token(client, "/auth/password"),
        "employee_code": "NEW1",
        "full_name": "Hoàng Văn Long",
        "gender": "male",
        "category": "cong_chuc",
        "status": "active",
        "unit": "SNV-CCVC",
        "position": "CM-CCVC",
        "started_on": "2024-02-01",
        **overrides,
    }
    before = db.session.scalar(select(func.count()).select_from(Official))
    response = client.post("/officials/new", data=data)
    assert response.status_code == 200
    assert field_error.lower() in response.get_data(as_text=True).lower()
    assert db.session.scalar(select(func.count()).select_from(Official)) == before


def test_adding_an_official_with_good_input_creates_the_first_post(login_as, people, db):
    client = login_as("hr")
    response = client.post(
        "/officials/new",
        data={
            "csrf_token": csrf_token(client, "/auth/password"),
            "employee_code": "new2",
            "full_name": "  hoàng   Văn Long ",
            "gender": "male",
            "category": "cong_chuc",
            "status": "active",
            "unit": "SNV-CCVC",
            "position": "CM-CCVC",
            "started_on": "2024-02-01",
        },
    )
    assert response.location == "/officials/NEW2"
    official = db.session.scalar(select(Official).where(Official.employee_code == "NEW2"))
    assert official.full_name == "hoàng Văn Long"
    assert official.assignments[0].started_on == date(2024, 2, 1)


def test_a_concurrent_post_is_added_and_ended_from_the_profile(login_as, people, db):
    client = login_as("hr")
    token = csrf_token(client, "/auth/password")
    response = client.post(
        "/officials/A01/concurrent",
        data={
            "csrf_token": token,
            "unit": "P-HAICHAU",
            "position": "LD-TP",
            "started_on": "2025-01-01",
        },
    )
    assert response.status_code == 302
    post = db.session.scalar(
        select(PositionAssignment).where(PositionAssignment.is_primary.is_(False))
    )
    page = client.get("/officials/A01").get_data(as_text=True)
    assert "Kiêm nhiệm" in page and "Trưởng phòng" in page
    too_early = client.post(
        f"/officials/A01/assignments/{post.id}/end",
        data={"csrf_token": token, "ended_on": "2024-12-31"},
        follow_redirects=True,
    )
    assert "trước ngày bắt đầu" in too_early.get_data(as_text=True)
    client.post(
        f"/officials/A01/assignments/{post.id}/end",
        data={"csrf_token": token, "ended_on": "2025-06-30"},
    )
    db.session.expire_all()
    assert db.session.get(PositionAssignment, post.id).ended_on == date(2025, 6, 30)


def test_filters_by_position_rank_and_category(login_as, world, db):
    make_official("F1", "Vũ Thị Yến", "P-HAICHAU", position="XA-MC", category="vien_chuc")
    make_official("F2", "Ngô Văn Sơn", "P-HAICHAU", position="LD-TP")
    db.session.commit()
    client = login_as("hr")
    assert _names(client.get("/officials/", query_string={"position_code": "LD-TP"})) == [
        "Ngô Văn Sơn"
    ]
    assert _names(client.get("/officials/", query_string={"category": "vien_chuc"})) == [
        "Vũ Thị Yến"
    ]
    assert _names(client.get("/officials/", query_string={"rank_code": "01.002"})) == []
    assert len(_names(client.get("/officials/", query_string={"rank_code": "01.003"}))) == 6


def test_editing_with_a_taken_code_shows_an_error_and_changes_nothing(login_as, people, db):
    client = login_as("hr")
    response = client.post(
        "/officials/A01/edit",
        data={
            "csrf_token": csrf_token(client, "/auth/password"),
            "employee_code": "A02",
            "full_name": "Trần Văn Bình Mới",
            "gender": "male",
            "category": "cong_chuc",
            "status": "active",
        },
    )
    assert response.status_code == 200
    assert "Mã cán bộ này đã được cấp cho người khác" in response.get_data(as_text=True)
    db.session.expire_all()
    official = db.session.scalar(select(Official).where(Official.employee_code == "A01"))
    assert official.full_name == "Trần Văn Bình"
