"""No personal data in error texts (issue 18): a database statement that fails in a job leaves
neither its parameters nor the database's DETAIL (PostgreSQL quotes the failing row) in the run's
stored error, on its page or in the log; Flask's "Exception on /path" likewise."""

import logging

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from lms.common.errortext import describe, traceback_text
from lms.extensions import db as _db
from lms.jobs import enqueue, job
from lms.jobs.models import FAILED, JobRun
from lms.organisation.models import Official

NAME, EMAIL, PHONE = "Nguyễn Văn A", "nguyen.van.a@danang.gov.vn", "0905123456"
TRACES = (NAME, "Nguy", EMAIL, "nguyen.van.a", PHONE)


@job("test.errors.personal_sql")
def _insert_without_code(ctx) -> None:
    """An insert of an official without the required employee code: the database refuses it
    and, unless told not to, quotes the values (SQLAlchemy's [parameters: …], PostgreSQL's
    DETAIL: Failing row contains (…))."""
    _db.session.execute(
        insert(Official).values(
            employee_code=None,
            full_name=NAME,
            search_name="nguyen van a",
            sort_name=b"x",
            gender="male",
            category="cong_chuc",
            email=EMAIL,
            phone=PHONE,
            status="active",
        )
    )


def _leaks(text: str) -> list[str]:
    return [trace for trace in TRACES if trace in (text or "")]


@pytest.fixture
def job_log(monkeypatch):
    """The job queue's logger, switched on again if Alembic's fileConfig (a migration test run
    before) turned it off."""
    monkeypatch.setattr(logging.getLogger("lms.jobs"), "disabled", False)


def test_a_failing_statement_in_a_job_leaves_no_personal_value_in_the_run_its_page_or_log(
    login_as, caplog, job_log
):
    caplog.set_level(logging.INFO)
    admin = login_as("admin")
    run = enqueue("test.errors.personal_sql")
    _db.session.commit()  # immediate:// runs it here
    _db.session.expire_all()
    failed = _db.session.get(JobRun, run.id)
    assert failed.status == FAILED
    assert failed.error.startswith("IntegrityError:")  # the administrator still learns what
    assert "INSERT INTO officials" in failed.error
    assert _leaks(failed.error) == []
    page = admin.get(f"/jobs/{run.id}").get_data(as_text=True)
    assert "IntegrityError" in page and _leaks(page) == []
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "test.errors.personal_sql" in logged and _leaks(logged) == []


def test_the_engine_hides_parameters_from_every_database_error(app, db):
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["hide_parameters"] is True
    with pytest.raises(IntegrityError) as caught:
        _insert_without_code(None)
    _db.session.rollback()
    raw = str(caught.value)
    assert "[parameters:" not in raw and "parameters hidden" in raw
    # PostgreSQL's own DETAIL ("Failing row contains (…)") is still in the raw text: describe()
    # is what every stored or logged error goes through.
    assert _leaks(describe(caught.value)) == []


class _UniqueViolation(Exception):
    """What psycopg raises for a duplicate key, with its DETAIL and diagnostics."""

    __module__ = "psycopg.errors"
    sqlstate = "23505"

    class diag:  # noqa: N801 (psycopg's attribute)
        constraint_name = "uq_users_email"
        table_name = "users"
        column_name = None


def test_a_postgresql_error_keeps_its_constraint_but_loses_its_detail_and_quoted_values():
    driver = _UniqueViolation(
        'duplicate key value violates unique constraint "uq_users_email"\n'
        f"DETAIL:  Key (email)=({EMAIL}) already exists."
    )
    error = IntegrityError("INSERT INTO users (email) VALUES (%(email)s)", {"email": EMAIL}, driver)
    text = describe(error)
    assert 'violates unique constraint "uq_users_email"' in text and "23505" in text
    assert "[constraint uq_users_email, table users]" in text
    assert _leaks(text) == []
    syntax = _UniqueViolation(f'invalid input syntax for type integer: "{NAME}"')
    assert describe(syntax).endswith(
        "invalid input syntax for type integer: … [constraint uq_users_email, table users]"
    )
    try:
        try:
            raise error
        except IntegrityError as inner:
            raise RuntimeError(f"refresh failed: {describe(inner)}") from inner
    except RuntimeError as outer:
        assert _leaks(traceback_text(outer)) == []
        assert "IntegrityError" in traceback_text(outer)


def test_an_unhandled_error_is_logged_without_the_databases_values(app, monkeypatch):
    monkeypatch.setattr(app.logger, "disabled", False)
    driver = _UniqueViolation(f"boom\nDETAIL:  Failing row contains (1, {NAME}, {EMAIL}).")
    error = IntegrityError("INSERT INTO officials …", {"full_name": NAME}, driver)
    handler_text = []

    class Keep(logging.Handler):
        def emit(self, record):
            handler_text.append(logging.Formatter().format(record))

    keep = Keep()
    app.logger.addHandler(keep)
    try:
        app.logger.error("Exception on /officials/ [POST]", exc_info=(type(error), error, None))
    finally:
        app.logger.removeHandler(keep)
    assert "IntegrityError" in handler_text[0] and _leaks(handler_text[0]) == []
