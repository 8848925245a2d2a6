"""Migrations build the schema from empty and match the models; configuration and demo rules."""

import logging
import os
import secrets
import uuid

import pytest
from flask_migrate import check, downgrade, upgrade
from sqlalchemy import create_engine, func, inspect, select, text

from lms import create_app
from lms.auth.models import User
from lms.demo.loader import load_demo
from lms.extensions import db as _db
from lms.organisation.models import Official


@pytest.fixture
def empty_database(tmp_path):
    """A URL for an empty database: a new SQLite file, or a new PostgreSQL schema."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base or not base.startswith("postgresql"):
        yield f"sqlite:///{tmp_path}/migrations.sqlite3"
        return
    schema = f"mig_{uuid.uuid4().hex[:8]}"
    engine = create_engine(base)
    with engine.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    yield f"{base}?options=-csearch_path%3D{schema}"
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


def test_migrations_build_the_schema_from_empty_and_match_the_models(empty_database):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        upgrade()
        check()  # raises when the models have changes no migration holds
        tables = set(inspect(_db.engine).get_table_names())
        assert {
            "officials",
            "position_assignments",
            "org_units",
            "users",
            "role_grants",
            "audit_entries",
        } <= tables
        downgrade(revision="base")
        assert set(inspect(_db.engine).get_table_names()) <= {"alembic_version"}
        _db.engine.dispose()


def test_migrating_leaves_the_loggers_that_exist_working(empty_database):
    """Alembic's env.py read its logging settings with fileConfig's default, which disables
    every logger that exists: after an upgrade in the same process, the development server's
    access log (werkzeug) and the application's loggers wrote nothing (the access-log test
    failed in a full run, after the browser tests had made the werkzeug logger)."""
    server_log = logging.getLogger("werkzeug")
    app_log = logging.getLogger("lms.jobs")
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        upgrade()
        _db.engine.dispose()
    assert not server_log.disabled
    assert not app_log.disabled


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("dev-only-not-secret", "published example or development key"),
        ("Gh7-kP2x", "8 characters; at least 32"),
        ("x" * 48, "does not look random"),
        ("abcdefghijklmnopqrstuvwxyz0123456789", "does not look random"),
        ("0123456789abcdef" * 3, "does not look random"),
        ("aabbaabbccddccddaabbaabbccddccdd-x", "too predictable"),
    ],
)
def test_production_refuses_a_weak_secret_key_saying_how_to_make_one(monkeypatch, key, reason):
    monkeypatch.setenv("SECRET_KEY", key)
    settings = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_STORAGE_URI": "redis://x:1/0"}
    with pytest.raises(RuntimeError, match="SECRET_KEY") as refused:
        create_app("production", settings)
    assert reason in str(refused.value) and "secrets.token_urlsafe(48)" in str(refused.value)


def test_production_refuses_rate_limits_kept_in_each_workers_memory(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(48))
    with pytest.raises(RuntimeError, match="LMS_RATELIMIT_STORAGE_URL is memory://"):
        create_app("production", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_random_secret_keys_pass():
    from config import secret_key_problems

    for _ in range(300):
        for key in (secrets.token_urlsafe(24), secrets.token_hex(16), secrets.token_hex(32)):
            assert secret_key_problems(key) == [], key


def test_environment_overrides_the_database_url(monkeypatch, tmp_path):
    import importlib

    import config

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    try:
        importlib.reload(config)
        assert config.DevelopmentConfig.SQLALCHEMY_DATABASE_URI.endswith("x.db")
    finally:
        monkeypatch.delenv("DATABASE_URL")
        importlib.reload(config)


def test_demo_load_is_refused_under_production(monkeypatch):
    from tests.web.test_auth_login_throttling import limiter_kept

    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(48))
    settings = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_STORAGE_URI": "redis://x:1/0"}
    with limiter_kept():
        app = create_app("production", settings)
        with app.app_context():  # on top of the suite's own app context
            result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code != 0 and "production" in result.output


def test_demo_load_creates_the_logins_and_is_idempotent(app, db, runner):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    counts = (
        db.session.scalar(select(func.count()).select_from(Official)),
        db.session.scalar(select(func.count()).select_from(User)),
    )
    assert counts[0] >= 600 and counts[1] == 6
    assert "learner, head (" in first.output  # the message names every demo login
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    load_demo()
    db.session.commit()
    assert (
        db.session.scalar(select(func.count()).select_from(Official)),
        db.session.scalar(select(func.count()).select_from(User)),
    ) == counts
    client = app.test_client()
    from tests.conftest import login

    for username in ("admin", "hr", "manager", "reviewer", "learner", "head"):
        assert login(app.test_client(), username, "Demo@2026").status_code == 302, username
    assert client.get("/auth/login").status_code == 200
    women = db.session.scalar(select(func.count()).where(Official.gender == "female"))
    assert 200 < women < 400  # both genders, roughly balanced


def test_the_api_rate_limit_is_read_from_the_environment(monkeypatch):
    import importlib

    import config

    monkeypatch.setenv("LMS_API_RATE_LIMIT", "50 per minute")
    try:
        importlib.reload(config)
        assert config.ProductionConfig.LMS_API_RATE_LIMIT == "50 per minute"
    finally:
        monkeypatch.delenv("LMS_API_RATE_LIMIT")
        importlib.reload(config)
