"""In-person classes: the roster (all or nothing from a list of codes), attendance and results,
credits and certificate requests on a pass, withdrawal of a pass, and two results for the same
official recorded at the same moment on PostgreSQL."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from lms.common.tabular import Table
from lms.curricula.classes import services as classes
from lms.curricula.classes.results import ResultInput, record_results
from lms.curricula.completions.models import CERT_ISSUED, Completion
from lms.curricula.ledger import seals
from lms.curricula.ledger import services as ledger
from lms.curricula.ledger.models import IN_PERSON, LedgerEntry
from lms.errors import RuleViolation, ValidationFailed
from lms.organisation.models import OrgUnit
from tests.factories import make_class, make_in_person_course, make_official, make_units
from tests.past_cycles import assert_2025_stays_past, open_obligations
from tests.services.test_curricula_ledger import _in_threads, _postgresql

# These tests read English wording; the Vietnamese catalog is checked on its own.
pytestmark = pytest.mark.usefixtures("english")


def unit_path(db, code: str) -> str:
    return db.session.scalar(select(OrgUnit.path).where(OrgUnit.code == code))


@pytest.fixture
def scene(db, freeze):
    freeze(date(2026, 5, 20))
    make_units()
    people = {
        "hoa": make_official("DN000001", "Nguyễn Thị Hoa"),
        "binh": make_official("DN000002", "Trần Văn Bình"),
        "an": make_official("DN000003", "Lê Văn An", unit="P-HAICHAU"),
    }
    course = make_in_person_course("VHCV01", credits="2")
    klass = make_class(course)
    db.session.commit()
    return {"class": klass, "course": course, **people}


def members(klass):
    return {m.official.employee_code: m for m in klass.members}


def result(member, sessions, outcome, score=None):
    return ResultInput(member.id, sessions, score, outcome)


def count(db, model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_class_cannot_end_before_it_starts(scene, db):
    with pytest.raises(ValidationFailed) as error:
        make_class(scene["course"], starts_on=date(2026, 5, 8), ends_on=date(2026, 5, 4))
    assert error.value.reasons[0][0] == "ends_on"


def test_pasted_codes_with_an_unknown_or_out_of_scope_code_add_nothing(scene, db):
    klass = scene["class"]
    scope = [unit_path(db, "SNV")]
    text = "dn000001\nDN000002, DN404\n\nDN000003\nDN000001"
    report = classes.add_members(klass, classes.parse_codes(text), scope, actor=None)
    assert [(line, code) for line, code, _m in report.problems] == [(2, "DN404"), (4, "DN000003")]
    assert "Unknown" in report.problems[0][2] and "outside" in report.problems[1][2]
    assert report.added == [] and klass.members == []


def test_valid_codes_are_added_once_and_repeats_are_reported_as_skipped(scene, db):
    klass = scene["class"]
    classes.add_members(klass, [(1, "DN000002")], None, actor=None)
    report = classes.add_members(
        klass, classes.parse_codes("DN000001;DN000002\nDN000001"), None, actor=None
    )
    assert report.added == ["DN000001"]
    assert [(line, code) for line, code, _m in report.skipped] == [(1, "DN000002"), (2, "DN000001")]
    db.session.expire(klass)
    assert sorted(members(klass)) == ["DN000001", "DN000002"]


def test_codes_are_read_from_the_first_column_with_or_without_a_header():
    with_header = Table(["Mã cán bộ", "Họ tên"], [(2, ["DN000001", "Hoa"])])
    without = Table(["dn000002"], [(2, ["DN000001"])])
    assert classes.codes_from_table(with_header) == [(2, "DN000001")]
    assert classes.codes_from_table(without) == [(1, "DN000002"), (2, "DN000001")]


def test_a_pass_needs_the_minimum_attendance(scene, db):
    klass = scene["class"]
    classes.add_members(klass, [(1, "DN000001")], None, actor=None)
    member = members(klass)["DN000001"]
    with pytest.raises(ValidationFailed) as error:
        record_results(klass, [result(member, 3, "passed")], "", actor=None)
    assert "80% attendance (4 of 5 sessions)" in error.value.reasons[0][1]
    with pytest.raises(ValidationFailed):
        record_results(klass, [result(member, 6, "failed")], "", actor=None)
    with pytest.raises(ValidationFailed):
        record_results(klass, [result(member, 2, "absent")], "", actor=None)
    assert count(db, Completion) == 0


def test_a_pass_writes_credits_and_requests_the_certificate(scene, db):
    klass = scene["class"]
    classes.add_members(klass, [(1, "DN000001"), (2, "DN000002")], None, actor=None)
    hoa, binh = members(klass)["DN000001"], members(klass)["DN000002"]
    counts = record_results(
        klass,
        [result(hoa, 4, "passed", Decimal("8.5")), result(binh, 2, "failed", Decimal(4))],
        "",
        actor=None,
    )
    db.session.commit()
    assert counts == {"changed": 2, "passed": 1, "withdrawn": 0}
    completion = db.session.get(Completion, hoa.completion_id)
    assert (completion.source, completion.source_ref) == (IN_PERSON, f"member:{hoa.id}")
    assert completion.completed_on == date(2026, 5, 8)  # the class's last day
    # the certificate was requested and issued by the queue after the commit
    assert completion.certificate_state == CERT_ISSUED and completion.score == Decimal("8.5")
    from lms.certificates.models import Certificate

    issued = db.session.scalars(select(Certificate.completion_id)).all()
    assert issued == [completion.id]
    cycle = ledger.cycle_for(date(2026, 5, 8))
    assert ledger.balance(scene["hoa"].id, cycle.id) == Decimal(2)
    assert ledger.balance(scene["binh"].id, cycle.id) == Decimal(0)
    again = record_results(klass, [result(hoa, 4, "passed", Decimal("8.5"))], "", actor=None)
    assert again == {"changed": 0, "passed": 0, "withdrawn": 0}
    assert count(db, LedgerEntry) == 1


def test_withdrawing_a_pass_needs_a_reason_and_reverses_the_credit(scene, db):
    klass = scene["class"]
    classes.add_members(klass, [(1, "DN000001")], None, actor=None)
    hoa = members(klass)["DN000001"]
    record_results(klass, [result(hoa, 5, "passed")], "", actor=None)
    with pytest.raises(ValidationFailed) as error:
        record_results(klass, [result(hoa, 3, "failed")], "  ", actor=None)
    assert error.value.reasons[0][0] == "reason"
    counts = record_results(klass, [result(hoa, 3, "failed")], "Điểm danh nhập nhầm", actor=None)
    db.session.commit()
    cycle_id = ledger.cycle_for(date(2026, 5, 8)).id
    assert counts["withdrawn"] == 1
    assert ledger.balance(scene["hoa"].id, cycle_id) == Decimal(0)
    revoked = db.session.get(Completion, hoa.completion_id)
    assert revoked.revoked_reason == "Điểm danh nhập nhầm"
    assert [e.reason for e in ledger.entries(scene["hoa"].id)][-1] == "Điểm danh nhập nhầm"
    # Passed again after all: a new completion, credited again.
    record_results(klass, [result(hoa, 5, "passed")], "", actor=None)
    db.session.commit()
    assert db.session.get(Completion, hoa.completion_id).source_ref == f"member:{hoa.id}:2"
    assert ledger.balance(scene["hoa"].id, cycle_id) == Decimal(2)
    assert list(seals.verify()) == []


def test_results_wait_for_the_class_to_start(scene, db, freeze):
    klass = scene["class"]
    classes.add_members(klass, [(1, "DN000001")], None, actor=None)
    freeze(date(2026, 5, 1))
    with pytest.raises(ValidationFailed) as error:
        record_results(klass, [result(members(klass)["DN000001"], 0, "absent")], "", None)
    assert "not started" in error.value.reasons[0][1]


def test_a_member_with_a_pass_stays_on_the_roster(scene, db):
    klass = scene["class"]
    classes.add_members(klass, [(1, "DN000001"), (2, "DN000002")], None, actor=None)
    hoa, binh = members(klass)["DN000001"], members(klass)["DN000002"]
    record_results(klass, [result(hoa, 5, "passed")], "", actor=None)
    with pytest.raises(RuleViolation):
        classes.remove_member(hoa, actor=None)
    classes.remove_member(binh, actor=None)
    db.session.expire(klass)
    assert sorted(members(klass)) == ["DN000001"]


def test_the_course_of_a_class_with_results_cannot_change(scene, db):
    klass = scene["class"]
    classes.add_members(klass, [(1, "DN000001")], None, actor=None)
    record_results(klass, [result(members(klass)["DN000001"], 1, "failed")], "", None)
    other = make_in_person_course("QLNN02")
    data = classes.ClassData(
        other.id, klass.unit_id, klass.title, klass.starts_on, klass.ends_on, klass.sessions
    )
    with pytest.raises(ValidationFailed):
        classes.save_class(klass, data, actor=None)


def test_two_class_results_at_the_same_moment_never_double_count(app, scene, db):
    """The same official passes two classes of the same course; the results are saved at the
    same moment by two managers: one credit only (once per course per cycle)."""
    if not _postgresql(app):
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL)")
    first = scene["class"]
    second = make_class(scene["course"], title="Lớp 2")
    for klass in (first, second):
        classes.add_members(klass, [(1, "DN000001")], None, actor=None)
    db.session.commit()
    class_ids = [first.id, second.id]
    official_id = scene["hoa"].id

    def work(i: int) -> None:
        from lms.curricula.classes.models import TrainingClass
        from lms.extensions import db as session_db

        klass = session_db.session.get(TrainingClass, class_ids[i])
        member = klass.members[0]
        record_results(klass, [result(member, 5, "passed")], "", actor=None)

    assert _in_threads(app, work) == [None, None]
    db.session.expire_all()
    assert count(db, Completion) == 2  # both passes are kept
    credits = db.session.scalars(
        select(LedgerEntry.credits).where(LedgerEntry.official_id == official_id)
    ).all()
    assert credits == [Decimal(2)]
    assert list(seals.verify()) == []


def test_a_class_passed_in_2026_leaves_the_2025_obligation_open(scene, db):
    """Past cycles stay past: the in-person class path (issue 20, survivor 5)."""
    klass, hoa = scene["class"], scene["hoa"]
    ids = open_obligations(hoa.id, scene["course"].id)
    classes.add_members(klass, [(1, "DN000001")], None, actor=None)
    record_results(klass, [result(members(klass)["DN000001"], 5, "passed")], "", None)
    db.session.commit()
    assert_2025_stays_past(ids, hoa.id, met_in_2026=True)
