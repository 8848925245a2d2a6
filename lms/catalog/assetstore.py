"""Course images and attachments on disk: <LMS_COURSE_ASSETS_DIR>/<CODE>/<path>.

The database (CourseAsset rows) says which paths exist and their SHA-256; this folder holds the
bytes. Routes and commands sync a course's folder after they commit, so a failed import never
leaves files behind, and a sync repairs a folder that lost files (a new app server, a restore).
"""

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from flask import current_app, send_from_directory

from lms.catalog.bundles import CODE, AssetFile, asset_type
from lms.common import files


def root() -> Path:
    """The folder holding every course's assets (instance/course_assets by default)."""
    configured = current_app.config.get("LMS_COURSE_ASSETS_DIR")
    return Path(configured or os.path.join(current_app.instance_path, "course_assets"))


def course_dir(code: str) -> Path:
    """One course's asset folder; the code is checked so it can never name another folder."""
    if not CODE.fullmatch(code):
        raise ValueError(f"not a course code: {code!r}")
    return root() / code


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def sync(code: str, assets: Iterable[AssetFile]) -> None:
    """Make the course's folder hold exactly `assets` (which carry their data).

    Files are written to a temporary name and renamed, so a reader never sees half a file;
    unchanged files are left alone; files no longer listed are deleted.
    """
    folder = course_dir(code)
    wanted = {asset.path: asset for asset in assets}
    for path, asset in wanted.items():
        target = folder / path
        if _sha256(target) == asset.sha256:
            continue
        files.private_dir(root())
        files.private_dir(folder)
        files.private_dir(target.parent)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        with os.fdopen(handle, "wb") as out:
            out.write(asset.data or b"")
        os.replace(temporary, target)
    if folder.is_dir():
        for path in sorted(folder.rglob("*"), reverse=True):
            rel = path.relative_to(folder).as_posix()
            if path.is_file() and rel not in wanted:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()


def read(code: str, path: str) -> bytes:
    """The bytes of one asset (FileNotFoundError when the folder lost it)."""
    return (course_dir(code) / path).read_bytes()


def send(code: str, path: str, download_name: str | None = None):
    """A response serving one asset: inline for images, audio, video and PDF, else a download.

    `path` must be a path recorded in CourseAsset; send_from_directory still refuses anything
    that would leave the course's folder.
    """
    mimetype = asset_type(path) or "application/octet-stream"
    inline = mimetype.startswith(("image/", "audio/", "video/")) or mimetype == "application/pdf"
    response = send_from_directory(
        course_dir(code),
        path,
        mimetype=mimetype,
        as_attachment=not inline,
        download_name=download_name,
        max_age=3600,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    if mimetype != "application/pdf":  # Chromium's PDF viewer does not run in a sandbox
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
