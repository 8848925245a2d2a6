"""The job queue: one API over Huey, with the back end chosen by LMS_QUEUE_URL.

- `sqlite:///PATH` (default: instance/jobs.sqlite3): embedded, no server; `flask --app lms
  jobs worker` on the same machine runs the jobs. The default queue is named after the
  application database (`tinchi-<key>`, see `database_key`), so a worker started against one
  database never takes a message queued against another (after `DATABASE_URL` was switched, or
  a backup restored into a new database), and each database's messages wait for its own worker.
- `redis://HOST:PORT/DB`: workers on any machine.
- `immediate://`: jobs run at once, in the process that enqueues them (the default under
  testing, and handy for a one-off script).
A `?name=` query part names the queue (default "tinchi"), so two installations can share one
Redis database.

The JobRun row in the application database is the source of truth; the Huey message carries only
its id. `enqueue` writes the row in the caller's transaction and sends the message after the
commit, so a rolled-back request starts nothing. A worker claims a queued run atomically, so a
message delivered twice runs once. A worker that died mid-run leaves a heartbeat older than
LMS_JOB_STALE_SECONDS; `recover` (run by every worker at start and each minute) puts such a run
back in the queue, and the job, whose steps are idempotent, runs again from the start. Each
claim takes a lease whose heartbeat is written on its own connection (lms.jobs.lease), so a run
that is alive is never run twice, and a run that was taken over publishes nothing.
"""

import hashlib
import logging
import os
import secrets
import socket
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from flask import Flask, current_app
from flask_babel import force_locale
from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab
from sqlalchemy import case, event, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.common import clock
from lms.common.errortext import describe, traceback_text
from lms.extensions import db
from lms.jobs import registry
from lms.jobs.lease import Lease, LeaseLost
from lms.jobs.models import DONE, FAILED, QUEUED, RUNNING, JobRun

log = logging.getLogger("lms.jobs")

DEFAULT_STALE_SECONDS = 300
_PENDING = "lms_jobs_pending"


def database_key(database_url: str, base: str = ".") -> str:
    """A short, stable name of the application database: the same database gives the same key
    whatever driver or password the URL names, and another database (another file, server or
    database name) another key. A relative SQLite path counts from `base` (the instance folder,
    where Flask-SQLAlchemy opens it)."""
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        path = url.database or ""
        where = str((Path(base) / path).resolve()) if path and path != ":memory:" else ":memory:"
        identity = f"sqlite:{where}"
    else:
        host = (url.host or "localhost").lower()
        port = url.port or {"postgresql": 5432, "mysql": 3306}.get(backend, "")
        identity = f"{backend}://{url.username or ''}@{host}:{port}/{url.database or ''}"
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:12]


def queue_url(app: Flask) -> str:
    """The configured queue URL, with the defaults: immediate under testing, else SQLite in the
    instance folder, in a queue named after the application database."""
    url = app.config.get("LMS_QUEUE_URL") or ""
    if url:
        return url
    if app.testing:
        return "immediate://"
    key = database_key(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path)
    return f"sqlite:///{Path(app.instance_path) / 'jobs.sqlite3'}?name=tinchi-{key}"


def _make_huey(url: str):
    parts = urlsplit(url)
    name = parse_qs(parts.query).get("name", ["tinchi"])[0]
    if parts.scheme in ("immediate", "memory"):
        return MemoryHuey(name, immediate=True, results=False)
    if parts.scheme == "sqlite":
        path = parts.path[1:] if parts.path.startswith("//") else parts.path
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(name, filename=path, results=False, utc=True)
    if parts.scheme in ("redis", "rediss"):
        return RedisHuey(name, url=url.split("?", 1)[0], results=False, utc=True)
    raise ValueError(f"LMS_QUEUE_URL: unsupported scheme {parts.scheme!r} (sqlite, redis)")


class Queue:
    """The Huey instance of one app and the tasks that carry job runs and the schedule."""

    def __init__(self, app: Flask, url: str):
        self.app, self.url = app, url
        self.huey = _make_huey(url)
        self.send = self.huey.task(name="lms.run_job")(self._run)
        self.deliver = self.huey.task(name="lms.deliver_mail")(self._deliver)
        # Crontabs are in UTC: 18:30 UTC is 01:30 in Vietnam; Monday 00:00 UTC is 07:00 there.
        self.huey.periodic_task(crontab(minute="30", hour="18"), name="lms.nightly")(self._nightly)
        self.huey.periodic_task(crontab(minute="0", hour="0", day_of_week="1"), name="lms.weekly")(
            self._weekly
        )
        self.huey.periodic_task(crontab(minute="*"), name="lms.recover")(self._recover)

    @property
    def immediate(self) -> bool:
        return self.huey.immediate

    def _run(self, run_id: int) -> None:
        with self.app.app_context():
            execute(run_id)

    def _deliver(self) -> None:
        from lms.jobs import mailer

        with self.app.app_context():
            try:
                mailer.deliver_pending()
            finally:
                db.session.remove()

    def _nightly(self) -> None:
        self._once("nightly", f"nightly:{clock.today().isoformat()}")

    def _weekly(self) -> None:
        year, week, _day = clock.today().isocalendar()
        self._once("notifications.weekly_digest", f"digest:{year}-W{week:02d}")

    def _once(self, name: str, key: str) -> None:
        """Every worker runs the schedule; the key lets only the first one queue the run."""
        with self.app.app_context():
            try:
                enqueue(name, key=key)
                db.session.commit()
            except IntegrityError:  # another worker queued it at the same moment
                db.session.rollback()
            finally:
                db.session.remove()

    def _recover(self) -> None:
        with self.app.app_context():
            try:
                recover()
            finally:
                db.session.remove()


def get_queue(app: Flask | None = None) -> Queue:
    """The app's queue (built on first use, rebuilt when LMS_QUEUE_URL changes)."""
    app = app or current_app._get_current_object()
    url = queue_url(app)
    queue = app.extensions.get("lms_queue")
    if queue is None or queue.url != url:
        queue = app.extensions["lms_queue"] = Queue(app, url)
    return queue


def enqueue(name: str, *, actor=None, key: str | None = None, **params) -> JobRun:
    """Queue the job `name` with JSON-serialisable `params` (flushed; sent after the commit).

    `actor` (a User) owns the run: they see its page, and the job speaks their language.
    `key` makes the enqueue idempotent: a run with that key already recorded is returned
    instead of a new one. Raises KeyError for a name no domain registered.
    """
    if name not in registry.load_all():
        raise KeyError(f"unknown job {name!r}")
    if key is not None:
        existing = db.session.scalar(select(JobRun).where(JobRun.key == key))
        if existing is not None:
            return existing
    run = JobRun(name=name, key=key, params=params, user_id=getattr(actor, "id", None))
    from lms.jobs.notifications import insert_once

    if not insert_once(run):  # another process enqueued the same key just now
        return db.session.scalar(select(JobRun).where(JobRun.key == key))
    db.session.info.setdefault(_PENDING, []).append(run.id)
    return run


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    from lms.jobs.notifications import MAIL_REQUESTED

    if session.in_nested_transaction():  # a SAVEPOINT released: the transaction goes on
        return
    pending = session.info.pop(_PENDING, None)
    mail = session.info.pop(MAIL_REQUESTED, None)
    if pending or mail:
        queue = get_queue()
        for run_id in pending or ():
            queue.send(run_id)
        if mail:
            queue.deliver()


@event.listens_for(Session, "after_rollback")
def _forget_on_rollback(session: Session) -> None:
    from lms.jobs.notifications import MAIL_REQUESTED

    if not session.in_transaction():  # the outer transaction ended: nothing will be sent
        session.info.pop(_PENDING, None)
        session.info.pop(MAIL_REQUESTED, None)


def stale_after() -> timedelta:
    """How long a running job may go without a heartbeat before it counts as abandoned."""
    seconds = current_app.config.get("LMS_JOB_STALE_SECONDS") or int(
        os.environ.get("LMS_JOB_STALE_SECONDS", DEFAULT_STALE_SECONDS)
    )
    return timedelta(seconds=int(seconds))


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def heartbeat_every() -> float:
    """Seconds between two heartbeats of a running job: a fifth of the stale delay, so four
    can be missed (a busy database) before the run counts as abandoned."""
    return stale_after().total_seconds() / 5


def _claim(run_id: int) -> str | None:
    """Atomically take a queued run with a new lease (a second message for the same run finds
    it taken); returns the lease token, or None."""
    now = clock.now()
    token = secrets.token_hex(16)
    result = db.session.execute(
        update(JobRun)
        .where(JobRun.id == run_id, JobRun.status == QUEUED)
        .values(
            status=RUNNING,
            attempts=JobRun.attempts + 1,
            worker=worker_name()[:128],
            lease_token=token,
            started_at=now,
            heartbeat_at=now,
            error=None,
        )
    )
    db.session.commit()
    return token if result.rowcount == 1 else None


def execute(run_id: int) -> None:
    """Run one job run (in the current app context): claim it with a lease, keep its heartbeat
    while it runs, record done or failed — unless another worker took it over meanwhile, in
    which case this run's uncommitted work is rolled back and nothing is recorded."""
    from lms.auth.models import User

    try:
        token = _claim(run_id)
        if token is None:
            return
        run = db.session.get(JobRun, run_id)
        name, params = run.name, dict(run.params or {})
        actor = db.session.get(User, run.user_id) if run.user_id else None
        locales = current_app.config["LMS_LOCALES"]
        locale = getattr(actor, "locale", None)
        locale = locale if locale in locales else current_app.config["LMS_DEFAULT_LOCALE"]
        spec = registry.load_all().get(name)
        held = Lease(current_app._get_current_object(), run_id, token, heartbeat_every())
        held.start()
        try:
            if spec is None:
                raise LookupError(f"no job called {name!r} is registered")
            with force_locale(locale):
                value = spec.func(registry.JobContext(run, actor, held), **params)
            held.check()  # the job's last work is committed only under the lease
            db.session.commit()
        except LeaseLost:
            db.session.rollback()
            log.warning("job %s (%s): taken over by another worker; this run stops", run_id, name)
            return
        except Exception as error:  # the run's page shows the failure
            db.session.rollback()
            # Never the database's parameters or values (docs/security.md): neither in the log
            # nor on the run's page.
            log.error("job %s (%s) failed\n%s", run_id, name, traceback_text(error))
            _finish(run_id, token, FAILED, error=describe(error)[:2000])
            return
        finally:
            held.stop()
        result = value if isinstance(value, dict) or value is None else {"value": value}
        _finish(run_id, token, DONE, result=result)
    finally:
        db.session.remove()


def _finish(run_id: int, token: str, status: str, **values) -> bool:
    """Record the end of the run, on a connection of its own and only under its lease (a run
    taken over records nothing); returns whether it was recorded."""
    runs = JobRun.__table__
    values = {**values, "status": status, "finished_at": clock.now(), "lease_token": None}
    if status == DONE:
        values["done"] = case((runs.c.total > 0, runs.c.total), else_=runs.c.done)
    with db.engine.begin() as connection:
        changed = connection.execute(
            update(runs)
            .where(runs.c.id == run_id, runs.c.lease_token == token, runs.c.status == RUNNING)
            .values(**values)
        ).rowcount
    if changed != 1:
        log.warning("job %s: taken over by another worker; its result is not recorded", run_id)
    return changed == 1


def recover() -> int:
    """Send again the runs a dead worker abandoned (running, no heartbeat for the stale delay:
    put back to queued) and, when the queue is empty, the queued runs whose message was lost.
    Also gives up emails a dead worker left half-sent and sends the pending ones. Returns how
    many runs were sent."""
    from lms.jobs import mailer

    limit = clock.now() - stale_after()
    queue = get_queue()
    abandoned = db.session.scalars(
        select(JobRun.id).where(JobRun.status == RUNNING, JobRun.heartbeat_at < limit)
    ).all()
    if abandoned:
        db.session.execute(
            update(JobRun)
            .where(JobRun.id.in_(abandoned), JobRun.status == RUNNING, JobRun.heartbeat_at < limit)
            .values(status=QUEUED, message="", lease_token=None)
        )
    lost = []
    if not queue.immediate and queue.huey.pending_count() == 0:
        lost = db.session.scalars(
            select(JobRun.id).where(JobRun.status == QUEUED, JobRun.created_at < limit)
        ).all()
    mailer.give_up_interrupted(limit)
    mail_waiting = mailer.has_pending()
    db.session.commit()
    ids = sorted(set(abandoned) | set(lost))
    for run_id in ids:
        log.warning("job %s: sending again (its worker or its message was lost)", run_id)
        queue.send(run_id)
    if mail_waiting and not queue.immediate:
        queue.deliver()
    return len(ids)
