"""The course editor's repeatable checkbox (DESIGN.md §3): a training manager ticks it, the
course is saved repeatable (audited with the other fields), unticks it to clear it, and the
course page tells learners how its credits count."""

import re

from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.catalog.models import Course
from tests.factories import course_tree, import_tree
from tests.web.test_catalog_manage import NEW_COURSE, _post, _unit_id

LABEL = "Tính tín chỉ lại ở mỗi chu kỳ (khóa học lặp lại)"


def _repeatable(db, code: str = "TC04") -> bool:
    db.session.expire_all()
    return db.session.scalar(select(Course.repeatable).where(Course.code == code))


def _checkbox(page: str) -> str:
    return re.search(r'<input[^>]*name="repeatable"[^>]*>', page).group(0)


def test_the_manager_marks_a_new_course_repeatable_and_learners_see_it(login_as, db):
    client = login_as("manager")
    form = client.get("/courses/manage/new").get_data(as_text=True)
    assert LABEL in form and "bồi dưỡng cập nhật hằng năm" in form
    assert "checked" not in _checkbox(form)  # not repeatable unless ticked
    data = NEW_COURSE | {"owner_unit": _unit_id(db, "SNV"), "repeatable": "y"}
    assert _post(client, "/courses/manage/new", data).status_code == 302
    assert _repeatable(db) is True
    created = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "course.created"))
    assert created.after["repeatable"] is True
    page = client.get("/courses/manage/TC04").get_data(as_text=True)
    assert "Tính tín chỉ" in page and "lại ở mỗi chu kỳ (khóa học lặp lại)" in page


def test_unticking_the_box_makes_the_course_earn_its_credits_once(login_as, db):
    files = course_tree("TC04")
    files["TC04/course.toml"] = files["TC04/course.toml"].replace(
        b"validity_months = 36\n", b"validity_months = 36\nrepeatable = true\n"
    )
    import_tree(files)
    client = login_as("manager")
    assert "checked" in _checkbox(client.get("/courses/manage/TC04/edit").get_data(as_text=True))
    data = NEW_COURSE | {"owner_unit": _unit_id(db, "DN")}  # the box not sent: unticked
    assert _post(client, "/courses/manage/TC04/edit", data).status_code == 302
    assert _repeatable(db) is False
    learner = login_as("learner")
    page = learner.get("/courses/TC04").get_data(as_text=True)
    assert "Tính tín chỉ" in page and "một lần" in page
    assert "lại ở mỗi chu kỳ" not in page
