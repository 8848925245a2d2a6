"""In-person classes, issue 24: a class's sessions, the trainers and venues, joining (the
official's /me/classes pages), attendance and QR check-in, invitations and printouts. The
class and its roster are in curricula_sources ({src_class}, {out_class})."""

from tests.web.routes.expect import (
    AUTHORS,
    AUTHORS_POST,
    FORBIDDEN,
    Denial,
    expect,
)

AUTHORS_422 = expect(FORBIDDEN, manager=422, admin=422)  # an empty form comes back


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


PROVIDERS = {
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
    ("curricula.venue_new", "GET"): ("/classes/venues/new", AUTHORS),
    ("curricula.venue_new", "POST"): ("/classes/venues/new", AUTHORS_422),
    ("curricula.venue_edit", "GET"): ("/classes/venues/{cls_venue}", AUTHORS),
    ("curricula.venue_edit", "POST"): ("/classes/venues/{cls_venue}", AUTHORS_422),
}
URLS = {
    "curricula.class_sessions": SESSIONS,
    "curricula.class_session_edit": SESSIONS + "/{src_session}",
    "curricula.class_session_remove": SESSIONS + "/{src_session}/remove",
    "curricula.trainer_new": "/classes/trainers/new",
    "curricula.trainer_edit": "/classes/trainers/{cls_trainer}",
    "curricula.venue_new": "/classes/venues/new",
    "curricula.venue_edit": "/classes/venues/{cls_venue}",
}
FORM_PAGES = {
    "curricula.class_session_remove": SESSIONS,
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
