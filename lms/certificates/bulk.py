"""Bulk downloads as job folders of lms.common.uploads under instance/certificate_bulk/<token>/:
`meta.json` (owner, scope, selection, state, progress) and the finished `certificates.zip`,
both private and renamed into place from a uniquely named temporary file.

A large .zip is built on the job queue (job `certificates.bulk_zip`, lms/certificates/jobs.py),
so the browser gets an answer at once and polls the progress written to meta.json; nothing is
held in process memory, and any app server can show the page (the folder is on the shared disk).
A failed build follows the common failure rule (state "failed" with the reason, nothing
published).
"""

import zipfile
from pathlib import Path

from lms.certificates import documents, rules
from lms.certificates.models import Certificate
from lms.common import files, uploads
from lms.extensions import db
from lms.i18n import _, _l
from lms.jobs import enqueue


class DamagedZip(Exception):
    """A built .zip failed its check (lms.certificates.bulk.check_zip); the message, in the
    builder's language, says what was wrong. The file is not published."""


KIND = "certificates"  # the kind of a bulk download's folder
JOB = "certificates.bulk_zip"
ZIP_NAME = "certificates.zip"
PROGRESS_EVERY = 10
STORE = uploads.JobStore("certificate_bulk", "bulk_zips", "bulk downloads")
read_meta, update_meta = uploads.read_meta, uploads.update_meta


def root() -> Path:
    return STORE.root()


def job_dir(token: str) -> Path | None:
    """The job's folder, or None for a token breaking the rule or unknown."""
    return STORE.find(token)


def create(user_id: int, kind: str, value: str, label: str, ids: list[int], scope=None) -> str:
    """Record a bulk download of the certificates `ids` (chosen by `kind` = `value`, within
    `scope`); returns its token."""
    folder = STORE.create(
        user_id,
        KIND,
        "building",
        scope=scope,
        selection=kind,
        value=value,
        label=label,
        ids=ids,
        total=len(ids),
    )
    return folder.name


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


def _build_step(step: uploads.Step) -> dict:
    meta = build(step.folder, step.params["base_url"], step.report, step.check_lease)
    return {"certificates": meta["total"], "size": meta.get("size")}


WORK = uploads.Work(
    STORE,
    KIND,
    JOB,
    {"build": uploads.StepSpec(_build_step, ("building",), _l("Preparing certificates"))},
    enqueue,
)


def run(folder: Path, base_url: str, background: bool, actor=None) -> None:
    """Build now, or on the job queue (job `certificates.bulk_zip`, run by a worker; committed
    here so the message goes out at once). The run's id is kept in meta.json, so the page can
    link to /jobs/<id>."""
    key = f"{JOB}:{folder.name}"
    WORK.start(folder, "build", background=background, actor=actor, key=key, base_url=base_url)


def zip_path(folder: Path) -> Path | None:
    """The finished .zip, only once its build was checked and published (state "ready")."""
    path = folder / ZIP_NAME
    return path if path.is_file() and read_meta(folder).get("state") == "ready" else None
