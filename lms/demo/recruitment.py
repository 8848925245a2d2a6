"""The demo recruitment (issue 28): TD2026 of the Department of Home Affairs with three positions,
a room, one computer-based session open from the day it is loaded for a year (code DN2026, ten
questions of the BB01 bank), twelve candidates seated in it, the login `candidate` among them,
and the HR demo login as invigilator; and its marking (lms.demo.recruitment_marking: markers, a
written round, marking open, two papers marked). Needs the demo and the courses imported
(BB01). Loading again changes nothing."""

from datetime import date, timedelta

from sqlalchemy import select

from lms.auth.models import User
from lms.catalog.models import Course
from lms.common import clock
from lms.demo import recruitment_marking
from lms.extensions import db
from lms.recruitment import services
from lms.recruitment.models import CandidateSource, Recruitment
from lms.recruitment.queries import unseated

CODE = "TD2026"
SESSION_CODE = "DN2026"
DEMO_PASSWORD = "Demo@2026"  # noqa: S105 (the documented demo password)
POSITIONS = (
    ("VT01", "Chuyên viên quản lý công chức, viên chức", "SNV", 2),
    ("VT02", "Chuyên viên pháp chế", "SNV", 1),
    ("VT03", "Công chức văn phòng - thống kê cấp xã", "P-HAICHAU", 1),
)
CANDIDATES = (
    ("Trần Minh Khoa", "VT01", date(1997, 3, 12), ""),
    ("Nguyễn Thị Thu Hà", "VT01", date(1999, 8, 2), "UT3"),
    ("Lê Quang Vinh", "VT01", date(1995, 11, 21), ""),
    ("Phạm Ngọc Ánh", "VT01", date(2000, 1, 30), "UT2"),
    ("Võ Thị Mỹ Linh", "VT02", date(1998, 6, 14), ""),
    ("Đặng Văn Tài", "VT02", date(1996, 9, 9), "UT3"),
    ("Huỳnh Thị Bích Ngọc", "VT02", date(2001, 4, 25), ""),
    ("Bùi Đức Thắng", "VT03", date(1994, 12, 1), "UT1"),
    ("Hồ Thị Kim Oanh", "VT03", date(1999, 2, 17), ""),
    ("Ngô Thanh Tùng", "VT03", date(1997, 7, 7), ""),
    ("Dương Thị Hồng Nhung", "VT01", date(1998, 10, 19), "UT2"),
)


def _hr() -> User | None:
    return db.session.scalar(select(User).where(User.username == "hr"))


def load_recruitment(today: date | None = None) -> int:
    """Load the demo recruitment once, and its marking (also into a TD2026 loaded before the
    marking demo existed); returns the candidates added (0: already there)."""
    existing = db.session.scalar(select(Recruitment).where(Recruitment.code == CODE))
    if existing is not None:
        recruitment_marking.load(existing, _hr())
        return 0
    today = today or clock.today()
    item = services.create_recruitment(
        CODE,
        "Kỳ thi tuyển công chức Sở Nội vụ và phường Hải Châu năm 2026",
        2026,
        "DN",
        actor=None,
        opens_on=today - timedelta(days=30),
        closes_on=today + timedelta(days=30),
        status="exams",
    )
    for code, title, unit, quota in POSITIONS:
        services.add_position(item, code, title, unit, quota, actor=None)
    room = services.add_room(item, "Phòng 101", 40, None, "Trung tâm Hành chính thành phố, tầng 1")
    bank = db.session.scalar(select(Course.id).where(Course.code == "BB01"))
    session = services.create_session(
        item,
        services.SessionData(
            room_id=room.id,
            starts_at=clock.start_of_day(today),
            ends_at=clock.start_of_day(today + timedelta(days=366)),
            duration_minutes=30,
            title="Vòng 1 — Kiến thức chung (thi trên máy tính)",
            subject="general",
            bank_course_id=bank,
            blueprint=({"category": "", "difficulty": "", "count": 10},),
            code=SESSION_CODE,
        ),
        actor=None,
    )
    services.register_candidate(
        item,
        services.NewCandidate(
            "VT01", "Trương Thị Thí Sinh", date(1998, 5, 17), "048198000001",
            email="candidate@example.vn", source=CandidateSource.MANUAL,
            password=DEMO_PASSWORD, username="candidate",
        ),
        actor=None,
    )  # fmt: skip
    for n, (name, position, born_on, priority) in enumerate(CANDIDATES, start=2):
        data = services.NewCandidate(
            position, name, born_on, f"0481980000{n:02d}", priority_code=priority
        )
        services.register_candidate(item, data, actor=None)
    services.seat_candidates(session, unseated(session), actor=None)
    hr = _hr()
    if hr is not None:
        services.add_invigilator(session, hr.id, actor=None)
    db.session.flush()
    recruitment_marking.load(item, hr)
    return len(CANDIDATES) + 1
