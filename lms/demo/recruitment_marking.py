"""Demo data of the marking of recruitment TD2026 (issue 28): two markers (`giamkhao1`,
`giamkhao2`, password Demo@2026) appointed by the demo HR officer, a written round-2 session with
typed answers for the recruitment's first candidates, marking opened and the first papers marked,
so the marker's pages and the secretary's page have something to show. Called with one line from
the recruitment demo loader once TD2026 and its candidates exist."""

from datetime import datetime

from sqlalchemy import select

from lms.assessments.models import BankQuestion
from lms.auth import services as auth
from lms.auth.models import User
from lms.extensions import db
from lms.recruitment import services as recruitment_services
from lms.recruitment.marking import services
from lms.recruitment.marking.models import Mark, MarkTurn
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


def load(recruitment, hr: User | None) -> None:
    """Markers, written papers and the first marks of `recruitment` (flushed). Does nothing when
    its marking is already open, or when it has no candidate or no essay question in any bank."""
    if services.at_least(services.round_of(recruitment), "open"):
        return
    candidates = db.session.scalars(
        select(Candidate).where(Candidate.recruitment_id == recruitment.id).order_by(Candidate.id)
    ).all()[: len(ANSWERS)]
    question = db.session.scalar(
        select(BankQuestion).where(BankQuestion.kind == "essay").order_by(BankQuestion.id)
    )
    if not candidates or question is None:
        return
    room = recruitment_services.add_room(recruitment, "Phòng thi viết 01", 30, hr)
    data = recruitment_services.SessionData(
        room.id, datetime(2026, 11, 21, 1), datetime(2026, 11, 21, 4), 180,
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
    marks = db.session.scalars(
        select(Mark).where(Mark.turn.in_((MarkTurn.FIRST, MarkTurn.SECOND))).order_by(Mark.id)
    ).all()
    by_paper: dict[int, dict[str, Mark]] = {}
    for mark in marks:
        by_paper.setdefault(mark.paper_id, {})[mark.turn] = mark
    by_user = {u.id: u for u in users}
    for (first, second), turns in zip(MARKS, list(by_paper.values()), strict=False):
        for turn, value in ((MarkTurn.FIRST, first), (MarkTurn.SECOND, second)):
            mark = turns[turn]
            services.submit_mark(mark, value, "", by_user.get(mark.marker_id))
