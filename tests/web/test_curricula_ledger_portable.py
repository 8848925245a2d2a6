"""The portable training record (issue 27): `ledger export` in one installation, `ledger import`
in a second one (another app on another SQLite database, with its own address and key) →
`ledger verify` passes there, the entries keep their issuer and dates and show the issuer on
the official's ledger page; a changed, re-signed-by-someone-else, duplicate or unknown
official's file is refused with its reason and writes nothing; imports are audited; the
downloads for the official and for HR, scoped."""

import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from lms import create_app
from lms.audit.models import AuditEntry
from lms.common import data_integrity as di
from lms.curricula.ledger import portable
from lms.curricula.ledger import services as ledger
from lms.curricula.ledger.models import EXTERNAL, IMPORTED, MANUAL, LedgerEntry, LedgerImport
from lms.extensions import db
from lms.organisation.models import Official
from tests.conftest import IsolatedClient, login
from tests.factories import PASSWORD, make_units, make_user

pytestmark = pytest.mark.usefixtures("english")
HERE = "https://daotao.danang.gov.vn"
THERE = "https://daotao.quangnam.gov.vn"


def _official(code="T-LEARN") -> Official:
    return db.session.scalar(select(Official).where(Official.employee_code == code))


@pytest.fixture
def record(app, world, monkeypatch, tmp_path):
    """The learner's ledger here: a manual entry, an external one and its reversal; exported."""
    monkeypatch.setitem(app.config, "LMS_PUBLIC_BASE_URL", HERE)
    learner = _official()
    hr = world["hr"]
    ledger.append(
        ledger.NewEntry(
            learner.id,
            date(2025, 11, 3),
            Decimal("2.5"),
            MANUAL,
            "Hội thảo CCHC",
            periods=10,
            reason="Quyết định số 12/QĐ-SNV",
        ),
        actor=hr,
    )
    wrong = ledger.append(
        ledger.NewEntry(learner.id, date(2026, 2, 9), Decimal("1"), EXTERNAL, "Tập huấn ISO"),
        actor=hr,
    )
    ledger.reverse(wrong, "Nhập trùng", hr)
    db.session.commit()
    path = tmp_path / "record.json"
    result = app.test_cli_runner().invoke(args=["ledger", "export", "T-LEARN", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def second(tmp_path):
    """Another installation: its own database, address and issuer key; the same official."""
    key = tmp_path / "other-ed25519.pem"
    key.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    other = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/second.sqlite3",
            "LMS_PUBLIC_BASE_URL": THERE,
            "LMS_SIGNING_CREDENTIAL_KEY": str(key),
            "LMS_DEFAULT_LOCALE": "en",
        },
    )
    other.test_client_class = IsolatedClient
    with other.app_context():
        db.create_all()
        make_units()
        make_user("learner")
        make_user("hr")
        db.session.commit()
    yield other
    with other.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def _run(app, *args):
    """A command in `app` (the CLI runner would otherwise reuse the test's app context)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def _import(app, path, *extra):
    return _run(app, "ledger", "import", str(path), *extra)


def test_export_import_verify_and_the_issuer_shows(app, record, second):
    document = json.loads(record.read_text())
    assert document["issuer"]["id"] == "did:web:daotao.danang.gov.vn"
    assert [e["credits"] for e in document["entries"]] == ["2.50", "1.00", "-1.00"]
    assert document["entries"][2]["reverses"] == {
        "issuer": "did:web:daotao.danang.gov.vn",
        "ref": document["entries"][1]["ref"],
    }
    issuer_name = document["issuer"]["name"]

    result = _import(second, record)
    assert result.exit_code == 0, result.output
    assert "3 new entries" in result.output
    with second.app_context():
        learner = _official()
        entries = ledger.entries(learner.id)
        assert [e.source for e in entries] == [IMPORTED] * 3
        assert [e.earned_on for e in entries] == [
            date(2025, 11, 3),
            date(2026, 2, 9),
            date(2026, 2, 9),
        ]
        assert [e.credits for e in entries] == [Decimal("2.5"), Decimal("1"), Decimal("-1")]
        assert entries[2].reverses_id == entries[1].id
        audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "ledger.imported"))
        assert audit.object_id == "T-LEARN" and audit.after["entries"] == 3
        assert audit.after["issuer"] == "did:web:daotao.danang.gov.vn"
    verify = _run(second, "ledger", "verify")
    assert verify.exit_code == 0, verify.output
    assert "Ledger OK" in verify.output

    hr = second.test_client()
    login(hr, "hr", PASSWORD)
    page = hr.get("/officials/T-LEARN/ledger").get_data(as_text=True)
    assert f"Issued by {issuer_name}" in page
    assert "did:web:daotao.danang.gov.vn" in page

    # the same file again: refused, nothing written
    again = _import(second, record)
    assert again.exit_code == 1 and "already imported" in again.output
    # exported from the second installation, the entries keep their first issuer
    with second.app_context():
        onward = portable.export_document(_official(), Ed25519PrivateKey.generate(), base=THERE)
    assert {e["issuer"]["id"] for e in onward["entries"]} == {"did:web:daotao.danang.gov.vn"}
    assert [e["recordedAt"] for e in onward["entries"]] == [
        e["recordedAt"] for e in document["entries"]
    ]


def _count(other) -> int:
    with other.app_context():
        return db.session.scalar(select(func.count()).select_from(LedgerEntry))


@pytest.mark.parametrize(
    "tamper, reason",
    [
        (lambda d: d["entries"][0].update(credits="25.00"), "hash chain is broken at entry 1"),
        (
            lambda d: d["entries"][1].update(earnedOn="2026-02-10"),
            "hash chain is broken at entry 2",
        ),
        (lambda d: d["official"].update(fullName="Người Khác"), "signature does not match"),
        (lambda d: d["entries"].pop(), "signature does not match"),
        (lambda d: d.pop("proof"), "carries no signature"),
    ],
    ids=["credits", "date", "person", "entry-removed", "unsigned"],
)
def test_a_changed_file_is_refused_and_nothing_is_written(record, second, tamper, reason):
    document = json.loads(record.read_text())
    tamper(document)
    record.write_text(json.dumps(document, ensure_ascii=False))
    result = _import(second, record)
    assert result.exit_code == 1 and reason in result.output, result.output
    assert _count(second) == 0


def test_a_file_re_signed_with_a_rehashed_chain_by_another_key_is_refused(record, second):
    """Someone rebuilds the chain after a change and signs with their own key but keeps the
    issuer's DID and public key: the signature does not match that key."""
    document = json.loads(record.read_text())
    document["entries"][0]["credits"] = "25.00"
    prev = portable.GENESIS
    for item in document["entries"]:
        item["prevHash"] = prev
        item["hash"] = prev = portable.entry_hash(item)
    document["head"] = prev
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    forged = di.sign(
        unsigned,
        Ed25519PrivateKey.generate(),
        document["proof"]["verificationMethod"],
        datetime(2026, 3, 1),
        di.JCS,
    )
    record.write_text(json.dumps(forged, ensure_ascii=False))
    result = _import(second, record)
    assert result.exit_code == 1 and "signature does not match" in result.output
    assert _count(second) == 0


def test_unknown_or_different_official_and_bad_files_are_refused(record, second, tmp_path):
    with second.app_context():
        learner = _official()
        learner.employee_code = "Q-0001"
        db.session.commit()
    result = _import(second, record)
    assert result.exit_code == 1 and "No official has the code T-LEARN here" in result.output
    mapped = _import(second, record, "--official", "Q-0001", "--dry-run")
    assert mapped.exit_code == 0 and "3 new entries" in mapped.output
    assert _count(second) == 0  # a dry run writes nothing
    with second.app_context():
        other = _official("T-HR")
    other_code = other.employee_code
    wrong = _import(second, record, "--official", other_code)
    assert wrong.exit_code == 1 and "name or date of birth differs" in wrong.output
    for name, content in (
        ("empty.json", b""),
        ("list.json", b"[1]"),
        ("bin.json", b"\xff\xfe\x00"),
    ):
        bad = tmp_path / name
        bad.write_bytes(content)
        result = _import(second, bad)
        assert result.exit_code == 1 and "training record" in result.output
    assert _count(second) == 0
    with second.app_context():
        assert db.session.scalar(select(func.count()).select_from(LedgerImport)) == 0


def test_the_official_and_hr_download_the_signed_record_in_scope_only(app, record, world):
    learner = app.test_client()
    login(learner, world["learner"].username, PASSWORD)
    assert "/me/training-record.json" in learner.get("/me/certificates").get_data(as_text=True)
    own = learner.get("/me/training-record.json")
    assert own.status_code == 200 and "attachment" in own.headers["Content-Disposition"]
    assert own.get_json()["official"]["employeeCode"] == "T-LEARN"
    assert learner.get("/officials/T-MAN/training-record.json").status_code == 403
    hr = app.test_client()
    login(hr, world["hr"].username, PASSWORD)
    page = hr.get("/officials/T-LEARN/ledger").get_data(as_text=True)
    assert "/officials/T-LEARN/training-record.json" in page
    answer = hr.get("/officials/T-LEARN/training-record.json")
    assert answer.status_code == 200
    assert len(answer.get_json()["entries"]) == 3
    assert db.session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == "ledger.viewed", AuditEntry.object_id == "T-LEARN")
    )
    admin = app.test_client()
    login(admin, world["admin"].username, PASSWORD)
    assert admin.get("/me/training-record.json").status_code == 404  # no official record


def _resigned(document: dict) -> dict:
    """`document` re-chained and signed by a key of its own (a self-consistent file from an
    unknown issuer): only the content's checks can refuse it."""
    key = Ed25519PrivateKey.generate()
    document["issuer"] = {
        "id": "did:web:evil.example",
        "name": "X",
        "url": "https://evil.example",
        "publicKeyMultibase": di.multikey(key.public_key()),
    }
    prev = portable.GENESIS
    for item in document["entries"]:
        if isinstance(item, dict):
            item["prevHash"] = prev
            item["hash"] = prev = portable.entry_hash(item)
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    return di.sign(unsigned, key, "did:web:evil.example#key-1", datetime(2026, 3, 1), di.JCS)


@pytest.mark.parametrize(
    "change, reason",
    [
        (lambda d: d.update(official="T-LEARN"), "No official has the code"),
        (lambda d: d["entries"][0].update(credits="1e30"), "Entry 1 is malformed"),
        (lambda d: d["entries"][0].update(credits="NaN"), "Entry 1 is malformed"),
        (lambda d: d["entries"][0].update(reason=12), "Entry 1 is malformed"),
        (lambda d: d["entries"][0].update(periods=10**12), "Entry 1 is malformed"),
        (lambda d: d["entries"][0].update(earnedOn="2026-02-30"), "Entry 1 is malformed"),
        (lambda d: d["entries"][0].update(source="<script>"), "Entry 1 is malformed"),
        (lambda d: d["entries"][1].update(credits="-1.00"), "Entry 2 is malformed"),
        (lambda d: d["entries"][2].update(reverses={"issuer": "x", "ref": "9"}), "neither here"),
        (lambda d: d.update(exportedAt="yesterday"), "malformed"),
    ],
    ids=["official", "huge", "nan", "reason", "periods", "date", "source", "sign", "orphan", "at"],
)
def test_a_signed_but_hostile_file_is_refused_without_writing(record, second, change, reason):
    document = json.loads(record.read_text())
    change(document)
    record.write_text(json.dumps(_resigned(document), ensure_ascii=False))
    result = _import(second, record)
    assert result.exit_code == 1 and reason in result.output, result.output
    assert _count(second) == 0
    with second.app_context():
        assert db.session.scalar(select(func.count()).select_from(LedgerImport)) == 0
