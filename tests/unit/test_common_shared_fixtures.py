"""Missing shared fixtures fail the run, they never skip it (issue 20: 28 tests skipped silently
when ../shared was not checked out, so a plain clone reported green while testing less)."""

import re

import pytest

from tests.shared_fixtures import FIXTURES, ROOT, require, require_files


def test_the_shared_fixtures_are_here():
    # CI and every developer machine have them; a clone without them fails here first.
    require(FIXTURES / "moodle" / "gift")
    require(FIXTURES / "gift-pegjs" / "questions")


def test_a_missing_fixture_fails_the_test_with_what_and_where(tmp_path):
    missing = tmp_path / "moodle" / "gift" / "examples.txt"
    with pytest.raises(pytest.fail.Exception) as failed:
        require(missing)
    message = str(failed.value)
    assert f"shared fixture missing: {missing}" in message
    assert str(FIXTURES) in message and "docs/testing.md" in message


def test_a_missing_folder_still_gives_one_parameter_that_fails(tmp_path):
    # An empty parameter set would be collected as skipped; the missing path keeps the test.
    assert require_files(tmp_path / "nowhere", "*.gift") == [tmp_path / "nowhere" / "*.gift"]
    (tmp_path / "there").mkdir()
    (tmp_path / "there" / "a.gift").write_text("")
    assert require_files(tmp_path / "there", "*.gift") == [tmp_path / "there" / "a.gift"]


SKIP = re.compile(r"pytest\.skip\(|skipif\(|importorskip\(")


def test_no_test_skips_on_missing_files():
    offenders = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            if not SKIP.search(line):
                continue
            near = " ".join(lines[max(0, number - 3) : number + 1]).lower()
            if any(word in near for word in ("shared", "fixture", "exists()")):
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == [], "a test skips when a file is missing; use tests.shared_fixtures.require"


def test_every_reader_of_shared_fixtures_goes_through_require():
    # A bare Path to ../shared read directly would raise FileNotFoundError with no hint.
    direct = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if path.name != "shared_fixtures.py"
        and re.search(r'"shared"\s*/\s*"fixtures"', path.read_text(encoding="utf-8"))
    ]
    assert direct == []
