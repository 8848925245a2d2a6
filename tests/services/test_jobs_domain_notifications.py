"""Notifications sent by the domains through lms.jobs.notify, each received once in the inbox and
by a real SMTP server in the user's language: test graded (automatically, and an essay graded
later), certificate issued and revoked, external training approved or rejected, a mandatory
course assigned by a refresh (with the rule that keeps a cycle's first bulk creation quiet),
and the nightly job's warning of expiring certificates."""

import random
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from lms.assessments import attempts, grading, quizzes
from lms.assessments.models import GRADED, SUBMITTED
from lms.auth.models import User
from lms.certificates import services as certificates
from lms.certificates.models import Certificate
from lms.curricula.completions.services import CompletionData, record_completion
from lms.curricula.cycles.models import Curriculum, CurriculumCourse
from lms.curricula.external import services as external
from lms.curricula.external.models import ExternalRecord
from lms.curricula.obligations import engine as obligations
from lms.curricula.obligations import notices
from lms.curricula.obligations.models import MANDATORY
from lms.errors import RuleViolation
from lms.extensions import db as _db
from lms.jobs.models import DONE, MAIL_SENT, JobRun, Notification
from lms.organisation import services as org
from lms.organisation.models import Position
from tests.factories import (
    TEST_SETTINGS,
    make_certificate_scene,
    make_completion,
    make_course,
    make_curriculum,
    make_cycle,
    make_leave,
    make_login,
    make_official,
    make_test_course,
)
from tests.services import test_assessments_attempts as quiz_tests
from tests.services import test_curricula_obligations as obligation_tests
from tests.services.test_jobs_notifications_mail import smtp  # noqa: F401 (fixture)


def inbox(user_id: int, kind: str | None = None) -> list[Notification]:
    _db.session.expire_all()
    stmt = select(Notification).where(Notification.user_id == user_id)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return list(_db.session.scalars(stmt.order_by(Notification.id)))


def certificate_mails(server) -> list:
    """The holder's mails about their certificates (not the course evaluation's)."""
    return [m for m in server.to("anh@danang.gov.vn") if "chứng nhận" in m["Subject"]]


def with_address(user: User, address: str, locale: str | None = None) -> User:
    user.email, user.locale = address, locale
    _db.session.commit()
    return user


# --- test graded --------------------------------------------------------------------------------


@pytest.fixture
def quiz(world, assets_dir, freeze):
    freeze(quiz_tests.START)
    return quizzes.quiz_of(make_test_course())


def test_an_automatically_graded_test_notifies_its_official_once(db, world, quiz, smtp):  # noqa: F811
    learner = with_address(world["learner"], "learner@danang.gov.vn")
    attempt = attempts.start_attempt(quiz, quiz_tests.official_id(), random.Random(3))
    attempts.save_responses(attempt, quiz_tests.form_for(attempt))
    attempts.submit(attempt)
    attempts.submit(attempt)  # sent twice: graded once
    db.session.commit()

    [note] = inbox(learner.id)
    assert (note.kind, note.key) == ("test_graded", f"attempt:{attempt.id}")
    assert note.link == f"/attempts/{attempt.id}/review"
    [mail] = smtp.to("learner@danang.gov.vn")
    title = quiz.course.title
    assert mail["Subject"] == f"Đã có kết quả bài kiểm tra: {title}"
    assert "đã được chấm: 100% — Đạt." in mail.get_body(("plain",)).get_content()
    assert note.email_state == MAIL_SENT


def test_an_essay_notifies_when_the_grader_gives_the_last_mark_not_at_submit(
    db,
    world,
    freeze,
    assets_dir,
    smtp,  # noqa: F811
):
    freeze(quiz_tests.START)
    course = make_test_course("TE01", quiz_tests.ESSAY_BANK, {**TEST_SETTINGS, "questions": 0})
    quiz = quizzes.quiz_of(course)
    learner = with_address(world["learner"], "learner@danang.gov.vn", locale="en")
    attempt = attempts.start_attempt(quiz, quiz_tests.official_id(), random.Random(10))
    attempts.save_responses(attempt, quiz_tests.form_for(attempt, only={"L1", "E1"}))
    attempts.submit(attempt)
    db.session.commit()
    assert attempt.status == SUBMITTED
    assert inbox(learner.id) == []  # no final score yet

    slot = next(s for s in attempt.slots if s.question.key == "E1")
    grading.grade_essay(slot, Decimal("1"), "Tốt", world["manager"])
    db.session.commit()
    grading.grade_essay(slot, Decimal("0.5"), "Sửa lại", world["manager"])  # a corrected mark
    db.session.commit()
    assert _db.session.get(type(attempt), attempt.id).status == GRADED

    [note] = inbox(learner.id)
    assert note.kind == "test_graded" and note.locale == "en"
    [mail] = smtp.to("learner@danang.gov.vn")
    assert mail["Subject"].startswith("Your test is graded: ")
    assert "has been graded: 40% — not passed." in mail.get_body(("plain",)).get_content()


# --- certificates -------------------------------------------------------------------------------


@pytest.fixture
def holder(cert_tests_setup):
    course, official = cert_tests_setup
    user = with_address(make_login(official), "anh@danang.gov.vn")
    return course, official, user


@pytest.fixture
def cert_tests_setup(db, assets_dir, freeze):
    freeze(date(2026, 3, 20))
    return make_certificate_scene()


def test_an_issued_certificate_and_its_revocation_each_notify_the_holder_once(
    holder,
    db,
    smtp,  # noqa: F811
):
    course, official, user = holder
    completion = make_completion(official, course, commit=True)  # the queue issues it at the commit
    certificate = _db.session.scalar(select(Certificate))
    assert certificate.completion_id == completion.id
    certificates.issue_for(completion)  # again: the same certificate, no new notice
    db.session.commit()

    [issued] = inbox(user.id, "certificate_issued")
    assert (issued.kind, issued.key) == ("certificate_issued", f"certificate:{certificate.id}")
    assert issued.link == "/me/certificates"
    # The completion also asks for the course evaluation (issue 26), once, in its own mail.
    assert len(inbox(user.id, "evaluation_requested")) == 1
    [mail] = certificate_mails(smtp)
    assert mail["Subject"] == f"Giấy chứng nhận đã được cấp: {course.title}"
    assert f"số hiệu {certificate.serial}" in mail.get_body(("plain",)).get_content()

    certificates.revoke(certificate, "altered", "Sửa điểm", None)
    db.session.commit()
    [revoked] = inbox(user.id, "certificate_revoked")
    from flask_babel import force_locale

    from lms.certificates.models import RevocationReason

    with force_locale("vi"):
        reason = str(RevocationReason.ALTERED.label)
    assert f"Lý do: {reason}." in revoked.body and certificate.serial in revoked.body
    assert len(certificate_mails(smtp)) == 2
    with pytest.raises(RuleViolation):
        certificates.revoke(certificate, "altered", "", None)  # already revoked: nothing sent
    _db.session.rollback()
    assert len(inbox(user.id, "certificate_issued") + inbox(user.id, "certificate_revoked")) == 2


def test_a_reissue_tells_of_the_new_certificate_not_of_a_revocation(holder, db):
    course, official, user = holder
    make_completion(official, course, commit=True)
    old = _db.session.scalar(select(Certificate))
    new = certificates.reissue(old, "Sai tên", None)
    db.session.commit()
    notes = inbox(user.id, "certificate_issued") + inbox(user.id, "certificate_revoked")
    assert [(n.kind, n.key) for n in notes] == [
        ("certificate_issued", f"certificate:{old.id}"),
        ("certificate_issued", f"certificate:{new.id}"),
    ]


def test_a_historical_certificate_with_its_past_date_notifies_nobody(holder, db, idle_queue):
    course, official, user = holder
    completion = make_completion(
        official, course, on=date(2024, 6, 3), source="historical", commit=True
    )
    certificates.issue_for(completion, issued_on=date(2024, 6, 10))
    db.session.commit()
    assert inbox(user.id) == []


@pytest.fixture
def idle_queue(app, tmp_path, monkeypatch):
    """A queue no worker consumes (jobs wait)."""
    from lms.jobs.queue import get_queue

    monkeypatch.setitem(app.config, "LMS_QUEUE_URL", f"sqlite:///{tmp_path}/idle.sqlite3")
    queue = get_queue(app)
    yield queue
    queue.huey.flush()
    app.extensions.pop("lms_queue", None)


# --- external training --------------------------------------------------------------------------


def _external(official_id: int, title: str) -> ExternalRecord:
    record = ExternalRecord(
        official_id=official_id,
        title=title,
        organiser="Học viện Hành chính Quốc gia",
        starts_on=date(2026, 5, 4),
        ends_on=date(2026, 5, 8),
        periods=24,
        status="submitted",
    )
    _db.session.add(record)
    _db.session.commit()
    return record


def test_external_training_approved_or_rejected_notifies_once(db, world, smtp):  # noqa: F811
    learner = with_address(world["learner"], "learner@danang.gov.vn")
    english = with_address(world["reviewer"], "reviewer@danang.gov.vn", locale="en")
    approved = _external(learner.official_id, "Hội thảo chuyển đổi số")
    rejected = _external(english.official_id, "Digital skills workshop")
    external.approve(approved, Decimal("1.5"), world["hr"])
    external.reject(rejected, "Thiếu giấy chứng nhận", world["hr"])
    db.session.commit()
    with pytest.raises(RuleViolation):
        external.approve(_db.session.get(ExternalRecord, approved.id), Decimal("1"), world["hr"])
    _db.session.rollback()

    [yes] = inbox(learner.id)
    assert (yes.kind, yes.key) == ("external_approved", f"external:{approved.id}")
    [mail] = smtp.to("learner@danang.gov.vn")
    assert mail["Subject"] == "Đã công nhận khóa bồi dưỡng bên ngoài: Hội thảo chuyển đổi số"
    assert "với 1,5 tín chỉ được ghi vào sổ tín chỉ" in mail.get_body(("plain",)).get_content()
    [no] = inbox(english.id)
    assert no.kind == "external_rejected"
    [mail] = smtp.to("reviewer@danang.gov.vn")
    assert mail["Subject"] == "External training not approved: Digital skills workshop"
    assert "Reason: Thiếu giấy chứng nhận" in mail.get_body(("plain",)).get_content()


# --- mandatory course assigned ------------------------------------------------------------------


@pytest.fixture
def curricula(db, freeze):
    """As tests/services/test_curricula_obligations.py: CM-CCVC needs BB01 and VT01, XA-MC BB01 and
    VT02; cycle 2026; today 01/06/2026."""
    from tests.factories import make_units

    freeze(date(2026, 6, 1))
    make_units()
    courses = {code: make_course(code) for code in ("BB01", "VT01", "VT02")}
    make_curriculum("CM-CCVC", "3", [courses["BB01"], courses["VT01"]])
    make_curriculum("XA-MC", "4", [courses["BB01"], courses["VT02"]])
    cycle = make_cycle()
    _db.session.commit()
    return courses, cycle


def _assigned(user_id: int) -> list[tuple[str, str]]:
    return [(n.key, n.context["course_code"]) for n in inbox(user_id, "course_assigned")]


def test_a_cycles_first_bulk_creation_is_quiet_and_a_later_change_is_announced_once(
    curricula,
    db,
    smtp,  # noqa: F811
):
    courses, cycle = curricula
    official = make_official("A1", "Nguyễn Văn An")  # CM-CCVC: BB01, VT01
    db.session.commit()  # first computation of the cycle for this official
    user = with_address(make_login(official), "an@danang.gov.vn")
    others = [make_official(f"B{n}", f"Cán bộ {n}") for n in range(3)]
    db.session.commit()
    for other in others:
        make_login(other)
    assert set(obligation_tests.obligations_of(official, cycle)) == {
        ("BB01", MANDATORY),
        ("VT01", MANDATORY),
    }
    assert _db.session.scalar(select(func.count()).select_from(Notification)) == 0

    # the post changes: XA-MC adds VT02 (BB01 stays, VT01 is withdrawn)
    org.change_position(official, org.AssignmentData("P-HAICHAU", "XA-MC", date(2026, 6, 1)), None)
    db.session.commit()
    assert _assigned(user.id) == [(f"obligation:{cycle.id}:{courses['VT02'].id}:mandatory", "VT02")]
    [mail] = smtp.to("an@danang.gov.vn")
    assert mail["Subject"] == "Khóa học bắt buộc mới: Khóa học VT02"
    assert "hạn hoàn thành ngày 28/11/2026" in mail.get_body(("plain",)).get_content()

    # the nightly refresh of everyone writes nothing new and announces nothing more
    obligations.refresh_all()
    db.session.commit()
    assert _db.session.scalar(select(func.count()).select_from(Notification)) == 1

    # the curriculum changes: a course added to XA-MC is announced to its holder only
    extra = make_course("KN01")
    curriculum = _db.session.scalar(
        select(Curriculum).join(Position).where(Position.code == "XA-MC")
    )
    curriculum.courses.append(CurriculumCourse(course_id=extra.id))
    db.session.flush()
    obligations.refresh_open_cycles([official.id, *(o.id for o in others)])
    db.session.commit()
    assert [code for _key, code in _assigned(user.id)] == ["VT02", "KN01"]
    assert _db.session.scalar(select(func.count()).select_from(Notification)) == 2


def test_only_the_current_cycle_announces(curricula, db):
    _courses, cycle = curricula
    official = make_official("A1", "Nguyễn Văn An")
    next_cycle = make_cycle(2027)
    db.session.commit()
    user = make_login(official)
    obligations.refresh([official.id], next_cycle)  # first computation of 2027
    db.session.commit()
    org.change_position(official, org.AssignmentData("P-HAICHAU", "XA-MC", date(2026, 6, 1)), None)
    db.session.commit()  # new obligations in 2026 (announced) and in 2027 (not yet current)
    keys = [key for key, _code in _assigned(user.id)]
    assert keys and all(key.startswith(f"obligation:{cycle.id}:") for key in keys)


@pytest.mark.parametrize(
    ("had_target", "status", "today", "expected"),
    [
        (True, "open", date(2026, 6, 1), True),
        (False, "open", date(2026, 6, 1), False),  # first computation (bulk, new hire)
        (True, "done", date(2026, 6, 1), False),  # already satisfied by a completion
        (True, "open", date(2025, 12, 31), False),  # the cycle has not started
    ],
)
def test_the_announcement_rule(had_target, status, today, expected):
    from lms.curricula.cycles.models import Cycle

    cycle = Cycle(year=2026, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))
    assert notices.announces(cycle, had_target, status, today) is expected


# --- the nightly job warns of expiring certificates -------------------------------------------


def test_the_nightly_job_warns_of_expiring_certificates_once(holder, db, freeze, smtp):  # noqa: F811
    course, official, user = holder
    record_completion(
        CompletionData(official.id, course.id, date(2026, 3, 10), "online", "nightly:1")
    )
    db.session.commit()  # issued now; valid 36 months: expires 10/03/2029
    certificate = _db.session.scalar(select(Certificate))
    assert certificate.expires_on == date(2029, 3, 10)
    from lms.jobs import enqueue

    freeze(date(2029, 1, 20))  # 49 days before expiry
    run = enqueue("nightly", key="nightly:2029-01-20")
    db.session.commit()
    again = enqueue("nightly", key="nightly:2029-01-21", as_of="2029-01-21")
    db.session.commit()
    for job in (run, again):
        finished = _db.session.get(JobRun, job.id)
        assert finished.status == DONE, finished.error
    first = _db.session.get(JobRun, run.id).result
    assert first["certificates"] == {"certificate_expiring": 1}
    assert first["obligations"]["cycles"] == []
    [warning] = inbox(user.id, "certificate_expiring")
    assert warning.key == f"certificate:{certificate.id}:2029-03-10"
    mails = [m for m in smtp.to("anh@danang.gov.vn") if "sắp hết hạn" in m["Subject"]]
    assert len(mails) == 1
    assert (
        "hết hạn vào ngày 10/03/2029 (còn 49 ngày)" in mails[0].get_body(("plain",)).get_content()
    )


def test_an_official_on_exempting_leave_is_not_told_of_a_new_course(curricula, db, freeze):
    """Maternity leave 01/05–31/10/2026: a course assigned on 01/06 reaches no inbox; the same
    change for a colleague at work is announced. Leave ending the day before the change (the
    day after the boundary) no longer holds the notice back."""
    courses, cycle = curricula
    away = make_official("A1", "Nguyễn Thị An")
    here = make_official("A2", "Trần Văn Bình")
    back = make_official("A3", "Lê Thị Cúc")
    db.session.commit()
    users = {o.employee_code: make_login(o) for o in (away, here, back)}
    make_leave(away, date(2026, 5, 1), date(2026, 10, 31))
    make_leave(back, date(2026, 1, 1), date(2026, 5, 31))  # back at work on 01/06
    db.session.commit()
    for official in (away, here, back):
        org.change_position(
            official, org.AssignmentData("P-HAICHAU", "XA-MC", date(2026, 6, 1)), None
        )
    db.session.commit()
    vt02 = f"obligation:{cycle.id}:{courses['VT02'].id}:mandatory"
    assert _assigned(users["A1"].id) == []
    assert _assigned(users["A2"].id) == [(vt02, "VT02")]
    assert _assigned(users["A3"].id) == [(vt02, "VT02")]
