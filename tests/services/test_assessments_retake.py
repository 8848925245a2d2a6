"""Taking a course's test again online (assessments.retake; Totara's recertification): a new
window opens in the renewal window before the certificate expires, or on the first day of a new
cycle for a repeatable course, and never for a course done once. Attempts are counted per
window; earlier attempts and completions are kept; the old certificate stays valid until its own
expiry; credits follow rules.earns_credits (a renewal earns none, a repeatable course once in
each cycle). Frozen clock: the day before, of and after each opening."""

import random
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from lms.assessments import attempts, quizzes, retake
from lms.assessments.grading import active_completion
from lms.assessments.models import Attempt
from lms.curricula.completions.models import Completion
from lms.curricula.ledger import services as ledger
from lms.curricula.obligations.models import DONE, OPEN, RECERTIFICATION
from lms.extensions import db
from tests.factories import cycle_of, make_cycle, make_obligation, make_test_course
from tests.services.test_assessments_attempts import START, finish_lessons, form_for, official_id

USED_UP = "You have used all your attempts."


@pytest.fixture
def course(world, assets_dir, freeze, english):
    freeze(START)
    return make_test_course()  # three attempts allowed


def take(freeze, course, moment, right=True):
    """One attempt at `moment` (the clock frozen there), every answer right or wrong;
    committed."""
    freeze(moment)
    attempt = attempts.start_attempt(quizzes.quiz_of(course), official_id(), random.Random(3))
    attempts.save_responses(attempt, form_for(attempt, right=right))
    attempts.submit(attempt)
    db.session.commit()
    return attempt


def use_every_attempt(freeze, course):
    """Two failed attempts and a passed one on 02/03/2026 (the test allows three): the
    course is complete, its certificate requested, no attempt left."""
    finish_lessons(course)
    db.session.commit()
    take(freeze, course, START, right=False)
    take(freeze, course, START, right=False)
    take(freeze, course, START)
    return active_completion(official_id(), course.id)


def why_not(freeze, course, day):
    freeze(day)
    return attempts.why_not_start(quizzes.quiz_of(course), official_id(), datetime(2000, 1, 1))


def completions(course):
    return list(
        db.session.scalars(
            select(Completion).where(Completion.course_id == course.id).order_by(Completion.id)
        )
    )


def credits(course, year):
    return ledger.balance(official_id(), cycle_of(year).id)


def test_a_course_done_once_never_opens_again(course, freeze):
    course.validity_months = None
    first = use_every_attempt(freeze, course)
    assert first is not None and first.expires_on is None
    for day in (date(2026, 12, 31), date(2027, 1, 1), date(2031, 6, 1)):
        window = retake.window(official_id(), course, day)
        assert (window.again, window.next_on, retake.label(window)) == (False, None, None)
        assert why_not(freeze, course, day) == USED_UP


def test_the_renewal_window_opens_before_the_certificate_expires(course, freeze):
    """Valid 24 months: the completion of 02/03/2026 expires on 02/03/2028; the 2028 cycle's
    renewal window is 30 days, so the test opens again on 01/02/2028 (not on 31/01)."""
    course.validity_months = 24
    first = use_every_attempt(freeze, course)
    assert first.expires_on == date(2028, 3, 2)
    make_cycle(2028, renewal_window_days=30)
    db.session.commit()

    before = retake.window(official_id(), course, date(2028, 1, 31))
    assert (before.again, before.next_on) == (False, date(2028, 2, 1))
    assert why_not(freeze, course, date(2028, 1, 31)) == USED_UP
    for day in (date(2028, 2, 1), date(2028, 2, 2)):
        window = retake.window(official_id(), course, day)
        assert (window.again, window.renewal, window.opened_on) == (True, True, date(2028, 2, 1))
        assert retake.label(window) == "Retake to renew"
        assert why_not(freeze, course, day) is None

    take(
        freeze, course, date(2028, 2, 2), right=False
    )  # attempts count again from the window's start
    renewed = take(freeze, course, date(2028, 2, 2))
    assert renewed.number == 5  # numbered on from the history, which is kept
    old, new = completions(course)
    assert (old.id, old.revoked_at, old.expires_on) == (first.id, None, date(2028, 3, 2))
    assert (new.completed_on, new.expires_on) == (date(2028, 2, 2), date(2030, 2, 2))
    assert new.source_ref == f"attempt:{renewed.id}"
    assert new.certificate_state == old.certificate_state  # a certificate for each
    assert active_completion(official_id(), course.id).id == new.id
    assert credits(course, 2028) == Decimal(0)  # a renewal earns no credits again
    assert credits(course, 2026) == course.credits
    after = retake.window(official_id(), course, date(2028, 2, 3))
    assert (after.again, retake.label(after)) == (False, None)
    assert after.next_on is not None and after.next_on > date(2029, 12, 1)
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 5


def test_an_expired_certificate_can_still_be_renewed(course, freeze):
    course.validity_months = 12
    use_every_attempt(freeze, course)
    window = retake.window(official_id(), course, date(2027, 6, 1))
    assert (window.again, window.expired, retake.label(window)) == (True, True, "Retake to renew")


def test_a_repeatable_course_opens_again_on_the_first_day_of_the_next_cycle(course, freeze):
    course.repeatable, course.validity_months = True, None
    use_every_attempt(freeze, course)
    assert credits(course, 2026) == course.credits
    assert why_not(freeze, course, date(2026, 12, 31)) == USED_UP
    assert retake.window(official_id(), course, date(2026, 12, 31)).again is False
    window = retake.window(official_id(), course, date(2027, 1, 1))
    assert (window.again, window.renewal) == (True, False)
    assert retake.label(window) == "Retake for this cycle"
    assert why_not(freeze, course, date(2027, 1, 1)) is None

    take(freeze, course, date(2027, 1, 1))
    assert credits(course, 2027) == course.credits  # earned again in the new cycle
    assert retake.window(official_id(), course, date(2027, 1, 2)).next_on == date(2028, 1, 1)
    take(freeze, course, date(2027, 6, 1))  # another pass in the same cycle: nothing new
    assert len(completions(course)) == 2
    assert credits(course, 2027) == course.credits


def test_a_renewal_in_the_same_cycle_earns_no_second_credit(course, freeze):
    """Repeatable, valid 10 months: 02/03/2026 expires on 02/01/2027, so the renewal window
    (60 days) opens on 03/11/2026, inside the cycle already credited."""
    course.repeatable, course.validity_months = True, 10
    use_every_attempt(freeze, course)
    assert retake.window(official_id(), course, date(2026, 11, 2)).again is False
    assert retake.window(official_id(), course, date(2026, 11, 3)).again is True
    take(freeze, course, date(2026, 11, 3))
    assert len(completions(course)) == 2
    assert credits(course, 2026) == course.credits  # once in the cycle


def test_the_renewal_meets_the_recertification_obligation(course, freeze):
    course.validity_months = 24
    first = use_every_attempt(freeze, course)
    obligation = make_obligation(
        official_id(), course, date(2028, 3, 2), kind=RECERTIFICATION, status=OPEN
    )
    db.session.commit()
    take(freeze, course, date(2028, 1, 15))  # in the default 60-day window (from 02/01/2028)
    new = completions(course)[-1]
    assert new.id != first.id
    assert (obligation.status, obligation.completion_id) == (DONE, new.id)


def test_a_passed_attempt_of_an_earlier_window_renews_nothing(course, freeze):
    """Finishing the lessons again in the new window, or a regrade, does not turn the 2026
    pass into a renewal: the new window needs a pass of its own."""
    course.validity_months = 24
    use_every_attempt(freeze, course)
    freeze(date(2028, 2, 1))
    from lms.assessments.grading import lessons_finished

    assert lessons_finished(official_id(), course.id) is None
    assert len(completions(course)) == 1
