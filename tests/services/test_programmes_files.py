"""Programmes as files: courses/programmes/<CODE>/programme.toml imported with the courses by
`flask courses import`, idempotent, nothing written on a bad file, and `programmes export`
writing back the very same bytes."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lms.i18n import _
from lms.programmes.models import Programme, ProgrammeCertificate, ProgrammeRequirement
from tests.factories import make_units

SHIPPED = Path(__file__).resolve().parents[2] / "courses"


@pytest.fixture
def units(db):
    make_units()
    db.session.commit()


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _summary(created: int, updated: int, unchanged: int) -> str:
    return _(
        "%(total)d programmes: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.",
        total=created + updated + unchanged,
        created=created,
        updated=updated,
        unchanged=unchanged,
    )


def _import(runner, path):
    return runner.invoke(args=["courses", "import", str(path)])


def test_the_shipped_programmes_import_with_the_courses_and_export_byte_identical(
    units, db, assets_dir, runner, tmp_path
):
    result = _import(runner, SHIPPED)
    assert result.exit_code == 0, result.output
    assert _summary(2, 0, 0) in result.output
    leadership = db.session.scalar(select(Programme).where(Programme.code == "LDQL"))
    assert leadership.title == "Bồi dưỡng lãnh đạo, quản lý cấp phòng"
    assert [s.course_codes for s in leadership.path_sets("certification")] == [
        ["BB01", "BB02"],
        ["LD02"],
        ["BB03", "TC01"],
    ]
    assert [s.course_codes for s in leadership.path_sets("recertification")] == [["LD02"]]
    assert {r.code for r in leadership.requirements} == {"LD-TP", "LD-PTP"}
    for code in ("LDQL", "KNS"):
        exported = runner.invoke(args=["programmes", "export", code, str(tmp_path)])
        assert exported.exit_code == 0, exported.output
        shipped = (SHIPPED / "programmes" / code / "programme.toml").read_bytes()
        assert (tmp_path / code / "programme.toml").read_bytes() == shipped

    again = _import(runner, SHIPPED)
    assert again.exit_code == 0, again.output
    assert _summary(0, 0, 2) in again.output
    assert _count(db, Programme) == 2


def _tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    for code in ("BB01", "BB02", "BB03", "LD02", "TC01"):
        shutil.copytree(SHIPPED / code, root / code)
    shutil.copytree(SHIPPED / "programmes" / "LDQL", root / "programmes" / "LDQL")
    return root


def test_a_changed_programme_is_updated_in_place(units, db, assets_dir, runner, tmp_path):
    root = _tree(tmp_path)
    assert _import(runner, root).exit_code == 0
    first_id = db.session.scalar(select(Programme.id).where(Programme.code == "LDQL"))
    path = root / "programmes" / "LDQL" / "programme.toml"
    path.write_text(path.read_text().replace("validity_months = 24", "validity_months = 36"))
    result = _import(runner, root)
    assert result.exit_code == 0, result.output
    assert "  ~ LDQL" in result.output
    db.session.expire_all()
    programme = db.session.get(Programme, first_id)
    assert programme.validity_months == 36
    assert _count(db, ProgrammeRequirement) == 2


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('courses = ["LD02"]\n\n[[sets]]', 'courses = ["ZZ99"]\n\n[[sets]]', "ZZ99"),
        ("count = 1", "count = 5", "count"),
        ('code = "LDQL"', 'code = "OTHER"', "code"),
        ('rule = "all"', 'rule = "most"', "rule"),
    ],
)
def test_a_bad_programme_file_is_reported_and_nothing_is_written(
    units, db, assets_dir, runner, tmp_path, old, new, message
):
    root = _tree(tmp_path)
    path = root / "programmes" / "LDQL" / "programme.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    result = _import(runner, root)
    assert result.exit_code != 0
    assert "programmes/LDQL/programme.toml" in result.output and message in result.output
    assert _("Nothing was imported: %(count)d problem(s) listed above.", count=1) in result.output
    db.session.rollback()
    assert _count(db, Programme) == 0
    from lms.catalog.models import Course

    assert _count(db, Course) == 0  # the courses of the same tree were not written either


def test_export_of_an_unknown_programme_fails(db, runner, tmp_path):
    result = runner.invoke(args=["programmes", "export", "NOPE", str(tmp_path)])
    assert result.exit_code != 0
    assert _count(db, ProgrammeCertificate) == 0
