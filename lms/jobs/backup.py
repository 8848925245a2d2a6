"""Backup and restore of the application database: SQLite through its online backup API (safe
while the app runs), PostgreSQL through pg_dump / pg_restore (custom format)."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import URL, make_url

from lms.common import clock, files


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


def default_path(instance_path: str, url: URL) -> Path:
    """instance/backups/tinchi-<UTC time>.sqlite3 (or .dump for PostgreSQL)."""
    suffix = ".sqlite3" if url.get_backend_name() == "sqlite" else ".dump"
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    return Path(instance_path) / "backups" / f"tinchi-{stamp}{suffix}"


def _sqlite_file(url: URL) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return url.database


def _pg_env(url: URL) -> tuple[str, dict]:
    """A libpq connection URI (no driver suffix, no password) and the environment with
    PGPASSWORD, so the password never shows in the process list."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return path


def backup(database_url: str, output: Path) -> Path:
    """Write a consistent copy of the database to `output` (a missing folder is created 0700):
    the copy is made in a private temporary file (0600) beside it and renamed into place when
    complete, so a failed backup leaves no file and nobody else can read one. Raises
    BackupError for an unsupported database, a missing tool or a failed dump."""
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"backups of {backend} databases are not supported")
    if not output.parent.is_dir():
        output.parent.mkdir(mode=files.DIR_MODE, parents=True)
    with files.replacing(output) as temporary:
        if backend == "sqlite":
            source = sqlite3.connect(_sqlite_file(url))
            target = sqlite3.connect(str(temporary))
            try:
                with target:
                    source.backup(target)
            finally:
                target.close()
                source.close()
        else:
            uri, env = _pg_env(url)
            command = [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--file",
                str(temporary),
                uri,
            ]
            # the command is ours: the tool found on PATH, our file and the configured database
            done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
            if done.returncode != 0:
                raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    return output


def is_empty(engine) -> bool:
    """Whether the database has no table at all."""
    return not inspect(engine).get_table_names()


def restore(database_url: str, source: Path) -> None:
    """Load a backup made by `backup` into the database at `database_url`, which should be
    empty (the caller checks). Raises BackupError when the file is missing or the load fails."""
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        target = sqlite3.connect(_sqlite_file(url))
        try:
            with target:
                origin.backup(target)
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{source} is not an SQLite backup: {error}") from error
        finally:
            target.close()
            origin.close()
    elif backend == "postgresql":
        uri, env = _pg_env(url)
        command = [
            _tool("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            "--dbname",
            uri,
            str(source),
        ]
        # the command is ours: the tool found on PATH, our file and the configured database
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode != 0:
            raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
    else:
        raise BackupError(f"restores of {backend} databases are not supported")
