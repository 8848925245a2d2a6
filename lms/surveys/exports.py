"""The satisfaction ranking as a table to hand out (lms.common.exporter): a pure row generator
over the report's rows, and the Export around it."""

from collections.abc import Iterator

from lms.auth.scope import Scope
from lms.common.exporter import Export
from lms.i18n import _
from lms.surveys import reports


def ranking_rows(rows: list[reports.IndexRow], months: dict) -> Iterator[list]:
    """One line per unit: rank, code, name, responses, index, interval, then the index of each
    month (empty when the month had no response)."""
    for rank, row in enumerate(rows, 1):
        by_month = months.get(row.key, {})
        monthly = [by_month[m].index if m in by_month else None for m in range(1, 13)]
        yield [rank, row.code, row.name, row.responses, row.index, row.low, row.high, *monthly]


def ranking_export(scope: Scope, year: int) -> Export:
    """The year's ranking of the units in `scope`, with their months."""
    header = [
        _("Rank"),
        _("Unit code"),
        _("Unit"),
        _("Responses"),
        _("Satisfaction index"),
        _("%(level)s interval, low", level="95%"),
        _("%(level)s interval, high", level="95%"),
    ] + [_("Month %(month)d", month=m) for m in range(1, 13)]
    rows = ranking_rows(reports.ranking(scope, year), reports.unit_months(scope, year))
    return Export(
        stem=f"satisfaction-{year}",
        sheet=_("Satisfaction"),
        title=_("Citizen satisfaction index %(year)d", year=year),
        header=header,
        rows=rows,
    )
