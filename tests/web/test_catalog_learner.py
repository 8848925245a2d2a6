"""The learner's side over HTTP: accent-blind catalog search and filters, the course page that
resumes where the learner left off, the lesson player, self-enrolment, and course files."""

import re
import unicodedata

import pytest
from sqlalchemy import select

from lms.catalog import enrolments, services
from lms.catalog.models import Course, Enrolment
from tests.conftest import count_queries, csrf_token, login
from tests.factories import PNG, course_tree, import_tree

TITLE = "Văn hóa công vụ và đạo đức công vụ"
# the learner of the `world` fixture holds CM-CCVC in P-HAICHAU
COURSES = (
    ("BB01", TITLE, "by_position", ("CM-CCVC",), "2", "ND3"),
    ("BB02", "Tổ chức chính quyền địa phương hai cấp", "mandatory_common", ("XA-MC",), "1", "ND3"),
    ("TC01", "An toàn thông tin và bảo vệ dữ liệu", "elective", (), "0.5", "ND5"),
    ("VT07", "Nghiệp vụ văn thư, lưu trữ", "by_position", ("HT-VT",), "2", "ND4"),
)


@pytest.fixture
def catalog(world, db, assets_dir):
    files = {}
    for code, title, kind, positions, credits, area in COURSES:
        files |= course_tree(
            code,
            lessons=4,
            title=title,
            kind=kind,
            positions=positions,
            credits=credits,
            content_area=area,
            assets=code == "BB01",
        )
    import_tree(files)
    import_tree(course_tree("DR01", title="Văn hóa công vụ (bản nháp)"), status="draft")
    return world


def _titles(response) -> list[str]:
    html = response.get_data(as_text=True)
    return re.findall(r'<h2><a href="/courses/[^"]+">([^<]+)</a></h2>', html)


@pytest.mark.parametrize(
    "query",
    [
        "van hoa cong vu",
        "VAN HOA CONG VU",
        TITLE,
        unicodedata.normalize("NFD", TITLE),
        "đạo đức",
        "bb01",
        "cong vu dao duc",
    ],
)
def test_the_catalog_finds_a_course_however_its_title_is_typed(login_as, catalog, query):
    response = login_as("learner").get("/courses/", query_string={"q": query})
    assert _titles(response) == [TITLE]


def test_the_catalog_lists_published_courses_in_vietnamese_order(login_as, catalog):
    titles = _titles(login_as("learner").get("/courses/"))
    assert titles == [
        "An toàn thông tin và bảo vệ dữ liệu",
        "Nghiệp vụ văn thư, lưu trữ",
        "Tổ chức chính quyền địa phương hai cấp",
        TITLE,
    ]  # the draft is not listed


@pytest.mark.parametrize(
    "args, expected",
    [
        ({"content_area": "ND5"}, ["TC01"]),
        ({"credits": "0,5"}, ["TC01"]),
        ({"credits": "2"}, ["BB01", "VT07"]),
        ({"kind": "elective"}, ["TC01"]),
        ({"mine": "1"}, ["BB01"]),
        ({"mine": "1", "q": "van thu"}, []),
        ({"content_area": "ND9", "credits": "x"}, ["BB01", "BB02", "TC01", "VT07"]),
    ],
)
def test_catalog_filters(login_as, catalog, db, args, expected):
    titles = _titles(login_as("learner").get("/courses/", query_string=args))
    codes = dict(db.session.execute(select(Course.title, Course.code)).all())
    assert sorted(codes[title] for title in titles) == expected


def test_the_catalog_marks_courses_mandatory_for_the_learners_position(login_as, catalog):
    html = login_as("learner").get("/courses/").get_data(as_text=True)
    cards = re.findall(r'<li class="card course-card">(.*?)</li>', html, re.S)
    marked = [card for card in cards if 'class="badge"' in card]
    assert len(marked) == 1 and TITLE in marked[0]


def test_a_draft_is_hidden_from_learners_but_shown_to_its_authors(login_as, catalog):
    assert login_as("learner").get("/courses/DR01").status_code == 404
    assert login_as("hr").get("/courses/DR01").status_code == 404
    assert login_as("manager").get("/courses/DR01").status_code == 200


def _lesson_links(html: str) -> list[str]:
    return re.findall(r'href="/courses/BB01/lessons/([a-z-]+)"', html)


def _resume(client) -> str:
    html = client.get("/courses/BB01").get_data(as_text=True)
    return re.search(r'id="resume" href="/courses/BB01/lessons/([a-z-]+)"', html).group(1)


def _mark_done(client, slug: str):
    token = csrf_token(client, f"/courses/BB01/lessons/{slug}")
    return client.post(f"/courses/BB01/lessons/{slug}/done", data={"csrf_token": token})


def test_marking_lessons_done_moves_on_and_progress_survives_logging_out(app, login_as, catalog):
    client = login_as("learner")
    assert _resume(client) == "khai-niem"
    response = _mark_done(client, "khai-niem")
    assert response.location.endswith("/courses/BB01/lessons/chuan-muc")  # the next lesson
    _mark_done(client, "chuan-muc")
    assert _resume(client) == "quy-tac-ung-xu"

    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/courses/")})
    again = app.test_client()
    assert login(again, "learner").status_code == 302
    html = again.get("/courses/BB01").get_data(as_text=True)
    assert _resume(again) == "quy-tac-ung-xu"
    assert 'value="50"' in html  # 2 of 4 lessons


def test_the_last_lesson_leads_back_to_the_course_with_every_lesson_done(login_as, catalog):
    client = login_as("learner")
    for slug in ("khai-niem", "chuan-muc", "quy-tac-ung-xu"):
        _mark_done(client, slug)
    response = _mark_done(client, "liem-chinh")
    assert response.location.endswith("/courses/BB01")
    html = client.get("/courses/BB01").get_data(as_text=True)
    assert 'value="100"' in html
    assert re.search(r'id="resume" href="/courses/BB01/lessons/khai-niem"', html)  # read again


def test_marking_done_needs_the_csrf_token(login_as, catalog, db):
    client = login_as("learner")
    assert client.post("/courses/BB01/lessons/khai-niem/done").status_code == 400
    assert db.session.scalar(select(Enrolment)) is None


def test_an_elective_is_studied_after_self_enrolment(login_as, catalog, db):
    client = login_as("learner")
    page = client.get("/courses/TC01").get_data(as_text=True)
    assert 'action="/courses/TC01/enrol"' in page
    assert client.get("/courses/TC01/lessons/khai-niem").status_code == 403
    token = csrf_token(client, "/courses/TC01")
    assert client.post("/courses/TC01/enrol", data={"csrf_token": token}).status_code == 302
    assert client.get("/courses/TC01/lessons/khai-niem").status_code == 200
    enrolment = db.session.scalar(select(Enrolment))
    assert enrolment.source == "self"
    assert client.post("/courses/TC01/enrol", data={"csrf_token": token}).status_code == 403


def test_a_course_mandatory_for_other_positions_cannot_be_studied(login_as, catalog):
    client = login_as("learner")
    page = client.get("/courses/VT07").get_data(as_text=True)
    assert 'id="resume"' not in page and "/enrol" not in page
    assert client.get("/courses/VT07/lessons/khai-niem").status_code == 403


def test_an_archived_course_stays_readable_for_its_learners_without_marking(login_as, catalog, db):
    client = login_as("learner")
    _mark_done(client, "khai-niem")
    course = db.session.scalar(select(Course).where(Course.code == "BB01"))
    services.set_status(course, "archived", actor=None)
    db.session.commit()
    assert TITLE not in _titles(client.get("/courses/"))
    page = client.get("/courses/BB01/lessons/chuan-muc").get_data(as_text=True)
    assert "/done" not in page
    assert login_as("hr").get("/courses/BB01").status_code == 404  # never enrolled


def test_the_lesson_page_shows_sanitised_content(login_as, catalog, db):
    course = db.session.scalar(select(Course).where(Course.code == "BB01"))
    lesson = course.active_lessons[0]
    services.save_lesson(
        course,
        lesson,
        lesson.title,
        lesson.slug,
        "Xin chào <script>alert(1)</script>\n\n![Sơ đồ](../assets/so-do.png)",
    )
    db.session.commit()
    html = login_as("learner").get("/courses/BB01/lessons/khai-niem").get_data(as_text=True)
    assert "<script>alert" not in html
    assert '<img src="/courses/BB01/assets/so-do.png" alt="Sơ đồ">' in html


def test_course_files_are_served_to_those_who_may_read_the_lessons(login_as, catalog):
    client = login_as("learner")
    with client.get("/courses/BB01/assets/so-do.png") as response:
        assert response.status_code == 200 and response.data == PNG
        assert response.mimetype == "image/png"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    with client.get("/courses/BB01/assets/tai-lieu/van-ban.pdf") as pdf:
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"


@pytest.mark.parametrize(
    "path",
    [
        "/courses/BB01/assets/../../../config.py",
        "/courses/BB01/assets/..%2F..%2F..%2Fconfig.py",
        "/courses/BB01/assets/%2e%2e/%2e%2e/config.py",
        "/courses/BB01/assets//etc/passwd",
        "/courses/BB01/assets/khong-co.png",
        "/courses/BB01/assets/SO-DO.PNG",
    ],
)
def test_asset_paths_outside_the_recorded_files_are_not_found(login_as, catalog, path):
    response = login_as("learner").get(path, follow_redirects=True)
    assert response.status_code == 404
    assert b"SECRET_KEY" not in response.data and b"root:" not in response.data


def test_a_file_on_disk_that_the_course_does_not_list_is_not_served(login_as, catalog, assets_dir):
    (assets_dir / "BB01" / "stray.png").write_bytes(PNG)
    assert login_as("learner").get("/courses/BB01/assets/stray.png").status_code == 404


def _study_everything(db, world):
    """Enrol the learner in every published course not yet studied and do its first lesson."""
    official_id = world["learner"].official_id
    enrolled = set(db.session.scalars(select(Enrolment.course_id)))
    for course in db.session.scalars(select(Course).where(Course.status == "published")):
        if course.id not in enrolled:
            db.session.add(Enrolment(official_id=official_id, course_id=course.id, source="self"))
            db.session.flush()
            enrolments.mark_done(official_id, course.active_lessons[0], mandatory=False)
    db.session.commit()


def test_catalog_and_course_pages_run_the_same_number_of_queries_for_more_data(
    login_as, catalog, db
):
    client = login_as("learner")
    _study_everything(db, catalog)
    with count_queries() as small_catalog:
        client.get("/courses/")
    with count_queries() as small_course:
        client.get("/courses/BB01")
    more = {}
    for number in range(12):
        more |= course_tree(f"ZZ{number:02d}", lessons=4, title=f"Khóa học số {number}")
    import_tree(more)
    _study_everything(db, catalog)
    course = db.session.scalar(select(Course).where(Course.code == "BB01"))
    for number in range(6):
        services.save_lesson(course, None, f"Bài thêm {number}", "", "Nội dung")
    db.session.commit()
    with count_queries() as big_catalog:
        client.get("/courses/")
    with count_queries() as big_course:
        client.get("/courses/BB01")
    assert (big_catalog[0], big_course[0]) == (small_catalog[0], small_course[0])


def test_the_course_page_names_the_english_title_only_in_english(login_as, catalog):
    """The course's English title is for English readers: the Vietnamese page shows none."""
    client = login_as("learner")
    page = client.get("/courses/BB01").get_data(as_text=True)
    assert "Public service culture and ethics" not in page
    token = csrf_token(client, "/courses/BB01")
    client.post("/locale/en", data={"csrf_token": token, "next": "/courses/BB01"})
    page = client.get("/courses/BB01").get_data(as_text=True)
    assert '<p class="subtitle" lang="en">Public service culture and ethics</p>' in page
