"""Failures described without personal data, for job runs, failed imports and logs: a database
error keeps its kind, the driver's message (first line, quoted values cut) and the statement,
never its parameters nor PostgreSQL's DETAIL ("Key (email)=(an@example.vn) already exists")."""

import logging
import re
import traceback

REDACTED = "…"
# A value the driver quotes after a colon: invalid input syntax for type integer: "Nguyễn".
_QUOTED_VALUE = re.compile(r":\s*\"[^\"]*\"|:\s*'[^']*'")
# PostgreSQL's "(column)=(value)" pairs, should any reach the first line.
_KEY_VALUE = re.compile(r"\)=\(.*?\)(?=\s|$)")
MAX_STATEMENT = 1000


def _driver_error(error: BaseException) -> bool:
    module = type(error).__module__ or ""
    return module.startswith(("psycopg", "sqlite3", "_sqlite3"))


def _driver_message(error: BaseException) -> str:
    """The first line of a driver's message with quoted values cut, and where PostgreSQL names
    them, the constraint, table and column (names, not values)."""
    lines = str(error).strip().splitlines()
    message = _QUOTED_VALUE.sub(": " + REDACTED, lines[0] if lines else "")
    message = _KEY_VALUE.sub(")=(" + REDACTED + ")", message)
    diag = getattr(error, "diag", None)
    names = []
    for label, attribute in (
        ("constraint", "constraint_name"),
        ("table", "table_name"),
        ("column", "column_name"),
    ):
        value = getattr(diag, attribute, None) if diag is not None else None
        if value:
            names.append(f"{label} {value}")
    kind = type(error).__name__
    sqlstate = getattr(error, "sqlstate", None)
    head = f"({kind}{' ' + sqlstate if sqlstate else ''}) {message}"
    return head + (f" [{', '.join(names)}]" if names else "")


def describe(error: BaseException, with_kind: bool = True) -> str:
    """One line (or a few) an administrator may read: `Kind: message`, where a database error
    shows the driver's message without values and its statement without parameters.
    `with_kind=False` leaves out the kind of an error that is not the database's (an import's
    page shows the message alone, as it did)."""
    from sqlalchemy.exc import StatementError

    if isinstance(error, StatementError):
        parts = [f"{type(error).__name__}:"]
        orig = error.orig
        if orig is not None:
            parts.append(_driver_message(orig) if _driver_error(orig) else type(orig).__name__)
        else:
            parts.append(_QUOTED_VALUE.sub(": " + REDACTED, error.args[0] if error.args else ""))
        if error.statement:
            parts.append(f"[SQL: {' '.join(str(error.statement).split())[:MAX_STATEMENT]}]")
        return " ".join(parts)
    if _driver_error(error):
        return f"{type(error).__name__}: {_driver_message(error)}"
    return f"{type(error).__name__}: {error}" if with_kind else str(error)


def traceback_text(error: BaseException) -> str:
    """The traceback of `error` and of the errors it was raised from, each error's line written
    by `describe` (a standard traceback would quote the database's message in full)."""
    chain = []
    seen = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    blocks = []
    for exc in reversed(chain):
        frames = "".join(traceback.format_tb(exc.__traceback__))
        blocks.append(f"Traceback (most recent call last):\n{frames}{describe(exc)}")
    return "\n\nThe above exception led to the following one:\n\n".join(blocks)


class SafeTracebacks(logging.Filter):
    """A logging filter: a record's exception is written by `traceback_text` (Flask's "Exception
    on /path" of an unhandled error, a job's failure), so no database value reaches the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = traceback_text(record.exc_info[1])
        return True
