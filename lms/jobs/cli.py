"""Commands: `flask --app lms jobs worker|enqueue|list|prune` and `flask --app lms backup` /
`restore`."""

import json
import logging
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import delete, select

from lms.common import clock, files
from lms.extensions import db
from lms.jobs import backup as backups
from lms.jobs import queue as jobs_queue
from lms.jobs.logs import json_enabled
from lms.jobs.models import DONE, FAILED, JobRun, Notification
from lms.jobs.registry import load_all

jobs_cli = AppGroup("jobs", help="Background jobs: the worker, starting and listing runs.")


@jobs_cli.command("worker")
@click.option("--workers", "-w", default=2, show_default=True, help="Threads running jobs.")
@click.option("--no-schedule", is_flag=True, help="Do not run the nightly and weekly schedule.")
def worker(workers: int, no_schedule: bool) -> None:
    """Run jobs from the queue (LMS_QUEUE_URL) until stopped with Ctrl+C or SIGTERM.

    Start one per machine (or several); with Redis they can run anywhere. On start, runs left
    by a dead worker are sent again.
    """
    app = current_app._get_current_object()
    queue = jobs_queue.get_queue(app)
    if queue.immediate:
        raise click.ClickException(
            "LMS_QUEUE_URL is immediate: jobs run where they are queued; there is nothing to "
            "consume. Set LMS_QUEUE_URL to sqlite:///… or redis://…"
        )
    if not json_enabled(app):
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s"
        )
    names = sorted(load_all())
    click.echo(f"worker on {jobs_queue.worker_name()}; queue {queue.url.split('@')[-1]}")
    click.echo(f"jobs: {', '.join(names)}")
    jobs_queue.recover()
    consumer = queue.huey.create_consumer(
        workers=max(1, workers),
        worker_type="thread",
        periodic=not no_schedule,
        initial_delay=0.1,
        backoff=1.15,
        max_delay=2.0,
        check_worker_health=True,
    )
    consumer.run()


def _params(pairs: tuple[str, ...]) -> dict:
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{pair!r}: write NAME=VALUE", param_hint="--param")
        params[name] = value
    return params


@jobs_cli.command("enqueue")
@click.argument("name")
@click.option("--param", "-p", "pairs", multiple=True, help="NAME=VALUE passed to the job.")
@click.option("--key", help="Idempotency key: a run with this key is not queued again.")
@click.option("--now", is_flag=True, help="Also run it in this process (no worker needed).")
def enqueue_command(name: str, pairs: tuple[str, ...], key: str | None, now: bool) -> None:
    """Queue the job NAME (see `flask jobs list --names`)."""
    if name not in load_all():
        raise click.BadParameter(f"unknown job; known: {', '.join(sorted(load_all()))}")
    run = jobs_queue.enqueue(name, key=key, **_params(pairs))
    db.session.commit()
    run_id = run.id
    if now:
        jobs_queue.execute(run_id)
    run = db.session.get(JobRun, run_id)
    click.echo(f"run {run.id}: {run.name} {run.status}")
    if run.status == FAILED:
        raise click.ClickException(run.error or "failed")
    if run.result:
        click.echo(json.dumps(run.result, ensure_ascii=False, default=str))


@jobs_cli.command("list")
@click.option("--names", is_flag=True, help="List the registered job names instead.")
@click.option("--limit", default=20, show_default=True)
def list_command(names: bool, limit: int) -> None:
    """The latest job runs, newest first."""
    if names:
        for spec in sorted(load_all().values(), key=lambda s: s.name):
            click.echo(f"{spec.name}\t{spec.label}")
        return
    runs = db.session.scalars(select(JobRun).order_by(JobRun.id.desc()).limit(limit)).all()
    for run in runs:
        progress = f"{run.done}/{run.total}" if run.total else ""
        click.echo(
            f"{run.id}\t{run.name}\t{run.status}\t{progress}\t{run.created_at:%Y-%m-%d %H:%M}"
        )


@jobs_cli.command("prune")
@click.option("--runs-days", default=90, show_default=True, help="Keep finished runs this long.")
@click.option(
    "--notifications-days",
    default=365,
    show_default=True,
    help="Keep read notifications this long.",
)
def prune(runs_days: int, notifications_days: int) -> None:
    """Delete finished job runs and read notifications older than the retention periods."""
    now = clock.now()
    runs = db.session.execute(
        delete(JobRun).where(
            JobRun.status.in_((DONE, FAILED)), JobRun.finished_at < now - timedelta(days=runs_days)
        )
    ).rowcount
    notes = db.session.execute(
        delete(Notification).where(
            Notification.read_at.is_not(None),
            Notification.created_at < now - timedelta(days=notifications_days),
        )
    ).rowcount
    db.session.commit()
    click.echo(f"deleted {runs} job runs and {notes} notifications")


@click.command("backup")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File to write."
)
@click.option(
    "--keep", type=int, default=0, help="Then keep only the newest N backups in that folder."
)
def backup_command(output: Path | None, keep: int) -> None:
    """Back up the database: SQLite with its online backup API, PostgreSQL with pg_dump.

    Default file: instance/backups/tinchi-<time>.sqlite3 (or .dump), folder 0700. Every backup
    is written 0600 under a temporary name and renamed when complete. Safe while the app runs.
    """
    url = db.engine.url
    path = output or backups.default_path(current_app.instance_path, url)
    if output is None:  # the application's own folder: private (0700)
        files.private_dir(path.parent)
    db.session.remove()
    try:
        backups.backup(url.render_as_string(hide_password=False), path)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"backup written: {path} ({path.stat().st_size:,} bytes)")
    if keep > 0:
        pattern = f"tinchi-*{path.suffix}"
        old = sorted(path.parent.glob(pattern))[:-keep]  # names carry the time
        for stale in old:
            stale.unlink()
            click.echo(f"removed old backup: {stale}")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(source: Path, yes: bool) -> None:
    """Restore a backup into the configured database, which must be empty (a new database)."""
    url = db.engine.url
    db.session.remove()
    if not backups.is_empty(db.engine):
        raise click.ClickException(
            "the database is not empty; create a new empty database, point DATABASE_URL at it "
            "and run restore again"
        )
    if not yes:
        click.confirm(f"Restore {source} into {url.render_as_string()}?", abort=True)
    db.engine.dispose()
    try:
        backups.restore(url.render_as_string(hide_password=False), source)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo("restored; run `flask --app lms db upgrade` if the backup is from an older version")


COMMANDS = (jobs_cli, backup_command, restore_command)
