"""Scans that notify: deadline reminders (30 days, 7 days, overdue; once each), the weekly
digest for HR officers and managers over their own scope, and the nightly job."""

from datetime import date

import pytest
from sqlalchemy import select

from lms.auth import services as auth
from lms.auth.models import HR_OFFICER, User
from lms.curricula.external.models import ExternalRecord
from lms.curricula.obligations.models import WITHDRAWN
from lms.extensions import db as _db
from lms.jobs import enqueue
from lms.jobs.models import DONE, FAILED, JobRun, Notification
from lms.jobs.notifications import notify
from lms.organisation.models import OrgUnit
from tests.factories import make_learner, make_mandatory_course, make_obligation, make_units
from tests.services.test_jobs_notifications_mail import people, smtp  # noqa: F401 (fixtures)

AS_OF = date(2026, 6, 15)


def _notes(db) -> set[tuple[str, str, str]]:
    rows = db.session.execute(
        select(User.username, Notification.kind, Notification.key).join(
            User, User.id == Notification.user_id
        )
    ).all()
    return {tuple(row) for row in rows}


def _counts(run: JobRun) -> dict:
    """The run's result without the mail delivery counts (mail is suppressed in tests)."""
    return {key: value for key, value in (run.result or {}).items() if key != "mail"}


def _run(name: str, **params) -> JobRun:
    run = enqueue(name, **params)
    _db.session.commit()  # the testing queue runs the job now, after the commit
    _db.session.expire_all()
    return _db.session.get(JobRun, run.id)


def test_reminders_go_once_per_window_and_skip_what_is_done_or_far(people, db):  # noqa: F811
    course, other = make_mandatory_course("BB01"), make_mandatory_course("BB02")
    lan, john, nomail = people["lan"], people["john"], people["nomail"]
    far = make_obligation(lan.official_id, course, date(2026, 8, 1))
    soon = make_obligation(lan.official_id, other, date(2026, 7, 10))  # 25 days
    week = make_obligation(john.official_id, course, date(2026, 6, 20))  # 5 days
    late = make_obligation(nomail.official_id, course, date(2026, 6, 1))
    gone = make_obligation(john.official_id, other, date(2026, 6, 16))
    gone.status = WITHDRAWN
    db.session.commit()

    run = _run("notifications.reminders", as_of=AS_OF.isoformat())
    assert run.status == DONE, run.error
    assert _counts(run) == {"due_30": 1, "due_7": 1, "overdue": 1}
    assert (run.done, run.total, run.percent) == (3, 3, 100)
    assert _notes(db) == {
        ("nv001", "due_30", f"obligation:{soon.id}"),
        ("nv002", "due_7", f"obligation:{week.id}"),
        ("nv003", "overdue", f"obligation:{late.id}"),
    }
    assert far.id  # 47 days away: no reminder yet

    again = _run("notifications.reminders", as_of=AS_OF.isoformat())
    assert _counts(again) == {"due_30": 0, "due_7": 0, "overdue": 0}
    # a week later the 25-day one enters the 7-day window, and gets that reminder too
    # 19 days later: "soon" enters the 7-day window, "far" the 30-day one, "week" is overdue
    later = _run("notifications.reminders", as_of="2026-07-04")
    assert _counts(later) == {"due_30": 1, "due_7": 1, "overdue": 1}
    assert db.session.query(Notification).count() == 6


def test_an_english_user_reads_the_reminder_in_english(people, db):  # noqa: F811
    make_obligation(people["john"].official_id, make_mandatory_course(), date(2026, 6, 20))
    db.session.commit()
    _run("notifications.reminders", as_of=AS_OF.isoformat())
    note = db.session.scalar(select(Notification))
    assert note.locale == "en"
    assert note.subject == "Due in 5 days: Public service culture and ethics"
    assert note.link == "/courses/BB01"


def _grant_hr(code: str, unit_code: str) -> int:
    user = make_learner(code, f"Cán bộ {code}", f"{code.lower()}@danang.gov.vn", unit="SNV-CCVC")
    unit = db_unit(unit_code)
    auth.grant_role(user, HR_OFFICER, unit.id, actor=None)
    _db.session.commit()
    return user.id


def db_unit(code: str) -> OrgUnit:
    return _db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))


def test_weekly_digest_counts_only_the_recipients_scope_and_goes_once_a_week(db):
    make_units()
    db.session.commit()
    course = make_mandatory_course()
    ward = make_learner("W1", "Lê Văn Phường", "w1@x.vn", unit="P-HAICHAU")
    dept = make_learner("D1", "Phạm Thị Sở", "d1@x.vn", unit="SNV-CCVC")
    make_obligation(ward.official_id, course, date(2026, 6, 1))  # overdue, in the ward
    make_obligation(dept.official_id, course, date(2026, 7, 1))  # due soon, in SNV
    db.session.add(
        ExternalRecord(
            official_id=ward.official_id,
            title="Hội thảo",
            organiser="Bộ Nội vụ",
            starts_on=date(2026, 5, 1),
            ends_on=date(2026, 5, 2),
            periods=8,
        )
    )
    db.session.commit()
    city = _grant_hr("HRDN", "DN")
    snv = _grant_hr("HRSNV", "SNV")

    run = _run("notifications.weekly_digest", as_of=AS_OF.isoformat())
    assert run.status == DONE and _counts(run) == {"weekly_digest": 2}
    notes = {n.user_id: n for n in db.session.scalars(select(Notification))}
    city_ctx, snv_ctx = notes[city].context, notes[snv].context
    # city-wide: both officials plus the two HR officers themselves (in SNV-CCVC)
    assert (city_ctx["officials"], city_ctx["overdue"], city_ctx["due_soon"]) == (4, 1, 1)
    assert city_ctx["external_waiting"] == 1
    assert (snv_ctx["officials"], snv_ctx["overdue"], snv_ctx["due_soon"]) == (3, 0, 1)
    assert snv_ctx["external_waiting"] == 0
    assert notes[snv].subject == "Bản tin bồi dưỡng hằng tuần (08/06/2026 – 14/06/2026)"
    assert "Khóa học bắt buộc quá hạn: 0" in notes[snv].body

    assert _counts(_run("notifications.weekly_digest", as_of="2026-06-17")) == {"weekly_digest": 0}


def test_nightly_sends_reminders_and_names_a_failed_obligations_refresh(people, db, monkeypatch):  # noqa: F811
    def broken_refresh(**_arguments):
        raise RuntimeError("no cycle table")

    make_obligation(people["lan"].official_id, make_mandatory_course(), date(2026, 6, 20))
    db.session.commit()
    monkeypatch.setattr("lms.curricula.obligations.engine.refresh_all", broken_refresh)
    run = _run("nightly", as_of=AS_OF.isoformat())
    assert run.status == FAILED
    assert "obligations refresh failed: RuntimeError: no cycle table" in run.error
    assert db.session.query(Notification).count() == 1  # reminders went out all the same


def test_nightly_calls_the_obligations_refresh_with_the_arguments_it_takes(people, db, monkeypatch):  # noqa: F811
    import sys
    import types

    calls = []
    fake = types.ModuleType("lms.curricula.obligations.engine")

    def refresh_all(as_of, progress=None):
        calls.append(as_of)
        return {"officials": 3}

    fake.refresh_all = refresh_all
    monkeypatch.setitem(sys.modules, "lms.curricula.obligations.engine", fake)
    monkeypatch.setattr("lms.curricula.obligations.engine", fake, raising=False)
    run = _run("nightly", as_of=AS_OF.isoformat())
    assert run.status == DONE, run.error
    assert calls == [AS_OF]
    assert run.result["obligations"] == {"officials": 3}


def test_nightly_seals_the_credit_ledger(people, db):  # noqa: F811
    from decimal import Decimal

    from lms.curricula.ledger import seals
    from lms.curricula.ledger import services as ledger
    from lms.curricula.ledger.models import MANUAL, LedgerSeal

    ledger.append(
        ledger.NewEntry(
            official_id=people["lan"].official_id,
            earned_on=date(2026, 6, 1),
            credits=Decimal(1),
            source=MANUAL,
            title="Hội thảo",
            reason="Bổ sung",
        )
    )
    db.session.commit()
    run = _run("nightly", as_of=AS_OF.isoformat())
    assert run.status == DONE, run.error
    assert run.result["ledger_seal"] == {"entries": 1, "officials": 1}
    assert db.session.scalar(select(LedgerSeal.entries)) == 1
    assert seals.check_seal().problems == ()


# --- notices that are true (issue 17) -------------------------------------------------------


def _kinds(db, user) -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(Notification.kind, Notification.key).where(Notification.user_id == user.id)
    )
    return sorted(tuple(row) for row in rows)


def test_no_reminder_in_a_cycle_closed_for_the_officials_unit(people, db):  # noqa: F811
    from lms.compliance.models import CycleClosure

    course = make_mandatory_course("BB01")
    lan, john = people["lan"], people["john"]  # P-HAICHAU, SNV
    john.official.assignments[0].unit_id = db.session.scalar(
        select(OrgUnit.id).where(OrgUnit.code == "SNV-CCVC")
    )
    closed = make_obligation(lan.official_id, course, date(2026, 6, 1))  # overdue on 15/06
    still_open = make_obligation(john.official_id, course, date(2026, 6, 1))
    haichau = db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == "P-HAICHAU"))
    db.session.add(CycleClosure(cycle_id=closed.cycle_id, unit_id=haichau, action="close"))
    db.session.commit()
    run = _run("notifications.reminders", as_of=AS_OF.isoformat())
    assert _counts(run) == {"due_30": 0, "due_7": 0, "overdue": 1}
    assert _kinds(db, lan) == []
    assert _kinds(db, john) == [("overdue", f"obligation:{still_open.id}")]


def test_no_reminder_for_an_obligation_a_completion_already_meets(people, db):  # noqa: F811
    from lms.curricula.completions.models import Completion

    course = make_mandatory_course("BB01")
    lan = people["lan"]
    make_obligation(lan.official_id, course, date(2026, 6, 20))  # open, not refreshed yet
    db.session.add(
        Completion(
            official_id=lan.official_id,
            course_id=course.id,
            completed_on=date(2026, 6, 10),
            source="manual",
            source_ref="m:1",
        )
    )
    db.session.commit()
    run = _run("notifications.reminders", as_of=AS_OF.isoformat())
    assert _counts(run) == {"due_30": 0, "due_7": 0, "overdue": 0}


def test_no_reminder_about_a_cycle_over_before_the_account_existed(db, freeze):
    from tests.factories import make_learner as user_of

    make_units()
    db.session.commit()
    course = make_mandatory_course("BB01")
    freeze(date(2027, 1, 10))  # the go-live: accounts made in 2027
    new = user_of("NV010", "Lê Thị Thu", "thu@danang.gov.vn")
    old_cycle = make_obligation(new.official_id, course, date(2026, 12, 31))
    this_cycle = make_obligation(new.official_id, make_mandatory_course("BB02"), date(2027, 1, 5))
    db.session.commit()
    run = _run("notifications.reminders", as_of="2027-01-10")
    assert _counts(run) == {"due_30": 0, "due_7": 0, "overdue": 1}
    assert _kinds(db, new) == [("overdue", f"obligation:{this_cycle.id}")]
    assert old_cycle.id


@pytest.mark.parametrize("legacy", [False, True])
def test_one_reminder_per_obligation_and_state_even_when_its_due_date_moves(
    people,  # noqa: F811
    db,
    legacy,
):
    """A due date computed again (a new rule, leave) does not send the same reminder twice;
    nor do keys written before, which named the due date."""
    lan = people["lan"]
    obligation = make_obligation(lan.official_id, make_mandatory_course("BB01"), date(2026, 6, 20))
    if legacy:
        context = {
            "course_code": "BB01",
            "course_title": "BB01",
            "course_title_en": "BB01",
            "due_on": date(2026, 6, 20),
            "days_left": 5,
            "link": "/courses/BB01",
        }
        notify(lan.id, "due_7", f"obligation:{obligation.id}:2026-06-20", context)
    db.session.commit()
    first = _run("notifications.reminders", as_of=AS_OF.isoformat())
    assert _counts(first)["due_7"] == (0 if legacy else 1)
    obligation.due_on = date(2026, 6, 21)
    db.session.commit()
    again = _run("notifications.reminders", as_of="2026-06-16")
    assert _counts(again) == {"due_30": 0, "due_7": 0, "overdue": 0}
    assert [kind for kind, _key in _kinds(db, lan)] == ["due_7"]
    later = _run("notifications.reminders", as_of="2026-06-22")  # then overdue: once
    assert _counts(later)["overdue"] == 1


def test_the_digest_counts_no_leftover_of_a_closed_cycle_nor_a_course_already_done(db):
    """A closed 2025 cycle's open rows and an obligation a completion already meets are not
    "overdue" in HR's digest (today's main counts both)."""
    from lms.compliance import statements
    from lms.curricula.completions.models import Completion
    from lms.curricula.cycles.models import Cycle

    make_units()
    db.session.commit()
    course, other = make_mandatory_course("BB01"), make_mandatory_course("BB02")
    ward = make_learner("W1", "Lê Văn Phường", "w1@x.vn", unit="P-HAICHAU")
    left = make_obligation(ward.official_id, course, date(2025, 12, 31))  # 2025, closed
    cycle_2025 = db.session.get(Cycle, left.cycle_id)
    statements.close_cycle(cycle_2025, db_unit("P-HAICHAU"), None, AS_OF)
    make_obligation(ward.official_id, other, date(2026, 6, 1))  # overdue, but done since
    db.session.add(
        Completion(
            official_id=ward.official_id,
            course_id=other.id,
            completed_on=date(2026, 6, 5),
            source="manual",
            source_ref="m:1",
        )
    )
    still = make_obligation(ward.official_id, course, date(2026, 6, 10))  # truly overdue
    db.session.commit()
    city = _grant_hr("HRDN", "DN")
    run = _run("notifications.weekly_digest", as_of=AS_OF.isoformat())
    assert run.status == DONE
    context = db.session.scalar(select(Notification).where(Notification.user_id == city)).context
    assert (context["overdue"], context["due_soon"]) == (1, 0)
    assert still.id
