"""lms.curricula.rules pinned where make mutation found the suite loose (docs/testing.md,
"Mutation testing")."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from lms.curricula.rules import planning
from lms.curricula.rules.dates import CycleRules, Held, Leave, month_days
from lms.curricula.rules.due import due_date, leave_shifted_due, requirements
from lms.curricula.rules.planning import CompletionFact, Existing, Planned
from lms.curricula.rules.states import DONE, MANDATORY, OPEN, RECERTIFICATION


def test_the_rules_of_a_cycle_row_take_each_setting_from_its_own_column():
    row = SimpleNamespace(
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        due_days=181,
        renewal_window_days=61,
        at_risk_days=31,
        pace_slack="1.5",
        notice_days=29,
    )
    assert CycleRules.of(row) == CycleRules(
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        due_days=181,
        renewal_window_days=61,
        at_risk_days=31,
        pace_slack=Decimal("1.5"),
        notice_days=29,
    )
    assert isinstance(CycleRules.of(row).pace_slack, Decimal)


# --- plan and reconcile (make mutation, 2026-12-05) ---------------------------------------

Y2026 = CycleRules(date(2026, 1, 1), date(2026, 12, 31))
BB01, POSITION = 101, 1


def _post():
    return Held(POSITION, date(2020, 1, 1), None, Decimal(3), frozenset({BB01}))


def test_a_course_completed_on_the_day_the_plan_is_made_counts_that_day():
    """Completed on 10/06 and planned (the night's refresh) on 10/06: done. The day before it
    is still open; the completion does not count before it was made."""
    done = CompletionFact(7, BB01, date(2026, 6, 10), None)
    [today] = planning.plan([_post()], [done], Y2026, date(2026, 6, 10))
    [before] = planning.plan([_post()], [done], Y2026, date(2026, 6, 9))
    assert (today.status, today.completion_id) == (DONE, 7)
    assert (before.status, before.completion_id) == (OPEN, None)


def test_an_insert_carries_the_planned_obligation_it_writes():
    planned = Planned(BB01, MANDATORY, date(2026, 12, 31), OPEN, None, POSITION)
    [change] = planning.reconcile([], [planned], {POSITION})
    assert (change.action, change.planned) == ("insert", planned)
    assert change.planned.due_on == date(2026, 12, 31)


def test_a_row_without_the_day_it_arose_gets_it_and_one_with_it_keeps_it():
    """A row stored before `arose_on` existed (NULL) is updated to the planned day; a row
    that has one is left alone when the plan carries none, and updated when they differ."""
    due = date(2026, 12, 31)

    def row(arose):
        return Existing(BB01, MANDATORY, OPEN, POSITION, due, None, arose)

    def planned(arose):
        return Planned(BB01, MANDATORY, due, OPEN, None, POSITION, arose)

    june, july = date(2026, 6, 1), date(2026, 7, 1)
    assert [c.action for c in planning.reconcile([row(None)], [planned(june)], {POSITION})] == [
        "update"
    ]
    assert [c.action for c in planning.reconcile([row(june)], [planned(july)], {POSITION})] == [
        "update"
    ]
    assert planning.reconcile([row(june)], [planned(june)], {POSITION}) == []
    assert planning.reconcile([row(june)], [planned(None)], {POSITION}) == []


def test_a_stored_mandatory_obligation_keeps_the_day_it_arose_and_so_its_due_date():
    """Required since 2020 but known from 01/06/2026 (the go-live): due 180 days later, on
    28/11, and still so when planned again on 01/08 — the day it arose is the stored
    obligation's, not a recertification's nor the new plan's."""
    arisen = {
        (BB01, MANDATORY): date(2026, 6, 1),
        (BB01, RECERTIFICATION): date(2026, 3, 1),
    }
    [again] = planning.plan([_post()], [], Y2026, date(2026, 8, 1), arisen)
    assert (again.due_on, again.arose_on) == (date(2026, 11, 28), date(2026, 6, 1))
    [fresh] = planning.plan([_post()], [], Y2026, date(2026, 8, 1))
    assert (fresh.due_on, fresh.arose_on) == (date(2026, 12, 31), date(2026, 8, 1))


def _kinds(expires_on: date, as_of: date) -> dict[str, tuple]:
    fact = CompletionFact(7, BB01, date(2023, 1, 1), expires_on)
    return {p.kind: (p.status, p.due_on) for p in planning.plan([_post()], [fact], Y2026, as_of)}


def test_a_certificate_expiring_on_the_cycles_first_day_is_renewed_in_that_cycle():
    """Expiring on 01/01/2026, the first day the course is judged from: the course is done
    (valid that day) and its recertification is owed in 2026; the day before, the course is
    owed again instead (no recertification); the day after, a recertification as well."""
    as_of = date(2026, 1, 1)
    assert _kinds(date(2025, 12, 31), as_of) == {MANDATORY: (OPEN, date(2026, 12, 31))}
    on_start = _kinds(date(2026, 1, 1), as_of)
    assert on_start[MANDATORY][0] == DONE
    assert on_start[RECERTIFICATION] == (OPEN, date(2026, 1, 31))  # 30 days' notice
    assert _kinds(date(2026, 1, 2), as_of)[RECERTIFICATION][0] == OPEN


def test_a_certificate_expiring_on_the_cycles_last_day_is_renewed_in_that_cycle():
    """Expiring on 31/12/2026 (the renewal window of 60 days has begun on 15/11): its
    recertification is owed in 2026, due that day; one expiring on 01/01/2027 is not."""
    as_of = date(2026, 11, 15)
    assert _kinds(date(2026, 12, 30), as_of)[RECERTIFICATION] == (
        OPEN,
        date(2026, 12, 30),
    )
    assert _kinds(date(2026, 12, 31), as_of)[RECERTIFICATION] == (
        OPEN,
        date(2026, 12, 31),
    )
    assert RECERTIFICATION not in _kinds(date(2027, 1, 1), as_of)


def test_a_due_date_without_the_day_it_arose_runs_from_the_post():
    """No arose day (a requirement as old as the post): 01/03 + 180 days = 28/08, with no
    least notice; 01/12 + 180 is capped at the cycle's last day."""
    assert due_date(date(2026, 3, 1), Y2026) == date(2026, 8, 28)
    assert due_date(date(2026, 12, 1), Y2026) == date(2026, 12, 31)


def _recert(facts, as_of=date(2026, 6, 1)):
    facts = [CompletionFact(i, BB01, done, expires) for i, done, expires in facts]
    plans = planning.plan([_post()], facts, Y2026, as_of)
    return {p.kind: (p.status, p.completion_id) for p in plans}[RECERTIFICATION]


def test_a_renewed_certificate_expiring_on_the_cycles_first_or_last_day_is_a_done_renewal():
    # expired on 01/01/2026 (the first day), renewed on 20/12/2025: a renewal done in 2026
    facts = [(1, date(2023, 1, 1), date(2026, 1, 1)), (2, date(2025, 12, 20), date(2028, 12, 20))]
    assert _recert(facts) == (DONE, 2)
    # expiring on 31/12/2026 (the last day), renewed on 01/11/2026
    facts = [(1, date(2023, 12, 31), date(2026, 12, 31)), (2, date(2026, 11, 1), date(2029, 11, 1))]
    assert _recert(facts, date(2026, 11, 15)) == (DONE, 2)


def test_of_two_certificates_expiring_in_the_cycle_the_later_one_is_the_renewal_owed():
    """01/03 and 01/09/2026 expiries, both replaced by one completed on 01/08/2026: the
    recertification is the one of 01/09, done by the 01/08 completion."""
    facts = [
        (1, date(2023, 3, 1), date(2026, 3, 1)),
        (2, date(2024, 9, 1), date(2026, 9, 1)),
        (3, date(2026, 8, 1), date(2029, 8, 1)),
    ]
    assert _recert(facts, date(2026, 8, 15)) == (DONE, 3)


def test_the_renewal_is_the_first_completion_after_the_expired_one_even_the_same_day():
    """The certificate expiring 01/06/2026 was completed on 01/06/2023; a completion the same
    day expiring in 2027 renews it before the one of 2026."""
    facts = [
        (1, date(2023, 6, 1), date(2026, 6, 1)),
        (2, date(2023, 6, 1), date(2027, 6, 1)),
        (3, date(2026, 8, 1), date(2029, 8, 1)),
    ]
    assert _recert(facts, date(2026, 8, 15)) == (DONE, 2)
    # two later completions: the earlier one renews it
    facts[1] = (2, date(2026, 7, 1), date(2029, 7, 1))
    assert _recert(facts, date(2026, 8, 15)) == (DONE, 2)


def test_a_longer_certificate_completed_earlier_counts_as_the_renewal():
    """Expiring 01/01/2026 (completed 01/01/2024, 24 months); the latest certificate was
    completed before it (01/06/2023, 36 months) and expires on 01/06/2026, its window not
    begun on 01/01: the recertification of 01/01 is done by that one."""
    facts = [(1, date(2024, 1, 1), date(2026, 1, 1)), (2, date(2023, 6, 1), date(2026, 6, 1))]
    assert _recert(facts, date(2026, 1, 1)) == (DONE, 2)


def test_a_cycle_without_a_15th_requires_only_what_began_before_its_first_day():
    """16/01–14/02/2026 holds no 15th: a requirement counts only when its post began by
    15/01 (the day before the cycle), so a post taken on 16/01 owes nothing in it."""
    short = CycleRules(date(2026, 1, 16), date(2026, 2, 14))

    def required(since):
        post = Held(POSITION, since, None, Decimal(3), frozenset({BB01}))
        return [r.course_id for r in requirements([post], short, date(2026, 2, 1))]

    assert required(date(2026, 1, 14)) == [BB01]
    assert required(date(2026, 1, 15)) == [BB01]
    assert required(date(2026, 1, 16)) == []
    assert required(date(2026, 1, 17)) == []


def test_a_cycle_from_a_15th_to_a_15th_counts_both_months():
    """15/01–15/06/2026: both ends are a 15th, so January and June count (six months)."""
    cycle = CycleRules(date(2026, 1, 15), date(2026, 6, 15))
    assert month_days(cycle) == [date(2026, month, 15) for month in range(1, 7)]


# --- leave moving a due date: its first boundary and the periods after a skipped one ----------
@pytest.mark.parametrize(
    "last_day, moved",
    [
        (date(2026, 1, 31), date(2026, 7, 31)),  # ends the day before the obligation runs
        (date(2026, 2, 1), date(2026, 8, 1)),  # ends on its first day: that one day counts
        (date(2026, 2, 2), date(2026, 8, 2)),
    ],
)
def test_leave_ending_around_the_day_the_obligation_began(last_day, moved):
    periods = [Leave(date(2026, 1, 20), last_day)]
    cycle = CycleRules(date(2026, 1, 1), date(2026, 12, 31))
    assert leave_shifted_due(date(2026, 7, 31), date(2026, 2, 1), periods, cycle) == moved


def test_a_leave_before_the_obligation_does_not_hide_a_later_one():
    periods = [
        Leave(date(2026, 4, 1), date(2026, 4, 30)),
        Leave(date(2026, 1, 2), date(2026, 1, 9)),
    ]
    cycle = CycleRules(date(2026, 1, 1), date(2026, 12, 31))
    moved = leave_shifted_due(date(2026, 7, 31), date(2026, 2, 1), periods, cycle)
    assert moved == date(2026, 8, 30)  # the April leave's 30 days


def test_leave_taken_before_an_obligation_arose_does_not_move_its_due_date():
    cycle = CycleRules(date(2026, 1, 1), date(2026, 12, 31))
    held = [Held(1, date(2026, 2, 1), None, Decimal(3), frozenset({101}), True)]
    arisen = {(101, MANDATORY): date(2026, 5, 1)}  # required of the post from May (a change)
    [unmoved] = planning.plan(held, [], cycle, date(2026, 5, 1), arisen)
    march = [Leave(date(2026, 3, 1), date(2026, 3, 31))]
    [planned] = planning.plan(held, [], cycle, date(2026, 5, 1), arisen, march)
    assert planned.due_on == unmoved.due_on
    june = [Leave(date(2026, 6, 1), date(2026, 6, 30))]
    [moved] = planning.plan(held, [], cycle, date(2026, 5, 1), arisen, june)
    assert moved.due_on > unmoved.due_on
