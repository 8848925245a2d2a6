"""Pagination over a SELECT (one COUNT and one page query, whatever the table size), and the
planning hint for reads streamed over a whole table."""

from dataclasses import dataclass

from sqlalchemy import Select, func, select, text

from lms.extensions import db


@dataclass(frozen=True)
class Page:
    """One page of results and what a pager needs."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(stmt: Select, page: int, per_page: int, scalars: bool = True) -> Page:
    """Run `stmt` for one page; `scalars=False` keeps whole rows (for multi-entity selects)."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    page_stmt = stmt.limit(per_page).offset((page - 1) * per_page)
    result = db.session.execute(page_stmt)
    items = list(result.scalars() if scalars else result.all())
    return Page(items, page, per_page, total or 0)


def plan_for_every_row() -> None:
    """Ask PostgreSQL to plan the coming read for all its rows: a streamed (server-side cursor)
    read is otherwise planned for its first rows, which made the city export 23 s instead of
    0.6 s (bench/run.py). SET LOCAL lasts until the transaction ends. No-op on SQLite."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL cursor_tuple_fraction = 1.0"))
