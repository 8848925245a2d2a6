"""Pooled connections are pinged before reuse only after sitting idle (lms/common/dbpool.py):
a connection the database dropped while it sat in the pool is replaced before use, and one
back from a request moments ago costs no extra round trip. PostgreSQL only: the test ends a
pooled connection's server process, which SQLite does not have."""

import os

import pytest
from sqlalchemy import create_engine, exc, text

from lms.common.dbpool import install_idle_ping

URL = os.environ.get("TEST_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not URL.startswith("postgresql"), reason="needs PostgreSQL (TEST_DATABASE_URL)"
)


def _pooled_backend_killed(engine) -> int:
    """Check a connection out and back in, then end its server process while it is pooled."""
    with engine.connect() as conn:
        pid = conn.scalar(text("SELECT pg_backend_pid()"))
    admin = create_engine(URL)
    try:
        with admin.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        admin.dispose()
    return pid


def test_an_idle_connection_dropped_by_the_database_is_replaced_before_use():
    engine = create_engine(URL, pool_size=1, max_overflow=0)
    install_idle_ping(engine, 0)  # every reuse counts as idle
    try:
        dead = _pooled_backend_killed(engine)
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT pg_backend_pid()")) != dead
    finally:
        engine.dispose()


def test_a_connection_back_moments_ago_is_not_pinged():
    engine = create_engine(URL, pool_size=1, max_overflow=0)
    install_idle_ping(engine, 3600)
    try:
        _pooled_backend_killed(engine)
        with pytest.raises(exc.OperationalError), engine.connect() as conn:
            conn.execute(text("SELECT 1"))  # no ping came first: the dead one was handed out
        with engine.connect() as conn:  # and the pool then replaced it
            assert conn.scalar(text("SELECT 1")) == 1
    finally:
        engine.dispose()
