"""Job folders on the shared disk and the flow that runs work on them: upload → check →
preview → confirm → apply for the table imports, build → download for the certificate bulk
download. Machinery: no domain is imported; a domain plugs its steps in.

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
from typing import Any, ClassVar, NamedTuple

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale

from lms.common import clock, exporter, files
from lms.common.errortext import describe, traceback_text
from lms.common.tabular import TableError, read_table
from lms.extensions import db
from lms.i18n import _, _l

TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")  # secrets.token_urlsafe(16) makes 22 of these
META, REPORT = "meta.json", "report.json"
FAILED = "failed"
MAX_REASON = 500  # characters of a failure's reason kept in meta.json
PROGRESS_EVERY = 1000  # rows between two progress writes of a check or an import
PREVIEW_LINES = 500  # report lines of each kind a preview page shows


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


class ReportLine(NamedTuple):
    """A line of an import's check report: the file's line (1 = the header, for file-level
    problems), the employee code, the column in error ("" for a row without error), the text."""

    line: int
    code: str
    column: str
    message: str

    @property
    def is_problem(self) -> bool:
        return bool(self.column) or self.line == 1


def read_report(folder: Path) -> list[ReportLine]:
    """The report lines of the last check ([] before the first check ends)."""
    path = folder / REPORT
    if not path.is_file():
        return []
    return [ReportLine(*line) for line in json.loads(path.read_text(encoding="utf-8"))]


@dataclass
class TablePlan:
    """The dry run of a table import, as an ImportFlow's `plan` returns it: file-level errors
    and one row plan per data row, each with its `errors` and `status`. `summary()` counts the
    rows of each of STATUSES (a domain with other statuses sets its own) and all of them."""

    file_errors: list[str]
    rows: list

    STATUSES: ClassVar[tuple[str, ...]] = ("new", "updated", "unchanged", "error")

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(row.errors for row in self.rows)

    def summary(self) -> dict[str, int]:
        counts = {s: sum(1 for r in self.rows if r.status == s) for s in self.STATUSES}
        return {**counts, "total": len(self.rows)}


class ImportFlow(Work):
    """upload → check (dry run, per-row report) → preview → confirm → apply, for a table of
    rows in the IMPORTS store. The domain gives:

    - `plan(table, step)`: the dry run of the uploaded table (`step.params["scope"]`, the
      options in `step.meta`, `step.count_row` as progress) — an object with `file_errors`,
      `has_errors` and `summary()`;
    - `report_rows(plan)`: its report lines (ReportLine fields, in the current language);
    - `apply(plan, step)`: write the plan (flush, no commit) and return what meta.json keeps of
      it (`{"result": …}`); an error raised here writes nothing (the failure rule);
    - `header_problem(header)`: why a header cannot be imported, refused at the form's field.

    Files above LMS_IMPORT_INLINE_ROWS run as the job `job`; `apply` re-checks the file against
    the database as it is then, so a re-run (dead worker) writes nothing twice.
    """

    def __init__(self, kind, job, *, enqueue, plan, report_rows, apply, header_problem=None):
        steps = {
            "check": StepSpec(self._check, ("checking",), _l("Checking the file…")),
            "apply": StepSpec(self._apply, ("importing",), _l("Importing…")),
        }
        super().__init__(IMPORTS, kind, job, steps, enqueue)
        self.plan, self.report_rows, self.apply = plan, report_rows, apply
        self.header_problem = header_problem

    def job_params(self, folder: Path, step: str, params: dict) -> dict:
        # the job speaks the uploader's present language: the report is written in it
        locale = str(get_locale() or "")
        return {"token": folder.name, "step": step, **params, "locale": locale}

    @staticmethod
    def in_background(rows: int) -> bool:
        return rows > current_app.config["LMS_IMPORT_INLINE_ROWS"]

    def store_upload(self, owner_id: int, filename: str, data: bytes, rows: int, **meta) -> Path:
        """Keep an upload (its rows counted) in a new folder, state "checking"."""
        suffix = Path(filename).suffix.lower()
        return self.store.create(
            owner_id,
            self.kind,
            "checking",
            payload={f"upload{suffix}": data},
            filename=Path(filename).name,
            suffix=suffix,
            rows=rows,
            **meta,
        )

    def upload(self, file_field, actor, scope, **options) -> Path | None:
        """From the upload form: read the file once (size and row limits, encoding, the header);
        a refusal goes to `file_field`'s errors (None returned). Else keep it, with `options`
        in meta.json, and start its check (inline or queued); returns its folder."""
        upload = file_field.data
        data = upload.read()
        try:
            table = read_table(upload.filename, data, current_app.config["LMS_IMPORT_MAX_BYTES"])
            problem = self.header_problem(table.header) if self.header_problem else None
            if problem:
                raise TableError(problem)
        except TableError as error:
            file_field.errors = [str(error)]
            return None
        rows = len(table.rows)
        folder = self.store_upload(actor.id, upload.filename, data, rows, scope=scope, **options)
        self.start(folder, "check", background=self.in_background(rows), actor=actor, scope=scope)
        return folder

    def confirm(self, folder: Path, actor, scope, **params) -> dict:
        """The preview's confirm button on a checked upload (state "ready"): import it, inline or
        queued; returns the meta after (state "imported" when done inline)."""
        meta = update_meta(folder, state="importing")
        background = self.in_background(meta["rows"])
        self.start(folder, "apply", background=background, actor=actor, scope=scope, **params)
        return read_meta(folder)

    def upload_view(self, form, template: str, preview: str, actor, scope, options=None, **context):
        """The upload page: a valid form's file is kept and checked (`upload`, with `options`
        in its meta) and the browser goes to its preview (the endpoint `preview`, by token);
        else the page (`template` with `form` and `context`) again, with the form's errors."""
        if form.validate_on_submit():
            folder = self.upload(form.file, actor, scope, **(options or {}))
            if folder is not None:
                return redirect(url_for(preview, token=folder.name))
        return render_template(template, form=form, **context)

    def preview_view(
        self,
        folder: Path,
        form,
        template: str,
        actor,
        scope,
        done: Callable,
        *,
        blocking: bool,
        params: Callable | None = None,
        **context,
    ):
        """The preview page of an upload (`preview_page`) and its confirm button: a valid form
        on a checked file imports it (`confirm_and_tell`, with `params()`) and comes back to
        this page. `blocking`: rows with errors stop the whole import (else the form may ask
        for the valid rows only)."""
        meta = read_meta(folder)
        if (
            form.validate_on_submit()
            and meta["state"] == "ready"
            and not (blocking and meta.get("has_errors"))
        ):
            self.confirm_and_tell(folder, actor, scope, done, **(params() if params else {}))
            return redirect(url_for(request.endpoint, **request.view_args))
        return self.preview_page(template, folder, meta, token=folder.name, form=form, **context)

    def confirm_and_tell(self, folder: Path, actor, scope, done: Callable, **params) -> dict:
        """`confirm`, then, when the file was imported inline, flash `done(result)` (the
        domain's sentence of what was written); returns the meta after."""
        meta = self.confirm(folder, actor, scope, **params)
        if meta["state"] == "imported":
            flash(done(meta["result"]), "success")
        return meta

    @staticmethod
    def preview_page(template: str, folder: Path, meta: dict, **context):
        """The preview page of a checked upload: `template` with its meta, the report's problems
        (`errors`, the first PREVIEW_LINES; `error_count`, all of them) and its other lines
        (`notes`, the first PREVIEW_LINES) — the rest is in the report download."""
        report = read_report(folder)
        errors = [line for line in report if line.is_problem]
        notes = [line for line in report if not line.is_problem]
        return render_template(
            template,
            meta=meta,
            errors=errors[:PREVIEW_LINES],
            error_count=len(errors),
            notes=notes[:PREVIEW_LINES],
            **context,
        )

    def check_now(self, folder: Path, params: dict, report=None) -> None:
        """The check of an upload whatever its state (scripts, tests): report and summary."""
        self._check(Step("check", folder, read_meta(folder), None, params, report))

    def _plan(self, step: Step):
        meta = step.meta
        data = (step.folder / f"upload{meta['suffix']}").read_bytes()
        table = read_table(meta["filename"], data, current_app.config["LMS_IMPORT_MAX_BYTES"])
        return self.plan(table, step)

    def _check(self, step: Step) -> None:
        rows = step.meta["rows"]
        step.tell(0, rows)
        plan = self._plan(step)
        step.publishing(rows)
        write_json(step.folder / REPORT, self.report_rows(plan))
        step.update(
            state="ready",
            done=rows,
            summary=plan.summary(),
            file_errors=plan.file_errors,
            has_errors=plan.has_errors,
        )

    def _apply(self, step: Step) -> None:
        rows = step.meta["rows"]
        step.tell(0, rows)
        plan = self._plan(step)
        if plan.file_errors or (plan.has_errors and not step.params.get("valid_only")):
            step.publishing(rows)  # the database changed since the check: show it again
            write_json(step.folder / REPORT, self.report_rows(plan))
            step.update(state="ready", summary=plan.summary(), has_errors=True)
            return
        kept = self.apply(plan, step)
        step.publishing(rows)  # commits under the job's lease
        db.session.commit()
        step.update(state="imported", **kept)

    @staticmethod
    def report_download(folder: Path, fmt: str, stem: str, title: str):
        """The check report of `folder` as a CSV or XLSX download (cells escaped)."""
        header = [_("Line"), _("Employee code"), _("Column"), _("Result")]
        export = exporter.Export(stem, _("Check report"), title, header, read_report(folder))
        return exporter.download(export, fmt)
