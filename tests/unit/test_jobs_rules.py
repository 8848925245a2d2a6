"""Pure reminder rules: which reminder an obligation gets on a day, and the digest's week."""

from datetime import date

import pytest

from lms.jobs.rules import digest_week, reminded_obligation, reminder_key, reminder_kind

AS_OF = date(2026, 6, 15)


@pytest.mark.parametrize(
    "due_on, kind",
    [
        (date(2026, 8, 1), None),  # 47 days away: nothing yet
        (date(2026, 7, 16), None),  # 31 days
        (date(2026, 7, 15), "due_30"),  # 30 days
        (date(2026, 6, 23), "due_30"),  # 8 days
        (date(2026, 6, 22), "due_7"),  # 7 days
        (date(2026, 6, 15), "due_7"),  # due today is not overdue yet
        (date(2026, 6, 14), "overdue"),
        (date(2025, 12, 31), "overdue"),
    ],
)
def test_reminder_kind_by_days_left(due_on, kind):
    assert reminder_kind(due_on, AS_OF) == kind


def test_one_reminder_key_per_obligation_whatever_its_due_date():
    # one notice per obligation and state: a due date computed again gives no new reminder
    assert reminder_key(5) == "obligation:5"
    assert reminded_obligation("obligation:5") == 5
    assert reminded_obligation("obligation:5:2026-06-22") == 5  # the keys written before
    assert reminded_obligation("obligation:3:101:mandatory") is None  # course_assigned's
    assert reminded_obligation("certificate:5:2026-06-22") is None


def test_digest_covers_the_previous_monday_to_sunday():
    assert digest_week(date(2026, 6, 15)) == ("2026-W25", date(2026, 6, 8), date(2026, 6, 14))
    # sent late on a Wednesday: still the week before the current one, same key as Monday's
    assert digest_week(date(2026, 6, 17))[0] == "2026-W25"
    assert digest_week(date(2026, 6, 17))[1:] == (date(2026, 6, 8), date(2026, 6, 14))
    assert digest_week(date(2027, 1, 1))[0] == "2026-W53"


def test_a_file_is_kept_through_the_last_day_of_its_retention_and_removed_the_day_after():
    from lms.jobs.rules import past_retention

    made = date(2026, 3, 1)
    assert not past_retention(made, date(2026, 3, 30), 30)  # the day before the boundary
    assert not past_retention(made, date(2026, 3, 31), 30)  # the boundary: still kept
    assert past_retention(made, date(2026, 4, 1), 30)  # the day after: removed
    assert not past_retention(made, date(2036, 1, 1), 0)  # 0 keeps files for good
