"""Bulk downloads as small jobs kept on disk under instance/certificate_bulk/<token>/:
`meta.json` (owner, selection, state, progress) and the finished `certificates.zip`, both
private (lms.common.files) and renamed into place from a uniquely named temporary file.

A large .zip is built on the job queue (lms.certificates.jobs.bulk_zip, by a worker), so the
browser gets an answer at once and polls the progress written to meta.json; nothing is held in
process memory, and any app server can show the page (the folder is on the shared disk).
"""

import json
import secrets
import zipfile
from pathlib import Path

from flask import current_app

from lms.certificates import documents, rules
from lms.certificates.models import Certificate
from lms.common import clock, files
from lms.extensions import db
from lms.i18n import _


class DamagedZip(Exception):
    """A built .zip failed its check (lms.certificates.bulk.check_zip); the message, in the
    builder's language, says what was wrong. The file is not published."""


TOKEN_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
ZIP_NAME = "certificates.zip"
PROGRESS_EVERY = 10


def root() -> Path:
    return Path(current_app.instance_path) / "certificate_bulk"


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


def update_meta(folder: Path, **changes) -> dict:
    meta = {**read_meta(folder), **changes}
    _write_json(folder / "meta.json", meta)
    return meta


def create(user_id: int, kind: str, value: str, label: str, ids: list[int]) -> str:
    """Record a bulk download of the certificates `ids`; returns its token."""
    token = secrets.token_urlsafe(16)
    files.private_dir(root())
    folder = root() / token
    folder.mkdir(mode=files.DIR_MODE)
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


def _is_pdf(data: bytes) -> bool:
    """A whole PDF file: its header at the start, its end-of-file marker at the end."""
    return data.startswith(b"%PDF-") and data.rstrip(b"\r\n\t\x00 ").endswith(b"%%EOF")


def check_zip(path: Path, expected: int) -> None:
    """Read the .zip at `path` back in full: every member's CRC, each PDF whole (starts with
    %PDF-, ends with %%EOF), `expected` members. Raises DamagedZip saying what is wrong."""
    damaged, count = [], 0
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                count += 1
                try:
                    data = archive.read(info)  # checks the CRC
                except (zipfile.BadZipFile, OSError, EOFError):
                    damaged.append(info.filename)
                    continue
                if info.filename.lower().endswith(".pdf") and not _is_pdf(data):
                    damaged.append(info.filename)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise DamagedZip(_("The file is not a readable .zip; it was not published.")) from error
    if damaged:
        raise DamagedZip(
            _(
                "%(bad)d of %(total)d certificates in the file are damaged (the first: "
                "%(name)s); the file was not published.",
                bad=len(damaged),
                total=count,
                name=damaged[0],
            )
        )
    if count != expected:
        raise DamagedZip(
            _(
                "The file holds %(found)d certificates instead of %(expected)d; it was not "
                "published.",
                found=count,
                expected=expected,
            )
        )


def build(folder: Path, base_url: str, progress=None, before_publish=None) -> dict:
    """Render every certificate of the job into certificates.zip; state → ready. The file is
    written under a unique temporary name and renamed into place only when complete, read back
    whole (`check_zip`: DamagedZip, state left to the caller) and after `before_publish()` (the
    job's lease check) has passed, so a half-built or damaged file, or one built by a run that
    was taken over, is never served. `progress(done, total)` is called before any
    change and every PROGRESS_EVERY certificates (it raises to stop the build). Returns the
    final meta. Running it again rebuilds the whole file (a job interrupted by a dead worker),
    removing what the dead run left."""
    total = read_meta(folder)["total"]
    if progress is not None:
        progress(0, total)
    files.remove_partials(folder / ZIP_NAME)
    meta = update_meta(folder, state="building", done=0)
    written = [0]

    def publish(partial: Path) -> None:
        check_zip(partial, written[0])
        if before_publish is not None:
            before_publish()

    with (
        files.replacing(folder / ZIP_NAME, publish) as partial,
        zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for done, certificate_id in enumerate(meta["ids"], start=1):
            certificate = db.session.get(Certificate, certificate_id)
            if certificate is not None:
                name = f"{certificate.course_code}/{rules.download_name(certificate.serial)}"
                archive.writestr(name, documents.certificate_pdf(certificate, base_url))
                written[0] += 1
            db.session.expunge_all()  # constant memory for a city's worth of certificates
            if done % PROGRESS_EVERY == 0:
                if progress is not None:
                    progress(done, total)
                update_meta(folder, done=done)
    return update_meta(folder, state="ready", done=total, size=(folder / ZIP_NAME).stat().st_size)


def run(folder: Path, base_url: str, background: bool, actor=None) -> None:
    """Build now, or on the job queue (job `certificates.bulk_zip`, run by a worker; committed
    here so the message goes out at once). The run's id is kept in meta.json, so the page can
    link to /jobs/<id>."""
    if not background:
        try:
            build(folder, base_url)
        except DamagedZip as error:  # the page says so instead of offering the file
            update_meta(folder, state="failed", error=str(error))
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
    """The finished .zip, only once its build was checked and published (state "ready")."""
    path = folder / ZIP_NAME
    return path if path.is_file() and read_meta(folder).get("state") == "ready" else None
