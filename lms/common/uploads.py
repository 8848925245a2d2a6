"""Job folders on the shared disk and the flow that runs work on them: upload → check →
preview → confirm → apply for the table imports (their flow: lms.common.import_flow), build →
download for the certificate bulk download. Machinery: no domain is imported; a domain plugs
its steps in.

**Store.** A job folder is `instance/<store>/<token>/`, private (0700, files 0600), holding
`meta.json` — owner (`user_id`), `kind` (which flow), `scope`, `state`, progress,
`created_at` — written whole by an atomic rename, and what the work needs or made (the upload,
`report.json`, a .zip). The token comes from `secrets`; ONE token rule (`valid_token`) is
checked before any path is built, so no request can name a path outside the store. The nightly
retention (lms.jobs.retention) deletes the folders of every store (`stores()`).

**Steps.** A step runs inline (small work) or as a queued job (`Work.start`); a job checks the
folder's kind and owner, speaks the uploader's language and reports progress. A step starts
only from the states it is for (`StepSpec.runs_in`), so a run repeated after a dead worker
finds its work published and does nothing, and an interrupted one runs again whole.

**ONE failure rule** (`Work.fail`): a step that raises is rolled back, the folder's state
becomes "failed" with the reason (the error's message, translated where the domain raised it:
RuleViolation, TableError, DamagedZip), and a queued run fails too, unless another worker took
it over (its state is then that run's to write). Files are published only by a rename, so a
failed step leaves no half-written file.
"""

import json
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from flask import current_app
from flask_babel import force_locale

from lms.common import clock, files
from lms.common.errortext import describe, traceback_text
from lms.extensions import db

TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")  # secrets.token_urlsafe(16) makes 22 of these
META, REPORT = "meta.json", "report.json"
FAILED = "failed"
MAX_REASON = 500  # characters of a failure's reason kept in meta.json
PROGRESS_EVERY = 1000  # rows between two progress writes of a check or an import


def valid_token(token: object) -> bool:
    """The one token rule: 16 to 64 letters, digits, `-` or `_` — nothing that could be a path
    (no `/`, `.`, NUL, drive or absolute path). Checked before any path is built."""
    return isinstance(token, str) and TOKEN.fullmatch(token) is not None


def write_json(path: Path, value) -> None:
    """Write `value` as JSON by an atomic rename: readers never see half a file."""
    files.write_atomic(path, json.dumps(value, ensure_ascii=False, default=str))


def read_meta(folder: Path) -> dict:
    return json.loads((folder / META).read_text(encoding="utf-8"))


def update_meta(folder: Path, **changes) -> dict:
    """Write `changes` into the folder's meta.json (whole, atomically); returns the new meta."""
    meta = {**read_meta(folder), **changes}
    write_json(folder / META, meta)
    return meta


def created_on(folder: Path) -> date | None:
    """The Vietnamese day a job folder was made (meta.json's created_at, else the folder's
    time); None when it cannot be told (retention)."""
    try:
        return clock.local_day(datetime.fromisoformat(read_meta(folder)["created_at"]))
    except (OSError, ValueError, KeyError, TypeError):
        try:
            stamp = datetime.fromtimestamp(folder.stat().st_mtime, UTC).replace(tzinfo=None)
            return clock.local_day(stamp)
        except OSError:
            return None


def run_id(folder: Path) -> int | None:
    """The id of the job run last queued for the folder (None: none, or unreadable)."""
    try:
        return read_meta(folder).get("run_id")
    except (OSError, ValueError, AttributeError):
        return None


_STORES: list["JobStore"] = []


def stores() -> list["JobStore"]:
    """Every store made so far (each domain's is made when its module is imported, which the
    app factory and the job registry do), in the order they were made."""
    return list(_STORES)


class JobStore:
    """The job folders under instance/`name`/. `counted_as` and `described_as` name them in
    the nightly retention's counts and log line; `legacy_kind` is the kind of a folder whose
    meta.json names none (written before kinds were recorded)."""

    def __init__(self, name: str, counted_as: str, described_as: str, legacy_kind=None):
        self.name, self.counted_as, self.described_as = name, counted_as, described_as
        self.legacy_kind = legacy_kind
        _STORES.append(self)

    def root(self) -> Path:
        return Path(current_app.instance_path) / self.name

    def create(
        self, owner_id: int, kind: str, state: str, *, scope=None, payload=None, **meta
    ) -> Path:
        """A new private folder with a fresh token for `owner_id`'s work of `kind`, starting in
        `state`; `payload` ({file name: bytes}) is written first, meta.json last. Returns it."""
        files.private_dir(self.root())
        folder = self.root() / secrets.token_urlsafe(16)
        folder.mkdir(mode=files.DIR_MODE)  # a token already used fails here
        for name, data in (payload or {}).items():
            files.write_atomic(folder / name, data)
        record = {"user_id": owner_id, "kind": kind, "scope": scope, "state": state, "done": 0}
        write_json(folder / META, {**record, **meta, "created_at": clock.now().isoformat()})
        return folder

    def find(self, token: object) -> Path | None:
        """The folder of `token`, or None for a token breaking the rule or unknown."""
        if not valid_token(token):
            return None
        folder = self.root() / token
        return folder if (folder / META).is_file() else None

    def kind_of(self, meta: dict):
        return meta.get("kind", self.legacy_kind)

    def owned(self, token: object, owner_id: int, kind: str) -> Path | None:
        """The folder of `token` if `owner_id` made it for `kind`; else None (pages answer 404:
        another user's work, or another flow's, is not theirs)."""
        folder = self.find(token)
        if folder is None:
            return None
        meta = read_meta(folder)
        return folder if meta["user_id"] == owner_id and self.kind_of(meta) == kind else None

    def folders(self) -> Iterator[Path]:
        """Every job folder of the store (retention)."""
        root = self.root()
        if root.is_dir():
            yield from (path for path in sorted(root.iterdir()) if path.is_dir())


# The store of the table imports (officials, completions): one folder, the kind in meta.json.
IMPORTS = JobStore("imports", "uploads", "uploads", legacy_kind="officials")


@dataclass(frozen=True)
class StepSpec:
    """A step of some work: the function doing it (given a Step; returns the job's result or
    None), the states it starts from, and what the job's progress says while it runs."""

    run: Callable[["Step"], dict | None]
    runs_in: tuple[str, ...]
    message: Any


@dataclass
class Step:
    """What a running step sees: its folder and meta, the actor (the owner), the parameters it
    was started with, and — in a job — the run's progress report (which checks the lease and
    commits) and lease check; both None inline."""

    name: str
    folder: Path
    meta: dict
    actor: Any
    params: dict
    report: Callable[[int, int], None] | None = None
    check_lease: Callable[[], None] | None = None
    _done: int = field(default=0, repr=False)

    def tell(self, done: int, total: int) -> None:
        """Tell the job (if any) how far the step is."""
        if self.report is not None:
            self.report(done, total)

    def publishing(self, total: int) -> None:
        """Before the step publishes (writes its report, commits): tell the job all is done,
        which checks its lease and commits only while it holds it (LeaseLost otherwise)."""
        self.tell(total, total)

    def update(self, **changes) -> dict:
        self.meta = update_meta(self.folder, **changes)
        return self.meta

    def count_row(self, step: int = 1) -> None:
        """A progress callback for row-by-row work: every PROGRESS_EVERY rows the count goes to
        meta.json (the page's bar) and to the job (its heartbeat)."""
        self._done += step
        if self._done % PROGRESS_EVERY == 0:
            update_meta(self.folder, done=self._done)
            self.tell(self._done, self.meta.get("rows") or 0)


class Work:
    """One kind of work on a store's folders: its `kind` (recorded in meta.json), the job
    `job` that runs its steps in the background, and its steps by name. `enqueue` is
    lms.jobs.enqueue (given by the domain: the machinery here imports no queue)."""

    def __init__(self, store: JobStore, kind: str, job: str, steps: dict, enqueue: Callable):
        self.store, self.kind, self.job, self.steps, self.enqueue = (
            store,
            kind,
            job,
            steps,
            enqueue,
        )

    def owned(self, token: object, owner_id: int) -> Path | None:
        return self.store.owned(token, owner_id, self.kind)

    def job_params(self, folder: Path, step: str, params: dict) -> dict:
        """The queued job's parameters (its signature): the token and `params`."""
        return {"token": folder.name, **params}

    def start(self, folder: Path, step: str, *, background: bool, actor, key=None, **params):
        """Run `step` now (a failure is recorded, see `fail`), or queue it as `actor`'s job
        (committed here, so it goes out at once; the run's id goes to meta.json for the page's
        link)."""
        if not background:
            self.run_inline(folder, step, actor, params)
            return
        run = self.enqueue(self.job, actor=actor, key=key, **self.job_params(folder, step, params))
        update_meta(folder, run_id=run.id)
        db.session.commit()

    def run_inline(self, folder: Path, step: str, actor, params: dict) -> None:
        try:
            owner = SimpleNamespace(id=actor.id) if actor is not None else None
            self._run(Step(step, folder, read_meta(folder), owner, params))
        except Exception as error:  # the page shows it, as a queued run's failure
            db.session.rollback()
            current_app.logger.error(
                "%s %s: step %s failed\n%s", self.kind, folder.name, step, traceback_text(error)
            )
            self.fail(folder, error)

    def run_as_job(self, ctx, token: str, step: str, locale: str = "", **params) -> dict:
        """The body of the work's job: refuse a folder of another kind or owner, run `step` in
        the uploader's language (`locale`) with progress on the run; a failure follows `fail`
        and fails the run too."""
        folder = self.store.find(token)
        if folder is None:
            return {"missing": token}
        meta = read_meta(folder)
        if self.store.kind_of(meta) != self.kind:
            raise ValueError(f"the folder is not of {self.kind}")
        if ctx.actor is None or meta["user_id"] != ctx.actor.id:
            raise PermissionError("the folder belongs to another user")
        if step not in self.steps:
            raise ValueError(f"unknown step {step!r}")
        try:
            with force_locale(locale) if locale else nullcontext():
                message = str(self.steps[step].message)

                def report(done: int, total: int) -> None:
                    ctx.progress(done, total, message)

                return self._run(
                    Step(step, folder, meta, ctx.actor, params, report, ctx.check_lease)
                )
        except Exception as error:
            db.session.rollback()
            ctx.check_lease()  # raises LeaseLost for a run taken over: its state is not ours
            self.fail(folder, error)
            raise

    def _run(self, step: Step) -> dict:
        spec = self.steps[step.name]
        if step.meta["state"] not in spec.runs_in:  # done already, or not asked for
            return {"state": step.meta["state"]}
        result = spec.run(step)
        return result if result is not None else {"state": read_meta(step.folder)["state"]}

    @staticmethod
    def fail(folder: Path, error: BaseException) -> dict:
        """The one failure rule: state "failed" with the error's message (a database error
        described without its values), for the page to show."""
        return update_meta(
            folder, state=FAILED, error=describe(error, with_kind=False)[:MAX_REASON]
        )
