"""Checking pooled database connections before reuse, only when they sat idle.

SQLAlchemy's `pool_pre_ping` pings the database on every checkout, that is one more round trip
in every request; under a test wave that is a fifth of an autosave's statements. A connection
given back moments ago is alive. One that sat idle longer than LMS_DB_PING_IDLE_SECONDS may
have been cut (a database restart, a firewall's idle timeout), so it is pinged, and a dead one
is replaced before the request sees it.
"""

import time
import weakref

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

CHECKED_IN_AT = "lms.checked_in_at"
_installed: "weakref.WeakSet[Engine]" = weakref.WeakSet()


def install_idle_ping(engine: Engine, idle_seconds: float) -> None:
    """Ping a connection at checkout when it was idle more than `idle_seconds` (0: always)."""
    if engine in _installed:
        return
    _installed.add(engine)
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def note_checkin(_dbapi_connection, record) -> None:
        if record is not None:
            record.info[CHECKED_IN_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def ping_if_idle(dbapi_connection, record, _proxy) -> None:
        last = record.info.get(CHECKED_IN_AT)
        if last is None or time.monotonic() - last <= idle_seconds:
            return  # new, or back from a request moments ago
        try:
            alive = dialect.do_ping(dbapi_connection)
        except Exception as error:  # noqa: BLE001 - any failure means: not usable
            raise exc.DisconnectionError("idle connection failed its ping") from error
        if not alive:
            raise exc.DisconnectionError("idle connection failed its ping")
