"""`flask backup` then `flask restore` into an empty database gives back the same officials,
credit ledger and certificates (SQLite through the online backup API; PostgreSQL through
pg_dump / pg_restore when the tests run on PostgreSQL)."""

import sqlite3
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from lms import create_app
from lms.curricula.completions.services import CompletionData, record_completion
from lms.curricula.ledger.services import NewEntry, append
from lms.extensions import db as _db
from lms.organisation.models import Official
from tests.factories import make_mandatory_course, make_official, make_units

TABLES = ("officials", "position_assignments", "ledger_entries", "completions", "certificates")


def _world(db, tmp_path, monkeypatch, app):
    """Officials with ledger entries (a course completion and a manual entry) and, when the
    certificates module is there, an issued certificate."""
    monkeypatch.setitem(app.config, "LMS_COURSE_ASSETS_DIR", str(tmp_path / "assets"))
    make_units()
    course = make_mandatory_course()
    course.certificate = "giay_chung_nhan"
    people = [
        make_official(f"BK{n:03d}", name, "P-HAICHAU")
        for n, name in enumerate(["Nguyễn Thị Ánh", "Đặng Văn Đức", "Lê Hoàng Yến"])
    ]
    db.session.flush()
    for index, person in enumerate(people):
        record_completion(
            CompletionData(person.id, course.id, date(2026, 3, 10), "online", f"bk:{index}")
        )
        append(NewEntry(person.id, date(2026, 4, 1), Decimal("0.5"), "manual", "Hội thảo"))
    db.session.commit()
    try:
        from lms.certificates import services as certificates
    except ImportError:
        return
    certificates.issue_requested(actor=None)
    db.session.commit()


def _rows(engine) -> dict[str, list]:
    tables = set(_db.metadata.tables) & set(TABLES)
    with engine.connect() as connection:
        return {
            name: [
                tuple(row)
                for row in connection.execute(
                    select(_db.metadata.tables[name]).order_by(text("id"))
                )
            ]
            for name in sorted(tables)
        }


@pytest.fixture
def target(app, tmp_path):
    """An empty database of the same kind as the test database; yields its URL."""
    source = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if source.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"{source.database}_restore"
    admin = create_engine(source, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield source.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_backup_then_restore_into_an_empty_database_gives_the_same_records(
    app, db, tmp_path, monkeypatch, target
):
    _world(db, tmp_path, monkeypatch, app)
    before = _rows(db.engine)
    assert len(before["officials"]) == 3 and len(before["ledger_entries"]) == 6
    if "certificates" in before:
        assert len(before["certificates"]) == 3

    out = tmp_path / "backups" / "tinchi.bak"
    result = app.test_cli_runner().invoke(args=["backup", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "backup written" in result.output and out.stat().st_size > 0

    restored_app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": target})
    with restored_app.app_context():  # the CLI runs in the app context it finds
        result = restored_app.test_cli_runner().invoke(args=["restore", "--yes", str(out)])
        _db.engine.dispose()
    assert result.exit_code == 0, result.output

    engine = create_engine(target)
    try:
        assert _rows(engine) == before
        with engine.connect() as connection:  # the schema came along: new rows can be added
            count = connection.scalar(select(_db.func.count()).select_from(Official.__table__))
        assert count == 3
    finally:
        engine.dispose()


def test_restore_refuses_a_database_that_is_not_empty(app, db, tmp_path):
    backup = tmp_path / "b.sqlite3"
    sqlite3.connect(backup).close()
    result = app.test_cli_runner().invoke(args=["restore", "--yes", str(backup)])
    assert result.exit_code != 0
    assert "the database is not empty" in result.output


def test_backup_of_an_in_memory_database_is_refused_clearly(tmp_path):
    memory = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with memory.app_context():
        result = memory.test_cli_runner().invoke(args=["backup", "-o", str(tmp_path / "x")])
    assert result.exit_code != 0
    assert "in-memory SQLite database cannot be backed up" in result.output


def test_backup_keeps_only_the_newest_files_when_asked(app, db, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    for stamp in ("20260101-000000", "20260102-000000", "20260103-000000"):
        (folder / f"tinchi-{stamp}.sqlite3").write_bytes(b"old")
    if make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() != "sqlite":
        pytest.skip("file naming is checked on SQLite")
    out = folder / "tinchi-20260104-000000.sqlite3"
    result = app.test_cli_runner().invoke(args=["backup", "-o", str(out), "--keep", "2"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir())[-2:] == [
        "tinchi-20260103-000000.sqlite3",
        "tinchi-20260104-000000.sqlite3",
    ]
    assert len(list(folder.iterdir())) == 2
