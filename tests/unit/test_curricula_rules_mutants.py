"""lms.curricula.rules pinned where make mutation found the suite loose (docs/testing.md,
"Mutation testing")."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from lms.curricula import rules


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
    assert rules.CycleRules.of(row) == rules.CycleRules(
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        due_days=181,
        renewal_window_days=61,
        at_risk_days=31,
        pace_slack=Decimal("1.5"),
        notice_days=29,
    )
    assert isinstance(rules.CycleRules.of(row).pace_slack, Decimal)
