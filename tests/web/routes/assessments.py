"""Online-test routes for the access matrix and the hostile-input test. The scene syncs the bank
and test of MXM (mandatory for CM-CCVC, owned by DN, so every role's official may take it and
manager and admin author it); `attempt_open` is the learner's attempt in progress,
`attempt_done` a graded one, `essay_slot` an essay of the learner waiting for a grader."""

from tests.web.routes.expect import (
    AUTHORS,
    AUTHORS_POST,
    FORBIDDEN,
    NOT_FOUND,
    OK,
    REDIRECT,
    expect,
)

OFFICIALS_POST = expect(REDIRECT, admin=FORBIDDEN)  # the admin account is no official
AUTHOR_LOOKS = expect(NOT_FOUND, learner=OK, manager=REDIRECT, admin=REDIRECT)
TAKER_ONLY = expect(NOT_FOUND, learner=OK, manager=FORBIDDEN, admin=FORBIDDEN)
SEEN = expect(NOT_FOUND, learner=OK, manager=OK, admin=OK)
MANAGE = "/courses/manage/{mxm_test}"

ACCESS = {
    ("assessments.test_home", "GET"): ("/courses/{mxm_test}/test", expect(OK)),
    ("assessments.test_start", "POST"): ("/courses/{mxm_test}/test/start", OFFICIALS_POST),
    ("assessments.attempt_page", "GET"): ("/attempts/{attempt_open}", AUTHOR_LOOKS),
    ("assessments.attempt_page", "POST"): (
        "/attempts/{attempt_open}",
        expect(NOT_FOUND, learner=REDIRECT, manager=REDIRECT, admin=REDIRECT),
    ),
    ("assessments.attempt_save", "POST"): ("/attempts/{attempt_open}/save", TAKER_ONLY),
    ("assessments.attempt_state", "GET"): ("/attempts/{attempt_open}/state", TAKER_ONLY),
    ("assessments.attempt_review", "GET"): ("/attempts/{attempt_done}/review", SEEN),
    ("assessments.question_bank", "GET"): (MANAGE + "/questions", AUTHORS),
    ("assessments.question_import", "GET"): (MANAGE + "/questions/import", AUTHORS),
    ("assessments.question_import", "POST"): (MANAGE + "/questions/import", AUTHORS),
    ("assessments.question_import_confirm", "POST"): (
        MANAGE + "/questions/import/confirm",
        AUTHORS_POST,
    ),
    ("assessments.question_export", "GET"): (MANAGE + "/questions/export.gift", AUTHORS),
    ("assessments.question_edit", "GET"): (MANAGE + "/questions/{mxm_question}", AUTHORS),
    ("assessments.question_edit", "POST"): (MANAGE + "/questions/{mxm_question}", AUTHORS),
    ("assessments.question_retire", "POST"): (
        MANAGE + "/questions/{mxm_question}/retire",
        AUTHORS_POST,
    ),
    ("assessments.quiz_settings", "GET"): (MANAGE + "/test", AUTHORS),
    ("assessments.quiz_settings", "POST"): (MANAGE + "/test", AUTHORS),
    ("assessments.quiz_extra_time", "POST"): (MANAGE + "/test/extra-time", AUTHORS_POST),
    ("assessments.quiz_regrade", "POST"): (MANAGE + "/test/regrade", AUTHORS_POST),
    ("assessments.quiz_statistics", "GET"): (MANAGE + "/test/statistics", AUTHORS),
    ("assessments.grading_queue", "GET"): ("/manage/grading", AUTHORS),
    ("assessments.grade_slot", "GET"): ("/manage/grading/{essay_slot}", AUTHORS),
    ("assessments.grade_slot", "POST"): ("/manage/grading/{essay_slot}", AUTHORS),
}

URLS = {
    "assessments.test_start": "/courses/{mxm_test}/test/start",
    "assessments.attempt_page": "/attempts/{attempt_open}",
    "assessments.attempt_save": "/attempts/{attempt_open}/save",
    "assessments.question_import": MANAGE + "/questions/import",
    "assessments.question_import_confirm": MANAGE + "/questions/import/confirm",
    "assessments.question_edit": MANAGE + "/questions/{mxm_question}",
    "assessments.question_retire": MANAGE + "/questions/{mxm_question}/retire",
    "assessments.quiz_settings": MANAGE + "/test",
    "assessments.quiz_extra_time": MANAGE + "/test/extra-time",
    "assessments.quiz_regrade": MANAGE + "/test/regrade",
    "assessments.grade_slot": "/manage/grading/{essay_slot}",
}
FORM_PAGES = {
    "assessments.test_start": "/courses/{mxm_test}/test",
    "assessments.attempt_save": "/attempts/{attempt_open}",
    "assessments.question_import_confirm": MANAGE + "/questions/import",
    "assessments.question_retire": MANAGE + "/questions/{mxm_question}",
    "assessments.quiz_extra_time": MANAGE + "/test",
    "assessments.quiz_regrade": MANAGE + "/test",
}
QUERY_PAGES = {
    "assessments.grading_queue": ("/manage/grading", ("page",)),
    "assessments.attempt_page": ("/attempts/{attempt_open}", ("page",)),
}
HINTS = {
    "source": "::Q1::Văn hóa công vụ là gì?{=Giá trị và chuẩn mực ~Trang phục}",
    "file_format": "gift",
    "minutes": "10",
    "percent": "75",
    "question_count": "5",
    "time_limit_minutes": "20",
    "max_attempts": "2",
    "pass_mark": "50",
    "layout": "all",
    "action": "save",
}


def _mxm_test(scene) -> str:
    """MXM's bank and test, synced from its files."""
    from lms.assessments import bank
    from lms.catalog import queries
    from lms.extensions import db

    scene.value("_catalog")
    course = queries.course_by_code("MXM")
    bank.sync_bank_from_course(course)
    db.session.commit()
    return "MXM"


def _quiz(scene):
    from lms.assessments import quizzes
    from lms.catalog import queries

    scene.value("mxm_test")
    return quizzes.quiz_of(queries.course_by_code("MXM"))


def _learner_official(scene) -> int:
    return scene.world["learner"].official_id


def _attempt_open(scene) -> int:
    from lms.assessments import attempts
    from lms.extensions import db

    attempt = attempts.start_attempt(_quiz(scene), _learner_official(scene))
    db.session.commit()
    return attempt.id


def _attempt_done(scene) -> int:
    from lms.assessments import attempts
    from lms.extensions import db

    attempt = attempts.start_attempt(_quiz(scene), _learner_official(scene))
    attempts.submit(attempt)
    db.session.commit()
    return attempt.id


def _mxm_question(scene) -> int:
    from lms.assessments import bank
    from lms.catalog import queries

    scene.value("mxm_test")
    return bank.questions_of(queries.course_by_code("MXM"))[0].id


def _essay_slot(scene) -> int:
    """MXQ (owned by DN) holds one essay; the learner answered and submitted it."""
    from werkzeug.datastructures import MultiDict

    from lms.assessments import attempts, quizzes
    from lms.catalog import queries
    from lms.extensions import db
    from tests.catalog_factories import course_tree, import_tree

    files = course_tree("MXQ", kind="by_position", positions=("CM-CCVC",))
    files["MXQ/questions.gift"] = "::E1::Trình bày ý kiến của anh/chị.{}\n".encode()
    import_tree(files)
    from lms.assessments import bank

    course = queries.course_by_code("MXQ")
    bank.sync_bank_from_course(course)
    attempt = attempts.start_attempt(quizzes.quiz_of(course), _learner_official(scene))
    slot = attempt.slots[0]
    attempts.save_responses(attempt, MultiDict({"slots": str(slot.id), f"r{slot.id}": "Ý kiến"}))
    attempts.submit(attempt)
    db.session.commit()
    return slot.id


PROVIDERS = {
    "mxm_test": _mxm_test,
    "mxm_question": _mxm_question,
    "attempt_open": _attempt_open,
    "attempt_done": _attempt_done,
    "essay_slot": _essay_slot,
}
