"""The shared test fixtures (../shared/fixtures, next to the repo) are required, never optional.

A test that reads one fails with a message saying what is missing and where it is expected, instead
of skipping: a plain clone without ../shared must not report green while testing less (CI always
has them; see docs/testing.md).

LMS_SHARED_DIR names the shared folder when the tests run from a copy of the repository that is
not next to it (make mutation runs them from ./mutants)."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LMS_SHARED_DIR") or ROOT.parent / "shared")
FIXTURES = SHARED / "fixtures"


def missing_message(path: Path) -> str:
    return (
        f"shared fixture missing: {path}\n"
        f"The tests need the shared fixtures checked out at {FIXTURES} (next to the repository, "
        "or where LMS_SHARED_DIR says); they are required, not optional (docs/testing.md)."
    )


def require(path: Path) -> Path:
    """Return path; fail the test (never skip it) when the shared fixture is not there."""
    if not path.exists():
        pytest.fail(missing_message(path), pytrace=False)
    return path


def require_files(folder: Path, pattern: str) -> list[Path]:
    """The files in a shared fixture folder, for parametrizing. When the folder is missing or holds
    no such file, the one parameter is the missing path itself, so the test runs and fails through
    `require` instead of being collected as an empty (skipped) parameter set."""
    files = sorted(folder.glob(pattern)) if folder.exists() else []
    return files or [folder / pattern]
