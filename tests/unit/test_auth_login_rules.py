"""The account slow-down's rule (lms.auth.throttle.refusal_seconds): how long an account makes
clients without a device cookie wait after its last failure."""

import pytest

from lms.auth.throttle import refusal_seconds


@pytest.mark.parametrize(
    ("failures", "wait"),
    [(0, 0), (4, 0), (5, 30), (6, 60), (7, 120), (8, 240), (9, 480), (10, 900), (11, 900)],
)
def test_the_wait_starts_at_the_limit_and_doubles_up_to_the_longest(failures, wait):
    assert refusal_seconds(failures, free=5, first=30, longest=900) == wait


def test_a_flood_of_failures_never_overflows_the_wait():
    assert refusal_seconds(10**6, free=5, first=30, longest=900) == 900


def test_a_limit_of_one_slows_down_from_the_first_failure():
    assert refusal_seconds(1, free=1, first=10, longest=60) == 10
