"""Recruitment routes (issue 28): the candidate's exam pages (/exam/…: a candidate account's
only pages; every other account gets 404 — the candidate lockout over the whole route table is
tests/web/test_recruitment_candidate_lockout.py), the HR pages of a recruitment and its sessions
(/manage/recruitment…: hr, who covers DN, and the administrator), the invigilator's page, and the
public online application."""

from tests.web.routes.expect import FORBIDDEN, NOT_FOUND, OK, REDIRECT, Denial, expect

RUNNERS = expect(FORBIDDEN, hr=OK, admin=OK)
RUNNERS_POST = expect(FORBIDDEN, hr=REDIRECT, admin=REDIRECT)
CANDIDATES_ONLY = expect(NOT_FOUND)  # staff and officials are no candidates
PUBLIC = expect(OK, anonymous=OK)


def _recruit(_scene) -> str:
    """TD2026 of DN (hr runs it), two candidates seated in one session; window open today."""
    from datetime import date, timedelta

    from lms.common import clock
    from lms.extensions import db
    from lms.recruitment.queries import recruitment_by_code, sessions_of
    from tests.factories import make_candidate, make_exam_session, make_recruitment

    found = recruitment_by_code("TD2026")  # a test may have made it already
    if found is not None and sessions_of(found.id):
        return found.code
    item = make_recruitment()
    today = clock.today()
    item.applications_open_on = today - timedelta(days=1)
    item.applications_close_on = today + timedelta(days=1)
    a = make_candidate(item, "Trần Thị Thí Sinh", born_on=date(1998, 5, 17))
    db.session.commit()
    make_exam_session(item, seat=[a])
    return item.code


def _recruit_session(scene) -> int:
    from lms.extensions import db
    from lms.recruitment.models import ExamSession
    from lms.recruitment.queries import recruitment_by_code

    item = recruitment_by_code(scene.value("recruit"))
    return db.session.scalar(db.select(ExamSession.id).where(ExamSession.recruitment_id == item.id))


def _out_recruit(scene) -> str:
    """XX2026 of the outside unit XX ("Xa Xôi"), with a candidate seated in a session."""
    from lms.extensions import db
    from lms.recruitment import services
    from tests.factories import make_candidate, make_exam_session

    scene.value("_outside")
    item = services.create_recruitment(
        "XX2026", "Kỳ tuyển dụng tỉnh Xa Xôi", 2026, "XX", actor=None
    )
    services.add_position(item, "VT01", "Chuyên viên Xa Xôi", "XX", 1, None)
    a = make_candidate(item, "Xa Xôi Thí Sinh", id_number="048000000999")
    db.session.commit()
    make_exam_session(item, seat=[a], code="XX99XX")
    return item.code


def _out_exam_session(scene) -> int:
    from lms.extensions import db
    from lms.recruitment.models import ExamSession
    from lms.recruitment.queries import recruitment_by_code

    item = recruitment_by_code(scene.value("out_recruit"))
    return db.session.scalar(db.select(ExamSession.id).where(ExamSession.recruitment_id == item.id))


def _recruit_import_token(scene) -> str:
    """A checked candidates import of the administrator into TD2026 (one good row)."""
    from lms.recruitment import importer
    from lms.recruitment.queries import recruitment_by_code

    item = recruitment_by_code(scene.value("recruit"))
    header = "Vị trí dự tuyển,Họ và tên,Ngày sinh,Số CCCD\n"
    data = (header + "VT01,Nguyễn Văn Nhập,01/02/1999,048099001234\n").encode()
    folder = importer.FLOW.store_upload(
        scene.world["admin"].id, "ds.csv", data, 1, recruitment_id=item.id
    )
    importer.FLOW.check_now(folder, {})
    return folder.name


def _child_id(model, scene, name: str, **where) -> int:
    """The id of the first `model` row of recruitment `scene.value(name)`."""
    from lms.extensions import db
    from lms.recruitment.queries import recruitment_by_code

    item = recruitment_by_code(scene.value(name))
    stmt = db.select(model.id).where(model.recruitment_id == item.id)
    for column, value in where.items():
        stmt = stmt.where(getattr(model, column) == value)
    return db.session.scalar(stmt.order_by(model.id))


def _position(name: str, code: str):
    from lms.recruitment.models import RecruitmentPosition

    return lambda scene: _child_id(RecruitmentPosition, scene, name, code=code)


def _room(name: str):
    from lms.recruitment.models import ExamRoom

    return lambda scene: _child_id(ExamRoom, scene, name)


def _recruit_invigilator(scene) -> int:
    """An account "giamthi.td" (no role of the matrix) named invigilator of TD2026's session."""
    from lms.auth import services as auth
    from lms.extensions import db
    from lms.recruitment import rooms
    from lms.recruitment.models import ExamSession
    from tests.factories import PASSWORD

    user = auth.create_user(
        auth.NewUser("giamthi.td", PASSWORD, "Giám Thị Phòng Thi", None, None), actor=None
    )
    rooms.add_invigilator(
        db.session.get(ExamSession, scene.value("recruit_session")), user.id, None
    )
    db.session.commit()
    return user.id


PROVIDERS = {
    # VT02 of TD2026 has no candidate (removable); VT01 of XX2026 is outside hr's units
    "recruit_position": _position("recruit", "VT02"),
    "out_position": _position("out_recruit", "VT01"),
    "recruit_room": _room("recruit"),
    "out_room": _room("out_recruit"),
    "recruit_invigilator": _recruit_invigilator,
    "recruit": _recruit,
    "recruit_session": _recruit_session,
    "out_recruit": _out_recruit,
    "out_exam_session": _out_exam_session,
    "recruit_import_token": _recruit_import_token,
}

SESSION = "/manage/recruitment/sessions/{recruit_session}"
OUT_SESSION = "/manage/recruitment/sessions/{out_exam_session}"
SETUP = "/manage/recruitment/{recruit}"
OUT_SETUP = "/manage/recruitment/{out_recruit}"
POSITION = SETUP + "/positions/{recruit_position}"
ROOM = SETUP + "/rooms/{recruit_room}"
INVIGILATOR = SESSION + "/invigilators/{recruit_invigilator}"
ACCESS = {
    ("recruitment.exam_home", "GET"): ("/exam/", CANDIDATES_ONLY),
    ("recruitment.exam_start", "POST"): ("/exam/start", CANDIDATES_ONLY),
    ("recruitment.exam_paper", "GET"): ("/exam/paper", CANDIDATES_ONLY),
    ("recruitment.exam_paper", "POST"): ("/exam/paper", CANDIDATES_ONLY),
    ("recruitment.exam_save", "POST"): ("/exam/paper/save", CANDIDATES_ONLY),
    ("recruitment.exam_result", "GET"): ("/exam/result", CANDIDATES_ONLY),
    ("recruitment.manage_list", "GET"): ("/manage/recruitment/", RUNNERS),
    ("recruitment.recruitment_page", "GET"): ("/manage/recruitment/{recruit}", RUNNERS),
    ("recruitment.candidates", "GET"): ("/manage/recruitment/{recruit}/candidates", RUNNERS),
    ("recruitment.import_upload", "GET"): ("/manage/recruitment/{recruit}/import", RUNNERS),
    # without a file the form shows again with its error
    ("recruitment.import_upload", "POST"): ("/manage/recruitment/{recruit}/import", RUNNERS),
    # Another user's (or no) upload: 404 for those who may import (the report of a real one,
    # written in its uploader's language, is tested in tests/web/test_recruitment_manage.py).
    ("recruitment.import_preview", "GET"): (
        "/manage/recruitment/import/unknown-token",
        expect(FORBIDDEN, hr=NOT_FOUND, admin=NOT_FOUND),
    ),
    ("recruitment.import_preview", "POST"): (
        "/manage/recruitment/import/unknown-token",
        expect(FORBIDDEN, hr=NOT_FOUND, admin=NOT_FOUND),
    ),
    ("recruitment.import_template", "GET"): ("/manage/recruitment/import/template.csv", RUNNERS),
    ("recruitment.session_page", "GET"): (SESSION, RUNNERS),
    ("recruitment.seat_all", "POST"): (SESSION + "/seat", RUNNERS_POST),
    ("recruitment.admission_cards", "GET"): (SESSION + "/cards.pdf", RUNNERS),
    ("recruitment.invigilate", "GET"): (SESSION + "/invigilate", RUNNERS),
    ("recruitment.record_incident", "POST"): (SESSION + "/incidents", RUNNERS_POST),
    # set-up (routes_setup.py): an empty form comes back with its errors (200); a removal
    # redirects, done or refused (the room holds a session, the session is over)
    ("recruitment.recruitment_new", "GET"): ("/manage/recruitment/new", RUNNERS),
    ("recruitment.recruitment_new", "POST"): ("/manage/recruitment/new", RUNNERS),
    ("recruitment.recruitment_edit", "GET"): (SETUP + "/edit", RUNNERS),
    ("recruitment.recruitment_edit", "POST"): (SETUP + "/edit", RUNNERS),
    ("recruitment.position_new", "GET"): (SETUP + "/positions/new", RUNNERS),
    ("recruitment.position_new", "POST"): (SETUP + "/positions/new", RUNNERS),
    ("recruitment.position_edit", "GET"): (POSITION, RUNNERS),
    ("recruitment.position_edit", "POST"): (POSITION, RUNNERS),
    ("recruitment.position_remove", "POST"): (POSITION + "/remove", RUNNERS_POST),
    ("recruitment.room_new", "GET"): (SETUP + "/rooms/new", RUNNERS),
    ("recruitment.room_new", "POST"): (SETUP + "/rooms/new", RUNNERS),
    ("recruitment.room_edit", "GET"): (ROOM, RUNNERS),
    ("recruitment.room_edit", "POST"): (ROOM, RUNNERS),
    ("recruitment.room_remove", "POST"): (ROOM + "/remove", RUNNERS_POST),
    ("recruitment.session_new", "GET"): (SETUP + "/sessions/new", RUNNERS),
    ("recruitment.session_new", "POST"): (SETUP + "/sessions/new", RUNNERS),
    ("recruitment.session_edit", "GET"): (SESSION + "/edit", RUNNERS),
    ("recruitment.session_edit", "POST"): (SESSION + "/edit", RUNNERS),
    ("recruitment.session_remove", "POST"): (SESSION + "/remove", RUNNERS_POST),
    ("recruitment.invigilators", "GET"): (SESSION + "/invigilators", RUNNERS),
    ("recruitment.invigilator_add", "POST"): (SESSION + "/invigilators", RUNNERS),
    ("recruitment.invigilator_remove", "POST"): (INVIGILATOR + "/remove", RUNNERS_POST),
    ("recruitment.apply", "GET"): ("/recruitment/{recruit}/apply", PUBLIC),
    # without the fields the form shows again with its errors
    ("recruitment.apply", "POST"): ("/recruitment/{recruit}/apply", PUBLIC),
}

DENIALS = {
    ("recruitment.recruitment_page", "GET"): Denial("hr", "/manage/recruitment/{out_recruit}"),
    ("recruitment.candidates", "GET"): Denial("hr", "/manage/recruitment/{out_recruit}/candidates"),
    ("recruitment.import_upload", "GET"): Denial("hr", "/manage/recruitment/{out_recruit}/import"),
    ("recruitment.import_upload", "POST"): Denial("hr", "/manage/recruitment/{out_recruit}/import"),
    ("recruitment.import_preview", "GET"): Denial(
        "hr", "/manage/recruitment/import/{recruit_import_token}"
    ),
    ("recruitment.import_preview", "POST"): Denial(
        "hr", "/manage/recruitment/import/{recruit_import_token}"
    ),
    ("recruitment.session_page", "GET"): Denial("hr", OUT_SESSION),
    ("recruitment.seat_all", "POST"): Denial("hr", OUT_SESSION + "/seat"),
    ("recruitment.admission_cards", "GET"): Denial("hr", OUT_SESSION + "/cards.pdf"),
    ("recruitment.invigilate", "GET"): Denial("hr", OUT_SESSION + "/invigilate"),
    ("recruitment.record_incident", "POST"): Denial(
        "hr", OUT_SESSION + "/incidents", data={"seat": "1", "minutes": "5", "note": "x"}
    ),
    ("recruitment.recruitment_edit", "GET"): Denial("hr", OUT_SETUP + "/edit"),
    ("recruitment.recruitment_edit", "POST"): Denial(
        "hr", OUT_SETUP + "/edit", data={"name": "Đổi tên", "year": "2026", "unit": "DN"}
    ),
    ("recruitment.position_new", "GET"): Denial("hr", OUT_SETUP + "/positions/new"),
    ("recruitment.position_new", "POST"): Denial(
        "hr", OUT_SETUP + "/positions/new", data={"code": "VT09", "title": "X", "unit": "DN"}
    ),
    # a position of TD2026 asked under XX2026, and XX2026's own position
    ("recruitment.position_edit", "GET"): (
        Denial("hr", OUT_SETUP + "/positions/{out_position}"),
        Denial("hr", "/manage/recruitment/{recruit}/positions/{out_position}"),
    ),
    ("recruitment.position_edit", "POST"): Denial(
        "hr", "/manage/recruitment/{recruit}/positions/{out_position}", data={"quota": "9"}
    ),
    ("recruitment.position_remove", "POST"): (
        Denial("hr", OUT_SETUP + "/positions/{out_position}/remove"),
        Denial("hr", "/manage/recruitment/{recruit}/positions/{out_position}/remove"),
    ),
    ("recruitment.room_new", "GET"): Denial("hr", OUT_SETUP + "/rooms/new"),
    ("recruitment.room_new", "POST"): Denial(
        "hr", OUT_SETUP + "/rooms/new", data={"name": "P9", "seats": "9"}
    ),
    ("recruitment.room_edit", "GET"): (
        Denial("hr", OUT_SETUP + "/rooms/{out_room}"),
        Denial("hr", "/manage/recruitment/{recruit}/rooms/{out_room}"),
    ),
    ("recruitment.room_edit", "POST"): Denial(
        "hr", "/manage/recruitment/{recruit}/rooms/{out_room}", data={"name": "P9", "seats": "9"}
    ),
    ("recruitment.room_remove", "POST"): Denial(
        "hr", "/manage/recruitment/{recruit}/rooms/{out_room}/remove"
    ),
    ("recruitment.session_new", "GET"): Denial("hr", OUT_SETUP + "/sessions/new"),
    ("recruitment.session_new", "POST"): Denial("hr", OUT_SETUP + "/sessions/new"),
    ("recruitment.session_edit", "GET"): Denial("hr", OUT_SESSION + "/edit"),
    ("recruitment.session_edit", "POST"): Denial("hr", OUT_SESSION + "/edit", data={"title": "x"}),
    ("recruitment.session_remove", "POST"): Denial("hr", OUT_SESSION + "/remove"),
    ("recruitment.invigilators", "GET"): Denial("hr", OUT_SESSION + "/invigilators"),
    ("recruitment.invigilator_add", "POST"): Denial(
        "hr", OUT_SESSION + "/invigilators", data={"username": "hr"}
    ),
    ("recruitment.invigilator_remove", "POST"): Denial(
        "hr", OUT_SESSION + "/invigilators/{recruit_invigilator}/remove"
    ),
}

DENIAL_EXEMPT = {
    "recruitment.apply": (
        "public: the online application form of a recruitment by its published code; it shows "
        "the recruitment's name and positions only, never a candidate"
    ),
    "recruitment.import_template": "the file format of an empty import template: no data",
}

URLS = {
    "recruitment.exam_start": "/exam/start",
    "recruitment.exam_paper": "/exam/paper",
    "recruitment.exam_save": "/exam/paper/save",
    "recruitment.import_upload": "/manage/recruitment/{recruit}/import",
    "recruitment.import_preview": "/manage/recruitment/import/{recruit_import_token}",
    "recruitment.seat_all": SESSION + "/seat",
    "recruitment.record_incident": SESSION + "/incidents",
    "recruitment.apply": "/recruitment/{recruit}/apply",
    "recruitment.recruitment_new": "/manage/recruitment/new",
    "recruitment.recruitment_edit": SETUP + "/edit",
    "recruitment.position_new": SETUP + "/positions/new",
    "recruitment.position_edit": POSITION,
    "recruitment.position_remove": POSITION + "/remove",
    "recruitment.room_new": SETUP + "/rooms/new",
    "recruitment.room_edit": ROOM,
    "recruitment.room_remove": ROOM + "/remove",
    "recruitment.session_new": SETUP + "/sessions/new",
    "recruitment.session_edit": SESSION + "/edit",
    "recruitment.session_remove": SESSION + "/remove",
    "recruitment.invigilator_add": SESSION + "/invigilators",
    "recruitment.invigilator_remove": INVIGILATOR + "/remove",
}

# Routes without a GET of their own: the page whose form posts to them.
FORM_PAGES = {
    "recruitment.position_remove": SETUP,
    "recruitment.room_remove": SETUP,
    "recruitment.session_remove": SESSION,
    "recruitment.invigilator_add": SESSION + "/invigilators",
    "recruitment.invigilator_remove": SESSION + "/invigilators",
}
