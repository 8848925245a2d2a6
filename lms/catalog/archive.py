"""Reading a course tree safely from a folder or a .zip into {relative path: bytes}, and writing
an exported course folder. No Flask, no database.

A zip is refused whole (nothing is extracted anywhere: it is read in memory) when an entry has an
absolute path, a `..` or `.` segment, a backslash, is a symbolic link or encrypted, or when a file,
the total or the number of files is over the limits. The sizes are checked on the bytes actually
inflated (Python's zipfile also stops at the size claimed and then checks the CRC).
"""

import io
import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from lms.catalog.bundles import ContentError, is_junk
from lms.i18n import _

_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class Limits:
    """Size limits for one tree (settings LMS_COURSE_FILE_MAX_BYTES and friends)."""

    max_file_bytes: int = 10 * 1024 * 1024
    max_total_bytes: int = 100 * 1024 * 1024
    max_files: int = 2000

    @classmethod
    def from_config(cls, config) -> "Limits":
        return cls(
            config["LMS_COURSE_FILE_MAX_BYTES"],
            config["LMS_COURSE_TREE_MAX_BYTES"],
            config["LMS_COURSE_TREE_MAX_FILES"],
        )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def _bad_name(name: str) -> str | None:
    """Why an archive member name is refused, or None when it is a plain relative path."""
    if "\x00" in name or "\\" in name:
        return _("The name holds a backslash or a NUL character.")
    if name.startswith("/") or _DRIVE.match(name):
        return _("Absolute paths are refused.")
    parts = name.rstrip("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        return _("Paths with '..' or '.' are refused.")
    return None


def read_zip(data: bytes, limits: Limits) -> tuple[dict[str, bytes], list[ContentError]]:
    """The files of a zip archive, or the reasons it is refused (then the mapping is empty).

    Every member is checked before any is used; directories are skipped.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        return {}, [ContentError(".zip", None, _("This is not a readable zip archive."))]
    errors: list[ContentError] = []
    files: dict[str, bytes] = {}
    total = 0
    if len(members) > limits.max_files:
        errors.append(
            ContentError(
                ".zip", None, _("More than %(n)d files in the archive.", n=limits.max_files)
            )
        )
        return {}, errors
    for info in members:
        name = info.filename
        problem = _bad_name(name)
        mode = info.external_attr >> 16
        if problem is None and stat.S_ISLNK(mode):
            problem = _("Symbolic links are refused.")
        if problem is None and info.flag_bits & 0x1:
            problem = _("Encrypted files are refused.")
        if problem is None and name in files:
            problem = _("The archive holds this name twice.")
        if problem is not None:
            errors.append(ContentError(name, None, problem))
            continue
        if info.is_dir():
            continue
        if info.file_size > limits.max_file_bytes:
            errors.append(_too_large(name, limits))
            continue
        try:
            with archive.open(info) as member:
                content = member.read(limits.max_file_bytes + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
            errors.append(ContentError(name, None, _("This file of the archive is damaged.")))
            continue
        if len(content) > limits.max_file_bytes:
            errors.append(_too_large(name, limits))
            continue
        total += len(content)
        if total > limits.max_total_bytes:
            errors.append(
                ContentError(
                    ".zip",
                    None,
                    _(
                        "The files add up to more than %(mb)s MB.",
                        mb=_megabytes(limits.max_total_bytes),
                    ),
                )
            )
            break
        files[name] = content
    return ({} if errors else files), errors


def _too_large(name: str, limits: Limits) -> ContentError:
    return ContentError(
        name, None, _("Larger than %(mb)s MB.", mb=_megabytes(limits.max_file_bytes))
    )


def read_directory(root: Path, limits: Limits) -> tuple[dict[str, bytes], list[ContentError]]:
    """The files under `root`, keyed by path relative to it; hidden folders are skipped.

    When `root` is itself a course folder (holds course.toml), keys start with its name, so the
    folder name is checked against the course code. Symbolic links are refused.
    """
    root = Path(root).resolve()
    if not root.is_dir():
        return {}, [ContentError(str(root), None, _("Not a folder."))]
    base = root.parent if (root / "course.toml").is_file() else root
    files: dict[str, bytes] = {}
    errors: list[ContentError] = []
    total = 0
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for entry in [*dirs, *sorted(names)]:
            path = Path(folder) / entry
            rel = path.relative_to(base).as_posix()
            if path.is_symlink():
                errors.append(ContentError(rel, None, _("Symbolic links are refused.")))
            elif path.is_file() and not is_junk(rel):
                size = path.stat().st_size
                total += size
                if size > limits.max_file_bytes:
                    errors.append(_too_large(rel, limits))
                elif len(files) >= limits.max_files or total > limits.max_total_bytes:
                    errors.append(ContentError(str(root), None, _("The folder is too large.")))
                    return {}, errors
                else:
                    files[rel] = path.read_bytes()
        dirs[:] = [d for d in dirs if not (Path(folder) / d).is_symlink()]
    return ({} if errors else files), errors


def write_course_folder(target: Path, files: dict[str, bytes]) -> list[str]:
    """Make `target` hold exactly `files` (paths relative to it); returns the paths removed.

    Files of the folder that the export does not contain are deleted (a renamed lesson must not
    come back on the next import); hidden files are left alone. Refuses to follow symbolic links.
    """
    target = Path(target)
    if target.is_symlink():
        raise ValueError(f"{target} is a symbolic link")
    removed = []
    if target.exists():
        for path in sorted(target.rglob("*"), reverse=True):
            rel = path.relative_to(target).as_posix()
            if is_junk(rel):
                continue
            if path.is_symlink():
                raise ValueError(f"{path} is a symbolic link")
            if path.is_file() and rel not in files:
                path.unlink()
                removed.append(rel)
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    for rel, data in sorted(files.items()):
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
    return removed


def zip_folder(folder: str, files: dict[str, bytes]) -> bytes:
    """A zip of one course folder (`folder/…`), reproducible: fixed dates, sorted names."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for rel, data in sorted(files.items()):
            info = zipfile.ZipInfo(f"{folder}/{rel}", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()
