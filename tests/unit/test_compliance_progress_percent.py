"""The share of the credit target /me shows ("Đã đạt 2/3 tín chỉ (67%)"): rounded half up, 100
only once the target is reached, 100 for no target."""

from datetime import date
from decimal import Decimal

import pytest

from lms.compliance.my_training import CycleStanding


def standing(earned: str, target: str) -> CycleStanding:
    return CycleStanding(
        None, Decimal(target), 12, Decimal(earned), 0, date(2026, 12, 31), False, "on_track"
    )


@pytest.mark.parametrize(
    ("earned", "target", "percent"),
    [
        ("0", "3", 0),
        ("1", "3", 33),  # 33.33 → 33
        ("2", "3", 67),  # 66.67 → 67, not 66
        ("0.5", "8", 6),  # 6.25 → 6
        ("1", "8", 13),  # 12.5 → 13: half up
        ("2.99", "3", 99),  # 99.67 would round to 100: not reached yet
        ("3", "3", 100),
        ("4.5", "3", 100),  # more than the target
        ("0", "0", 100),  # no target
    ],
)
def test_the_share_of_the_target_is_rounded_half_up_and_100_only_when_reached(
    earned, target, percent
):
    assert standing(earned, target).percent == percent
