"""The registry of job functions by name, and the context a job runs with (its run, its actor,
progress reporting).

A domain registers a job in `lms/<domain>/jobs.py` (imported by every web process and worker):

    from lms.jobs import job

    @job("certificates.issue_pending", label=_l("Issue pending certificates"))
    def issue_pending(ctx, course_id: int) -> dict:
        ...
        ctx.progress(done, total, _("%(n)d issued", n=done))   # commits
        return {"issued": done}

A job runs in an app context with its own database session, speaking the language of the
user who enqueued it. It commits as it goes (each `progress` call commits), so every step must
be idempotent: a run interrupted by a dead worker is run again from the start.
"""

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

from lms.common import clock
from lms.extensions import db


@dataclass(frozen=True)
class JobSpec:
    """A registered job: its function and how the UI names it."""

    name: str
    func: Callable
    label: object  # a lazy string


JOBS: dict[str, JobSpec] = {}


def job(name: str, label=None):
    """Decorator: register `func(ctx, **params)` as the job called `name` (unique); `label`, a
    lazy string, names it on the jobs pages (tests/web/test_jobs_pages.py requires one, in
    Vietnamese, of every job under lms/)."""

    def register(func: Callable) -> Callable:
        existing = JOBS.get(name)
        if existing is not None and existing.func.__qualname__ != func.__qualname__:
            raise ValueError(f"job {name!r} is registered twice")
        JOBS[name] = JobSpec(name, func, label)
        return func

    return register


def job_label(name: str) -> str:
    """A job's name in the current language ("Unknown job" for a run of a job that no longer
    exists)."""
    from lms.i18n import _

    spec = load_all().get(name)
    return str(spec.label) if spec and spec.label else _("Unknown job")


def load_all() -> dict[str, JobSpec]:
    """Import every domain's `jobs` module (and this package's own jobs) so JOBS is complete."""
    from lms import DOMAINS

    importlib.import_module("lms.jobs.tasks")
    for domain in DOMAINS:
        module = f"lms.{domain}.jobs"
        if domain != "jobs" and importlib.util.find_spec(module):
            importlib.import_module(module)
    return JOBS


class JobContext:
    """What a running job sees: the run, its actor (User or None) and progress reporting."""

    def __init__(self, run, actor):
        self.run = run
        self.actor = actor

    @property
    def run_id(self) -> int:
        return self.run.id

    def progress(self, done: int, total: int | None = None, message: str | None = None) -> None:
        """Record progress and renew the heartbeat; commits the job's session (the work done so
        far included), so the page of the run shows it."""
        self.run.done = done
        if total is not None:
            self.run.total = total
        if message is not None:
            self.run.message = message[:255]
        self.run.heartbeat_at = clock.now()
        db.session.commit()
