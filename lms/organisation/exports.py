"""Registry export in the import columns, so that export → import changes nothing.

A pure row generator; routes and the CLI turn it into CSV or XLSX (formulas escaped there).
"""

from collections.abc import Iterator

from lms.common import exporter
from lms.common.pagination import plan_for_every_row
from lms.extensions import db
from lms.i18n import _
from lms.organisation import queries
from lms.organisation.models import Official, Position, Rank
from lms.organisation.rows import OFFICIAL_COLUMNS, template

GENDER_TEXT = {"male": "Nam", "female": "Nữ"}
CATEGORY_TEXT = {"can_bo": "cán bộ", "cong_chuc": "công chức", "vien_chuc": "viên chức"}


def _day(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def official_rows(
    scope: list[str] | None, filters: queries.OfficialFilters | None = None
) -> tuple[list[str], Iterator[list]]:
    """The header (Vietnamese) and one row per official in scope, in Vietnamese order."""
    Current, Unit = queries.Current, queries.CurrentUnit
    stmt = (
        queries.filtered(queries.registry_select(scope), filters or queries.OfficialFilters())
        .outerjoin(Position, Position.id == Current.position_id)
        .outerjoin(Rank, Rank.id == Current.rank_id)
        .with_only_columns(
            Official.employee_code,
            Official.full_name,
            Official.gender,
            Official.date_of_birth,
            Official.category,
            Unit.code,
            Position.code,
            Rank.code,
            Current.started_on,
            Official.email,
            Official.phone,
        )
        .order_by(Official.sort_name, Official.id)
    )
    header = [names[0] for names in OFFICIAL_COLUMNS.values()]

    def rows() -> Iterator[list]:
        plan_for_every_row()
        for (
            code,
            name,
            gender,
            born,
            category,
            unit,
            position,
            rank,
            started,
            email,
            phone,
        ) in db.session.execute(stmt.execution_options(yield_per=2000)):
            yield [
                code,
                name,
                GENDER_TEXT.get(gender, gender),
                _day(born),
                CATEGORY_TEXT.get(category, category),
                unit or "",
                position or "",
                rank or "",
                _day(started),
                email or "",
                phone or "",
            ]

    return header, rows()


def template_rows() -> tuple[list[str], list[list]]:
    """The import template: the header and one example row."""
    example = {
        "employee_code": "DN000123",
        "full_name": "Nguyễn Thị Ánh",
        "gender": "Nữ",
        "date_of_birth": "15/03/1988",
        "category": "công chức",
        "unit_code": "P-HAICHAU",
        "position_code": "XA-MC",
        "rank_code": "01.003",
        "started_on": "01/07/2025",
        "email": "anh.nt@danang.gov.vn",
        "phone": "0905123456",
    }
    return template(OFFICIAL_COLUMNS, example)


def registry_export(header: list[str], rows, unit) -> exporter.Export:
    """The registry as a file named after `unit` (the filter's or the top of the scope; None:
    no unit), for the web download and `flask officials export`."""
    return exporter.Export(
        "officials",
        _("Officials"),
        _("Officials registry"),
        header,
        rows,
        unit_code=unit.code if unit else "",
        unit_name=unit.name if unit else "",
    )
