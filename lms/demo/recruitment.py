"""The demo recruitment (issue 28): TD2026 of the Department of Home Affairs with three positions,
its online applications closed three weeks before it was loaded (status: exams), a room, one
computer-based round-1 session (code DN2026, ten questions of the BB01 bank) open from 07:00 to
22:00 (Vietnam time) on the day `make run` runs, twelve candidates seated in it, the login
`candidate` among them, and the HR demo login as invigilator; and its marking
(lms.demo.recruitment_marking: markers, a written round 2 a week after, marking open, two
papers marked). Needs the demo and the courses imported (BB01).

Loading again adds nothing; it moves the round-1 session to today while nobody has started it
(so `candidate` can always sit the paper), and closes the applications of a TD2026 loaded when
they were left open during the exams."""

from datetime import date, datetime, timedelta

from sqlalchemy import select

from lms.auth.models import User
from lms.catalog.models import Course
from lms.common import clock
from lms.demo import recruitment_marking
from lms.extensions import db
from lms.recruitment import services
from lms.recruitment.models import CandidateSource, ExamAttempt, ExamSession, Recruitment
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


def session_hours(day: date) -> tuple[datetime, datetime]:
    """07:00 and 22:00 of `day` in Vietnam, as stored (naive UTC)."""
    midnight = clock.start_of_day(day)
    return midnight + timedelta(hours=7), midnight + timedelta(hours=22)


def _keep_current(item: Recruitment, today: date) -> None:
    """Move the round-1 demo session to today while no candidate has started it, and close
    applications left open during the exams (a TD2026 loaded before this rule). Flushed."""
    if item.applications_close_on is None or item.applications_close_on >= today:
        closes = today - timedelta(days=21)
        opens = item.applications_open_on or closes
        item.applications_close_on = closes
        item.applications_open_on = min(opens, closes - timedelta(days=30))
    session = db.session.scalar(
        select(ExamSession).where(
            ExamSession.recruitment_id == item.id, ExamSession.code == SESSION_CODE
        )
    )
    started = session is not None and db.session.scalar(
        select(ExamAttempt.id).where(ExamAttempt.session_id == session.id).limit(1)
    )
    if session is not None and not started:
        session.starts_at, session.ends_at = session_hours(today)
    db.session.flush()


def load_recruitment(today: date | None = None) -> int:
    """Load the demo recruitment once, and its marking (also into a TD2026 loaded before the
    marking demo existed); returns the candidates added (0: already there)."""
    today = today or clock.today()
    existing = db.session.scalar(select(Recruitment).where(Recruitment.code == CODE))
    if existing is not None:
        _keep_current(existing, today)
        recruitment_marking.load(existing, _hr(), today)
        return 0
    item = services.create_recruitment(
        CODE,
        "Kỳ thi tuyển công chức Sở Nội vụ và phường Hải Châu năm 2026",
        2026,
        "DN",
        actor=None,
        opens_on=today - timedelta(days=51),
        closes_on=today - timedelta(days=21),
        status="exams",
    )
    for code, title, unit, quota in POSITIONS:
        services.add_position(item, code, title, unit, quota, actor=None)
    room = services.add_room(item, "Phòng 101", 40, None, "Trung tâm Hành chính thành phố, tầng 1")
    bank = db.session.scalar(select(Course.id).where(Course.code == "BB01"))
    starts_at, ends_at = session_hours(today)
    session = services.create_session(
        item,
        services.SessionData(
            room_id=room.id,
            starts_at=starts_at,
            ends_at=ends_at,
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
    recruitment_marking.load(item, hr, today)
    return len(CANDIDATES) + 1
