"""Curricula rules: pro-rated targets, due dates, which obligations open or are withdrawn,
recertification, and the compliance status — at cycle boundaries, in leap years, for mid-cycle
joiners, position changes on the last day, and on the 15th and the 31st of a month."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.compliance import rules as compliance_rules
from lms.compliance.rules import AT_RISK, MET, NOT_MET, ON_TRACK, OVERDUE
from lms.curricula.rules import dates, due, planning
from lms.curricula.rules.dates import (
    CycleRules,
    Held,
    cycle_days,
    elapsed_days,
    month_days,
    reference_day,
)
from lms.curricula.rules.due import counts_in_cycle, due_date
from lms.curricula.rules.planning import CompletionFact, Existing, Planned
from lms.curricula.rules.states import (
    CURRICULUM_CHANGED,
    DONE,
    MANDATORY,
    OPEN,
    POSITION_ENDED,
    RECERTIFICATION,
)
from lms.curricula.rules.targets import Target, prorated_target, round_up_half

Y2026 = CycleRules(date(2026, 1, 1), date(2026, 12, 31))
Y2028 = CycleRules(date(2028, 1, 1), date(2028, 12, 31))  # leap year
A, B, C = 1, 2, 3  # position ids
BB01, BB02, VT01, VT02 = 101, 102, 201, 202  # course ids


def post(start, end=None, target="3", courses=(), position=A, primary=True):
    return Held(position, start, end, D(target), frozenset(courses), primary)


# --- add_months ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 5, 31), 24, date(2028, 5, 31)),
    ],
)
def test_add_months_clamps_to_the_last_day_of_the_month(day, months, expected):
    assert dates.add_months(day, months) == expected


# --- pro-rated target ---------------------------------------------------------------------


def target(*posts, cycle=Y2026):
    return prorated_target(posts, cycle)


def test_a_whole_year_in_a_three_credit_position_owes_three():
    assert target(post(date(2020, 1, 1))) == Target(D(3), 12)


def test_joined_on_the_first_of_july_owes_half_the_target():
    assert target(post(date(2026, 7, 1))) == Target(D("1.5"), 6)


@pytest.mark.parametrize(
    "start, months, credits",
    [
        (date(2026, 7, 15), 6, "1.5"),  # held on the 15th: July counts
        (date(2026, 7, 16), 5, "1.5"),  # July lost: 5 × 0.25 = 1.25 → 1.5
        (date(2026, 6, 16), 6, "1.5"),
        (date(2026, 6, 15), 7, "2"),  # 1.75 → 2
        (date(2026, 12, 15), 1, "0.5"),  # 0.25 → 0.5
        (date(2026, 12, 16), 0, "0"),  # joined after the last 15th: nothing this cycle
        (date(2026, 12, 31), 0, "0"),
        (date(2026, 1, 1), 12, "3"),
        (date(2026, 1, 15), 12, "3"),
        (date(2026, 1, 16), 11, "3"),  # 2.75 → 3
        (date(2027, 1, 1), 0, "0"),  # starts after the cycle
    ],
)
def test_mid_cycle_joiners_count_months_held_on_the_15th(start, months, credits):
    assert target(post(start)) == Target(D(credits), months)


@pytest.mark.parametrize(
    "end, months",
    [
        (date(2026, 1, 14), 0),
        (date(2026, 1, 15), 1),
        (date(2026, 1, 31), 1),  # the 31st: January counts, February does not
        (date(2026, 2, 28), 2),
        (date(2026, 3, 31), 3),
        (date(2026, 12, 30), 12),
        (date(2025, 12, 31), 0),  # ended before the cycle
    ],
)
def test_leavers_count_months_held_on_the_15th(end, months):
    assert target(post(date(2020, 1, 1), end)).months == months


def test_the_highest_target_of_posts_held_on_the_15th_counts_concurrent_included():
    primary = post(date(2020, 1, 1), target="3")
    concurrent = post(date(2026, 7, 1), date(2026, 9, 30), target="6", position=B, primary=False)
    # 9 months × 3 + 3 months × 6 = 45 → 45 / 12 = 3.75 → 4
    assert target(primary, concurrent) == Target(D(4), 12)


def test_a_month_without_any_post_counts_nothing():
    first = post(date(2020, 1, 1), date(2026, 3, 31))
    later = post(date(2026, 9, 1), position=B)
    # Jan–Mar and Sep–Dec: 7 months → 1.75 → 2
    assert target(first, later) == Target(D(2), 7)


def test_a_position_without_curriculum_counts_the_month_at_zero():
    assert target(post(date(2020, 1, 1), target="0")) == Target(D(0), 12)


def test_a_position_change_on_the_last_day_keeps_december_on_the_old_target():
    old = post(date(2020, 1, 1), date(2026, 12, 30), target="3")
    new = post(date(2026, 12, 31), target="6", position=B)
    assert target(old, new) == Target(D(3), 12)


def test_a_change_on_the_15th_gives_the_month_to_the_new_post():
    old = post(date(2020, 1, 1), date(2026, 6, 14), target="3")
    new = post(date(2026, 6, 15), target="6", position=B)
    # 5 × 3 + 7 × 6 = 57 / 12 = 4.75 → 5
    assert target(old, new).credits == D(5)


def test_leap_years_count_twelve_months_too():
    assert target(post(date(2028, 2, 29)), cycle=Y2028) == Target(D("2.5"), 10)


def test_fractional_targets_round_up_to_half_credits():
    assert target(post(date(2026, 11, 1), target="1")).credits == D("0.5")  # 2/12
    assert target(post(date(2020, 1, 1), target="2.5")).credits == D("2.5")
    assert target(post(date(2026, 5, 1), target="4")).credits == D("3")  # 8 × 4/12 = 2.67


def test_a_cycle_not_aligned_on_the_calendar_counts_its_own_15ths():
    cycle = CycleRules(date(2026, 7, 20), date(2027, 7, 19))
    days = month_days(cycle)
    assert days[0] == date(2026, 8, 15) and days[-1] == date(2027, 7, 15) and len(days) == 12
    assert prorated_target([post(date(2027, 1, 1))], cycle) == Target(D("1.75") + D("0.25"), 7)


def test_a_cycle_too_short_to_hold_a_15th_owes_nothing():
    assert prorated_target(
        [post(date(2020, 1, 1))], CycleRules(date(2026, 1, 16), date(2026, 2, 14))
    ) == Target(D(0), 0)


@given(
    start=st.dates(date(2025, 6, 1), date(2027, 6, 1)),
    length=st.integers(0, 800),
    credits=st.decimals("0", "12", places=2),
)
@settings(max_examples=300, deadline=None)
def test_target_is_a_half_credit_multiple_never_above_the_full_target(start, length, credits):
    result = target(post(start, start + timedelta(days=length), target=str(credits)))
    assert result.credits % D("0.5") == 0
    assert 0 <= result.credits <= round_up_half(credits)
    assert 0 <= result.months <= 12
    assert result.credits - credits * result.months / 12 < D("0.5")


@given(
    a=st.dates(date(2026, 1, 1), date(2026, 12, 31)),
    b=st.dates(date(2026, 1, 1), date(2026, 12, 31)),
)
@settings(max_examples=200, deadline=None)
def test_joining_earlier_never_lowers_the_target(a, b):
    early, late = sorted((a, b))
    assert target(post(early)).credits >= target(post(late)).credits


# --- requirements and due dates -----------------------------------------------------------


KNOWN = date(2025, 12, 1)  # the curricula were known before the cycle began


def reqs(*posts, as_of=date(2026, 6, 1), cycle=Y2026, arose=KNOWN):
    """Requirements by course; `arose` is the day every requirement arose (None: on as_of,
    the first computation)."""
    arisen = (
        None if arose is None else dict.fromkeys(set().union(*(p.courses for p in posts)), arose)
    )
    return {r.course_id: r for r in due.requirements(posts, cycle, as_of, arisen)}


def test_a_post_held_since_before_the_cycle_is_due_at_the_cycle_end():
    found = reqs(post(date(2020, 1, 1), courses=[BB01]))
    assert found[BB01].due_on == date(2026, 12, 31)
    assert found[BB01].since == date(2020, 1, 1)


def test_a_post_starting_on_the_first_day_of_the_cycle_gets_the_whole_cycle():
    assert reqs(post(date(2026, 1, 1), courses=[BB01]))[BB01].due_on == date(2026, 12, 31)


def test_a_new_post_is_due_after_due_days():
    found = reqs(post(date(2026, 3, 2), courses=[BB01]), as_of=date(2026, 3, 2))
    assert found[BB01].due_on == date(2026, 3, 2) + timedelta(days=180) == date(2026, 8, 29)


def test_a_joiner_on_the_first_of_july_is_due_before_the_cycle_end():
    assert reqs(post(date(2026, 7, 1), courses=[BB01]), as_of=date(2026, 7, 1))[
        BB01
    ].due_on == date(2026, 12, 28)


def test_due_dates_never_pass_the_cycle_end():
    found = reqs(post(date(2026, 9, 1), courses=[BB01]), as_of=date(2026, 9, 1))
    assert found[BB01].due_on == date(2026, 12, 31)


def test_due_days_cross_february_of_a_leap_year():
    found = reqs(post(date(2028, 1, 31), courses=[BB01]), as_of=date(2028, 2, 1), cycle=Y2028)
    assert found[BB01].due_on == date(2028, 7, 29)  # 2026 would give 30/07
    found = reqs(post(date(2026, 1, 31), courses=[BB01]), as_of=date(2026, 2, 1))
    assert found[BB01].due_on == date(2026, 7, 30)


def test_due_days_is_a_cycle_setting():
    cycle = CycleRules(date(2026, 1, 1), date(2026, 12, 31), due_days=30)
    found = reqs(post(date(2026, 3, 1), courses=[BB01]), as_of=date(2026, 3, 1), cycle=cycle)
    assert found[BB01].due_on == date(2026, 3, 31)


def test_a_future_post_opens_nothing_until_it_starts():
    assert reqs(post(date(2026, 9, 1), courses=[BB01]), as_of=date(2026, 8, 31)) == {}


def test_concurrent_posts_add_their_mandatory_courses():
    found = reqs(
        post(date(2020, 1, 1), courses=[BB01]),
        post(date(2026, 4, 1), courses=[VT02], position=B, primary=False),
    )
    assert set(found) == {BB01, VT02}
    assert found[VT02].position_id == B and found[VT02].due_on == date(2026, 9, 28)


def test_a_course_of_two_overlapping_posts_is_due_from_the_first_and_names_the_primary():
    found = reqs(
        post(date(2026, 2, 1), courses=[BB01], position=B, primary=False),
        post(date(2026, 1, 10), date(2026, 1, 20), courses=[VT01]),
        post(date(2026, 5, 1), courses=[BB01], position=A),
    )
    assert found[BB01].position_id == A and found[BB01].due_on == date(2026, 7, 31)
    assert found[BB01].since == date(2026, 2, 1)


def test_a_course_of_two_separate_posts_takes_the_earliest_due_date():
    found = reqs(
        post(date(2026, 3, 1), courses=[BB01], position=B, primary=False),
        post(date(2020, 1, 1), courses=[BB02], position=A),
    )
    assert found[BB01].position_id == B and found[BB01].due_on == date(2026, 8, 28)


def test_a_course_required_by_the_old_and_the_new_post_keeps_its_due_date():
    old = post(date(2020, 1, 1), date(2026, 6, 30), courses=[BB01, VT01])
    new = post(date(2026, 7, 1), courses=[BB01, VT02], position=B)
    found = reqs(old, new, as_of=date(2026, 7, 1))
    assert found[BB01].due_on == date(2026, 12, 31)  # required without a break
    assert found[BB01].position_id == B
    assert found[VT02].due_on == date(2026, 12, 28)  # new: 180 days
    assert VT01 not in found  # the old post's own course is no longer required


def test_a_gap_between_posts_restarts_the_due_date():
    old = post(date(2020, 1, 1), date(2026, 3, 31), courses=[BB01])
    new = post(date(2026, 4, 2), courses=[BB01], position=B)
    assert reqs(old, new)[BB01].due_on == date(2026, 4, 2) + timedelta(days=180)


def test_a_position_change_on_the_last_day_of_the_cycle():
    old = post(date(2020, 1, 1), date(2026, 12, 30), courses=[BB01, VT01])
    new = post(date(2026, 12, 31), courses=[BB01, VT02], position=B)
    found = reqs(old, new, as_of=date(2026, 12, 31))
    # BB01 has been owed all year and stays owed; VT02 belongs to the next cycle; VT01 went.
    assert set(found) == {BB01} and found[BB01].due_on == date(2026, 12, 31)
    after = reqs(old, new, as_of=date(2027, 1, 10))  # refreshed after the end: same answer
    assert after == found
    nxt = reqs(
        old, new, as_of=date(2027, 1, 10), cycle=CycleRules(date(2027, 1, 1), date(2027, 12, 31))
    )
    assert {c: r.due_on for c, r in nxt.items()} == {
        BB01: date(2027, 12, 31),
        VT02: date(2027, 12, 31),
    }


def test_a_post_taken_on_the_last_15th_still_counts_this_cycle():
    found = reqs(post(date(2026, 12, 15), courses=[VT01]), as_of=date(2026, 12, 20))
    assert found[VT01].due_on == date(2026, 12, 31)
    assert reqs(post(date(2026, 12, 16), courses=[VT01]), as_of=date(2026, 12, 20)) == {}


def test_after_the_cycle_the_last_day_decides():
    old = post(date(2020, 1, 1), date(2026, 11, 30), courses=[VT01])
    assert reqs(old, as_of=date(2027, 3, 1)) == {}
    assert set(reqs(old, as_of=date(2026, 11, 30))) == {VT01}


# --- due dates a person can meet: never before the requirement arose ---------------------

STAFF_SINCE_2020 = post(date(2020, 1, 1), courses=[BB01])


@pytest.mark.parametrize(
    "arose, due",
    [
        (date(2025, 12, 31), date(2026, 12, 31)),  # known before the cycle: the whole cycle
        (date(2026, 1, 1), date(2026, 12, 31)),  # on its first day: still the whole cycle
        (date(2026, 1, 2), date(2026, 7, 1)),  # the day after: arose + 180 days
        (date(2026, 6, 1), date(2026, 11, 28)),  # a curriculum change in June
    ],
)
def test_a_requirement_created_during_the_cycle_is_due_from_that_day(arose, due):
    """A post held since 2020 whose curriculum gains a course on `arose`: due 180 days after
    that day, not from the post's start (today's main gives 31/12 whatever the day)."""
    found = reqs(STAFF_SINCE_2020, as_of=max(arose, date(2026, 1, 1)), arose=arose)
    assert found[BB01].due_on == due
    assert found[BB01].arose_on == arose


@pytest.mark.parametrize(
    "arose, due",
    [
        (date(2026, 11, 30), date(2026, 12, 31)),  # 31 days left: capped at the cycle end
        (date(2026, 12, 1), date(2026, 12, 31)),  # exactly 30 days: the cycle end
        (date(2026, 12, 2), date(2027, 1, 1)),  # 29 days left: 30 days, past the end
        (date(2026, 12, 31), date(2027, 1, 30)),  # on the last day
    ],
)
def test_a_requirement_created_late_gets_at_least_thirty_days_even_past_the_cycle_end(arose, due):
    """Today's main makes a course required on 20/12 due on 31/12, eleven days later."""
    assert reqs(STAFF_SINCE_2020, as_of=arose, arose=arose)[BB01].due_on == due


def test_a_requirement_first_known_after_the_cycle_ended_is_due_thirty_days_later():
    """The go-live on 05/12/2026 computes 2025 too: nothing of 2025 can be overdue on 31/12/2025."""
    y2025 = CycleRules(date(2025, 1, 1), date(2025, 12, 31))
    found = reqs(STAFF_SINCE_2020, as_of=date(2026, 12, 5), cycle=y2025, arose=None)
    assert found[BB01].due_on == date(2027, 1, 4)
    assert not counts_in_cycle(found[BB01].due_on, y2025.ends_on)


def test_a_post_starting_after_the_requirement_arose_is_due_from_its_start():
    found = reqs(post(date(2026, 3, 2), courses=[BB01]), as_of=date(2026, 3, 2))
    assert found[BB01].due_on == date(2026, 8, 29)
    found = reqs(post(date(2026, 3, 2), courses=[BB01]), as_of=date(2026, 4, 1), arose=None)
    assert found[BB01].due_on == date(2026, 9, 28)  # recorded a month late: from the record


def test_the_least_notice_is_a_cycle_setting():
    cycle = CycleRules(date(2026, 1, 1), date(2026, 12, 31), notice_days=45)
    found = reqs(STAFF_SINCE_2020, as_of=date(2026, 11, 20), cycle=cycle, arose=None)
    assert found[BB01].due_on == date(2027, 1, 4)
    assert due_date(date(2020, 1, 1), cycle, date(2026, 11, 16)) == date(2026, 12, 31)
    assert due_date(date(2020, 1, 1), cycle, date(2026, 11, 17)) == date(2027, 1, 1)


def test_a_stored_requirement_keeps_the_day_it_arose():
    """Recomputed later, a requirement keeps its due date: the day it arose is stored."""
    first = planned([STAFF_SINCE_2020], as_of=date(2026, 6, 1), arose=None)
    assert first[(BB01, MANDATORY)].due_on == date(2026, 11, 28)
    later = planned([STAFF_SINCE_2020], as_of=date(2026, 9, 1), arose=date(2026, 6, 1))
    assert later[(BB01, MANDATORY)].due_on == date(2026, 11, 28)
    rows = [
        Existing(BB01, MANDATORY, OPEN, A, date(2026, 11, 28), None, date(2026, 6, 1)),
    ]
    assert planning.reconcile(rows, later.values(), {A}) == []


def test_a_withdrawn_requirement_that_applies_again_arises_again():
    rows = [Existing(BB01, MANDATORY, "withdrawn", A, date(2026, 11, 28), None, date(2026, 6, 1))]
    again = planned([STAFF_SINCE_2020], as_of=date(2026, 12, 10), arose=None)
    assert again[(BB01, MANDATORY)].due_on == date(2027, 1, 9)
    [change] = planning.reconcile(rows, again.values(), {A})
    assert (change.action, change.planned.arose_on) == ("update", date(2026, 12, 10))


@pytest.mark.parametrize(
    "arose, due",
    [
        (date(2026, 7, 1), date(2026, 8, 1)),  # 31 days before the expiry: due on it
        (date(2026, 7, 2), date(2026, 8, 1)),  # exactly 30 days
        (date(2026, 7, 3), date(2026, 8, 2)),  # 29 days: 30 days after it arose
        (date(2026, 9, 1), date(2026, 10, 1)),  # already expired when it became known
    ],
)
def test_a_recertification_is_due_at_least_thirty_days_after_it_arose(arose, due):
    """A certificate that expired before the go-live: today's main makes its renewal overdue on
    the day it appears."""
    facts = [done(7, BB01, date(2024, 8, 1), date(2026, 8, 1))]
    result = planned([STAFF], facts, as_of=arose, arose=None)
    assert result[(BB01, RECERTIFICATION)].due_on == due
    assert result[(BB01, RECERTIFICATION)].arose_on == arose


def test_an_obligation_due_after_the_cycle_end_does_not_count_in_it():
    assert counts_in_cycle(date(2026, 12, 30), date(2026, 12, 31))
    assert counts_in_cycle(date(2026, 12, 31), date(2026, 12, 31))
    assert not counts_in_cycle(date(2027, 1, 1), date(2026, 12, 31))


# --- plan: mandatory and recertification --------------------------------------------------


def done(cid, course, completed, expires=None):
    return CompletionFact(cid, course, completed, expires)


def planned(posts, completions=(), as_of=date(2026, 6, 1), cycle=Y2026, arose=KNOWN):
    """Planned obligations by key; `arose` is the day every obligation arose (None: on
    as_of)."""
    courses = set().union(*(p.courses for p in posts)) if posts else set()
    arisen = None
    if arose is not None:
        arisen = {(c, kind): arose for c in courses for kind in (MANDATORY, RECERTIFICATION)}
    return {
        (p.course_id, p.kind): p for p in planning.plan(posts, completions, cycle, as_of, arisen)
    }


STAFF = post(date(2020, 1, 1), courses=[BB01])


def test_a_course_never_completed_is_open():
    assert planned([STAFF])[(BB01, MANDATORY)] == Planned(
        BB01, MANDATORY, date(2026, 12, 31), OPEN, None, A
    )


def test_a_completion_from_an_earlier_cycle_that_never_expires_satisfies_it():
    result = planned([STAFF], [done(7, BB01, date(2021, 5, 1))])
    assert result[(BB01, MANDATORY)].status == DONE
    assert result[(BB01, MANDATORY)].completion_id == 7
    assert (BB01, RECERTIFICATION) not in result


def test_a_completion_of_another_course_does_not_count():
    assert planned([STAFF], [done(7, BB02, date(2026, 2, 1))])[(BB01, MANDATORY)].status == OPEN


def test_an_expired_completion_is_owed_again_as_mandatory():
    result = planned([STAFF], [done(7, BB01, date(2023, 5, 1), date(2025, 5, 1))])
    assert result[(BB01, MANDATORY)].status == OPEN
    assert (BB01, RECERTIFICATION) not in result


def test_a_certificate_expiring_in_the_cycle_opens_a_recertification_in_its_window():
    facts = [done(7, BB01, date(2024, 8, 1), date(2026, 8, 1))]
    before = planned([STAFF], facts, as_of=date(2026, 6, 1))
    assert before[(BB01, MANDATORY)].status == DONE
    assert (BB01, RECERTIFICATION) not in before  # 61 days before expiry: not yet
    inside = planned([STAFF], facts, as_of=date(2026, 6, 2))  # exactly 60 days before
    assert inside[(BB01, RECERTIFICATION)] == Planned(
        BB01, RECERTIFICATION, date(2026, 8, 1), OPEN, None, A
    )
    expired = planned([STAFF], facts, as_of=date(2026, 9, 1))
    assert expired[(BB01, RECERTIFICATION)].status == OPEN
    assert expired[(BB01, MANDATORY)].status == DONE


def test_the_renewal_window_is_a_cycle_setting():
    cycle = CycleRules(date(2026, 1, 1), date(2026, 12, 31), renewal_window_days=90)
    facts = [done(7, BB01, date(2024, 8, 1), date(2026, 8, 1))]
    assert (BB01, RECERTIFICATION) in planned([STAFF], facts, date(2026, 5, 3), cycle)
    assert (BB01, RECERTIFICATION) not in planned([STAFF], facts, date(2026, 5, 2), cycle)


def test_a_renewal_marks_the_recertification_done_by_the_new_completion():
    facts = [
        done(7, BB01, date(2024, 8, 1), date(2026, 8, 1)),
        done(9, BB01, date(2026, 7, 20), date(2028, 7, 20)),
    ]
    result = planned([STAFF], facts, as_of=date(2026, 9, 1))
    assert result[(BB01, RECERTIFICATION)] == Planned(
        BB01, RECERTIFICATION, date(2026, 8, 1), DONE, 9, A
    )
    assert result[(BB01, MANDATORY)].status == DONE


def test_a_late_renewal_still_completes_the_recertification():
    facts = [
        done(7, BB01, date(2024, 3, 1), date(2026, 3, 1)),
        done(9, BB01, date(2026, 5, 1), date(2028, 5, 1)),
    ]
    result = planned([STAFF], facts, as_of=date(2026, 6, 1))
    assert result[(BB01, RECERTIFICATION)].status == DONE
    assert result[(BB01, RECERTIFICATION)].due_on == date(2026, 3, 1)


def test_a_certificate_expiring_after_the_cycle_belongs_to_the_next_one():
    facts = [done(7, BB01, date(2025, 1, 15), date(2027, 1, 15))]
    result = planned([STAFF], facts, as_of=date(2026, 12, 1))
    assert (BB01, RECERTIFICATION) not in result
    nxt = CycleRules(date(2027, 1, 1), date(2027, 12, 31))
    assert planned([STAFF], facts, date(2026, 12, 1), nxt)[(BB01, RECERTIFICATION)].due_on == date(
        2027, 1, 15
    )


def test_a_new_post_ignores_completions_expired_before_it_started():
    new = post(date(2026, 4, 1), courses=[BB01])
    facts = [done(7, BB01, date(2024, 3, 1), date(2026, 3, 31))]
    result = planned([new], facts, as_of=date(2026, 4, 1))
    assert result[(BB01, MANDATORY)].status == OPEN
    assert result[(BB01, MANDATORY)].due_on == date(2026, 9, 28)
    assert (BB01, RECERTIFICATION) not in result


def test_recertification_is_only_for_courses_still_required():
    facts = [done(7, VT01, date(2024, 8, 1), date(2026, 8, 1))]
    assert planned([STAFF], facts, as_of=date(2026, 7, 1)) == {
        (BB01, MANDATORY): Planned(BB01, MANDATORY, date(2026, 12, 31), OPEN, None, A)
    }


def test_plan_is_deterministic_whatever_the_input_order():
    posts = [
        post(date(2020, 1, 1), courses=[BB01, VT01]),
        post(date(2026, 2, 1), courses=[VT02, BB01], position=B, primary=False),
    ]
    facts = [done(3, VT01, date(2025, 1, 1), date(2026, 7, 1)), done(1, BB01, date(2026, 1, 5))]
    first = planning.plan(posts, facts, Y2026, date(2026, 6, 15))
    assert first == planning.plan(posts[::-1], facts[::-1], Y2026, date(2026, 6, 15))
    assert [(p.course_id, p.kind) for p in first] == sorted((p.course_id, p.kind) for p in first)


# --- reconcile ----------------------------------------------------------------------------


def stored(course, kind=MANDATORY, status=OPEN, position=A, due=date(2026, 12, 31), cid=None):
    return Existing(course, kind, status, position, due, cid)


def want(course, kind=MANDATORY, status=OPEN, position=A, due=date(2026, 12, 31), cid=None):
    return Planned(course, kind, due, status, cid, position)


def test_new_obligations_are_inserted_and_unchanged_ones_left_alone():
    changes = planning.reconcile([stored(BB01)], [want(BB01), want(VT01)], {A})
    assert [(c.action, c.course_id) for c in changes] == [("insert", VT01)]


def test_open_obligations_of_an_ended_position_are_withdrawn_with_the_reason():
    changes = planning.reconcile([stored(VT01, position=A)], [], {B})
    assert [(c.action, c.reason) for c in changes] == [("withdraw", POSITION_ENDED)]


def test_open_obligations_dropped_from_a_held_curriculum_are_withdrawn_as_curriculum_changed():
    changes = planning.reconcile([stored(VT01, position=A)], [], {A})
    assert [(c.action, c.reason) for c in changes] == [("withdraw", CURRICULUM_CHANGED)]


def test_done_and_withdrawn_obligations_are_history_and_stay():
    rows = [stored(BB01, status=DONE, cid=4), stored(VT01, status="withdrawn")]
    assert planning.reconcile(rows, [], set()) == []


def test_an_obligation_assigned_individually_is_not_withdrawn():
    assert planning.reconcile([stored(VT01, position=None)], [], {A}) == []
    taken_over = planning.reconcile([stored(VT01, position=None)], [want(VT01)], {A})
    assert [(c.action, c.planned.position_id) for c in taken_over] == [("update", A)]


def test_a_withdrawn_obligation_that_applies_again_is_reopened():
    changes = planning.reconcile([stored(VT01, status="withdrawn")], [want(VT01)], {A})
    assert [(c.action, c.planned.status) for c in changes] == [("update", OPEN)]


def test_a_changed_due_date_position_or_completion_is_updated():
    assert planning.reconcile([stored(BB01)], [want(BB01, due=date(2026, 9, 1))], {A})[
        0
    ].action == ("update")
    assert planning.reconcile([stored(BB01)], [want(BB01, position=B)], {B})[0].action == "update"
    changed = planning.reconcile([stored(BB01)], [want(BB01, status=DONE, cid=5)], {A})
    assert changed[0].planned.completion_id == 5


# --- compliance status --------------------------------------------------------------------


def status(as_of, target="3", earned="0", open_=0, due=None, closed=False, **rules_):
    return compliance_rules.compliance_status(
        as_of=as_of,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        closed=closed,
        target=D(target),
        earned=D(earned),
        open_obligations=open_,
        earliest_open_due=due,
        **rules_,
    )


def test_met_needs_the_target_and_every_mandatory_course():
    assert status(date(2026, 6, 1), earned="3") == MET
    assert status(date(2026, 6, 1), earned="4.5") == MET
    assert status(date(2026, 6, 1), earned="3", open_=1, due=date(2026, 12, 31)) == ON_TRACK
    assert status(date(2026, 6, 1), target="0") == MET


def test_a_mandatory_course_past_due_is_overdue():
    assert status(date(2026, 9, 2), earned="3", open_=1, due=date(2026, 9, 1)) == OVERDUE
    assert (
        status(date(2026, 9, 1), earned="3", open_=1, due=date(2026, 9, 1)) == AT_RISK
    )  # due today


def test_a_mandatory_course_due_within_at_risk_days_is_at_risk():
    due = date(2026, 9, 30)
    assert status(date(2026, 8, 31), earned="3", open_=1, due=due) == AT_RISK  # 30 days
    assert status(date(2026, 8, 30), earned="3", open_=1, due=due) == ON_TRACK  # 31 days
    assert status(date(2026, 8, 20), earned="3", open_=1, due=due, at_risk_days=45) == AT_RISK


def test_credits_behind_the_linear_pace_by_more_than_the_slack_are_at_risk():
    # 3 TC over 365 days; on 30/09 (273 days) the pace is 2.24 TC.
    assert status(date(2026, 9, 30), earned="1.25") == ON_TRACK  # 0.99 behind
    assert status(date(2026, 9, 30), earned="1.2") == AT_RISK  # 1.04 behind
    assert status(date(2026, 9, 30), earned="1.2", pace_slack=D("1.5")) == ON_TRACK
    assert status(date(2026, 5, 1), earned="0") == ON_TRACK  # pace 0.99
    assert status(date(2026, 12, 31), earned="1.9") == AT_RISK
    assert status(date(2027, 1, 20), earned="2") == ON_TRACK  # after the end, not closed


def test_pace_before_the_cycle_is_zero():
    assert status(date(2025, 12, 1), earned="0") == ON_TRACK


def test_pace_counts_the_366_days_of_a_leap_year():
    kwargs = {"starts_on": date(2028, 1, 1), "ends_on": date(2028, 12, 31)}
    common = {"closed": False, "open_obligations": 0, "earliest_open_due": None}
    # 3.66 TC: the pace on 29/02 (60 days) is exactly 0.6; 60th day of 366.
    assert (
        compliance_rules.compliance_status(
            as_of=date(2028, 2, 29), target=D("3.66"), earned=D("-0.4"), **kwargs, **common
        )
        == ON_TRACK
    )
    assert (
        compliance_rules.compliance_status(
            as_of=date(2028, 2, 29), target=D("3.66"), earned=D("-0.41"), **kwargs, **common
        )
        == AT_RISK
    )


def test_after_close_only_met_or_not_met():
    assert status(date(2027, 2, 1), earned="3", closed=True) == MET
    assert status(date(2027, 2, 1), earned="2.5", closed=True) == NOT_MET
    assert status(date(2027, 2, 1), earned="3", open_=1, due=date(2026, 12, 31), closed=True) == (
        NOT_MET
    )


def test_overdue_wins_over_at_risk():
    assert status(date(2026, 12, 1), earned="0", open_=2, due=date(2026, 11, 1)) == OVERDUE


@given(
    as_of=st.dates(date(2025, 10, 1), date(2027, 3, 1)),
    target_=st.decimals("0", "10", places=1),
    earned=st.decimals("0", "12", places=2),
    open_=st.integers(0, 5),
    due=st.one_of(st.none(), st.dates(date(2026, 1, 1), date(2026, 12, 31))),
    closed=st.booleans(),
    at_risk_days=st.integers(0, 90),
    slack=st.decimals("0", "3", places=1),
)
@settings(max_examples=500, deadline=None)
def test_status_follows_its_documented_definition(
    as_of, target_, earned, open_, due, closed, at_risk_days, slack
):
    due = due if open_ else None
    result = status(
        as_of, target_, earned, open_, due, closed, at_risk_days=at_risk_days, pace_slack=slack
    )
    complete = earned >= target_ and open_ == 0
    if closed:
        assert result == (MET if complete else NOT_MET)
        return
    assert result != NOT_MET
    assert (result == MET) == complete
    if result == OVERDUE:
        assert due < as_of
    if due is not None and due < as_of:
        assert result == OVERDUE
    if result == ON_TRACK:
        assert due is None or due > as_of + timedelta(days=at_risk_days)
        elapsed = elapsed_days(date(2026, 1, 1), date(2026, 12, 31), as_of)
        assert earned + slack >= target_ * elapsed / 365


@given(
    as_of=st.dates(date(2026, 1, 1), date(2026, 12, 31)),
    earned=st.decimals("0", "3", places=2),
    more=st.decimals("0", "3", places=2),
)
@settings(max_examples=300, deadline=None)
def test_earning_more_credits_never_worsens_the_status(as_of, earned, more):
    order = [MET, ON_TRACK, AT_RISK, OVERDUE]
    before = status(as_of, "3", earned)
    after = status(as_of, "3", earned + more)
    assert order.index(after) <= order.index(before)


def test_cycle_days_and_elapsed_days():
    assert cycle_days(date(2026, 1, 1), date(2026, 12, 31)) == 365
    assert cycle_days(date(2028, 1, 1), date(2028, 12, 31)) == 366
    assert elapsed_days(date(2026, 1, 1), date(2026, 12, 31), date(2026, 1, 1)) == 1
    assert elapsed_days(date(2026, 1, 1), date(2026, 12, 31), date(2025, 12, 31)) == 0
    assert elapsed_days(date(2026, 1, 1), date(2026, 12, 31), date(2027, 6, 1)) == 365


def test_a_completion_after_the_cycle_does_not_satisfy_it_after_the_fact():
    facts = [done(7, BB01, date(2027, 2, 1))]
    result = planned([STAFF], facts, as_of=date(2027, 3, 1))
    assert result[(BB01, MANDATORY)].status == OPEN
    nxt = CycleRules(date(2027, 1, 1), date(2027, 12, 31))
    assert planned([STAFF], facts, date(2027, 3, 1), nxt)[(BB01, MANDATORY)].status == DONE


# --- properties over random histories -----------------------------------------------------

_day = st.dates(date(2025, 6, 1), date(2027, 6, 30))


@st.composite
def histories(draw):
    posts = []
    for _ in range(draw(st.integers(0, 3))):
        start = draw(_day)
        end = draw(st.one_of(st.none(), st.dates(start, date(2027, 12, 31))))
        posts.append(
            post(
                start,
                end,
                target=str(draw(st.sampled_from(["0", "1.5", "3", "4"]))),
                courses=draw(st.sets(st.sampled_from([BB01, BB02, VT01]), max_size=3)),
                position=draw(st.sampled_from([A, B, C])),
                primary=draw(st.booleans()),
            )
        )
    facts = []
    for number in range(draw(st.integers(0, 3))):
        completed = draw(st.dates(date(2022, 1, 1), date(2027, 6, 30)))
        months = draw(st.one_of(st.none(), st.sampled_from([6, 12, 24])))
        expires = dates.add_months(completed, months) if months else None
        facts.append(
            done(number + 1, draw(st.sampled_from([BB01, BB02, VT01])), completed, expires)
        )
    return posts, facts


@given(history=histories(), as_of=_day)
@settings(max_examples=400, deadline=None)
def test_plans_are_consistent_and_applying_them_twice_changes_nothing(history, as_of):
    posts, facts = history
    result = planning.plan(posts, facts, Y2026, as_of)
    keys = [(p.course_id, p.kind) for p in result]
    assert keys == sorted(set(keys))
    day = reference_day(Y2026, as_of)
    required = set().union(*(p.courses for p in posts if p.holds_on(day))) if posts else set()
    for item in result:
        assert item.course_id in required
        assert (item.completion_id is not None) == (item.status == DONE)
        # never due before the day it arose (as_of here), and at least 30 days after it
        assert item.arose_on == as_of and item.due_on >= as_of + timedelta(days=30)
        if item.kind == MANDATORY:
            assert Y2026.starts_on <= item.due_on <= max(Y2026.ends_on, as_of + timedelta(30))
        else:
            assert (item.course_id, MANDATORY) in keys
    held = {p.position_id for p in posts if p.holds_on(day)}
    stored_rows = [
        Existing(p.course_id, p.kind, p.status, p.position_id, p.due_on, p.completion_id, as_of)
        for p in result
    ]
    assert planning.reconcile(stored_rows, result, held) == []
    assert planning.plan(list(reversed(posts)), list(reversed(facts)), Y2026, as_of) == result


@pytest.mark.parametrize(
    ("expires", "status"),
    [(date(2025, 12, 31), OPEN), (date(2026, 1, 1), DONE), (date(2026, 1, 2), DONE)],
    ids=["day-before-start", "on-the-start", "day-after-start"],
)
def test_a_completion_expiring_on_the_cycle_start_still_satisfies_it(expires, status):
    """Valid on its expiry day: one expiring on the cycle's first day covers the course; one
    expiring the day before is owed again (issue 20, survivor 2)."""
    result = planned([STAFF], [done(7, BB01, date(2023, 1, 1), expires)])
    assert result[(BB01, MANDATORY)].status == status
    assert result[(BB01, MANDATORY)].completion_id == (7 if status == DONE else None)
