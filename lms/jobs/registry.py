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
be idempotent: a run interrupted by a dead worker is run again from the start. While it runs it
holds a lease (lms.jobs.lease): `progress` raises LeaseLost once another worker has taken the
run over, and a job calls `ctx.check_lease()` right before it renames a file into place.

A domain adds its part of the nightly run the same way (`nightly_step`): the nightly job
(lms.jobs.tasks) runs the registered steps in their order and imports no domain.
"""

import importlib
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
OWN_JOBS = ("lms.jobs.tasks",)  # this package's own jobs


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


@dataclass(frozen=True)
class NightlyStep:
    """A step of the nightly run: `func(as_of, progress) -> dict` (its result is kept under
    `name` in the run's result), run in `order`, reporting progress under `label`.

    A step that fails fails the run at once, unless it has a `failure_note`: then its work is
    rolled back, the later steps run all the same, and at the end the run shows the note and
    fails with "<failure_name> failed: <the error>"."""

    order: int
    name: str
    func: Callable
    label: object = None  # a lazy string
    failure_note: object = None  # a lazy string
    failure_name: str = ""


NIGHTLY: dict[str, NightlyStep] = {}


def nightly_step(order: int, name: str, label=None, *, failure_note=None, failure_name=""):
    """Decorator: register `func(as_of, progress) -> dict` as the nightly step `name` (unique),
    run in `order` (lower first; lms.jobs.tasks lists the order of today's steps)."""

    def register(func: Callable) -> Callable:
        existing = NIGHTLY.get(name)
        if existing is not None and existing.func.__qualname__ != func.__qualname__:
            raise ValueError(f"nightly step {name!r} is registered twice")
        NIGHTLY[name] = NightlyStep(order, name, func, label, failure_note, failure_name or name)
        return func

    return register


def nightly_steps() -> list[NightlyStep]:
    """Every registered nightly step (every domain's jobs module loaded), in order."""
    load_all()
    return sorted(NIGHTLY.values(), key=lambda step: (step.order, step.name))


def job_label(name: str) -> str:
    """A job's name in the current language ("Unknown job" for a run of a job that no longer
    exists)."""
    from lms.i18n import _

    spec = load_all().get(name)
    return str(spec.label) if spec and spec.label else _("Unknown job")


def load_all() -> dict[str, JobSpec]:
    """Import, by name, this package's own jobs and every domain's `jobs` modules (its
    sub-packages' too: lms.domains.domain_modules) so JOBS and NIGHTLY are complete."""
    from lms.domains import DOMAINS, domain_modules

    for module in OWN_JOBS:
        importlib.import_module(module)
    for domain in DOMAINS:
        if domain != "jobs":
            for module in domain_modules(domain, "jobs"):
                importlib.import_module(module)
    return JOBS


class JobContext:
    """What a running job sees: the run, its actor (User or None), progress reporting and the
    lease (lms.jobs.lease) a job checks before it publishes a file."""

    def __init__(self, run, actor, lease=None):
        self.run = run
        self.actor = actor
        self.lease = lease
        self.run_id = run.id
        self.done, self.total = run.done, run.total

    def progress(self, done: int, total: int | None = None, message: str | None = None) -> None:
        """Record progress and renew the heartbeat. Checks the lease, commits the job's session
        (the work done so far included), then writes the progress and heartbeat on a
        connection of its own. Raises LeaseLost (the work not yet committed is then rolled
        back by the queue) when another worker took the run over."""
        if self.lease is not None:
            self.lease.check()
        db.session.commit()
        self.done = done
        values = {"done": done}
        if total is not None:
            self.total = values["total"] = total
        if message is not None:
            values["message"] = message[:255]
        if self.lease is not None:
            self.lease.beat(**values)
        else:  # a context made by hand (a script, a test): the run is in this session
            for name, value in values.items():
                setattr(self.run, name, value)
            self.run.heartbeat_at = clock.now()
            db.session.commit()

    def reporter(self, message) -> Callable:
        """`progress(done, total=None)` for a service that counts its work: this run's progress
        under `message`."""

        text = None if message is None else str(message)  # in the run's language

        def report(done: int, total: int | None = None) -> None:
            self.progress(done, total, text)

        return report

    def send_mail(self) -> dict:
        """Deliver the pending email inside the job, so its page shows the sending and a dead
        worker's run is picked up again (each message is sent at most once)."""
        from lms.i18n import _
        from lms.jobs import mailer

        waiting = mailer.pending_count()
        return mailer.deliver_pending(lambda sent: self.progress(sent, waiting, _("Sending email")))

    def check_lease(self) -> None:
        """Before publishing (renaming a file into place): renew the heartbeat, so the lease
        holds for the stale delay to come, or raise LeaseLost."""
        if self.lease is not None:
            self.lease.beat()
