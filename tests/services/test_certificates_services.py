"""Issuing certificates: idempotent per completion, gap-free serials per issuer and year (also
under concurrency on PostgreSQL), a frozen copy of the holder and course, revocation with the
reasons of Circular 03/2023, re-issue, and the logged public look-up. The fixtures here
(`setup`, `idle_worker`) are shared by the other certificate tests."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.catalog.models import Course
from lms.certificates import services
from lms.certificates.models import Certificate, SerialCounter, VerificationLog
from lms.curricula.completions.models import Completion
from lms.curricula.completions.services import CompletionData, record_completion
from lms.curricula.ledger import seals
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from tests.factories import (
    import_course,
    make_certificate_scene,
    make_completion,
    make_official,
)


@pytest.fixture
def idle_worker(app, tmp_path, monkeypatch):
    """A real queue (SQLite) that no worker consumes: a completion's `certificates.issue` job
    waits there, so the completion stays "requested" and the test calls the services itself,
    as the job would."""
    from lms.jobs.queue import get_queue

    monkeypatch.setitem(app.config, "LMS_QUEUE_URL", f"sqlite:///{tmp_path}/jobs.sqlite3")
    queue = get_queue(app)
    yield queue
    queue.huey.flush()
    app.extensions.pop("lms_queue", None)


@pytest.fixture
def setup(idle_worker, live_setup):
    """Units, one course, one official; today is 20/03/2026; no worker runs the queue."""
    return live_setup


@pytest.fixture
def live_setup(db, assets_dir, freeze):
    """The same under the immediate queue of the tests (a worker that runs jobs at once)."""
    freeze(date(2026, 3, 20))
    return make_certificate_scene()


def test_a_completion_requests_its_certificate_and_the_queue_issues_it_after_the_commit(
    live_setup,
):
    from lms.jobs.models import DONE, JobRun

    course, official = live_setup
    recorded = record_completion(
        CompletionData(official.id, course.id, date(2026, 3, 10), "online", "test:live")
    )
    assert recorded.completion.certificate_state == "requested"
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0
    db.session.commit()  # the immediate queue runs `certificates.issue` now

    completion = db.session.get(Completion, recorded.completion.id)
    assert completion.certificate_state == "issued"
    [certificate] = db.session.scalars(select(Certificate)).all()
    assert (certificate.completion_id, certificate.serial) == (completion.id, "DN-2026-000001")
    run = db.session.scalar(select(JobRun).where(JobRun.name == "certificates.issue"))
    assert (run.key, run.status) == (f"certificates.issue:{completion.id}", DONE)
    assert run.result == {"issued": "DN-2026-000001"}
    # recording the same completion again queues nothing more
    record_completion(
        CompletionData(official.id, course.id, date(2026, 3, 10), "online", "test:live")
    )
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(JobRun)) == 1
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1


def test_issuing_copies_the_holder_course_and_result_and_marks_the_completion(setup):
    course, official = setup
    completion = make_completion(official, course, score=Decimal("8.5"), commit=True)
    assert completion.certificate_state == "requested"  # its job waits for a worker

    certificate = services.issue_for(completion, actor=None)
    db.session.commit()

    assert certificate.serial == "DN-2026-000001"
    assert certificate.kind == "giay_chung_nhan"
    assert certificate.holder_name == "Nguyễn Thị Ngọc Ánh"
    assert certificate.holder_birth_date == date(1990, 5, 4)
    assert certificate.holder_unit == "Ủy ban nhân dân phường Hải Châu"
    assert certificate.course_title == course.title
    assert (certificate.credits, certificate.periods) == (Decimal("2.00"), 30)
    assert certificate.score == Decimal("8.5")
    assert certificate.issued_on == date(2026, 3, 20)
    assert certificate.expires_on == date(2029, 3, 10)  # completion + 36 months
    assert certificate.issuer_name == "Ủy ban nhân dân thành phố Đà Nẵng"
    assert certificate.language == "vi"
    assert len(certificate.verification_code) >= 20
    assert db.session.get(Completion, completion.id).certificate_state == "issued"
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "certificate.issued"))
    assert audit.object_id == "DN-2026-000001"


def test_issuing_twice_issues_once(setup):
    course, official = setup
    completion = make_completion(official, course, commit=True)
    first = services.issue_for(completion)
    second = services.issue_for(completion)
    db.session.commit()
    report = services.issue_requested()
    db.session.commit()
    assert first.id == second.id
    assert report.issued == []
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1
    assert db.session.get(SerialCounter, ("DN", 2026)).last_number == 1


def test_issue_requested_serves_every_pending_completion_with_consecutive_serials(setup):
    course, official = setup
    other = import_course("BB02")
    third = import_course("TC01", certificate="none")
    completions = [
        make_completion(official, course, commit=True),
        make_completion(official, other, commit=True),
    ]
    make_completion(official, third, commit=True)  # no certificate requested
    report = services.issue_requested()
    db.session.commit()
    assert [c.serial for c in report.issued] == ["DN-2026-000001", "DN-2026-000002"]
    assert all(c.certificate_state == "issued" for c in completions)
    assert services.issue_requested().issued == []


def test_serials_restart_each_year_and_are_kept_per_issuer(setup, freeze):
    course, official = setup
    snv_course = import_course("LD02")
    snv_course.owner_unit_id = db.session.scalar(
        select(Course.owner_unit_id).where(Course.code == "BB01")
    )
    from lms.organisation.models import OrgUnit

    snv_course.owner_unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "SNV"))
    db.session.commit()
    a = services.issue_for(make_completion(official, course, commit=True))
    b = services.issue_for(make_completion(official, snv_course, commit=True))
    freeze(date(2027, 1, 2))
    c = services.issue_for(
        make_completion(official, import_course("VT01"), on=date(2027, 1, 2), commit=True)
    )
    db.session.commit()
    assert (a.serial, b.serial, c.serial) == ("DN-2026-000001", "SNV-2026-000001", "DN-2027-000001")


def test_a_backdated_historical_certificate_takes_its_years_serial(setup):
    course, official = setup
    completion = make_completion(
        official, course, on=date(2024, 6, 3), source="historical", commit=True
    )
    certificate = services.issue_for(completion, issued_on=date(2024, 6, 10))
    db.session.commit()
    assert certificate.serial == "DN-2024-000001"
    assert certificate.issued_on == date(2024, 6, 10)


def test_a_course_without_certificate_or_a_revoked_completion_is_refused(setup):
    course, official = setup
    completion = make_completion(official, course, commit=True)
    completion.revoked_at = completion.created_at
    with pytest.raises(RuleViolation):
        services.issue_for(completion)
    with pytest.raises(ValidationFailed):
        services.issue_for(
            make_completion(official, import_course("BB02"), commit=True), language="fr"
        )


def test_a_completion_whose_course_stopped_giving_certificates_is_closed(setup):
    course, official = setup
    completion = make_completion(official, course, commit=True)
    course.certificate = "none"
    db.session.commit()
    report = services.issue_requested()
    db.session.commit()
    assert report.issued == [] and len(report.skipped) == 1
    assert db.session.get(Completion, completion.id).certificate_state == "none"


def test_the_certificate_keeps_what_it_certified_when_the_official_changes(setup):
    course, official = setup
    certificate = services.issue_for(make_completion(official, course, commit=True))
    official.full_name = "Nguyễn Thị Ngọc Ánh Mai"
    db.session.commit()
    assert db.session.get(Certificate, certificate.id).holder_name == "Nguyễn Thị Ngọc Ánh"


def test_an_english_certificate_prints_the_english_title(setup):
    course, official = setup
    certificate = services.issue_for(make_completion(official, course, commit=True), language="en")
    assert certificate.course_title == "Public service culture and ethics"


# --- revocation and re-issue -------------------------------------------------------------------


def test_revocation_needs_a_reason_of_the_circular_and_is_audited(setup):
    course, official = setup
    certificate = services.issue_for(make_completion(official, course, commit=True))
    with pytest.raises(ValidationFailed):
        services.revoke(certificate, "lost", "", actor=None)
    services.revoke(certificate, "lent", "Cho người khác mượn", actor=None)
    db.session.commit()
    assert services.status_of(certificate) == "revoked"
    assert certificate.revoked_reason == "lent"
    with pytest.raises(RuleViolation):
        services.revoke(certificate, "fraud", "", actor=None)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "certificate.revoked"))
    assert entry.after["reason"] == "lent" and entry.object_id == certificate.serial


def test_reissue_corrects_the_data_under_a_new_serial_and_revokes_the_old(setup):
    course, official = setup
    old = services.issue_for(make_completion(official, course, commit=True))
    official.full_name = "Nguyễn Thị Ngọc Anh"  # the name was wrong in the registry
    new = services.reissue(old, "Sai tên", actor=None)
    db.session.commit()
    assert old.revoked_reason == "issuer_error"
    assert (new.edition, new.replaces_id, new.serial) == (2, old.id, "DN-2026-000002")
    assert new.holder_name == "Nguyễn Thị Ngọc Anh"
    assert new.verification_code != old.verification_code
    with pytest.raises(RuleViolation):
        services.reissue(old, "again", actor=None)


def test_a_certificate_revoked_for_fraud_cannot_be_reissued(setup):
    course, official = setup
    certificate = services.issue_for(make_completion(official, course, commit=True))
    services.revoke(certificate, "fraud", "", actor=None)
    with pytest.raises(RuleViolation):
        services.reissue(certificate, "", actor=None)


# --- verification ------------------------------------------------------------------------------


def test_verification_answers_valid_expired_revoked_and_logs_each_look_up(setup, freeze):
    course, official = setup
    certificate = services.issue_for(make_completion(official, course, commit=True))
    db.session.commit()
    code = certificate.verification_code
    assert services.verify(code, "web", "1.2.3.4").status == "valid"
    freeze(date(2029, 3, 10))
    assert services.verify(code, "web", "1.2.3.4").status == "valid"  # the last valid day
    freeze(date(2029, 3, 11))
    assert services.verify(code, "api", "1.2.3.4").status == "expired"
    services.revoke(certificate, "altered", "", actor=None)
    answer = services.verify(code, "web", "1.2.3.4")
    assert (answer.status, answer.revoked_reason) == ("revoked", "altered")
    assert services.verify("no-such-code", "web", "5.6.7.8") is None
    assert services.verify("x" * 5000, "web", "5.6.7.8") is None
    db.session.commit()
    logs = db.session.scalars(select(VerificationLog).order_by(VerificationLog.id)).all()
    assert [log.result for log in logs] == [
        "valid",
        "valid",
        "expired",
        "revoked",
        "unknown",
        "unknown",
    ]
    assert logs[2].channel == "api" and logs[0].certificate_id == certificate.id
    assert len(logs[-1].code) == 64


def test_the_public_answer_holds_nothing_but_status_name_course_and_dates(setup):
    course, official = setup
    certificate = services.issue_for(make_completion(official, course, commit=True))
    answer = services.verify(certificate.verification_code, "api", "")
    assert set(answer.as_json()) == {
        "status",
        "revoked_reason",
        "holder_name",
        "course_title",
        "issued_on",
        "expires_on",
        "replaced",
    }


# --- concurrency (PostgreSQL) ------------------------------------------------------------------


def test_twenty_certificates_issued_at_once_get_twenty_consecutive_serials(app, setup):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL): SQLite serialises all writers")
    course, _official = setup
    ids = []
    for number in range(20):
        official = make_official(f"CC-{number:04d}", f"Trần Văn Số {number}", "SNV-CCVC")
        ids.append(make_completion(official, course, commit=True).id)
    db.session.remove()
    errors: list = []

    def issue(completion_id: int) -> None:
        barrier.wait(timeout=30)  # all start together (then queue for the 15 pooled connections)
        with app.app_context():
            try:
                services.issue_for(db.session.get(Completion, completion_id))
                db.session.commit()
            except Exception as error:  # reported below, with the thread's failure
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=issue, args=(cid,)) for cid in ids]
    threads += [threading.Thread(target=issue, args=(ids[0],))]  # a racing duplicate
    barrier = threading.Barrier(len(threads))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    serials = sorted(db.session.scalars(select(Certificate.serial)).all())
    assert serials == [f"DN-2026-{n:06d}" for n in range(1, 21)]
    assert db.session.get(SerialCounter, ("DN", 2026)).last_number == 20


def test_revoking_for_fraud_voids_the_training_but_a_lent_certificate_keeps_it(setup):
    from lms.curricula.ledger import services as ledger
    from lms.curricula.ledger.models import LedgerEntry

    course, official = setup
    fraud = services.issue_for(make_completion(official, course, commit=True))
    cycle_id = db.session.scalar(select(LedgerEntry.cycle_id).limit(1))
    assert ledger.balance(official.id, cycle_id) == course.credits
    services.revoke(fraud, "fraud", "Thi hộ", actor=None)
    assert fraud.completion.revoked_at is not None
    assert ledger.balance(official.id, cycle_id) == 0
    assert list(seals.verify()) == []
    lent = services.issue_for(make_completion(official, course, on=date(2026, 4, 1), commit=True))
    services.revoke(lent, "lent", "Cho người khác mượn", actor=None)
    assert lent.completion.revoked_at is None
    assert ledger.balance(official.id, cycle_id) == course.credits


@pytest.mark.parametrize(
    ("reason", "voids_training"),
    [
        ("fraud", True),
        ("ineligible", True),
        ("altered", False),
        ("lent", False),
        ("issuer_error", False),
    ],
)
def test_every_revocation_reason_and_what_it_does_to_the_training_and_the_credits(
    setup, reason, voids_training
):
    """Each reason of Circular 03/2023 (issue 20, survivor 4: only fraud and lent were tested).
    Fraud and an ineligible holder void the training: the completion is revoked, its credits
    reversed and the mandatory course it met is owed again. An altered or lent certificate, or
    the issuer's error, revokes the document only."""
    from lms.curricula.ledger import services as ledger
    from lms.curricula.obligations.models import DONE, OPEN, Obligation

    course, official = setup
    cycle = ledger.cycle_for(date(2026, 3, 10))
    obligation = Obligation(
        official_id=official.id, cycle_id=cycle.id, course_id=course.id, due_on=date(2026, 12, 31)
    )
    db.session.add(obligation)
    db.session.commit()
    certificate = services.issue_for(make_completion(official, course, commit=True))
    assert obligation.status == DONE and ledger.balance(official.id, cycle.id) == course.credits
    services.revoke(certificate, reason, "Ghi chú", actor=None)
    db.session.commit()
    db.session.expire_all()
    assert (certificate.revoked_at is not None, certificate.revoked_reason) == (True, reason)
    completion = certificate.completion
    assert (completion.revoked_at is not None) is voids_training
    assert ledger.balance(official.id, cycle.id) == (0 if voids_training else course.credits)
    assert obligation.status == (OPEN if voids_training else DONE)
    assert obligation.completion_id == (None if voids_training else completion.id)
    assert list(seals.verify()) == []
