"""Compliance exports: a pure row generator over a standing subquery (Vietnamese headers,
numbers as numbers); the route streams it as CSV or XLSX."""

from collections.abc import Iterator
from decimal import Decimal

from sqlalchemy import select

from lms.common.pagination import plan_for_every_row
from lms.extensions import db

STATUS_TEXT = {
    "met": "Đạt",
    "on_track": "Đúng tiến độ",
    "at_risk": "Có nguy cơ",
    "overdue": "Quá hạn",
    "not_met": "Không đạt",
}
GENDER_TEXT = {"male": "Nam", "female": "Nữ"}
HEADER = [
    "Mã cán bộ",
    "Họ và tên",
    "Giới tính",
    "Mã đơn vị",
    "Đơn vị",
    "Vị trí việc làm",
    "Ngạch",
    "Chu kỳ",
    "Chỉ tiêu (TC)",
    "Đã đạt (TC)",
    "Còn thiếu (TC)",
    "Khóa bắt buộc",
    "Đã hoàn thành",
    "Tình trạng",
]


def standing_rows(sub, cycle) -> tuple[list[str], Iterator[list]]:
    """The header and one row per official of a standing subquery, in Vietnamese name order,
    read in batches."""
    stmt = select(sub).order_by(sub.c.sort_name, sub.c.official_id)

    def rows() -> Iterator[list]:
        plan_for_every_row()
        for row in db.session.execute(stmt.execution_options(yield_per=2000)):
            target, earned = Decimal(row.target), Decimal(row.earned)
            yield [
                row.employee_code,
                row.full_name,
                GENDER_TEXT.get(row.gender, row.gender),
                row.unit_code,
                row.unit_name,
                row.position_name,
                row.rank_name or "",
                cycle.year,
                target,
                earned,
                max(target - earned, Decimal(0)),
                int(row.required),
                int(row.completed),
                STATUS_TEXT.get(row.status, row.status),
            ]

    return HEADER, rows()
