"""Plain JSON values from model rows (dates and times as ISO text, amounts as decimal text), for
downloads such as "all my data"."""

from datetime import date, datetime
from decimal import Decimal


def plain(value):
    """A value as JSON can hold it: ISO text for dates and times, text for Decimal."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def fields(row, *names: str) -> dict:
    """{name: plain(row.name)} for the named attributes of a row."""
    return {name: plain(getattr(row, name)) for name in names}
