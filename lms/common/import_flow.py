"""The table imports' flow on the job folders of lms.common.uploads: upload → check (dry run,
per-row report) → preview → confirm → apply, inline or as a queued job, and the pages every
import shows (upload, preview with its confirm button, the report download). The officials,
leave, completions and ratings imports are each an ImportFlow with their own plan and apply."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, NamedTuple

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale

from lms.common import exporter
from lms.common.tabular import TableError, read_table
from lms.common.uploads import (
    IMPORTS,
    REPORT,
    Step,
    StepSpec,
    Work,
    read_meta,
    update_meta,
    write_json,
)
from lms.extensions import db
from lms.i18n import _, _l

PREVIEW_LINES = 500  # report lines of each kind a preview page shows


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
class RowPlan:
    """One data row of an officials' table checked: its line in the file, the official's
    employee code, its values by column, its errors (column, message) and the official it
    names once found. A domain's row plan adds what it found and its `status`."""

    line: int
    employee_code: str
    values: dict
    errors: list[tuple[str, str]] = field(default_factory=list)
    official_id: int | None = None


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


def report_lines(plan, labels: dict, describe: Callable) -> list[list]:
    """A check's report (ReportLine fields, in the current language): the file-level errors
    first (line 1 = the header), then per row its errors, one line each with the column named
    by `labels`, or one line `describe(row)` for a row without error."""
    lines = [[1, "", "", message] for message in plan.file_errors]
    for row in plan.rows:
        if row.errors:
            lines += [
                [row.line, row.employee_code, str(labels.get(col, col)), message]
                for col, message in row.errors
            ]
        else:
            lines.append([row.line, row.employee_code, "", describe(row)])
    return lines


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
