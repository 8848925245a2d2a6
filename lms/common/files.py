"""Files the application writes (backups, uploads, zips, evidence, job outputs): private to the
service account (files 0600, folders 0700) and put in place by an atomic rename of a uniquely
named temporary file, so a reader never sees half a file and two writers never share one."""

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
PART_SUFFIX = ".part"


def private_dir(path: Path) -> Path:
    """Create the folder `path` (and missing parents) and make it 0700; returns it."""
    path = Path(path)
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    os.chmod(path, DIR_MODE)
    return path


def make_private(path: Path) -> Path:
    """Make an existing file 0600 (for files written by another tool, e.g. pg_dump)."""
    os.chmod(path, FILE_MODE)
    return path


@contextmanager
def replacing(target: Path, before_publish: Callable[[Path], None] | None = None) -> Iterator[Path]:
    """Yield a new, empty, private temporary file beside `target` (a unique name ending in
    .part); when the block ends without error, call `before_publish(temporary)` (a check that
    may raise: the file is then discarded), flush it to disk and rename it over `target` in one
    step. On any error the temporary file is removed and `target` is left as it was. The folder
    must exist (FileNotFoundError otherwise) and is left as it is: it may be the operator's, so
    the application makes its own folders private with `private_dir`."""
    target = Path(target)
    handle, name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=PART_SUFFIX
    )  # mkstemp creates the file 0600
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        if before_publish is not None:
            before_publish(temporary)
        with temporary.open("rb+") as written:
            os.fsync(written.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def write_atomic(target: Path, data: bytes | str) -> Path:
    """Write `data` (text is UTF-8) to `target` through `replacing`; returns `target`."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with replacing(target) as temporary:
        temporary.write_bytes(payload)
    return Path(target)


def remove_partials(target: Path) -> int:
    """Delete the temporary files a killed writer of `target` left beside it; returns how many.
    Call it only while no other writer of `target` can be at work (the job holding the lease)."""
    target = Path(target)
    removed = 0
    for leftover in target.parent.glob(f".{target.name}.*{PART_SUFFIX}"):
        leftover.unlink(missing_ok=True)
        removed += 1
    return removed
