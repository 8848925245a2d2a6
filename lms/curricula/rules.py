"""Curricula rules with no Flask and no database: dates of cycles and validity, pro-rated
targets, due dates of obligations, compliance status (DESIGN.md §3)."""

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """`day` plus whole months, clamped to the month's last day (31/01 + 1 → 28 or 29/02)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))
