"""Pure rules of reminders (which reminder an obligation is due, the week a digest covers) and
of file retention. No Flask, no database."""

from datetime import date, timedelta

# Reminder windows in days before the due date, widest first: (kind, days).
WINDOWS = (("due_30", 30), ("due_7", 7))
REMINDER_KINDS = ("due_30", "due_7", "overdue")


def reminder_kind(due_on: date, as_of: date) -> str | None:
    """The reminder an open obligation due on `due_on` calls for on `as_of`: "overdue" once the
    due date has passed, "due_7" within 7 days (the due day included), "due_30" within 30, else
    None. An obligation first seen inside the 7-day window gets only "due_7", never both."""
    days = (due_on - as_of).days
    if days < 0:
        return "overdue"
    kind = None
    for name, window in WINDOWS:
        if days <= window:
            kind = name
    return kind


def reminder_key(obligation_id: int) -> str:
    """Idempotency key of an obligation's reminders: one notice per obligation and state (the
    kind), even when its due date is computed again."""
    return f"obligation:{obligation_id}"


def reminded_obligation(key: str) -> int | None:
    """The obligation id of a reminder's key, of either form: "obligation:<id>" or, as keys
    were written before, "obligation:<id>:<due date>"; None for another key."""
    parts = key.split(":")
    if len(parts) in (2, 3) and parts[0] == "obligation" and parts[1].isdigit():
        return int(parts[1])
    return None


def digest_week(as_of: date) -> tuple[str, date, date]:
    """The ISO week key ("2026-W24") of a digest sent on `as_of`, and the 7 days it covers
    (the week before, Monday to Sunday)."""
    year, week, weekday = as_of.isocalendar()
    start = as_of - timedelta(days=weekday - 1 + 7)
    return f"{year}-W{week:02d}", start, start + timedelta(days=6)


def past_retention(created_on: date, today: date, days: int) -> bool:
    """Whether a file made on `created_on` has outlived a retention of `days` days on `today`:
    it is kept through the day `created_on + days` and removed from the day after. `days` 0 or
    less keeps files for good."""
    return days > 0 and today > created_on + timedelta(days=days)
