"""In-person classes, issue 24: a class's sessions, the trainers and venues, joining (the
official's /me/classes pages), attendance and QR check-in, invitations and printouts. The
class and its roster are in curricula_sources ({src_class}, {out_class})."""

from tests.web.routes.expect import (
    AUTHORS,
    AUTHORS_POST,
    FORBIDDEN,
    NOT_FOUND,
    OK,
    Denial,
    expect,
)

AUTHORS_422 = expect(FORBIDDEN, manager=422, admin=422)  # an empty form comes back
OFFICIALS = expect(OK, admin=FORBIDDEN)  # every test role but the administrator is an official
LEARNER_ONLY = expect(NOT_FOUND, learner=OK, admin=FORBIDDEN)
LEARNER_POST = expect(NOT_FOUND, learner=302, admin=FORBIDDEN)


def _session_of(scene, class_name: str) -> int:
    """A session on the first day of the class `class_name` names, 08:00–11:30."""
    from datetime import datetime, time

    from lms.curricula.classes import schedule
    from lms.curricula.classes.models import TrainingClass
    from lms.extensions import db

    klass = db.session.get(TrainingClass, scene.value(class_name))
    if klass.class_sessions:
        return klass.class_sessions[0].id
    data = schedule.SessionData(klass.starts_on, time(8), time(11, 30), "Khai giảng")
    session = schedule.save_session(klass, None, data, actor=None)
    db.session.commit()
    assert isinstance(session.starts_at, datetime)
    return session.id


def _trainer(_scene) -> int:
    from lms.extensions import db
    from tests.factories import make_trainer

    trainer = make_trainer()
    db.session.commit()
    return trainer.id


def _venue(_scene) -> int:
    from lms.extensions import db
    from tests.factories import make_venue

    venue = make_venue()
    db.session.commit()
    return venue.id


def _code(scene, session_name: str) -> str:
    """The signed QR code of a session."""
    from lms.curricula.classes import attendance
    from lms.curricula.classes.models import ClassSession
    from lms.extensions import db

    return attendance.checkin_code(db.session.get(ClassSession, scene.value(session_name)))


PROVIDERS = {
    "src_code": lambda s: _code(s, "src_session"),
    "out_code_qr": lambda s: _code(s, "out_session"),
    "src_session": lambda s: _session_of(s, "src_class"),
    "out_session": lambda s: _session_of(s, "out_class"),
    "cls_trainer": _trainer,
    "cls_venue": _venue,
}
SESSIONS = "/classes/{src_class}/sessions"
ACCESS = {
    ("curricula.class_sessions", "GET"): (SESSIONS, AUTHORS),
    ("curricula.class_sessions", "POST"): (SESSIONS, AUTHORS_422),
    ("curricula.class_session_edit", "GET"): (SESSIONS + "/{src_session}", AUTHORS),
    ("curricula.class_session_edit", "POST"): (SESSIONS + "/{src_session}", AUTHORS_422),
    ("curricula.class_session_remove", "POST"): (
        SESSIONS + "/{src_session}/remove",
        AUTHORS_POST,
    ),
    ("curricula.trainer_list", "GET"): ("/classes/trainers/", AUTHORS),
    ("curricula.trainer_new", "GET"): ("/classes/trainers/new", AUTHORS),
    ("curricula.trainer_new", "POST"): ("/classes/trainers/new", AUTHORS_422),
    ("curricula.trainer_edit", "GET"): ("/classes/trainers/{cls_trainer}", AUTHORS),
    # The form comes filled from the trainer: an empty post saves it as it is.
    ("curricula.trainer_edit", "POST"): ("/classes/trainers/{cls_trainer}", AUTHORS_POST),
    ("curricula.trainer_schedule", "GET"): ("/classes/trainers/{cls_trainer}/schedule", AUTHORS),
    ("curricula.venue_list", "GET"): ("/classes/venues/", AUTHORS),
    ("curricula.class_calendar", "GET"): ("/classes/calendar?month=2026-01", AUTHORS),
    ("curricula.my_class_invitation", "GET"): (
        "/me/classes/{src_class}/invitation.ics",
        LEARNER_ONLY,
    ),
    ("curricula.venue_new", "GET"): ("/classes/venues/new", AUTHORS),
    ("curricula.venue_new", "POST"): ("/classes/venues/new", AUTHORS_422),
    ("curricula.venue_edit", "GET"): ("/classes/venues/{cls_venue}", AUTHORS),
    ("curricula.venue_edit", "POST"): ("/classes/venues/{cls_venue}", AUTHORS_422),
    # An official's classes: every test role but the administrator is an official; the class
    # {src_class} (nominated only) has the learner on it, nobody else may see it.
    ("curricula.my_classes", "GET"): ("/me/classes/", OFFICIALS),
    ("curricula.my_class", "GET"): ("/me/classes/{src_class}", LEARNER_ONLY),
    ("curricula.my_class_signup", "POST"): ("/me/classes/{src_class}/signup", LEARNER_POST),
    ("curricula.my_class_cancel", "POST"): ("/me/classes/{src_class}/cancel", LEARNER_POST),
    # The final test: {src_class} has none, so the learner (holding a place) is sent back to
    # the class page with the reason (tests/web/test_curricula_classes_final_test.py).
    ("curricula.my_class_final_test", "POST"): (
        "/me/classes/{src_class}/final-test",
        LEARNER_POST,
    ),
    # Attendance: the tick list and the room's QR; the check-in page the QR opens (the learner
    # holds a place; the session is long over, so the check-in is refused with its message).
    ("curricula.session_attendance", "GET"): (SESSIONS + "/{src_session}/attendance", AUTHORS),
    ("curricula.session_attendance", "POST"): (
        SESSIONS + "/{src_session}/attendance",
        AUTHORS_POST,
    ),
    ("curricula.session_qr", "GET"): (SESSIONS + "/{src_session}/qr", AUTHORS),
    ("curricula.session_signin_pdf", "GET"): (SESSIONS + "/{src_session}/signin.pdf", AUTHORS),
    ("curricula.class_list_pdf", "GET"): ("/classes/{src_class}/list.pdf", AUTHORS),
    ("curricula.class_results_decide", "POST"): (
        "/classes/{src_class}/results/decide",
        AUTHORS_POST,
    ),
    ("curricula.class_checkin", "GET"): ("/me/classes/checkin/{src_code}", LEARNER_ONLY),
    ("curricula.class_checkin", "POST"): (
        "/me/classes/checkin/{src_code}",
        expect(NOT_FOUND, learner=422, admin=FORBIDDEN),
    ),
}
URLS = {
    "curricula.class_sessions": SESSIONS,
    "curricula.class_session_edit": SESSIONS + "/{src_session}",
    "curricula.class_session_remove": SESSIONS + "/{src_session}/remove",
    "curricula.trainer_new": "/classes/trainers/new",
    "curricula.trainer_edit": "/classes/trainers/{cls_trainer}",
    "curricula.venue_new": "/classes/venues/new",
    "curricula.venue_edit": "/classes/venues/{cls_venue}",
    "curricula.my_class_signup": "/me/classes/{src_class}/signup",
    "curricula.my_class_cancel": "/me/classes/{src_class}/cancel",
    "curricula.my_class_final_test": "/me/classes/{src_class}/final-test",
    "curricula.session_attendance": SESSIONS + "/{src_session}/attendance",
    "curricula.class_checkin": "/me/classes/checkin/{src_code}",
    "curricula.class_results_decide": "/classes/{src_class}/results/decide",
}
FORM_PAGES = {
    "curricula.class_session_remove": SESSIONS,
    "curricula.my_class_signup": "/me/classes/{src_class}",
    "curricula.my_class_cancel": "/me/classes/{src_class}",
    "curricula.my_class_final_test": "/me/classes/{src_class}",
    "curricula.class_results_decide": "/classes/{src_class}/results",
}
QUERY_PAGES = {
    "curricula.class_calendar": ("/classes/calendar", ("month",)),
}
HINTS = {
    "day": "2026-01-05",
    "starts": "13:30",
    "ends": "16:30",
    "capacity": "30",
}
OUT_SESSIONS = "/classes/{out_class}/sessions"
SESSION = {"day": "2026-02-02", "starts": "08:00", "ends": "09:00"}
DENIALS = {
    # The manager (DN) asks for the timetable of a class of unit XX.
    ("curricula.class_sessions", "GET"): Denial("manager", OUT_SESSIONS),
    ("curricula.class_sessions", "POST"): Denial("manager", OUT_SESSIONS, data=SESSION),
    ("curricula.class_session_edit", "GET"): (
        Denial("manager", OUT_SESSIONS + "/{out_session}"),
        # Its own class in the URL does not open another class's session.
        Denial("manager", SESSIONS + "/{out_session}"),
    ),
    ("curricula.class_session_edit", "POST"): Denial(
        "manager", OUT_SESSIONS + "/{out_session}", data=SESSION
    ),
    ("curricula.class_session_remove", "POST"): (
        Denial("manager", OUT_SESSIONS + "/{out_session}/remove"),
        Denial("manager", SESSIONS + "/{out_session}/remove"),
    ),
    # The learner (P-HAICHAU) asks for the class of unit XX, nominated only, T-OUT on it.
    ("curricula.my_class", "GET"): Denial("learner", "/me/classes/{out_class}"),
    ("curricula.my_class_signup", "POST"): Denial("learner", "/me/classes/{out_class}/signup"),
    ("curricula.my_class_cancel", "POST"): Denial("learner", "/me/classes/{out_class}/cancel"),
    ("curricula.my_class_final_test", "POST"): Denial(
        "learner", "/me/classes/{out_class}/final-test"
    ),
    ("curricula.my_class_invitation", "GET"): Denial(
        "learner", "/me/classes/{out_class}/invitation.ics"
    ),
    ("curricula.session_attendance", "GET"): (
        Denial("manager", OUT_SESSIONS + "/{out_session}/attendance"),
        Denial("manager", SESSIONS + "/{out_session}/attendance"),
    ),
    ("curricula.session_attendance", "POST"): Denial(
        "manager", OUT_SESSIONS + "/{out_session}/attendance", data={"rows-0-mark": "present"}
    ),
    ("curricula.session_signin_pdf", "GET"): (
        Denial("manager", OUT_SESSIONS + "/{out_session}/signin.pdf"),
        Denial("manager", SESSIONS + "/{out_session}/signin.pdf"),
    ),
    ("curricula.class_list_pdf", "GET"): Denial("manager", "/classes/{out_class}/list.pdf"),
    ("curricula.session_qr", "GET"): (
        Denial("manager", OUT_SESSIONS + "/{out_session}/qr"),
        Denial("manager", SESSIONS + "/{out_session}/qr"),
    ),
    ("curricula.class_results_decide", "POST"): Denial(
        "manager", "/classes/{out_class}/results/decide"
    ),
    # The learner opens the QR code of a session of unit XX's class (T-OUT's).
    ("curricula.class_checkin", "GET"): Denial("learner", "/me/classes/checkin/{out_code_qr}"),
    ("curricula.class_checkin", "POST"): Denial("learner", "/me/classes/checkin/{out_code_qr}"),
}
SHARED_LISTS = (
    "trainers and venues are lists shared by the whole organisation (a training centre's "
    "lecturers and halls serve every unit), like the curricula: every training manager edits "
    "them; an unknown id is 404"
)
DENIAL_EXEMPT = {
    "curricula.trainer_edit": SHARED_LISTS,
    "curricula.venue_edit": SHARED_LISTS,
    "curricula.trainer_schedule": SHARED_LISTS + "; the schedule lists only the sessions of "
    "classes in the viewer's units (tests/web/test_curricula_classes_web.py)",
}
