"""Web imports as small jobs kept on disk under instance/imports/<token>/: the uploaded file,
`meta.json` (owner, options, state, progress) and `report.json` (the dry-run result).

Large files are checked and imported in a background thread with its own app context, so the
browser gets an answer at once and polls the progress; nothing is held in process memory.
"""

import json
import os
import secrets
import threading
from pathlib import Path

from flask import Flask, current_app
from flask_babel import force_locale, get_locale

from lms.common import clock
from lms.common.tabular import read_table
from lms.extensions import db
from lms.organisation import imports

TOKEN_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


def _root() -> Path:
    return Path(current_app.instance_path) / "imports"


def job_dir(token: str) -> Path | None:
    """The job's folder, or None for a malformed or unknown token (no path tricks)."""
    if not token or not set(token) <= TOKEN_CHARS:
        return None
    folder = _root() / token
    return folder if (folder / "meta.json").is_file() else None


def read_meta(folder: Path) -> dict:
    return json.loads((folder / "meta.json").read_text(encoding="utf-8"))


def _write_json(path: Path, value) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(value, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(temporary, path)  # readers never see half a file


def update_meta(folder: Path, **changes) -> dict:
    meta = {**read_meta(folder), **changes}
    _write_json(folder / "meta.json", meta)
    return meta


def create(user_id: int, filename: str, data: bytes, rows: int, full_roster: bool) -> str:
    """Store an upload; returns its token."""
    token = secrets.token_urlsafe(16)
    folder = _root() / token
    folder.mkdir(parents=True)
    suffix = Path(filename).suffix.lower()
    (folder / f"upload{suffix}").write_bytes(data)
    _write_json(
        folder / "meta.json",
        {
            "user_id": user_id,
            "filename": Path(filename).name,
            "suffix": suffix,
            "rows": rows,
            "full_roster": full_roster,
            "state": "checking",
            "done": 0,
            "created_at": clock.now().isoformat(),
        },
    )
    return token


def _plan(folder: Path, meta: dict, scope):
    data = (folder / f"upload{meta['suffix']}").read_bytes()
    table = read_table(meta["filename"], data, current_app.config["LMS_IMPORT_MAX_BYTES"])
    progress = _Progress(folder)
    return imports.plan_officials(table, scope, meta["full_roster"], progress=progress)


class _Progress:
    """Writes the number of rows handled to meta.json every 1,000 rows."""

    def __init__(self, folder: Path):
        self.folder, self.done = folder, 0

    def __call__(self, step: int) -> None:
        self.done += step
        if self.done % 1000 == 0:
            update_meta(self.folder, done=self.done)


def check(folder: Path, scope) -> None:
    """Dry run: save the report and the summary; state → ready (or failed)."""
    meta = read_meta(folder)
    plan = _plan(folder, meta, scope)
    _write_json(folder / "report.json", imports.report_rows(plan))
    update_meta(
        folder,
        state="ready",
        done=meta["rows"],
        summary=plan.summary(),
        file_errors=plan.file_errors,
        has_errors=plan.has_errors,
    )


def apply(folder: Path, scope, actor, valid_only: bool) -> None:
    """Re-check against the database as it is now, then import in one transaction."""
    plan = _plan(folder, read_meta(folder), scope)
    if plan.file_errors or (plan.has_errors and not valid_only):
        _write_json(folder / "report.json", imports.report_rows(plan))
        update_meta(folder, state="ready", summary=plan.summary(), has_errors=True)
        return
    counts = imports.apply_plan(plan, actor, valid_only)
    db.session.commit()
    update_meta(folder, state="imported", result=counts)


def run(app: Flask, folder: Path, step, *args, background: bool) -> None:
    """Run `step(folder, *args)` now, or in a thread with its own app context and session,
    speaking the uploader's language (the report is written in it)."""
    if not background:
        step(folder, *args)
        return
    locale = str(get_locale())

    def work() -> None:
        with app.app_context(), force_locale(locale):
            try:
                step(folder, *args)
            except Exception as error:  # the page shows the failure instead of spinning forever
                db.session.rollback()
                app.logger.exception("import %s failed", folder.name)
                update_meta(folder, state="failed", error=str(error))
            finally:
                db.session.remove()

    threading.Thread(target=work, name=f"import-{folder.name}", daemon=True).start()


def read_report(folder: Path) -> list[list]:
    """The per-row report lines of the last check ([] before the first check ends)."""
    path = folder / "report.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
