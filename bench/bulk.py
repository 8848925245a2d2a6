"""Bulk writing for the generator: rows as dicts, written with COPY on PostgreSQL and with
executemany on SQLite, never through the ORM one object at a time.

Columns a row leaves out take the model's Python default (scalar or callable, evaluated once
per batch) or NULL, so a column another module adds with a default does not break the
generator; a NOT NULL column with no default and no value is reported by name.
"""

import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, DateTime, Numeric, Table, text

from lms.extensions import db


class Writer:
    """Writes rows into tables of the app's database through one raw DBAPI connection."""

    def __init__(self) -> None:
        self.dialect = db.engine.dialect.name
        self.connection = db.engine.raw_connection()
        self.counts: dict[str, int] = {}
        if self.dialect == "postgresql":
            # Rows are consistent by construction; skip the per-row foreign-key triggers while
            # loading, as pg_restore --disable-triggers does (needs a superuser).
            cursor = self.connection.cursor()
            cursor.execute("SET session_replication_role = replica")
            cursor.close()

    def defaults(self, table: Table, given: Iterable[str]) -> dict:
        """Values for the columns rows leave out: the model default, else NULL."""
        filled = {}
        for column in table.columns:
            if column.name in given:
                continue
            if column.default is not None and not column.default.is_sequence:
                arg = column.default.arg
                filled[column.name] = arg(None) if callable(arg) else arg
            elif column.server_default is not None or column.primary_key:
                continue
            elif not column.nullable:
                raise ValueError(f"{table.name}.{column.name}: NOT NULL with no value")
            else:
                filled[column.name] = None
        return filled

    def insert(self, table: Table, rows: list[dict]) -> None:
        """Insert `rows` (dicts with the same keys) into `table`."""
        if not rows:
            return
        extra = self.defaults(table, rows[0].keys())
        names = list(rows[0].keys()) + list(extra)
        columns = [table.c[name] for name in names]
        tail = tuple(extra.values())
        if self.dialect == "postgresql":
            self._copy(table, names, columns, rows, tail)
        else:
            self._executemany(table, names, columns, rows, tail)
        self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)

    def _copy(self, table, names, columns, rows, tail) -> None:
        converters = [_pg_converter(c) for c in columns]
        keys = names[: len(names) - len(tail)]
        cursor = self.connection.cursor()
        quoted = ", ".join(f'"{n}"' for n in names)
        with cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
            for row in rows:
                values = [row[k] for k in keys] + list(tail)
                copy.write_row([f(v) for f, v in zip(converters, values, strict=True)])
        cursor.close()

    def _executemany(self, table, names, columns, rows, tail) -> None:
        converters = [_sqlite_converter(c) for c in columns]
        keys = names[: len(names) - len(tail)]
        marks = ", ".join("?" for _ in names)
        quoted = ", ".join(f'"{n}"' for n in names)
        sql = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})'  # noqa: S608 (model names)
        cursor = self.connection.cursor()
        cursor.executemany(
            sql,
            (
                [f(v) for f, v in zip(converters, [row[k] for k in keys] + list(tail), strict=True)]
                for row in rows
            ),
        )
        cursor.close()

    def commit(self) -> None:
        self.sync_sequences()

    def sync_sequences(self) -> None:
        """Commit, then move PostgreSQL's id sequences past the ids written explicitly, so the
        ORM's next insert does not collide."""
        self.connection.commit()
        if self.dialect != "postgresql":
            return
        cursor = self.connection.cursor()
        for table in db.metadata.sorted_tables:
            if "id" not in table.c or not table.c.id.primary_key:
                continue
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", (table.name,))
            sequence = cursor.fetchone()[0]
            if sequence:
                top = f'COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1'  # noqa: S608
                cursor.execute(f"SELECT setval('{sequence}', {top}, false)")
        self.connection.commit()
        cursor.close()

    def finish(self) -> None:
        """Sequences, then fresh planner statistics (ANALYZE), and the connection closed."""
        self.sync_sequences()
        cursor = self.connection.cursor()
        cursor.execute("ANALYZE")
        self.connection.commit()
        cursor.close()
        self.connection.close()


def _pg_converter(column):
    if isinstance(column.type, JSON):
        return lambda v: None if v is None else json.dumps(v, ensure_ascii=False)
    return _same


def _same(value):
    return value


def _sqlite_converter(column):
    """SQLAlchemy's SQLite storage formats, so the ORM reads the rows back unchanged."""
    kind = column.type
    if isinstance(kind, JSON):
        return lambda v: None if v is None else json.dumps(v, ensure_ascii=False)
    if isinstance(kind, DateTime):
        return lambda v: None if v is None else v.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(kind, Date):
        return lambda v: None if v is None else v.isoformat()
    if isinstance(kind, Numeric):
        return lambda v: None if v is None else float(v)
    if isinstance(kind, Boolean):
        return lambda v: None if v is None else int(bool(v))
    return _plain


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def table_exists(name: str) -> bool:
    """Whether the app's models define a table of that name (modules land in parallel)."""
    return name in db.metadata.tables


def scalar(sql: str, **params):
    """One value from a SQL statement (helper for the floors)."""
    return db.session.execute(text(sql), params).scalar()
