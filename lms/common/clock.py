"""The only source of "now" in the application, so tests can freeze time in one place.

Timestamps are stored as naive UTC (the same on SQLite and PostgreSQL); dates are Vietnam's.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> datetime:
    """Current time as a naive UTC datetime (how every timestamp column stores it)."""
    return datetime.now(UTC).replace(tzinfo=None)


def today() -> date:
    """Today's date in Vietnam (UTC+7), the date every dated rule uses."""
    return datetime.now(UTC).astimezone(LOCAL_TZ).date()


def stamp() -> datetime:
    """`now()` looked up at call time: the default of timestamp columns, so a test that freezes
    the clock freezes the rows it writes too."""
    return now()
