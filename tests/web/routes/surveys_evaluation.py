"""Training evaluation routes: the learner's own evaluation form (/me/evaluations/<id>: theirs
only, 404 for anyone else's) and the reports (/manage/evaluations…) for training managers and HR
officers over their units (manager and hr: DN) and administrators; a class, trainer or unit
outside the scope is not found."""

from tests.web.routes.expect import FORBIDDEN, NOT_FOUND, OK, Denial, expect

OWN = expect(NOT_FOUND, learner=OK)  # the learner's own request; nobody else's
OWN_POST = expect(NOT_FOUND, learner=422)  # nothing answered: the form comes back
REPORTS = expect(FORBIDDEN, manager=OK, hr=OK, admin=OK)


def _request_of(code: str) -> int:
    """The course evaluation asked of the account of official `code` after completing EV01."""
    from sqlalchemy import select

    from lms.catalog.models import Course
    from lms.extensions import db
    from lms.organisation.models import Official
    from lms.surveys.evaluation.models import EvaluationRequest
    from tests.factories import make_completion, make_course, make_questionnaires

    course = db.session.scalar(select(Course).where(Course.code == "EV01"))
    if course is None:
        make_questionnaires()
        course = make_course("EV01")
    official = db.session.scalar(select(Official).where(Official.employee_code == code))
    completion = make_completion(official, course)
    db.session.commit()
    return db.session.scalar(
        select(EvaluationRequest.id).where(EvaluationRequest.completion_id == completion.id)
    )


def _out_trainer(scene) -> int:
    """ "TS. Xa Xôi", who taught the session of the class of the outside unit only."""
    from lms.curricula.classes.models import ClassSession
    from lms.extensions import db
    from tests.factories import make_trainer

    session = db.session.get(ClassSession, scene.value("out_session"))
    trainer = make_trainer("TS. Xa Xôi")
    session.trainer_id = trainer.id
    db.session.commit()
    return trainer.id


def _out_unit_id(scene) -> int:
    from sqlalchemy import select

    from lms.extensions import db
    from lms.organisation.models import OrgUnit

    scene.value("out_class")
    return db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == "XX"))


def _unit_id(_scene) -> int:
    from tests.factories import unit_id

    return unit_id("P-HAICHAU")


PROVIDERS = {
    "evaluation_request": lambda _s: _request_of("T-LEARN"),
    "other_evaluation_request": lambda _s: _request_of("T-MAN"),
    "out_trainer": _out_trainer,
    "out_unit_id": _out_unit_id,
    "haichau_id": _unit_id,
}

FORM = "/me/evaluations/{evaluation_request}"
ACCESS = {
    ("surveys.evaluation_form", "GET"): (FORM, OWN),
    ("surveys.evaluation_form", "POST"): (FORM, OWN_POST),
    ("surveys.evaluations", "GET"): ("/manage/evaluations/?subject=trainers&by=trainer", REPORTS),
    ("surveys.evaluations_export", "GET"): ("/manage/evaluations/export.xlsx", REPORTS),
    ("surveys.evaluation_group", "GET"): ("/manage/evaluations/class/{src_class}", REPORTS),
}

DENIALS = {
    ("surveys.evaluation_form", "GET"): Denial(
        "learner", "/me/evaluations/{other_evaluation_request}"
    ),
    ("surveys.evaluation_form", "POST"): Denial(
        "learner", "/me/evaluations/{other_evaluation_request}", data={"q_objectives": "5"}
    ),
    ("surveys.evaluation_group", "GET"): (
        Denial("manager", "/manage/evaluations/class/{out_class}"),
        Denial("hr", "/manage/evaluations/trainer/{out_trainer}?subject=trainers"),
        Denial("manager", "/manage/evaluations/unit/{out_unit_id}"),
    ),
}

URLS = {"surveys.evaluation_form": FORM}
# (The XLSX export reads the same filters() as the page; the query fuzzer reads answers as text.)
QUERY_PAGES = {
    "surveys.evaluations": ("/manage/evaluations/", ("subject", "by", "year", "from", "to")),
    "surveys.evaluation_group": (
        "/manage/evaluations/unit/{haichau_id}",
        ("subject", "year", "from", "to"),
    ),
}
