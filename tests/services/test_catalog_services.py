"""Catalog services: authoring courses and lessons, status changes with audit, enrolment and
lesson progress."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.catalog import enrolments, services
from lms.catalog.models import Course, Enrolment, Lesson, LessonProgress
from lms.errors import RuleViolation, ValidationFailed
from lms.organisation.models import OrgUnit
from tests.factories import make_official, make_units


@pytest.fixture
def units(db):
    make_units()
    db.session.commit()


def _unit(db, code: str) -> int:
    return db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == code))


def _data(code="TC04", **changes) -> services.CourseData:
    values = dict(
        code=code,
        title="Kỹ năng thuyết trình",
        credits=Decimal("0.5"),
        periods=8,
        content_area="ND4",
        kind="elective",
        delivery="online",
        certificate="giay_chung_nhan",
    )
    return services.CourseData(**(values | changes))


def _course(db, code="TC04", lessons=2, status="published", **changes) -> Course:
    course = services.create_course(_data(code, **changes), _unit(db, "DN"), actor=None)
    for number in range(lessons):
        services.save_lesson(course, None, f"Bài {number + 1}. Mở đầu", "", "Nội dung.")
    if status != "draft":
        services.set_status(course, status, actor=None)
    db.session.commit()
    return course


def test_a_new_course_is_a_draft_with_derived_keys_and_an_audit_entry(units, db):
    course = services.create_course(_data(code=" tc04 "), _unit(db, "SNV"), actor=None)
    assert (course.code, course.status, course.credits) == ("TC04", "draft", Decimal("0.50"))
    assert course.search_text == "tc04 ky nang thuyet trinh"
    assert db.session.scalar(select(AuditEntry.action)) == "course.created"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"code": "TC 04"}, "code"),
        ({"title": "  "}, "title"),
        ({"credits": Decimal("1000")}, "credits"),
        ({"credits": Decimal("-1")}, "credits"),
        ({"kind": "optional"}, "kind"),
        ({"prerequisites": ("NOPE",)}, "prerequisites"),
        ({"prerequisites": ("TC04",)}, "prerequisites"),
    ],
)
def test_bad_course_input_is_refused_by_field(units, db, changes, field):
    with pytest.raises(ValidationFailed) as error:
        services.create_course(_data(**changes), None, actor=None)
    assert error.value.reasons[0][0] == field


def test_nul_characters_never_reach_the_database(units, db):
    course = services.create_course(_data(title="Kỹ năng\x00 số"), None, actor=None)
    lesson = services.save_lesson(course, None, "Bài\x00 1", "", "Nội\x00 dung")
    db.session.commit()
    assert (course.title, lesson.title, lesson.body_markdown) == ("Kỹ năng số", "Bài 1", "Nội dung")


def test_a_duplicate_code_is_refused(units, db):
    _course(db)
    with pytest.raises(ValidationFailed) as error:
        services.create_course(_data(code="tc04"), None, actor=None)
    assert error.value.reasons[0][0] == "code"


def test_prerequisite_cycles_are_refused(units, db):
    first = _course(db, "AA01")
    _course(db, "BB01", prerequisites=("AA01",))
    with pytest.raises(ValidationFailed) as error:
        services.update_course(first, _data(prerequisites=("BB01",)), None, actor=None)
    assert error.value.reasons[0][0] == "prerequisites"


def test_an_update_keeps_the_code_and_audits_only_what_changed(units, db):
    course = _course(db)
    services.update_course(course, _data(code="OTHER", periods=10), _unit(db, "DN"), actor=None)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "course.updated"))
    assert course.code == "TC04"
    assert (entry.before, entry.after) == ({"periods": 8}, {"periods": 10})


def test_publishing_needs_a_lesson_and_is_audited(units, db):
    course = _course(db, lessons=0, status="draft")
    with pytest.raises(RuleViolation) as error:
        services.set_status(course, "published", actor=None)
    assert error.value.code == "no_lessons"
    services.save_lesson(course, None, "Bài 1", "", "")
    services.set_status(course, "published", actor=None)
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "course.status_changed")
    )
    assert (entry.before, entry.after) == ({"status": "draft"}, {"status": "published"})


def test_a_course_with_learners_is_archived_not_made_a_draft(units, db):
    course = _course(db)
    official = make_official("L01", "Nguyễn Thị Ánh", "P-HAICHAU", "XA-MC")
    enrolments.self_enrol(official.id, course)
    with pytest.raises(RuleViolation) as error:
        services.set_status(course, "draft", actor=None)
    assert error.value.code == "has_learners"
    services.set_status(course, "archived", actor=None)
    assert course.status == "archived"


def test_lesson_slugs_come_from_titles_and_must_be_unique(units, db):
    course = _course(db, lessons=0, status="draft")
    lesson = services.save_lesson(course, None, "Bài 1. Văn hóa công vụ", "", "x\r\ny\r\n\r\n")
    assert (lesson.slug, lesson.position, lesson.body_markdown) == (
        "bai-1-van-hoa-cong-vu",
        1,
        "x\ny",
    )
    with pytest.raises(ValidationFailed) as error:
        services.save_lesson(course, None, "Khác", "bai-1-van-hoa-cong-vu", "")
    assert error.value.reasons[0][0] == "slug"
    with pytest.raises(ValidationFailed):
        services.save_lesson(course, None, "Khác", "Có Dấu", "")
    same_title = services.save_lesson(course, None, "Bài 1. Văn hóa công vụ", "", "")
    assert same_title.slug == "bai-1-van-hoa-cong-vu-2"  # a name made up is made unique


def test_a_lesson_cannot_take_the_name_of_a_removed_one(units, db):
    course = _course(db, lessons=2, status="draft")
    first, second = course.active_lessons
    services.retire_lesson(first)
    with pytest.raises(ValidationFailed) as error:
        services.save_lesson(course, second, second.title, first.slug, "")
    assert error.value.reasons[0][0] == "slug"


def test_moving_lessons_swaps_neighbours_and_stops_at_the_ends(units, db):
    course = _course(db, lessons=3, status="draft")
    first, second, third = course.active_lessons
    services.move_lesson(third, "up")
    assert [lesson.id for lesson in course.active_lessons] == [first.id, third.id, second.id]
    services.move_lesson(first, "up")  # already first
    services.move_lesson(second, "down")  # already last
    assert [lesson.id for lesson in course.active_lessons] == [first.id, third.id, second.id]


def test_a_removed_lesson_comes_back_with_its_progress_when_its_slug_is_reused(units, db):
    course = _course(db, lessons=2, kind="by_position", positions=("XA-MC",))
    official = make_official("L01", "Nguyễn Thị Ánh", "P-HAICHAU", "XA-MC")
    lesson = course.active_lessons[0]
    enrolments.mark_done(official.id, lesson, mandatory=True)
    services.retire_lesson(lesson)
    assert lesson not in course.active_lessons
    again = services.save_lesson(course, None, "Bài 1 (mới)", lesson.slug, "Mới")
    assert again.id == lesson.id and again.retired_at is None
    assert db.session.scalar(select(func.count()).select_from(LessonProgress)) == 1


def test_self_enrolment_is_for_published_electives_once(units, db):
    official = make_official("L01", "Nguyễn Thị Ánh", "P-HAICHAU", "XA-MC")
    elective = _course(db, "TC04")
    mandatory = _course(db, "BB01", kind="mandatory_common")
    draft = _course(db, "TC05", status="draft")
    enrolment = enrolments.self_enrol(official.id, elective)
    assert enrolment.source == "self"
    for course, code in ((elective, "already_enrolled"), (mandatory, "not_elective")):
        with pytest.raises(RuleViolation) as error:
            enrolments.self_enrol(official.id, course)
        assert error.value.code == code
    with pytest.raises(RuleViolation):
        enrolments.self_enrol(official.id, draft)


def test_marking_done_enrols_on_a_mandatory_course_and_finishes_once(units, db):
    official = make_official("L01", "Nguyễn Thị Ánh", "P-HAICHAU", "XA-MC")
    course = _course(db, "BB01", lessons=2, kind="by_position", positions=("XA-MC",))
    first, second = course.active_lessons
    enrolment = enrolments.mark_done(official.id, first, mandatory=True)
    assert enrolment.source == "position" and enrolment.lessons_done_at is None
    enrolments.mark_done(official.id, first, mandatory=True)  # twice: no second row
    assert db.session.scalar(select(func.count()).select_from(LessonProgress)) == 1
    enrolments.mark_done(official.id, second, mandatory=True)
    finished = enrolment.lessons_done_at
    assert finished is not None
    enrolments.mark_done(official.id, second, mandatory=True)
    assert enrolment.lessons_done_at == finished
    assert db.session.scalar(select(func.count()).select_from(Enrolment)) == 1


def test_marking_done_needs_an_enrolment_or_a_mandatory_course(units, db):
    official = make_official("L01", "Nguyễn Thị Ánh", "P-HAICHAU", "XA-MC")
    course = _course(db, "TC04")
    with pytest.raises(RuleViolation) as error:
        enrolments.mark_done(official.id, course.active_lessons[0], mandatory=False)
    assert error.value.code == "not_enrolled"
    enrolments.self_enrol(official.id, course)
    enrolments.mark_done(official.id, course.active_lessons[0], mandatory=False)
    services.set_status(course, "archived", actor=None)
    with pytest.raises(RuleViolation) as error:
        enrolments.mark_done(official.id, course.active_lessons[1], mandatory=False)
    assert error.value.code == "not_open"
    assert db.session.scalar(select(func.count()).select_from(Lesson)) == 2
