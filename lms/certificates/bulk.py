"""Bulk downloads as small jobs kept on disk under instance/certificate_bulk/<token>/:
`meta.json` (owner, selection, state, progress) and the finished `certificates.zip`.

A large .zip is built on the job queue (lms.certificates.jobs.bulk_zip, by a worker), so the
browser gets an answer at once and polls the progress written to meta.json; nothing is held in
process memory, and any app server can show the page (the folder is on the shared disk).
"""

import json
import os
import secrets
import zipfile
from pathlib import Path

from flask import current_app

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


def build(folder: Path, base_url: str, progress=None) -> dict:
    """Render every certificate of the job into certificates.zip (written under a temporary
    name, then moved, so a half-built file is never served); state → ready. `progress(done,
    total)` is called every PROGRESS_EVERY certificates. Returns the final meta. Running it
    again rebuilds the whole file (a job interrupted by a dead worker)."""
    meta = update_meta(folder, state="building", done=0)
    if progress is not None:
        progress(0, meta["total"])
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
                if progress is not None:
                    progress(done, meta["total"])
    os.replace(partial, folder / ZIP_NAME)
    return update_meta(
        folder, state="ready", done=meta["total"], size=(folder / ZIP_NAME).stat().st_size
    )


def run(folder: Path, base_url: str, background: bool, actor=None) -> None:
    """Build now, or on the job queue (job `certificates.bulk_zip`, run by a worker; committed
    here so the message goes out at once). The run's id is kept in meta.json, so the page can
    link to /jobs/<id>."""
    if not background:
        build(folder, base_url)
        return
    from lms.jobs import enqueue

    job = enqueue(
        "certificates.bulk_zip",
        actor=actor,
        key=f"certificates.bulk_zip:{folder.name}",
        token=folder.name,
        base_url=base_url,
    )
    update_meta(folder, run_id=job.id)
    db.session.commit()


def zip_path(folder: Path) -> Path | None:
    path = folder / ZIP_NAME
    return path if path.is_file() else None
