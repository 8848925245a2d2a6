"""Repeatable courses on the database (DESIGN.md §3, rules.earns_credits): a course earns its
credits once — a retake or a renewal in a later cycle earns nothing, yet meets the obligations
it is valid for — and a repeatable course once in each cycle, whichever path records the
completion: an online test, an in-person class, a historical import (its preview too, in
test_curricula_completions_import.py). External training and the API's credits name no course
and are not concerned. Dates around 1 January on a frozen clock."""

import random
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from lms.assessments import attempts, quizzes
from lms.curricula.classes import services as classes
from lms.curricula.classes.results import ResultInput, record_results
from lms.curricula.completions.models import Completion
from lms.curricula.completions.services import CompletionData, record_completion
from lms.curricula.completions.services import revoke_completion as revoke
from lms.curricula.external import services as external
from lms.curricula.ledger import services as ledger
from lms.curricula.ledger.models import HISTORICAL, IN_PERSON
from lms.curricula.obligations.models import DONE, MANDATORY, RECERTIFICATION
from lms.extensions import db
from tests.factories import (
    PDF,
    cycle_of,
    make_class,
    make_in_person_course,
    make_obligation,
    make_official,
    make_test_course,
    make_units,
)
from tests.services.test_assessments_attempts import START, finish_lessons, form_for, official_id


def balance(official, year: int) -> Decimal:
    return ledger.balance(official.id, cycle_of(year).id)


@pytest.fixture
def hoa(db, freeze):
    """Units and Nguyễn Thị Hoa (DN000001); today 20/05/2026."""
    freeze(date(2026, 5, 20))
    make_units()
    person = make_official("DN000001", "Nguyễn Thị Hoa")
    db.session.commit()
    return person


def course(repeatable: bool, **changes):
    """ATLD (repeatable) or VHCV (not): in person, 2 credits, a certificate valid 36 months."""
    return make_in_person_course("ATLD" if repeatable else "VHCV", repeatable=repeatable, **changes)


def record(official, course_, day, ref, source=IN_PERSON):
    return record_completion(CompletionData(official.id, course_.id, day, source, ref))


def pass_class(official, course_, day):
    """A one-day class of the course on `day`, its result recorded that same day."""
    klass = make_class(course_, title=f"Lớp {day:%d/%m/%Y}", starts_on=day, ends_on=day, sessions=1)
    classes.add_members(klass, [(1, official.employee_code)], None, actor=None)
    member = klass.members[0]
    record_results(klass, [ResultInput(member.id, 1, None, "passed")], "", None)
    db.session.commit()
    return db.session.get(Completion, member.completion_id)


# --- in-person classes, around 1 January -----------------------------------------------------


@pytest.mark.parametrize(
    ("day", "repeatable", "credited_in_year"),
    [
        (date(2026, 12, 31), True, Decimal(2)),  # the same cycle: not twice
        (date(2027, 1, 1), True, Decimal(2)),  # the next cycle's first day: again
        (date(2027, 1, 2), True, Decimal(2)),
        (date(2026, 12, 31), False, Decimal(2)),
        (date(2027, 1, 1), False, Decimal(0)),  # earned once: a retake earns nothing
        (date(2027, 1, 2), False, Decimal(0)),
    ],
)
def test_a_second_class_earns_again_only_for_a_repeatable_course_in_a_new_cycle(
    hoa, db, freeze, day, repeatable, credited_in_year
):
    """Passed in May 2026 (2 TC in 2026), then again in a class on `day`, recorded that day:
    the year of `day` holds what it earned. A second pass in 2026 leaves 2026 at 2 TC."""
    the_course = course(repeatable)
    first = pass_class(hoa, the_course, date(2026, 5, 8))
    freeze(day)
    second = pass_class(hoa, the_course, day)
    assert (first.completed_on, second.completed_on) == (date(2026, 5, 8), day)
    assert balance(hoa, day.year) == credited_in_year
    assert balance(hoa, 2026) == Decimal(2)
    assert second.revoked_at is None  # the completion itself is kept either way


# --- renewals and retakes still meet obligations ---------------------------------------------


@pytest.mark.parametrize(("repeatable", "earned_2027"), [(False, Decimal(0)), (True, Decimal(2))])
def test_a_renewal_meets_the_recertification_and_earns_only_if_repeatable(
    hoa, db, freeze, repeatable, earned_2027
):
    """A certificate valid 12 months, earned on 01/02/2026, is renewed on 20/01/2027: the
    recertification due on its expiry is done in both cases; the credits come again only for
    a repeatable course. A mandatory retake in 2027 is met the same way."""
    the_course = course(repeatable, validity_months=12)
    record(hoa, the_course, date(2026, 2, 1), "h:2026", HISTORICAL)
    renewal = make_obligation(hoa.id, the_course, date(2027, 2, 1), kind=RECERTIFICATION)
    mandatory = make_obligation(hoa.id, the_course, date(2027, 12, 31), kind=MANDATORY)
    db.session.commit()
    freeze(date(2027, 1, 20))
    recorded = record(hoa, the_course, date(2027, 1, 20), "member:2027")
    db.session.commit()
    assert recorded.credited == earned_2027
    assert (renewal.status, renewal.completion_id) == (DONE, recorded.completion.id)
    assert (mandatory.status, mandatory.completion_id) == (DONE, recorded.completion.id)
    assert (balance(hoa, 2026), balance(hoa, 2027)) == (Decimal(2), earned_2027)


def test_credits_reversed_by_a_revocation_are_not_held_so_a_later_completion_earns(hoa, db):
    """A course earns once — once *held*: the 2026 completion was revoked (its credit reversed),
    so the 2027 one earns the credits."""
    the_course = course(False)
    first = record(hoa, the_course, date(2026, 3, 1), "member:1")
    revoke(first.completion, "Kết quả nhập nhầm", actor=None)
    later = record(hoa, the_course, date(2027, 3, 1), "member:2")
    db.session.commit()
    assert (first.credited, later.credited) == (Decimal(2), Decimal(2))
    assert (balance(hoa, 2026), balance(hoa, 2027)) == (Decimal(0), Decimal(2))
    assert ledger.credited_cycles(hoa.id, the_course.id) == [(date(2027, 1, 1), date(2027, 12, 31))]


def test_an_older_completion_imported_afterwards_earns_nothing_for_a_course_earned_once(hoa, db):
    """The first completion recorded earns the credits; importing an older one later does not
    move them into the past cycle (nor add any)."""
    the_course = course(False)
    record(hoa, the_course, date(2026, 3, 1), "member:1")
    older = record(hoa, the_course, date(2024, 5, 10), "import:2024", HISTORICAL)
    db.session.commit()
    assert older.credited == Decimal(0)
    assert (balance(hoa, 2024), balance(hoa, 2026)) == (Decimal(0), Decimal(2))


# --- the online path ---------------------------------------------------------------------------


@pytest.mark.parametrize(("repeatable", "earned_2026"), [(False, Decimal(0)), (True, Decimal(2))])
def test_passing_online_after_an_earlier_cycles_completion(
    world, assets_dir, freeze, db, repeatable, earned_2026
):
    """TX01 (2 TC) was completed in 2025 (imported); passing its test online on 02/03/2026
    completes the course again and meets the 2026 obligation; the credits come again only for
    a repeatable course."""
    freeze(START)
    the_course = make_test_course()
    the_course.repeatable = repeatable
    learner = official_id()
    record_completion(CompletionData(learner, the_course.id, date(2025, 5, 1), HISTORICAL, "h:1"))
    obligation = make_obligation(learner, the_course, date(2026, 12, 31))
    finish_lessons(the_course)
    db.session.commit()
    attempt = attempts.start_attempt(quizzes.quiz_of(the_course), learner, random.Random(6))
    attempts.save_responses(attempt, form_for(attempt))
    attempts.submit(attempt)
    db.session.commit()
    online = db.session.scalar(select(Completion).where(Completion.source == "online"))
    assert online.completed_on == date(2026, 3, 2)
    assert (obligation.status, obligation.completion_id) == (DONE, online.id)
    assert ledger.balance(learner, cycle_of(2026).id) == earned_2026
    assert ledger.balance(learner, cycle_of(2025).id) == Decimal(2)


# --- credits that name no course -------------------------------------------------------------


def test_external_training_names_no_course_and_earns_whatever_courses_were_earned(
    hoa, db, tmp_path
):
    """An approved external training earns the credits HR grants even when its title is that
    of a course the official already earned: only completions of a course are judged."""
    the_course = course(False)
    record(hoa, the_course, date(2025, 3, 1), "member:1")
    data = external.Submission(
        title=the_course.title,
        organiser="Học viện Hành chính Quốc gia",
        starts_on=date(2026, 3, 2),
        ends_on=date(2026, 3, 6),
        periods=30,
    )
    submitted = external.submit(hoa.id, data, "gcn.pdf", PDF, tmp_path, 10**6, actor=None)
    external.approve(submitted, Decimal(2), actor=None)
    db.session.commit()
    assert balance(hoa, 2026) == Decimal(2)
