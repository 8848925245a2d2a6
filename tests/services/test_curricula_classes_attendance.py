"""Per-session attendance: the tick list (present, late, excused, absent) keeps sessions
attended up to date; the QR check-in is accepted from the margin before the start until the
end, late after the grace minutes, refused outside with the window in the message, and a code
of a moved session or a forged one opens nothing."""

from datetime import date, datetime

import pytest

from lms.curricula.classes import attendance, enrolment
from lms.curricula.classes.models import AttendanceMark
from lms.errors import RuleViolation, ValidationFailed
from tests.factories import (
    make_class,
    make_in_person_course,
    make_official,
    make_session,
    make_units,
)

pytestmark = pytest.mark.usefixtures("english")
JUNE = dict(starts_on=date(2026, 6, 8), ends_on=date(2026, 6, 10))


@pytest.fixture
def scene(db, freeze):
    freeze(date(2026, 5, 20))
    make_units()
    klass = make_class(make_in_person_course("VHCV01"), **JUNE)
    first = make_session(klass, date(2026, 6, 8), "08:00", "11:30")
    second = make_session(klass, date(2026, 6, 9), "08:00", "11:30")
    hoa = enrolment.enrol(klass, make_official("DN01", "Nguyễn Thị Hoa"), source="hr", by_user=None)
    binh = enrolment.enrol(klass, make_official("DN02", "Trần Văn Bình"), source="hr", by_user=None)
    db.session.commit()
    return {"class": klass, "first": first, "second": second, "hoa": hoa, "binh": binh}


def at_local(freeze, moment: datetime) -> None:
    """Freeze the clock at a Vietnamese local time."""
    from datetime import timedelta

    freeze(moment - timedelta(hours=7))


def test_the_tick_list_keeps_sessions_attended(scene, db):
    hoa, binh = scene["hoa"], scene["binh"]
    changed = attendance.record_marks(scene["first"], {hoa.id: "present", binh.id: "excused"}, None)
    attendance.record_marks(scene["second"], {hoa.id: "late", binh.id: "absent"}, None)
    assert changed == 2
    assert (hoa.sessions_attended, binh.sessions_attended) == (2, 0)
    attendance.record_marks(scene["second"], {hoa.id: None}, None)  # cleared
    assert hoa.sessions_attended == 1
    with pytest.raises(ValidationFailed):
        attendance.record_marks(scene["first"], {hoa.id: "asleep"}, None)


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (datetime(2026, 6, 8, 7, 30), AttendanceMark.PRESENT),  # the margin's first minute
        (datetime(2026, 6, 8, 8, 15), AttendanceMark.PRESENT),  # the grace minutes' last
        (datetime(2026, 6, 8, 8, 16), AttendanceMark.LATE),
        (datetime(2026, 6, 8, 11, 29), AttendanceMark.LATE),
    ],
)
def test_a_qr_check_in_in_the_window_is_present_or_late(scene, db, freeze, local, expected):
    at_local(freeze, local)
    code = attendance.checkin_code(scene["first"])
    session = attendance.session_of_code(code)
    row = attendance.check_in(session, scene["hoa"], None)
    assert row.mark == expected and row.by_qr
    assert scene["hoa"].sessions_attended == 1


@pytest.mark.parametrize(
    "local", [datetime(2026, 6, 8, 7, 29), datetime(2026, 6, 8, 11, 30), datetime(2026, 6, 9, 8)]
)
def test_a_qr_check_in_outside_the_window_is_refused_with_the_window(scene, db, freeze, local):
    at_local(freeze, local)
    with pytest.raises(RuleViolation, match=r"only during the session \(07:30–11:30 08/06/2026\)"):
        attendance.check_in(scene["first"], scene["hoa"], None)
    assert attendance.marks(scene["first"]) == {}


def test_checking_in_twice_keeps_the_first_time(scene, db, freeze):
    at_local(freeze, datetime(2026, 6, 8, 8, 0))
    first = attendance.check_in(scene["first"], scene["hoa"], None)
    at_local(freeze, datetime(2026, 6, 8, 9, 0))
    again = attendance.check_in(scene["first"], scene["hoa"], None)
    assert again.id == first.id and again.mark == "present"


def test_a_forged_code_or_one_of_a_moved_session_opens_nothing(scene, db):
    from datetime import time

    from lms.curricula.classes import schedule

    code = attendance.checkin_code(scene["first"])
    assert attendance.session_of_code(code) == scene["first"]
    assert attendance.session_of_code(code[:-2] + ("AA" if code[-2:] != "AA" else "BB")) is None
    assert attendance.session_of_code("not-a-code") is None
    data = schedule.SessionData(date(2026, 6, 8), time(13, 30), time(16, 30))
    schedule.save_session(scene["class"], scene["first"], data, None)
    assert attendance.session_of_code(code) is None
    assert attendance.session_of_code(attendance.checkin_code(scene["first"])) == scene["first"]


def test_results_follow_the_attendance_rule_and_write_credits_once(scene, db, freeze):
    from lms.curricula.classes import results
    from lms.curricula.completions.models import Completion

    hoa, binh = scene["hoa"], scene["binh"]
    attendance.record_marks(scene["first"], {hoa.id: "present", binh.id: "present"}, None)
    attendance.record_marks(scene["second"], {hoa.id: "late", binh.id: "excused"}, None)
    at_local(freeze, datetime(2026, 6, 9, 11, 29))
    with pytest.raises(RuleViolation, match="once the last session has ended"):
        results.decide_results(scene["class"], None)
    at_local(freeze, datetime(2026, 6, 9, 11, 30))
    decision = results.decide_results(scene["class"], None)  # 100 %: an excused absence fails
    assert (decision.passed, decision.failed) == (1, 1)
    assert (hoa.result, binh.result) == ("passed", "failed")
    assert hoa.completion_id is not None and binh.completion_id is None
    again = results.decide_results(scene["class"], None)
    assert (again.passed, again.failed, again.counts) == (0, 0, {})
    assert db.session.scalar(db.select(db.func.count()).select_from(Completion)) == 1


def test_a_minimum_score_fails_a_low_score_and_leaves_a_missing_one_undecided(scene, db, freeze):
    from decimal import Decimal

    from lms.curricula.classes import results

    hoa, binh = scene["hoa"], scene["binh"]
    for session in (scene["first"], scene["second"]):
        attendance.record_marks(session, {hoa.id: "present", binh.id: "present"}, None)
    hoa.score = Decimal("4.5")
    at_local(freeze, datetime(2026, 6, 10, 8, 0))
    decision = results.decide_results(scene["class"], None, min_score=Decimal(5))
    assert (decision.passed, decision.failed, decision.undecided) == (0, 1, ["Trần Văn Bình"])
    assert hoa.result == "failed" and binh.result is None
