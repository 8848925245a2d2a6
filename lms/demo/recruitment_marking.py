"""Demo data of the marking of recruitment TD2026 (issue 28): two markers (`giamkhao1`,
`giamkhao2`, password Demo@2026) appointed by the demo HR officer, a written round-2 session (a
week after the round-1 session of the day the demo is loaded, 08:00–11:00) with typed answers
for the recruitment's first candidates, marking opened and the first papers marked, so the
marker's pages and the secretary's page have something to show. The essay question the answers
belong to is the first of any bank, else one in a draft bank-only course `TDVIET` (the demo
courses have no essay question, and one added to BB01 would be drawn into the round-1 paper
and the learners' tests). Called by the recruitment demo loader
(lms.demo.recruitment.load_recruitment), every time: it does nothing once marking is open."""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from lms.assessments.models import BankQuestion, QuestionCategory
from lms.auth import services as auth
from lms.auth.models import User
from lms.catalog import services as catalog
from lms.catalog.models import Course
from lms.common import clock
from lms.extensions import db
from lms.recruitment import services as recruitment_services
from lms.recruitment.marking import services
from lms.recruitment.marking.models import Mark, MarkTurn, Paper
from lms.recruitment.models import Candidate, ExamAttempt, ExamSlot

DEMO_PASSWORD = "Demo@2026"  # noqa: S105  (documented demo logins)
MARKERS = (("giamkhao1", "Trương Văn Chấm"), ("giamkhao2", "Nguyễn Thị Phách"))
ANSWERS = (
    "Quy trình tiếp nhận hồ sơ tại bộ phận một cửa gồm: kiểm tra thành phần hồ sơ, hướng dẫn bổ "
    "sung, lập phiếu hẹn trả kết quả và chuyển hồ sơ cho phòng chuyên môn.",
    "Cải cách hành chính nhằm đơn giản hoá thủ tục, rút ngắn thời gian giải quyết và tăng mức độ "
    "hài lòng của người dân; cần số hoá hồ sơ và công khai quy trình.",
    "Công chức phải tận tuỵ, công tâm, giữ bí mật nhà nước và chấp hành quyết định của cấp trên.",
)
MARKS = (("72", "75"), ("58", "70.5"))  # the first two papers; the second needs a third marker
BANK_CODE = "TDVIET"
ESSAY = "Trình bày quy trình tiếp nhận và giải quyết hồ sơ theo cơ chế một cửa tại cơ quan anh/chị."


def _essay_question(hr: User | None) -> BankQuestion:
    """The first essay question of any bank, else the one of the draft course TDVIET."""
    found = db.session.scalar(
        select(BankQuestion).where(BankQuestion.kind == "essay").order_by(BankQuestion.id)
    )
    if found is not None:
        return found
    course = db.session.scalar(select(Course).where(Course.code == BANK_CODE))
    if course is None:
        data = catalog.CourseData(
            code=BANK_CODE,
            title="Ngân hàng câu hỏi thi viết tuyển dụng TD2026 (không phải khóa học)",
            credits=Decimal(0),
            periods=0,
            content_area="ND3",
            kind="elective",
            delivery="online",
            certificate="none",
        )
        course = catalog.create_course(data, None, actor=hr)  # stays a draft: no learner sees it
    category = QuestionCategory(course_id=course.id, path="")
    db.session.add(category)
    db.session.flush()
    question = BankQuestion(
        course_id=course.id, category_id=category.id, key="tuluan-motcua", kind="essay",
        name="Tự luận: cơ chế một cửa", text=ESSAY,
    )  # fmt: skip
    db.session.add(question)
    db.session.flush()
    return question


def _markers(hr: User | None) -> list[User]:
    users = []
    for username, name in MARKERS:
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            user = auth.create_user(
                auth.NewUser(username, DEMO_PASSWORD, name, must_change_password=False), hr
            )
        users.append(user)
    return users


def load(recruitment, hr: User | None, today: date | None = None) -> None:
    """Markers, written papers and the first marks of `recruitment` (flushed), the written
    session a week after `today` (round 1's day). Does nothing when its marking is already open,
    or when it has no candidate."""
    if services.at_least(services.round_of(recruitment), "open"):
        return
    candidates = db.session.scalars(
        select(Candidate).where(Candidate.recruitment_id == recruitment.id).order_by(Candidate.id)
    ).all()[: len(ANSWERS)]
    if not candidates:
        return
    question = _essay_question(hr)
    room = recruitment_services.add_room(recruitment, "Phòng thi viết 01", 30, hr)
    day = clock.start_of_day((today or clock.today()) + timedelta(days=7))
    data = recruitment_services.SessionData(
        room.id, day + timedelta(hours=8), day + timedelta(hours=11), 180,
        title="Vòng 2 — thi viết chuyên ngành", round=2, subject="professional",
    )  # fmt: skip
    session = recruitment_services.create_session(recruitment, data, hr)
    recruitment_services.seat_candidates(session, list(candidates), hr)
    for candidate, text in zip(candidates, ANSWERS, strict=False):
        attempt = ExamAttempt(
            session_id=session.id, candidate_id=candidate.id, status="submitted",
            deadline_at=session.ends_at, submitted_at=session.ends_at,
        )  # fmt: skip
        db.session.add(attempt)
        db.session.flush()
        db.session.add(
            ExamSlot(
                attempt_id=attempt.id, question_id=question.id, position=1, response={"text": text}
            )  # fmt: skip
        )
    db.session.flush()
    users = _markers(hr)
    for user in users:
        services.appoint_marker(recruitment, user.username, hr)
    services.open_marking(recruitment, hr)
    marking_round = services.round_of(recruitment)
    marks = db.session.scalars(
        select(Mark)
        .join(Paper, Paper.id == Mark.paper_id)
        .where(Paper.round_id == marking_round.id, Mark.turn.in_((MarkTurn.FIRST, MarkTurn.SECOND)))
        .order_by(Mark.id)
    ).all()
    by_paper: dict[int, dict[str, Mark]] = {}
    for mark in marks:
        by_paper.setdefault(mark.paper_id, {})[mark.turn] = mark
    by_user = {u.id: u for u in users}
    for (first, second), turns in zip(MARKS, list(by_paper.values()), strict=False):
        for turn, value in ((MarkTurn.FIRST, first), (MarkTurn.SECOND, second)):
            mark = turns[turn]
            services.submit_mark(mark, value, "", by_user.get(mark.marker_id))
