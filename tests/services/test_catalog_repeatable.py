"""The repeatable flag of a course (DESIGN.md §3): `repeatable = true` in course.toml, read,
imported, exported back to the same bytes; absent means false and is not written; anything
but true/false is refused with the file and key."""

import pytest
from sqlalchemy import select

from lms.catalog.contentfiles import course_files, parse_tree
from lms.catalog.models import Course
from tests.factories import course_toml, course_tree, import_tree, make_units
from tests.services.test_catalog_import import _tree


def repeatable_tree(code: str = "AT01", value: str = "true") -> dict[str, bytes]:
    """A canonical folder whose course.toml says `repeatable = <value>` (after validity_months,
    where the canonical form writes it)."""
    files = course_tree(code, folder=False)
    text = course_toml(code).replace(
        "validity_months = 36\n", f"validity_months = 36\nrepeatable = {value}\n"
    )
    return files | {"course.toml": text.encode()}


def _bundle(files):
    bundles, errors = parse_tree(files)
    assert not errors, [str(e) for e in errors]
    return bundles[0]


def test_a_repeatable_course_toml_is_read_and_written_back_byte_identical():
    files = repeatable_tree()
    bundle = _bundle(files)
    assert bundle.repeatable is True
    assert course_files(bundle) == files


def test_without_the_key_a_course_is_not_repeatable_and_false_is_not_written():
    assert _bundle(course_tree("BB01", folder=False)).repeatable is False
    written = course_files(_bundle(repeatable_tree(value="false")))["course.toml"].decode()
    assert "repeatable" not in written  # the default, like any optional key left out


@pytest.mark.parametrize("value", ['"true"', "1", '"có"', "[true]"])
def test_anything_but_true_or_false_is_refused_by_file_and_key(value):
    _bundles, errors = parse_tree({f"AT01/{p}": d for p, d in repeatable_tree(value=value).items()})
    assert [str(e).split(":")[:2] for e in errors] == [["AT01/course.toml", " repeatable"]]


def test_import_sets_the_flag_export_gives_the_same_bytes_and_a_changed_file_clears_it(
    db, assets_dir, runner, tmp_path
):
    make_units()
    db.session.commit()
    source = {f"AT01/{path}": data for path, data in repeatable_tree().items()}
    import_tree(source)
    course = db.session.scalar(select(Course).where(Course.code == "AT01"))
    assert course.repeatable is True
    result = runner.invoke(args=["courses", "export", "AT01", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert _tree(tmp_path) == source
    report = import_tree(course_tree("AT01"))  # the same course, the key removed
    assert report.updated == ["AT01"]
    db.session.expire_all()
    assert db.session.scalar(select(Course.repeatable).where(Course.code == "AT01")) is False
