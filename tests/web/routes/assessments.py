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
    Denial,
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
    ("assessments.question_export_xml", "GET"): (MANAGE + "/questions/export.xml", AUTHORS),
    ("assessments.question_new", "GET"): (MANAGE + "/questions/new", AUTHORS),
    ("assessments.question_bulk", "POST"): (MANAGE + "/questions/bulk", AUTHORS_POST),
    ("assessments.question_new", "POST"): (MANAGE + "/questions/new", AUTHORS),
    ("assessments.question_edit", "GET"): (MANAGE + "/questions/{mxm_question}", AUTHORS),
    ("assessments.question_editor", "GET"): (
        MANAGE + "/questions/{mxm_question}/editor",
        AUTHORS,
    ),
    ("assessments.question_editor", "POST"): (
        MANAGE + "/questions/{mxm_question}/editor",
        AUTHORS,
    ),
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
    "assessments.question_new": MANAGE + "/questions/new",
    "assessments.question_editor": MANAGE + "/questions/{mxm_question}/editor",
    "assessments.question_bulk": MANAGE + "/questions/bulk",
}
FORM_PAGES = {
    "assessments.question_bulk": MANAGE + "/questions",
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
    from tests.factories import course_tree, import_tree

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


def _man_attempt(scene) -> int:
    """An attempt of T-MAN (the manager's official) at MXM, in progress."""
    from lms.assessments import attempts
    from lms.extensions import db
    from tests.web.routes.scene import official_id

    attempt = attempts.start_attempt(_quiz(scene), official_id("T-MAN"))
    db.session.commit()
    return attempt.id


def _out_essay_slot(scene) -> int:
    """XXQ (owned by unit XX, outside the manager's DN) holds one essay, answered by T-OUT."""
    from werkzeug.datastructures import MultiDict

    from lms.assessments import attempts, bank, quizzes
    from lms.catalog import queries
    from lms.extensions import db
    from tests.factories import course_tree, import_tree

    out = scene.value("_outside")
    files = course_tree("XXQ", kind="by_position", positions=("CM-CCVC",), title="Lớp Xa Xôi")
    files["XXQ/questions.gift"] = "::E1::Trình bày ý kiến Xa Xôi.{}\n".encode()
    import_tree(files, owner="XX")
    course = queries.course_by_code("XXQ")
    bank.sync_bank_from_course(course)
    attempt = attempts.start_attempt(quizzes.quiz_of(course), out)
    slot = attempt.slots[0]
    answer = MultiDict({"slots": str(slot.id), f"r{slot.id}": "Ý kiến Xa Xôi"})
    attempts.save_responses(attempt, answer)
    attempts.submit(attempt)
    db.session.commit()
    return slot.id


def _out_attempt(scene) -> int:
    """T-OUT's submitted attempt at XXQ."""
    from lms.assessments.models import AttemptSlot
    from lms.extensions import db

    return db.session.get(AttemptSlot, scene.value("out_essay_slot")).attempt_id


def _out_question(scene) -> int:
    from lms.assessments import bank
    from lms.catalog import queries

    scene.value("out_course")
    return bank.questions_of(queries.course_by_code("XXD"))[0].id


PROVIDERS |= {
    "man_attempt": _man_attempt,
    "out_essay_slot": _out_essay_slot,
    "out_question": _out_question,
    "out_attempt": _out_attempt,
}
# The learner asks for T-MAN's attempt; the manager (author over DN) for XXD, a draft of unit
# XX (tests/web/routes/catalog.py), and for an essay of XXQ, a course of XX.
OUT_MANAGE = "/courses/manage/{out_course}"
DENIALS = {
    ("assessments.test_home", "GET"): Denial("learner", "/courses/{out_course}/test"),
    ("assessments.test_start", "POST"): Denial("learner", "/courses/{out_course}/test/start"),
    ("assessments.attempt_page", "GET"): Denial("learner", "/attempts/{man_attempt}"),
    ("assessments.attempt_page", "POST"): Denial(
        "learner", "/attempts/{man_attempt}", data={"action": "submit"}
    ),
    ("assessments.attempt_save", "POST"): Denial("learner", "/attempts/{man_attempt}/save"),
    ("assessments.attempt_state", "GET"): Denial("learner", "/attempts/{man_attempt}/state"),
    ("assessments.attempt_review", "GET"): (
        Denial("learner", "/attempts/{man_attempt}/review"),
        # The course's authors see its attempts; XXQ is not the manager's.
        Denial("manager", "/attempts/{out_attempt}/review"),
    ),
    ("assessments.question_bank", "GET"): Denial("manager", OUT_MANAGE + "/questions"),
    ("assessments.question_import", "GET"): Denial("manager", OUT_MANAGE + "/questions/import"),
    ("assessments.question_import", "POST"): Denial(
        "manager",
        OUT_MANAGE + "/questions/import",
        data={"source": HINTS["source"], "file_format": "gift"},
    ),
    ("assessments.question_import_confirm", "POST"): Denial(
        "manager",
        OUT_MANAGE + "/questions/import/confirm",
        data={"source": HINTS["source"], "file_format": "gift"},
    ),
    ("assessments.question_export", "GET"): Denial(
        "manager", OUT_MANAGE + "/questions/export.gift"
    ),
    ("assessments.question_export_xml", "GET"): Denial(
        "manager", OUT_MANAGE + "/questions/export.xml"
    ),
    ("assessments.question_new", "GET"): Denial("manager", OUT_MANAGE + "/questions/new"),
    ("assessments.question_bulk", "POST"): Denial(
        "manager", OUT_MANAGE + "/questions/bulk", data={"action": "retire", "ids": "1"}
    ),
    ("assessments.question_new", "POST"): Denial(
        "manager", OUT_MANAGE + "/questions/new", data={"kind": "essay", "name": "X", "text": "Y"}
    ),
    ("assessments.question_edit", "GET"): Denial(
        "manager", OUT_MANAGE + "/questions/{out_question}"
    ),
    ("assessments.question_edit", "POST"): Denial(
        "manager", OUT_MANAGE + "/questions/{out_question}", data={"source": HINTS["source"]}
    ),
    ("assessments.question_editor", "GET"): Denial(
        "manager", OUT_MANAGE + "/questions/{out_question}/editor"
    ),
    ("assessments.question_editor", "POST"): Denial(
        "manager",
        OUT_MANAGE + "/questions/{out_question}/editor",
        data={"kind": "essay", "name": "X", "text": "Y", "action": "save"},
    ),
    ("assessments.question_retire", "POST"): Denial(
        "manager", OUT_MANAGE + "/questions/{out_question}/retire"
    ),
    ("assessments.quiz_settings", "GET"): Denial("manager", OUT_MANAGE + "/test"),
    ("assessments.quiz_settings", "POST"): Denial(
        "manager", OUT_MANAGE + "/test", data={"pass_mark": "10", "question_count": "1"}
    ),
    ("assessments.quiz_extra_time", "POST"): Denial(
        "manager", OUT_MANAGE + "/test/extra-time", data={"minutes": "30"}
    ),
    ("assessments.quiz_regrade", "POST"): Denial("manager", OUT_MANAGE + "/test/regrade"),
    ("assessments.quiz_statistics", "GET"): Denial("manager", OUT_MANAGE + "/test/statistics"),
    ("assessments.grade_slot", "GET"): Denial("manager", "/manage/grading/{out_essay_slot}"),
    ("assessments.grade_slot", "POST"): Denial(
        "manager", "/manage/grading/{out_essay_slot}", data={"percent": "100"}
    ),
}
