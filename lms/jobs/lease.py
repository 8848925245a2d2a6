"""The lease of a running job: the token its claim wrote on the run, and the heartbeat that keeps
it, written on a connection of its own so nothing the job's session does (rollback, expunge, a
long transaction) can hold it back.

On PostgreSQL a thread of the worker renews the heartbeat every fifth of the stale delay while
the job runs, so a job that is alive keeps its lease however long a step takes; on SQLite (one
writer at a time) the job's progress reports renew it, so a job reports progress more often
than the stale delay. A run holds its lease while its heartbeat is younger than
LMS_JOB_STALE_SECONDS; `recover`
then queues the run again and clears the token, and the next claim writes a new one. The old
run learns it lost the lease at its next progress report or heartbeat (LeaseLost), and every
step that publishes (the run's result, a file renamed into place, an import's commit) checks
the lease first, so a run that was taken over can no longer publish anything.
"""

import logging
import threading

from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from lms.common import clock
from lms.extensions import db
from lms.jobs.models import RUNNING, JobRun

log = logging.getLogger("lms.jobs")

_runs = JobRun.__table__


class LeaseLost(Exception):
    """The run was taken over (its heartbeat went stale and another worker claimed it): this
    run must stop and publish nothing."""


class Lease:
    """The lease `token` on run `run_id`, renewed by a heartbeat thread every `interval` seconds
    while the job runs (start/stop) and by the job's progress reports (`beat`)."""

    def __init__(self, app: Flask, run_id: int, token: str, interval: float):
        self.app, self.run_id, self.token, self.interval = app, run_id, token, interval
        self._stop = threading.Event()
        self._lost = threading.Event()
        self._thread: threading.Thread | None = None

    def _matches(self):
        return (_runs.c.id == self.run_id, _runs.c.lease_token == self.token)

    def held(self) -> bool:
        """Whether the run still carries this lease (read on a connection of its own)."""
        if self._lost.is_set():
            return False
        with db.engine.connect() as connection:
            found = connection.scalar(select(_runs.c.id).where(*self._matches()))
        if found is None:
            self._lost.set()
        return found is not None

    def check(self) -> None:
        """Raise LeaseLost unless the run still carries this lease."""
        if not self.held():
            raise LeaseLost(f"job run {self.run_id} was taken over by another worker")

    def beat(self, **values) -> None:
        """Renew the heartbeat (and write `values`: done, total, message) in a transaction of
        its own; raises LeaseLost when the run no longer carries this lease."""
        with db.engine.begin() as connection:
            changed = connection.execute(
                update(_runs)
                .where(*self._matches(), _runs.c.status == RUNNING)
                .values(heartbeat_at=clock.now(), **values)
            ).rowcount
        if changed != 1:
            self._lost.set()
            raise LeaseLost(f"job run {self.run_id} was taken over by another worker")

    def start(self) -> None:
        """Start the heartbeat thread, on PostgreSQL. None on SQLite: it allows one writer at a
        time, and a second writer in the job's own process would make the job's transaction
        fail ("database is locked"); there the job's progress reports renew the heartbeat."""
        if self.interval <= 0 or db.engine.dialect.name == "sqlite":
            return
        self._thread = threading.Thread(
            target=self._run, name=f"lms-heartbeat-{self.run_id}", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _run(self) -> None:
        with self.app.app_context():
            while not self._stop.wait(self.interval):
                try:
                    self.beat()
                except LeaseLost:
                    log.warning("job %s: lease lost; the run will stop", self.run_id)
                    return
                except SQLAlchemyError as error:  # e.g. SQLite busy: try again next time
                    log.warning("job %s: heartbeat not written (%s)", self.run_id, error)
                finally:
                    db.session.remove()
