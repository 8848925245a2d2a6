"""Web imports as small jobs kept on disk under instance/imports/<token>/: the uploaded file,
`meta.json` (owner, options, state, progress) and `report.json` (the dry-run result).

Large files are checked and imported on the job queue (lms.organisation.jobs, run by a
worker), so the browser gets an answer at once and polls the progress written to meta.json;
nothing is held in process memory, and any app server can show the page (the folder is on the
shared disk). The historical completions import of lms.curricula keeps its uploads here too
(marked `kind: "completions"` in meta.json) and queues its own job, `curricula.completions_import`.
"""

import json
import secrets
from pathlib import Path
from types import SimpleNamespace

from flask import current_app
from flask_babel import get_locale

from lms.common import clock, files
from lms.common.errortext import describe
from lms.common.tabular import TableError, read_table
from lms.errors import RuleViolation
from lms.extensions import db
from lms.organisation import imports

TOKEN_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


OFFICIALS = "officials"  # the kind of an upload whose meta.json names none


def root() -> Path:
    return Path(current_app.instance_path) / "imports"


def job_dir(token: str) -> Path | None:
    """The job's folder, or None for a malformed or unknown token (no path tricks)."""
    if not token or len(token) > 64 or not set(token) <= TOKEN_CHARS:
        return None
    folder = root() / token
    return folder if (folder / "meta.json").is_file() else None


def read_meta(folder: Path) -> dict:
    return json.loads((folder / "meta.json").read_text(encoding="utf-8"))


def _write_json(path: Path, value) -> None:
    # a unique temporary name renamed into place: readers never see half a file
    files.write_atomic(path, json.dumps(value, ensure_ascii=False, default=str))


def publishing(report, rows: int) -> None:
    """Before a step publishes (writes its report, commits an import): tell the job all rows
    are handled, which checks its lease and commits only if it still holds it (LeaseLost
    otherwise). Nothing to check for a step run inline (`report` None)."""
    if report is not None:
        report(rows, rows)


def update_meta(folder: Path, **changes) -> dict:
    meta = {**read_meta(folder), **changes}
    _write_json(folder / "meta.json", meta)
    return meta


def create(
    user_id: int, filename: str, data: bytes, rows: int, full_roster: bool, kind: str = OFFICIALS
) -> str:
    """Store an upload of `kind`; returns its token."""
    token = secrets.token_urlsafe(16)
    files.private_dir(root())
    folder = root() / token
    folder.mkdir(mode=files.DIR_MODE)
    suffix = Path(filename).suffix.lower()
    files.write_atomic(folder / f"upload{suffix}", data)
    _write_json(
        folder / "meta.json",
        {
            "user_id": user_id,
            "filename": Path(filename).name,
            "suffix": suffix,
            "rows": rows,
            "full_roster": full_roster,
            "kind": kind,
            "state": "checking",
            "done": 0,
            "created_at": clock.now().isoformat(),
        },
    )
    return token


def receive(
    upload, user_id: int, kind: str = OFFICIALS, full_roster: bool = False, header_problem=None
):
    """Keep an uploaded file (a werkzeug FileStorage) as a new upload of `kind` after reading
    it as a table once (TableError, with the reason in the user's language, when it cannot be
    read, or when `header_problem(header)` finds a reason, such as missing columns); returns
    its folder and number of rows. Both web imports start here."""
    data = upload.read()
    table = read_table(upload.filename, data, current_app.config["LMS_IMPORT_MAX_BYTES"])
    problem = header_problem(table.header) if header_problem else None
    if problem:
        raise TableError(problem)
    token = create(user_id, upload.filename, data, len(table.rows), full_roster, kind)
    return job_dir(token), len(table.rows)


def owned(token: str, user_id: int, kind: str) -> Path | None:
    """The folder of upload `token` if `user_id` made it and it is of `kind`; else None (the
    pages answer 404: another user's upload, or one of the other import, is not theirs)."""
    folder = job_dir(token)
    if folder is None:
        return None
    meta = read_meta(folder)
    return folder if meta["user_id"] == user_id and meta.get("kind", OFFICIALS) == kind else None


def runs_in_background(rows: int) -> bool:
    """Files above LMS_IMPORT_INLINE_ROWS are checked and imported by a job worker."""
    return rows > current_app.config["LMS_IMPORT_INLINE_ROWS"]


def _plan(folder: Path, meta: dict, scope, report=None):
    data = (folder / f"upload{meta['suffix']}").read_bytes()
    table = read_table(meta["filename"], data, current_app.config["LMS_IMPORT_MAX_BYTES"])
    progress = _Progress(folder, meta["rows"], report)
    return imports.plan_officials(table, scope, meta["full_roster"], progress=progress)


class _Progress:
    """Writes the number of rows handled to meta.json every 1,000 rows (and tells the job,
    whose heartbeat it renews)."""

    def __init__(self, folder: Path, total: int, report=None):
        self.folder, self.total, self.report, self.done = folder, total, report, 0

    def __call__(self, step: int) -> None:
        self.done += step
        if self.done % 1000 == 0:
            update_meta(self.folder, done=self.done)
            if self.report is not None:
                self.report(self.done, self.total)


def check(folder: Path, scope, report=None) -> None:
    """Dry run: save the report and the summary; state → ready (or failed)."""
    meta = read_meta(folder)
    plan = _plan(folder, meta, scope, report)
    publishing(report, meta["rows"])
    _write_json(folder / "report.json", imports.report_rows(plan))
    update_meta(
        folder,
        state="ready",
        done=meta["rows"],
        summary=plan.summary(),
        file_errors=plan.file_errors,
        has_errors=plan.has_errors,
    )


def apply(
    folder: Path, scope, actor, valid_only: bool, report=None, accounts: dict | None = None
) -> None:
    """Re-check against the database as it is now, then import in one transaction (run again
    after a dead worker, it finds the rows already imported and changes nothing more). With
    `accounts` ({"base_url": …, "email": bool}), the officials of the file who have no
    account get one in the same transaction (lms.organisation.accounts)."""
    meta = read_meta(folder)
    plan = _plan(folder, meta, scope, report)
    if plan.file_errors or (plan.has_errors and not valid_only):
        publishing(report, meta["rows"])
        _write_json(folder / "report.json", imports.report_rows(plan))
        update_meta(folder, state="ready", summary=plan.summary(), has_errors=True)
        return
    counts = imports.apply_plan(plan, actor, valid_only)
    try:
        provisioned = _provision(plan, scope, actor, accounts) if accounts else None
    except RuleViolation as error:  # another run made the same accounts: import nothing
        db.session.rollback()
        update_meta(folder, state="failed", error=error.message)
        return
    publishing(report, meta["rows"])  # commits under the job's lease
    db.session.commit()
    update_meta(folder, state="imported", result=counts, accounts=provisioned)


def _provision(plan, scope, actor, options: dict) -> dict:
    """Accounts for the officials of an applied plan; the numbers the import's page shows."""
    from lms.organisation import accounts

    ids = [row.official_id for row in plan.rows if not row.errors and row.official_id]
    selection = accounts.Selection(scope, None, ids)
    run = accounts.provision(selection, actor, "import", options["base_url"])
    if options.get("email") and run.created:
        from lms.jobs import enqueue

        run.emailed = True
        enqueue("auth.activation_mail", actor=actor, run_id=run.id)
    return {"run_id": run.id, "created": run.created, "problems": len(run.problems)}


def run_officials(
    folder: Path, step: str, scope, *, background: bool, actor, valid_only=False, accounts=None
) -> None:
    """Run the step ("check" or "apply") now, or queue it (job `organisation.import`, run by a
    worker) speaking the uploader's present language (the report is written in it). `actor`
    is the uploader (a User, or anything with an `id` inline); `accounts` asks the apply step
    to provision accounts (see apply). Queuing commits, so the message goes out at once."""
    if not background:
        if step == "check":
            check(folder, scope)
        else:
            apply(folder, scope, SimpleNamespace(id=actor.id), valid_only, accounts=accounts)
        return
    from lms.jobs import enqueue

    job = enqueue(
        "organisation.import",
        actor=actor,
        token=folder.name,
        step=step,
        scope=scope,
        valid_only=bool(valid_only),
        locale=str(get_locale() or ""),
        accounts=accounts,
    )
    update_meta(folder, run_id=job.id)
    db.session.commit()


def run_step_as_job(ctx, token: str, kind: str, step: str, steps: dict, locale: str) -> dict:
    """The body of an import's background job (officials or completions): load the upload
    `token`, refuse one of another kind or another user, run `steps[step](folder, report)` in
    the uploader's language with progress on the run, and on failure roll back, mark the
    upload failed (its page shows why) and re-raise (the run shows it too)."""
    from contextlib import nullcontext

    from flask_babel import force_locale

    from lms.i18n import _
    from lms.jobs import LeaseLost

    folder = job_dir(token)
    if folder is None:
        return {"missing": token}
    meta = read_meta(folder)
    if meta.get("kind", OFFICIALS) != kind:
        raise ValueError(f"the upload is not a {kind} import")
    if ctx.actor is None or meta["user_id"] != ctx.actor.id:
        raise PermissionError("the import belongs to another user")
    if step not in steps:
        raise ValueError(f"unknown step {step!r}")
    message = _("Checking the file…") if step == "check" else _("Importing…")

    def report(done: int, total: int) -> None:
        ctx.progress(done, total, message)

    report(0, meta["rows"])
    try:
        with force_locale(locale) if locale else nullcontext():
            steps[step](folder, report)
    except LeaseLost:  # another worker runs the step now: the upload's state is its to write
        db.session.rollback()
        raise
    except Exception as error:  # the import's page shows the failure instead of spinning
        db.session.rollback()
        ctx.check_lease()  # a run taken over leaves the state to the run that took it
        update_meta(folder, state="failed", error=describe(error, with_kind=False)[:500])
        raise
    return {"state": read_meta(folder)["state"]}


def read_report(folder: Path) -> list[list]:
    """The per-row report lines of the last check ([] before the first check ends)."""
    path = folder / "report.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
