"""Scans of written papers taken on paper (thi viết trên giấy): the council's secretary, acting
as clerk, uploads each candidate's scanned paper before marking opens — one file (PDF, PNG or
JPEG, told by its content, never by its name), or a ZIP of files named by candidate number
(checked row by row first; nothing is written while a row has an error). The paper gets its
anonymous code (số phách) at once; markers see the scan only under that code, served under the
code's name — the uploaded file's name is never kept. Services flush; the caller commits."""

import hashlib
import io
import re
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sqlalchemy import select

from lms.audit.services import record
from lms.common import clock, files
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.recruitment.marking import rules
from lms.recruitment.marking.models import MarkingState, Paper, PaperSource
from lms.recruitment.marking.rounds import round_of
from lms.recruitment.models import Candidate

FOLDER = "recruitment_scans"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# kind → (suffix of the stored file, MIME type)
KINDS = {"pdf": (".pdf", "application/pdf"), "png": (".png", "image/png"),
         "jpg": (".jpg", "image/jpeg")}  # fmt: skip
MAX_MEMBERS = 2000  # files in one ZIP
REPLACED = "recruitment_scans_replaced"  # db.session.info: files of replaced scans
UNSAFE_NAME = re.compile(r"(^|[/\\])\.\.([/\\]|$)|^[/\\]|^[A-Za-z]:|\x00")


def kind_of(data: bytes) -> str | None:
    """ "pdf", "png" or "jpg" when the bytes are one (the first bytes and, for PDF and PNG, the
    end marker), else None. The file's name plays no part."""
    if data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]:
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR" and b"IEND" in data[-16:]:
        return "png"
    if data.startswith(b"\xff\xd8\xff") and b"\xff\xd9" in data[-16:]:
        return "jpg"
    return None


def unsafe_name(name: str) -> bool:
    """A file name that names a place outside its folder: `..` as a part, an absolute path, a
    drive, a NUL."""
    return bool(UNSAFE_NAME.search(name or ""))


def problem_of(name: str, data: bytes, max_bytes: int) -> str | None:
    """What is wrong with an uploaded scan (a sentence), or None."""
    if unsafe_name(name):
        return _("The file name is refused: it points outside its folder.")
    if not data:
        return _("The file is empty.")
    if len(data) > max_bytes:
        return _("The file is larger than %(mb)s MB.", mb=f"{max_bytes / 1024 / 1024:g}")
    if kind_of(data) is None:
        return _("The scan must be a PDF, PNG or JPEG file (this one is not, by its content).")
    return None


def _open_round(recruitment):
    marking_round = round_of(recruitment, create=True)
    if marking_round.state != MarkingState.DRAFT:
        raise RuleViolation(_("Scans are uploaded before marking opens."), "state")
    return marking_round


def attach(recruitment, candidate: Candidate, data: bytes, instance: Path, actor) -> Paper:
    """Store `data` (checked by the caller with `problem_of`) as the candidate's scanned paper:
    a new paper under a fresh random code, or the candidate's paper's scan replaced (its code
    kept). Audited under the candidate, without the code (which would tie them together).
    Raises RuleViolation once marking is open."""
    marking_round = _open_round(recruitment)
    kind = kind_of(data)
    if kind is None or candidate.recruitment_id != recruitment.id:
        raise RuleViolation(_("The scan must be a PDF, PNG or JPEG file."), "kind")
    paper = db.session.scalar(
        select(Paper).where(Paper.round_id == marking_round.id, Paper.candidate_id == candidate.id)
    )
    replaced = paper is not None and paper.scan_path is not None
    if paper is None:
        taken = set(db.session.scalars(select(Paper.code)))
        paper = Paper(
            round_id=marking_round.id,
            candidate_id=candidate.id,
            code=rules.new_code(taken),
            source=PaperSource.SCANNED,
            answer_text="",
        )
        db.session.add(paper)
    old = scan_file(paper, instance)
    folder = files.private_dir(Path(instance) / FOLDER)
    name = f"{secrets.token_hex(16)}{KINDS[kind][0]}"
    files.write_atomic(folder / name, data)
    paper.scan_path = f"{FOLDER}/{name}"
    paper.scan_kind = kind
    paper.scan_sha256 = hashlib.sha256(data).hexdigest()
    paper.scan_bytes = len(data)
    paper.scan_uploaded_at = clock.now()
    paper.source = PaperSource.SCANNED
    db.session.flush()
    if old is not None:  # removed once the new one is committed (remove_replaced)
        db.session.info.setdefault(REPLACED, []).append(old)
    record(actor, "recruitment.scan_uploaded", "candidate", candidate.number,
           after={"recruitment": recruitment.code, "kind": kind, "bytes": len(data),
                  "sha256": paper.scan_sha256, "replaced": replaced})  # fmt: skip
    return paper


def remove_replaced() -> int:
    """After the commit: delete the files of the scans that new ones replaced."""
    stale = db.session.info.pop(REPLACED, [])
    for path in stale:
        Path(path).unlink(missing_ok=True)
    return len(stale)


def forget_replaced() -> None:
    """After a rollback: the replaced scans stay (their papers still point at them)."""
    db.session.info.pop(REPLACED, None)


def scan_file(paper: Paper, instance: Path) -> Path | None:
    """The stored scan of `paper` (None when it has none or the file is gone); only a file
    directly in the scans folder."""
    if not paper.scan_path:
        return None
    folder = (Path(instance) / FOLDER).resolve()
    path = (Path(instance) / paper.scan_path).resolve()
    if path.parent != folder or not path.is_file():
        return None
    return path


def candidate_by_number(recruitment, number: str) -> Candidate | None:
    return db.session.scalar(
        select(Candidate).where(
            Candidate.recruitment_id == recruitment.id,
            Candidate.number == (number or "").strip().upper(),
        )
    )


def scanned(recruitment) -> dict[int, Paper]:
    """candidate id → paper, for the candidates whose scan is uploaded."""
    marking_round = round_of(recruitment)
    if marking_round is None:
        return {}
    papers = db.session.scalars(
        select(Paper).where(Paper.round_id == marking_round.id, Paper.scan_path.is_not(None))
    )
    return {p.candidate_id: p for p in papers}


# --- a ZIP of scans named by candidate number -----------------------------------------------


@dataclass(frozen=True)
class ZipRow:
    """One file of the ZIP as the check saw it: its name, the candidate it names (number and
    name, when found), whether it replaces an uploaded scan, and the problem (None: good)."""

    member: str
    number: str
    full_name: str
    replaces: bool
    problem: str | None


def check_zip(recruitment, data: bytes, max_bytes: int) -> list[ZipRow]:
    """Check every file of the ZIP without writing anything. Raises ValidationFailed when the
    file is not a ZIP or holds too many files."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ValidationFailed([("archive", _("This file is not a ZIP archive."))]) from None
    members = [m for m in members if not _junk(m.filename)]
    if len(members) > MAX_MEMBERS:
        message = _("A ZIP holds at most %(num)s files.", num=MAX_MEMBERS)
        raise ValidationFailed([("archive", message)])
    done = scanned(recruitment)
    seen: dict[int, str] = {}
    rows = []
    for member in members:
        name = member.filename
        number = PurePosixPath(name.replace("\\", "/")).stem.strip().upper()
        candidate = None if unsafe_name(name) else candidate_by_number(recruitment, number)
        problem = None
        if unsafe_name(name):
            problem = _("The file name is refused: it points outside its folder.")
        elif candidate is None:
            problem = _("No candidate of this recruitment has this number.")
        elif candidate.id in seen:
            problem = _(
                "A second file for this candidate (also %(name)s).", name=seen[candidate.id]
            )
        elif member.file_size > max_bytes:
            problem = _("The file is larger than %(mb)s MB.", mb=f"{max_bytes / 1024 / 1024:g}")
        else:
            problem = problem_of("", _read(archive, member, max_bytes), max_bytes)
        if candidate is not None:
            seen.setdefault(candidate.id, name)
        rows.append(
            ZipRow(
                name[:200],
                number[:20] if candidate else "",
                candidate.full_name if candidate else "",
                candidate is not None and candidate.id in done,
                problem,
            )
        )
    if not rows:
        raise ValidationFailed([("archive", _("The ZIP holds no file."))])
    return rows


def _junk(name: str) -> bool:
    """Files a ZIP tool adds (macOS resource forks, hidden files)."""
    parts = name.replace("\\", "/").split("/")
    return "__MACOSX" in parts or parts[-1].startswith(".")


def _read(archive: zipfile.ZipFile, member: zipfile.ZipInfo, max_bytes: int) -> bytes:
    """The member's bytes, at most max_bytes + 1 of them (a lying size cannot blow up memory)."""
    try:
        with archive.open(member) as handle:
            return handle.read(max_bytes + 1)
    except (zipfile.BadZipFile, RuntimeError, OSError, EOFError, NotImplementedError):
        return b""


def apply_zip(recruitment, data: bytes, max_bytes: int, instance: Path, actor) -> int:
    """Attach every scan of the ZIP, only when the check finds no problem (RuleViolation
    otherwise: nothing written). Returns the number of scans."""
    rows = check_zip(recruitment, data, max_bytes)
    if any(row.problem for row in rows):
        raise RuleViolation(_("The ZIP has errors: nothing was uploaded."), "errors")
    _open_round(recruitment)
    archive = zipfile.ZipFile(io.BytesIO(data))
    by_name = {m.filename[:200]: m for m in archive.infolist() if not m.is_dir()}
    for row in rows:
        candidate = candidate_by_number(recruitment, row.number)
        attach(
            recruitment, candidate, _read(archive, by_name[row.member], max_bytes), instance, actor
        )
    return len(rows)
