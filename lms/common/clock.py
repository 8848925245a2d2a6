"""The only source of "now" in the application, so tests can freeze time in one place.

Timestamps are stored as naive UTC (the same on SQLite and PostgreSQL); dates are Vietnam's.
"""

from datetime import UTC, date, datetime, time, timedelta
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


def local_day(moment: datetime) -> date:
    """The Vietnamese date of a stored (naive UTC) timestamp."""
    return moment.replace(tzinfo=UTC).astimezone(LOCAL_TZ).date()


def start_of_day(day: date) -> datetime:
    """The moment `day` begins in Vietnam, as naive UTC (how timestamps are stored), so a filter
    "from `a` to `b`" reads `start_of_day(a) <= at < start_of_day(b + 1 day)`."""
    local = datetime.combine(day, time(0), tzinfo=LOCAL_TZ)
    return local.astimezone(UTC).replace(tzinfo=None)


def day_range(first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """The naive UTC bounds [start, end) of the Vietnamese days `first`…`last` (either open)."""
    start = start_of_day(first) if first else None
    end = start_of_day(last + timedelta(days=1)) if last and last < date.max else None
    return start, end
