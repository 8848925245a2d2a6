"""The historical programme certificates import on the web: upload, checked preview (a dry run
with each row's errors), confirm, and the same file again adding nothing. Bad input — wrong
encoding, missing columns, a number twice, a file too large, a cell starting like a formula,
unknown or out-of-scope officials — is refused with a clear reason and nothing is written."""

import html as html_lib
import io
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.programmes.models import ProgrammeCertificate
from lms.programmes.requirements import requirements_of
from tests.conftest import csrf_token
from tests.factories import make_official, make_programme_scene

pytestmark = pytest.mark.usefixtures("english")
UPLOAD = "/manage/programmes/certificates/import"
HEADER = "employee_code,programme,number,date\n"
GOOD = HEADER + "CB-0100,LDQL,123/CC-2024,15/09/2024\n"


@pytest.fixture
def scene(world, db, app, assets_dir, tmp_path, monkeypatch, freeze):
    freeze(date(2026, 6, 1))
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    return make_programme_scene()


def _count(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(ProgrammeCertificate))


def _text(response) -> str:
    page = response.get_data(as_text=True)
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", page)))


def _upload(client, data: bytes, name: str = "chung-chi.csv"):
    token = csrf_token(client, UPLOAD)
    return client.post(
        UPLOAD,
        data={"csrf_token": token, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _confirm(client, preview: str):
    return client.post(preview, data={"csrf_token": csrf_token(client, preview)})


def test_hr_checks_then_confirms_and_the_same_file_again_adds_nothing(scene, login_as, db):
    _programme, official, _courses = scene
    client = login_as("hr")
    answer = _upload(client, GOOD.encode())
    assert answer.status_code == 302
    preview = answer.location
    page = _text(client.get(preview))
    assert "chung-chi.csv" in page and "new: LDQL no. 123/CC-2024 of 15/09/2024" in page
    assert _count(db) == 0  # the check writes nothing
    done = client.get(_confirm(client, preview).location)
    assert "Import finished: 1 programme certificates recorded." in _text(done)
    assert _count(db) == 1
    [item] = requirements_of(official.id, date(2026, 6, 1))
    assert item.status == "held" and item.serial == "123/CC-2024"
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.action == "programme_certificate.imported")
    ).all()
    assert len(actions) == 1
    again = _upload(client, GOOD.encode())
    page = _text(client.get(again.location))
    assert "No change: every row was imported before." in page and ">Import<" not in page
    _confirm(client, again.location)
    assert _count(db) == 1


def test_bad_rows_are_reported_per_row_and_nothing_is_written(scene, login_as, db):
    programme, official, _courses = scene
    other = make_official("CB-0101", "Lê Văn Khác", "SNV-CCVC", "LD-TP")
    from lms.programmes import services

    services.import_historical(other, programme, "7/CC-2023", date(2023, 5, 1), None)
    db.session.commit()
    before = _count(db)
    rows = (
        "CB-0100,LDQL,1/CC-2024,15/09/2024\n"
        "NOBODY,LDQL,2/CC-2024,15/09/2024\n"
        "CB-0100,NOPE,3/CC-2024,15/09/2024\n"
        "CB-0100,LDQL,4/CC-2024,01/01/2030\n"
        "CB-0100,LDQL,1/CC-2024,16/09/2024\n"
        "CB-0100,LDQL,7/CC-2023,15/09/2024\n"
        'CB-0100,LDQL,"=HYPERLINK(""http://evil.example"",""x"")",15/09/2024\n'
    )
    client = login_as("hr")
    preview = _upload(client, (HEADER + rows).encode()).location
    page = _text(client.get(preview))
    assert "Nothing can be imported while rows have errors" in page
    assert "Unknown official, or outside your scope." in page
    assert "Unknown programme." in page
    assert "Enter a past date as dd/mm/yyyy." in page
    assert "This number appears twice in the file (line 2)." in page
    assert "This number belongs to another official's certificate." in page
    assert "This cell starts like a spreadsheet formula (=, +, -, @): remove it." in page
    assert ">Import<" not in client.get(preview).get_data(as_text=True)
    _confirm(client, preview)
    assert _count(db) == before


def test_an_official_outside_the_scope_is_refused(scene, login_as, db):
    """The reviewer cannot import; hr (DN) does not reach an official of unit XX."""
    from lms.organisation import services as org

    org.upsert_unit("XX", "Ủy ban nhân dân tỉnh Xa Xôi", "UBND", "tinh", None)
    db.session.flush()
    make_official("T-OUT", "Lê Ngoài Phạm Vi", unit="XX", position="LD-TP")
    db.session.commit()
    client = login_as("hr")
    preview = _upload(client, (HEADER + "T-OUT,LDQL,5/CC,15/09/2024\n").encode()).location
    assert "Unknown official, or outside your scope." in _text(client.get(preview))
    _confirm(client, preview)
    assert _count(db) == 0
    assert login_as("reviewer").get(UPLOAD).status_code == 403


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (HEADER.encode() + "CB-0100,LDQL,S\xf4 1,15/09/2024\n".encode("cp1252"), "a.csv", "UTF-8"),
        (b"employee_code,number\nCB-0100,1\n", "a.csv", "Missing columns: programme, date."),
        (b"%PDF-1.4", "a.pdf", ".csv"),
    ],
)
def test_an_unreadable_file_is_refused_at_the_form(scene, login_as, db, data, name, message):
    client = login_as("hr")
    answer = _upload(client, data, name)
    assert answer.status_code == 200  # the form again, not a preview
    assert message in _text(answer)
    assert _count(db) == 0


def test_a_file_too_large_is_refused_at_the_form(scene, login_as, app, monkeypatch, db):
    monkeypatch.setitem(app.config, "LMS_IMPORT_MAX_BYTES", 64)
    client = login_as("hr")
    answer = _upload(client, (GOOD + "CB-0100,LDQL,9/CC-2024,16/09/2024\n" * 5).encode())
    assert answer.status_code in (200, 413)
    assert "larger than" in _text(answer)
    assert _count(db) == 0


def test_another_users_upload_is_404(scene, login_as):
    preview = _upload(login_as("hr"), GOOD.encode()).location
    assert login_as("admin").get(preview).status_code == 404
    assert login_as("hr").get(UPLOAD + "/template.csv").status_code == 200
