"""Historical programme certificates from a file (`flask programmes import-certificates`): the
rows become certification periods that meet the requirement, a second import adds nothing, and
one bad row refuses the whole file."""

from datetime import date

import pytest
from sqlalchemy import func, select

from lms.programmes import requirements
from lms.programmes.models import ProgrammeCertificate
from tests.factories import make_programme_scene

HEADER = "employee_code,programme,number,date\n"


@pytest.fixture
def scene(db, assets_dir, freeze):
    freeze(date(2026, 6, 1))
    return make_programme_scene()


def _count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(ProgrammeCertificate))


def _run(runner, tmp_path, rows: str, *extra):
    path = tmp_path / "chung-chi.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return runner.invoke(args=["programmes", "import-certificates", str(path), *extra])


def test_rows_are_imported_once_and_meet_the_requirement(scene, db, runner, tmp_path):
    _programme, official, _courses = scene
    rows = "CB-0100,LDQL,123/CC-2024,15/09/2024\n"
    assert _run(runner, tmp_path, rows, "--dry-run").exit_code == 0
    assert _count(db) == 0
    result = _run(runner, tmp_path, rows)
    assert result.exit_code == 0, result.output
    again = _run(runner, tmp_path, rows)
    assert again.exit_code == 0, again.output
    assert _count(db) == 1
    [item] = requirements.requirements_of(official.id, date(2026, 6, 1))
    assert item.status == "held" and item.serial == "123/CC-2024"
    assert item.expires_on == date(2026, 9, 15)  # valid 24 months
    [later] = requirements.requirements_of(official.id, date(2026, 9, 16))
    assert later.status == "renew" and later.path == "recertification"


@pytest.mark.parametrize(
    "bad",
    [
        "NOPE-1,LDQL,9/CC,15/05/2024\n",
        "CB-0100,NOPE,9/CC,15/05/2024\n",
        "CB-0100,LDQL,,15/05/2024\n",
        "CB-0100,LDQL,9/CC,31/02/2024\n",
        "CB-0100,LDQL,9/CC,01/01/2030\n",
    ],
)
def test_one_bad_row_refuses_the_whole_file(scene, db, runner, tmp_path, bad):
    result = _run(runner, tmp_path, "CB-0100,LDQL,123/CC-2024,15/05/2024\n" + bad)
    assert result.exit_code != 0
    assert "3" in result.output  # the line of the bad row
    assert _count(db) == 0
