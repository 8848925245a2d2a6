"""Authoring over HTTP: a training manager creates a course and its lessons (with a preview),
orders them, publishes and archives (audited), works only within their scope, uploads a course
as a .zip (refused whole when unsafe) and downloads it back."""

import io
import re
import zipfile

import pytest
from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.auth import services as auth
from lms.auth.models import TRAINING_MANAGER
from lms.catalog.archive import zip_folder
from lms.catalog.models import Course, CourseAsset, Lesson
from lms.organisation.models import OrgUnit
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, course_tree, import_tree

NEW_COURSE = {
    "code": "tc04",
    "title": "Kỹ năng thuyết trình trong công vụ",
    "title_en": "Presentation skills",
    "summary": "Trình bày báo cáo trước cuộc họp.",
    "credits": "0,5",
    "periods": "8",
    "content_area": "ND4",
    "kind": "elective",
    "delivery": "online",
    "certificate": "giay_chung_nhan",
    "validity_months": "",
    "positions": ["XA-MC", "CM-CCVC"],
}


def _unit_id(db, code: str) -> str:
    return str(db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == code)))


def _post(client, url: str, data: dict, form_page: str | None = None):
    token = csrf_token(client, form_page or url)
    return client.post(url, data={**data, "csrf_token": token})


def _course_audits(db) -> int:
    return db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.object_type == "course")
    )


def _course(db, code="TC04") -> Course:
    db.session.expire_all()
    return db.session.scalar(select(Course).where(Course.code == code))


def test_a_manager_creates_a_course_adds_lessons_orders_and_publishes_it(login_as, db):
    client = login_as("manager")
    response = _post(
        client, "/courses/manage/new", NEW_COURSE | {"owner_unit": _unit_id(db, "SNV")}
    )
    assert response.status_code == 302 and response.location.endswith("/courses/manage/TC04")
    course = _course(db)
    assert (course.status, str(course.credits), course.position_codes) == (
        "draft",
        "0.50",
        ["CM-CCVC", "XA-MC"],
    )
    assert login_as("learner").get("/courses/TC04").status_code == 404  # a draft

    for title in ("Chuẩn bị bài trình bày", "Trình bày trước cuộc họp"):
        response = _post(
            client,
            "/courses/manage/TC04/lessons/new",
            {"title": title, "slug": "", "body_markdown": f"## {title}\n\nNội dung.", "save": "1"},
        )
        assert response.status_code == 302
    first, second = _course(db).active_lessons
    assert first.slug == "chuan-bi-bai-trinh-bay"

    _post(client, f"/courses/manage/TC04/lessons/{second.id}/move", {"direction": "up"},
          "/courses/manage/TC04")  # fmt: skip
    assert [lesson.id for lesson in _course(db).active_lessons] == [second.id, first.id]

    response = _post(client, "/courses/manage/TC04/status", {"status": "published"},
                     "/courses/manage/TC04")  # fmt: skip
    assert response.status_code == 302 and _course(db).status == "published"
    actions = list(
        db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.object_type == "course")
            .order_by(AuditEntry.id)
        )
    )
    assert actions == ["course.created", "course.status_changed"]
    assert login_as("learner").get("/courses/TC04").status_code == 200


def test_the_lesson_preview_renders_safely_and_saves_nothing(login_as, db, world):
    import_tree(course_tree("TC04"), status="draft")
    client = login_as("manager")
    response = _post(
        client,
        "/courses/manage/TC04/lessons/new",
        {
            "title": "Bài mới",
            "body_markdown": "**Đậm** <img src=x onerror=alert(1)> [x](javascript:alert(1))",
            "preview": "1",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    preview = html.split('aria-labelledby="preview-title"')[1]
    assert "<strong>Đậm</strong>" in preview
    assert "<img" in preview and "onerror" not in preview and 'href="javascript' not in preview
    assert db.session.scalar(select(func.count()).select_from(Lesson)) == 3  # unchanged


def test_bad_course_input_is_shown_on_the_form(login_as, db):
    client = login_as("manager")
    response = _post(
        client,
        "/courses/manage/new",
        NEW_COURSE | {"code": "TC 04", "credits": "mot", "owner_unit": _unit_id(db, "DN")},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'aria-invalid="true"' in html
    assert db.session.scalar(select(Course)) is None


def test_publishing_without_lessons_is_refused_with_a_message(login_as, db, world):
    files = course_tree("TC04", lessons=0)
    import_tree(files, status="draft")
    client = login_as("manager")
    response = _post(client, "/courses/manage/TC04/status", {"status": "published"},
                     "/courses/manage/TC04")  # fmt: skip
    assert response.status_code == 302 and _course(db).status == "draft"
    page = client.get("/courses/manage/TC04").get_data(as_text=True)
    assert "flash-error" in page


def test_editing_keeps_the_code_and_positions_this_installation_does_not_know(login_as, db, world):
    import_tree(course_tree("TC04", positions=("XA-MC", "HN-OTHER")))
    client = login_as("manager")
    form = client.get("/courses/manage/TC04/edit").get_data(as_text=True)
    assert 'name="code"' not in form and 'value="XA-MC" checked' in form
    data = NEW_COURSE | {"owner_unit": _unit_id(db, "DN"), "positions": ["CM-CCVC"], "code": "X"}
    assert _post(client, "/courses/manage/TC04/edit", data).status_code == 302
    course = _course(db)
    assert course.code == "TC04" and course.title == NEW_COURSE["title"]
    assert course.position_codes == ["CM-CCVC", "HN-OTHER"]


@pytest.fixture
def ward_manager(db, world, app):
    """A training manager whose scope is phường Hải Châu only."""
    user = auth.create_user(
        auth.NewUser("ward", PASSWORD, "Ward", None, None, must_change_password=False), actor=None
    )
    auth.grant_role(user, TRAINING_MANAGER, int(_unit_id(db, "P-HAICHAU")), actor=None)
    db.session.commit()
    client = app.test_client()
    assert login(client, "ward").status_code == 302
    return client


def test_a_manager_edits_only_courses_owned_within_their_scope(ward_manager, db):
    import_tree(course_tree("BB01"))  # owned by DN: published, outside the ward's scope
    import_tree(course_tree("DR01"), status="draft")
    import_tree(course_tree("PH01"), owner="P-HAICHAU", status="draft")
    assert ward_manager.get("/courses/manage/BB01").status_code == 403
    assert ward_manager.get("/courses/manage/DR01").status_code == 404  # not even its existence
    assert ward_manager.get("/courses/manage/PH01").status_code == 200
    listing = ward_manager.get("/courses/manage/").get_data(as_text=True)
    assert "/courses/manage/PH01" in listing and "/courses/manage/BB01" not in listing
    # a new course can only be owned by a unit in scope
    response = _post(
        ward_manager, "/courses/manage/new", NEW_COURSE | {"owner_unit": _unit_id(db, "DN")}
    )
    assert response.status_code == 200 and _course(db) is None


def _upload(client, data: bytes, db, name="khoa-hoc.zip", owner="DN"):
    token = csrf_token(client, "/courses/manage/upload")
    return client.post(
        "/courses/manage/upload",
        data={
            "csrf_token": token,
            "owner_unit": _unit_id(db, owner),
            "archive": (io.BytesIO(data), name),
        },
        content_type="multipart/form-data",
    )


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_an_uploaded_zip_creates_draft_courses_with_their_files(login_as, db, assets_dir):
    client = login_as("manager")
    data = _zip(course_tree("TC04", assets=True) | course_tree("TC05"))
    response = _upload(client, data, db)
    assert response.status_code == 302, response.get_data(as_text=True)
    statuses = dict(db.session.execute(select(Course.code, Course.status)).all())
    assert statuses == {"TC04": "draft", "TC05": "draft"}
    assert (assets_dir / "TC04" / "so-do.png").exists()
    # the same zip again changes nothing
    assert _upload(client, data, db).status_code == 302
    assert _course_audits(db) == 2


@pytest.mark.parametrize(
    "bad_name",
    ["../../evil.md", "/etc/cron.d/evil", "TC04/../../../evil.md", "TC04/assets/x.svg"],
)
def test_an_unsafe_zip_is_refused_and_nothing_is_written(login_as, db, assets_dir, bad_name):
    client = login_as("manager")
    data = _zip(course_tree("TC04", assets=True) | {bad_name: b"<svg/>"})
    response = _upload(client, data, db)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="error" id="archive-error"' in html and bad_name.replace("/", "/") in html
    assert db.session.scalar(select(func.count()).select_from(Course)) == 0
    assert db.session.scalar(select(func.count()).select_from(CourseAsset)) == 0
    assert not assets_dir.exists()


def test_a_zip_over_the_size_setting_is_refused(login_as, db, assets_dir, app, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_COURSE_UPLOAD_MAX_BYTES", 1000)
    client = login_as("manager")
    response = _upload(client, _zip(course_tree("TC04", assets=True)) + b"\x00" * 1000, db)
    assert response.status_code == 200 and 'role="alert"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Course)) == 0


def test_a_file_that_is_not_a_zip_is_refused(login_as, db, assets_dir):
    client = login_as("manager")
    response = _upload(client, b"not a zip", db, name="khoa-hoc.pdf")
    assert response.status_code == 200 and 'aria-invalid="true"' in response.get_data(as_text=True)
    response = _upload(client, b"not a zip", db, name="khoa-hoc.zip")
    assert 'role="alert"' in response.get_data(as_text=True)


def test_a_zip_updating_a_course_outside_scope_is_refused(ward_manager, db, assets_dir):
    import_tree(course_tree("BB01"))
    response = _upload(ward_manager, _zip(course_tree("BB01", lessons=1)), db, owner="P-HAICHAU")
    assert response.status_code == 200 and "BB01" in response.get_data(as_text=True)
    assert len(_course(db, "BB01").active_lessons) == 3


def test_the_exported_zip_is_the_course_folder_and_imports_as_no_change(login_as, db, assets_dir):
    files = course_tree("TC04", assets=True)
    import_tree(files)
    client = login_as("manager")
    with client.get("/courses/manage/TC04/export.zip") as response:
        assert response.status_code == 200 and response.mimetype == "application/zip"
        data = response.data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {name: archive.read(name) for name in archive.namelist()} == files
    assert data == zip_folder("TC04", {k.removeprefix("TC04/"): v for k, v in files.items()})
    assert _upload(client, data, db).status_code == 302
    assert _course_audits(db) == 1  # the first import only: nothing changed


def test_removing_a_lesson_keeps_it_for_its_progress(login_as, db, world):
    import_tree(course_tree("TC04"))
    lesson = _course(db).active_lessons[0]
    client = login_as("manager")
    response = _post(client, f"/courses/manage/TC04/lessons/{lesson.id}/remove", {},
                     "/courses/manage/TC04")  # fmt: skip
    assert response.status_code == 302
    assert len(_course(db).active_lessons) == 2
    assert db.session.get(Lesson, lesson.id).retired_at is not None
    assert client.get(f"/courses/manage/TC04/lessons/{lesson.id}/edit").status_code == 404


def test_the_catalog_and_menu_offer_authoring_to_managers_only(login_as, world):
    manager = login_as("manager").get("/courses/").get_data(as_text=True)
    learner = login_as("learner").get("/courses/").get_data(as_text=True)
    assert 'href="/courses/manage/"' in manager
    assert 'href="/courses/manage/"' not in learner
    assert re.search(r'<a href="/courses/"[^>]*>', learner)
