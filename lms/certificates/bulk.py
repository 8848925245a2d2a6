"""Bulk downloads as small jobs kept on disk under instance/certificate_bulk/<token>/:
`meta.json` (owner, selection, state, progress) and the finished `certificates.zip`.

The .zip is built in a background thread with its own app context, so the browser gets an
answer at once and polls the progress; nothing is held in process memory (the pattern of
lms/organisation/import_jobs.py, to move onto the job queue later).
"""

import json
import os
import secrets
import threading
import zipfile
from pathlib import Path

from flask import Flask, current_app

from lms.certificates import documents, rules
from lms.certificates.models import Certificate
from lms.common import clock
from lms.extensions import db

TOKEN_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
ZIP_NAME = "certificates.zip"
PROGRESS_EVERY = 10


def _root() -> Path:
    return Path(current_app.instance_path) / "certificate_bulk"


def job_dir(token: str) -> Path | None:
    """The job's folder, or None for a malformed or unknown token (no path tricks)."""
    if not token or len(token) > 64 or not set(token) <= TOKEN_CHARS:
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


def create(user_id: int, kind: str, value: str, label: str, ids: list[int]) -> str:
    """Record a bulk download of the certificates `ids`; returns its token."""
    token = secrets.token_urlsafe(16)
    folder = _root() / token
    folder.mkdir(parents=True)
    _write_json(
        folder / "meta.json",
        {
            "user_id": user_id,
            "kind": kind,
            "value": value,
            "label": label,
            "ids": ids,
            "total": len(ids),
            "done": 0,
            "state": "building",
            "created_at": clock.now().isoformat(),
        },
    )
    return token


def build(folder: Path, base_url: str) -> None:
    """Render every certificate of the job into certificates.zip (written under a temporary
    name, then moved, so a half-built file is never served); state → ready."""
    meta = read_meta(folder)
    partial = folder / (ZIP_NAME + ".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, certificate_id in enumerate(meta["ids"], start=1):
            certificate = db.session.get(Certificate, certificate_id)
            if certificate is not None:
                name = f"{certificate.course_code}/{rules.download_name(certificate.serial)}"
                archive.writestr(name, documents.certificate_pdf(certificate, base_url))
            db.session.expunge_all()  # constant memory for a city's worth of certificates
            if done % PROGRESS_EVERY == 0:
                update_meta(folder, done=done)
    os.replace(partial, folder / ZIP_NAME)
    update_meta(folder, state="ready", done=meta["total"], size=(folder / ZIP_NAME).stat().st_size)


def run(app: Flask, folder: Path, base_url: str, background: bool) -> None:
    """Build now, or in a thread with its own app context and session."""
    if not background:
        build(folder, base_url)
        return

    def work() -> None:
        with app.app_context():
            try:
                build(folder, base_url)
            except Exception as error:  # the page shows the failure instead of spinning forever
                db.session.rollback()
                app.logger.exception("certificate bulk %s failed", folder.name)
                update_meta(folder, state="failed", error=str(error)[:500])
            finally:
                db.session.remove()

    threading.Thread(target=work, name=f"certificates-{folder.name}", daemon=True).start()


def zip_path(folder: Path) -> Path | None:
    path = folder / ZIP_NAME
    return path if path.is_file() else None
