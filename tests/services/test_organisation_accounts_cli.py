"""`flask --app lms users provision` and `officials import --provision-accounts` from the shell:
the CSV contract, idempotence, re-issue, letters, clear failures, and officials who leave."""

import csv
import io
import os
import stat

import pytest
from sqlalchemy import select

from lms.auth import activation
from lms.auth import services as auth
from lms.auth.models import User
from lms.extensions import db as _db
from tests.factories import make_official, make_units
from tests.services.test_certificates_pdf import run as run_tool
from tests.services.test_certificates_pdf import tool
from tests.services.test_organisation_officials_import import HEADER, person, to_xlsx


@pytest.fixture
def officials(db):
    make_units()
    make_official("DN000101", "Nguyễn Thị Ngọc Ánh")
    make_official("DN000102", "Đặng Hữu Phước", gender="male")
    make_official("DN000103", "Huỳnh Ưng Ỷ")
    make_official("DN000201", "Trần Văn Bình", unit="P-HAICHAU", gender="male")
    _db.session.commit()


def invoke(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def test_provision_writes_the_four_columns_to_a_private_file(app, officials, tmp_path):
    out = tmp_path / "snv.csv"
    result = invoke(app, "users", "provision", "--unit", "snv", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert f"3 accounts created, 0 links re-issued; links in {out}." in result.stderr
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "employee_code;full_name;username;activation_url"
    rows = rows_of(text)
    assert [r["username"] for r in rows] == ["dn000101", "dn000102", "dn000103"]
    assert rows[0]["full_name"] == "Nguyễn Thị Ngọc Ánh"
    token = rows[0]["activation_url"].rsplit("/activate/", 1)[1]
    assert activation.find(token)[1] == "valid"
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600  # links open accounts: owner only


def test_a_second_run_creates_nothing_and_reissue_replaces_the_links(app, officials, tmp_path):
    first = invoke(app, "users", "provision")
    assert first.exit_code == 0 and len(rows_of(first.stdout)) == 4
    second = invoke(app, "users", "provision")
    assert "0 accounts created, 0 links re-issued." in second.stderr
    assert rows_of(second.stdout) == []
    third = invoke(app, "users", "provision", "--reissue", "--unit", "P-HAICHAU")
    (row,) = rows_of(third.stdout)
    assert row["employee_code"] == "DN000201" and "1 links re-issued" in third.stderr
    old = next(r for r in rows_of(first.stdout) if r["employee_code"] == "DN000201")
    assert old["activation_url"] != row["activation_url"]
    assert activation.find(old["activation_url"].rsplit("/", 1)[1])[1] == "revoked"


def test_letters_go_to_a_pdf_with_a_page_per_official(app, officials, tmp_path):
    pdf = tmp_path / "letters.pdf"
    result = invoke(app, "users", "provision", "--unit", "SNV-CCVC", "--letters", str(pdf))
    assert result.exit_code == 0, result.output
    assert "Pages:           3" in run_tool(tool("pdfinfo"), str(pdf))


def test_an_unknown_unit_is_refused_and_nothing_is_created(app, officials):
    result = invoke(app, "users", "provision", "--unit", "NOPE")
    assert result.exit_code != 0 and "No unit has the code 'NOPE'." in result.output
    assert _db.session.scalar(select(User.id)) is None


def test_an_unwritable_output_leaves_nothing_behind(app, officials, tmp_path):
    result = invoke(app, "users", "provision", "--output", str(tmp_path / "no" / "such.csv"))
    assert result.exit_code != 0 and "Nothing was written" in result.output
    assert _db.session.scalar(select(User.id)) is None


def test_a_taken_username_is_named_and_the_exit_code_says_so(app, officials):
    auth.create_user(auth.NewUser("dn000102", "Khac-Mat-Khau-7", "Người khác"), actor=None)
    _db.session.commit()
    result = invoke(app, "users", "provision")
    assert result.exit_code == 1
    assert "DN000102 Đặng Hữu Phước: the username dn000102 belongs to another account" in (
        result.stderr
    )
    assert len(rows_of(result.stdout)) == 3


def test_the_officials_import_can_create_the_accounts_in_the_same_step(app, db, tmp_path):
    make_units()
    db.session.commit()
    source = tmp_path / "officials.xlsx"
    source.write_bytes(to_xlsx([person(1), person(2, unit="P-HAICHAU")], HEADER))
    out = tmp_path / "accounts.csv"
    result = invoke(app, "officials", "import", str(source), "--provision-accounts", str(out))
    assert result.exit_code == 0, result.output
    assert "Imported: 2 new" in result.output
    assert f"2 accounts created, 0 links re-issued; links in {out}." in result.stderr
    assert [r["username"] for r in rows_of(out.read_text("utf-8-sig"))] == ["hr00001", "hr00002"]
    again = invoke(app, "officials", "import", str(source), "--provision-accounts", str(out))
    assert "0 accounts created" in again.stderr


def test_letters_without_provisioning_is_a_usage_error(app, db, tmp_path):
    (tmp_path / "x.csv").write_text("Mã cán bộ\n")
    result = invoke(app, "officials", "import", str(tmp_path / "x.csv"), "--letters", "l.pdf")
    assert result.exit_code == 2 and "--provision-accounts" in result.output


def test_a_full_roster_import_disables_the_accounts_of_officials_who_left(app, db, tmp_path):
    make_units()
    db.session.commit()
    source = tmp_path / "officials.xlsx"
    source.write_bytes(to_xlsx([person(1), person(2)], HEADER))
    invoke(app, "officials", "import", str(source), "--provision-accounts", str(tmp_path / "a.csv"))
    source.write_bytes(to_xlsx([person(1)], HEADER))  # HR00002 is gone from the roster
    result = invoke(app, "officials", "import", str(source), "--full-roster")
    assert "1 marked as left (1 accounts disabled)" in result.output
    gone = db.session.scalar(select(User).where(User.username == "hr00002"))
    kept = db.session.scalar(select(User).where(User.username == "hr00001"))
    assert not gone.is_enabled and kept.is_enabled
