"""Open Badges 3.0 credentials (issue 27), checked with a verifier written here from the
specifications (W3C vc-di-eddsa `eddsa-rdfc-2022`, did:web, Bitstring Status List) on pyld,
cryptography and base58, not with lms code; the verifier first proves itself on 1EdTech's signed
example. The credential conforms to a schema written from the OB 3.0 data model (also checked
against 1EdTech's good and bad examples) and to the VC 2.0 rules of the W3C test suite's
inputs; it fails after any change to its subject and shows revoked after a revocation."""

import base64
import copy
import gzip
import hashlib
import json
import re
from datetime import date, datetime

import base58
import jsonschema
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyld import jsonld
from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.certificates import services
from lms.certificates.models import Certificate
from lms.extensions import db
from lms.organisation.models import Official
from tests.conftest import login
from tests.factories import PASSWORD, import_course, make_completion
from tests.shared_fixtures import FIXTURES, require, require_files
from tests.web.routes.api import bearer

OB = FIXTURES / "openbadges3"
CONTEXTS = {  # the fixtures' own copies, not the application's
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-3.0.3.json",
}
VC_SUITE = FIXTURES / "w3c-vc2-test-suite" / "input"


# --- the independent verifier ------------------------------------------------------------------


def _loader(url, _options=None):
    if url not in CONTEXTS:
        raise ValueError(f"the test verifier fetches nothing: {url}")
    document = json.loads(require(OB / "dcpv-contexts" / CONTEXTS[url]).read_text())
    return {"contextUrl": None, "documentUrl": url, "document": document}


def _canon(document) -> bytes:
    options = {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": _loader}
    return jsonld.normalize(document, options).encode()


def _key(multibase: str) -> Ed25519PublicKey:
    raw = base58.b58decode(multibase[1:])
    assert multibase[0] == "z" and raw[:2] == b"\xed\x01"  # base58btc, ed25519-pub multicodec
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def resolve(method: str, client) -> Ed25519PublicKey:
    """did:web:<host>#frag → GET /.well-known/did.json; a URL#z6Mk… names its key itself."""
    if method.startswith("did:web:"):
        document = client.get("/.well-known/did.json").get_json()
        assert method.split("#")[0] == document["id"]
        assert method in document["assertionMethod"]
        found = next(m for m in document["verificationMethod"] if m["id"] == method)
        assert found["type"] == "Multikey"
        return _key(found["publicKeyMultibase"])
    return _key(method.split("#")[1])


def verified(credential: dict, client=None) -> bool:
    """vc-di-eddsa §3.3 (eddsa-rdfc-2022): hash(canon(proof options + @context)) ‖
    hash(canon(document without proof)), Ed25519 over it."""
    document = copy.deepcopy(credential)
    proofs = document.pop("proof")
    proof = proofs[0] if isinstance(proofs, list) else proofs
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    value = proof.pop("proofValue")
    proof["@context"] = document["@context"]
    data = hashlib.sha256(_canon(proof)).digest() + hashlib.sha256(_canon(document)).digest()
    try:
        resolve(proof["verificationMethod"], client).verify(base58.b58decode(value[1:]), data)
    except InvalidSignature:
        return False
    return True


def test_the_verifier_verifies_1edtech_signed_example_and_refuses_it_changed():
    example = json.loads(require(OB / "dcpv-ob30" / "simple.json").read_text())
    assert verified(example)
    changed = copy.deepcopy(example)
    changed["credentialSubject"]["achievement"]["name"] = "Teamwork!"
    assert not verified(changed)


# --- the schemas -------------------------------------------------------------------------------


def _types_with(*names):
    return {
        "type": "array",
        "items": {"type": "string"},
        "allOf": [{"contains": {"const": n}} for n in names],
    }


# Written from the OB 3.0 data model (AchievementCredential, Profile, AchievementSubject,
# Achievement, Criteria): required properties and their types.
OB_SCHEMA = {
    "type": "object",
    "required": ["@context", "id", "type", "issuer", "validFrom", "name", "credentialSubject"],
    "properties": {
        "@context": {
            "type": "array",
            "minItems": 2,
            "prefixItems": [{"const": "https://www.w3.org/ns/credentials/v2"}],
            "contains": {
                "type": "string",
                "pattern": "^https://purl.imsglobal.org/spec/ob/v3p0/context-3\\.0\\.[0-9]+\\.json$",
            },
        },
        "id": {"type": "string", "format": "uri", "pattern": "^[a-z][a-z0-9+.-]*:"},
        "type": {
            "type": "array",
            "contains": {"const": "VerifiableCredential"},
            "anyOf": [
                {"contains": {"const": "OpenBadgeCredential"}},
                {"contains": {"const": "AchievementCredential"}},
            ],
        },
        "name": {"type": "string"},
        "issuer": {
            "type": "object",
            "required": ["id", "type"],
            "properties": {
                "id": {"type": "string", "pattern": "^[a-z][a-z0-9+.-]*:"},
                "type": _types_with("Profile"),
            },
        },
        "validFrom": {"type": "string", "format": "date-time"},
        "validUntil": {"type": "string", "format": "date-time"},
        "credentialSubject": {
            "type": "object",
            "required": ["type", "achievement"],
            "properties": {
                "type": _types_with("AchievementSubject"),
                "creditsEarned": {"type": "number"},
                "identifier": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["type", "identityHash", "identityType", "hashed"],
                        "properties": {
                            "type": {"const": "IdentityObject"},
                            "hashed": {"type": "boolean"},
                        },
                    },
                },
                "achievement": {
                    "type": "object",
                    "required": ["id", "type", "criteria", "description", "name"],
                    "properties": {
                        "type": _types_with("Achievement"),
                        "criteria": {
                            "type": "object",
                            "anyOf": [{"required": ["narrative"]}, {"required": ["id"]}],
                        },
                        "creditsAvailable": {"type": "number"},
                    },
                },
            },
        },
        "credentialStatus": {"type": "object", "required": ["type"]},
        "proof": {},
    },
}
URL = "^[a-zA-Z][a-zA-Z0-9+.-]*:[^\\s]+$"
DATETIME = (
    "^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T"
    "[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$"
)
TYPED_URL_ID = {
    "type": "object",
    "required": ["type"],
    "properties": {"id": {"type": "string", "pattern": URL}},
}
# Written from the VC Data Model 2.0 (§4): base context first, types, issuer, subject, dates,
# status — the rules the W3C suite's inputs below exercise.
VC_SCHEMA = {
    "type": "object",
    "required": ["@context", "type", "credentialSubject"],  # the suite's issuer adds `issuer`
    "properties": {
        "@context": {
            "type": "array",
            "prefixItems": [{"const": "https://www.w3.org/ns/credentials/v2"}],
            "items": {"oneOf": [{"type": "string", "pattern": URL}, {"type": "object"}]},
        },
        "id": {"type": "string", "pattern": URL},
        "type": {"type": "array", "contains": {"const": "VerifiableCredential"}},
        "issuer": {
            "oneOf": [
                {"type": "string", "pattern": URL},
                {"type": "object", "properties": {"id": {"type": "string", "pattern": URL}}},
            ]
        },
        "credentialSubject": {
            "oneOf": [
                {"type": "object", "minProperties": 1},
                {"type": "array", "minItems": 1, "items": {"type": "object", "minProperties": 1}},
            ]
        },
        "validFrom": {"type": "string", "pattern": DATETIME},
        "validUntil": {"type": "string", "pattern": DATETIME},
        "credentialStatus": {"oneOf": [TYPED_URL_ID, {"type": "array", "items": TYPED_URL_ID}]},
    },
}
SUITE_PARTS = (
    "context-combo",
    "id-",
    "issuer-",
    "no-",
    "missing-required-type",
    "status-",
    "valid",
    "subject-",
    "ok",
)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _vc_errors(document: dict) -> list[str]:
    errors = [e.message for e in jsonschema.Draft202012Validator(VC_SCHEMA).iter_errors(document)]
    if isinstance(document.get("id"), list) or isinstance(
        (document.get("credentialStatus") or {}).get("id")
        if isinstance(document.get("credentialStatus"), dict)
        else None,
        list,
    ):
        errors.append("id must be one URL")
    subject = document.get("credentialSubject")
    if isinstance(subject, dict) and isinstance(subject.get("id"), list):
        errors.append("subject id must be one URL")
    start, end = document.get("validFrom"), document.get("validUntil")
    if isinstance(start, str) and isinstance(end, str) and not errors and _at(end) < _at(start):
        errors.append("validUntil before validFrom")
    status = document.get("credentialStatus")
    if (
        isinstance(status, dict)
        and isinstance(status.get("type"), str)
        and not re.match(URL, "x:" + status["type"])
    ):
        errors.append("status type")
    return errors


def test_the_vc_rules_agree_with_the_w3c_suite_inputs():
    checked = 0
    for path in require_files(VC_SUITE, "credential-*.json"):
        part = path.stem.removeprefix("credential-")
        if not part.startswith(SUITE_PARTS) or part.endswith("-fail-or-inject"):
            continue
        if part.startswith(("status-type-nonurl",)):  # needs JSON-LD expansion of the type
            continue
        text = require(path).read_text()
        if "PAST DATE" in text:  # a template the suite fills in
            continue
        errors = _vc_errors(json.loads(text))
        assert bool(errors) == part.endswith("-fail"), (path.name, errors)
        checked += 1
    assert checked >= 30


def test_the_ob_schema_accepts_1edtech_examples_and_refuses_their_bad_ones():
    validator = jsonschema.Draft202012Validator(
        OB_SCHEMA, format_checker=jsonschema.FormatChecker()
    )
    assert not list(
        validator.iter_errors(json.loads(require(OB / "dcpv-ob30" / "simple.json").read_text()))
    )
    for bad in ("type", "issuer", "issuer-type", "credential-subject-type", "context"):
        document = json.loads(require(OB / "dcpv-ob30" / f"simple-err-{bad}.json").read_text())
        assert list(validator.iter_errors(document)), bad


# --- our credential ----------------------------------------------------------------------------


@pytest.fixture
def certs(world, assets_dir, freeze, app, tmp_path, monkeypatch):
    """BB01 certificates of the learner (T-LEARN) and of T-MAN; the public address is set."""
    freeze(date(2026, 3, 20))
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))
    monkeypatch.setitem(app.config, "LMS_PUBLIC_BASE_URL", "https://tinchi.danang.gov.vn")
    course = import_course()
    learner = db.session.scalar(select(Official).where(Official.employee_code == "T-LEARN"))
    manager = db.session.scalar(select(Official).where(Official.employee_code == "T-MAN"))
    mine = services.issue_for(make_completion(learner, course, commit=True))
    other = services.issue_for(make_completion(manager, course, commit=True))
    db.session.commit()
    return {"learner": mine.serial, "manager": other.serial, "code": mine.verification_code}


def _logged_in(app, username):
    client = app.test_client()
    login(client, username, PASSWORD)
    return client


def test_the_holder_downloads_a_credential_that_verifies_and_conforms(app, certs, world):
    client = _logged_in(app, world["learner"].username)
    page = client.get("/me/certificates").get_data(as_text=True)
    assert f"/certificates/{certs['learner']}.credential.json" in page
    answer = client.get(f"/certificates/{certs['learner']}.credential.json")
    assert answer.status_code == 200
    assert "attachment" in answer.headers["Content-Disposition"]
    credential = answer.get_json()
    assert "https://www.w3.org/ns/credentials/v2" in credential["@context"]
    assert credential["issuer"]["id"] == "did:web:tinchi.danang.gov.vn"
    holder = db.session.scalar(
        select(Certificate.holder_name).where(Certificate.serial == certs["learner"])
    )
    assert credential["credentialSubject"]["identifier"][0]["identityHash"] == holder
    description = credential["credentialSubject"]["achievement"]["description"]
    assert description.startswith(("Giấy chứng nhận", "Chứng chỉ"))  # the certificate's language
    assert verified(credential, app.test_client())
    validator = jsonschema.Draft202012Validator(
        OB_SCHEMA, format_checker=jsonschema.FormatChecker()
    )
    assert not [e.message for e in validator.iter_errors(credential)]
    assert _vc_errors(credential) == []
    # the same certificate gives the same credential
    again = client.get(f"/certificates/{certs['learner']}.credential.json").get_json()
    assert again == credential


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c["credentialSubject"]["identifier"][0].update(identityHash="Nguyễn Văn Khác"),
        lambda c: c["credentialSubject"].update(creditsEarned=99.0),
        lambda c: c["credentialSubject"]["achievement"].update(name="Khoá khác"),
        lambda c: c["credentialSubject"].update(activityEndDate="2020-01-01"),
        lambda c: c["credentialSubject"].update(licenseNumber="DN-2026-999999"),
        lambda c: c.update(validUntil="2099-12-31T00:00:00Z"),
        lambda c: c["credentialStatus"].update(statusListIndex="7"),
    ],
    ids=["holder", "credits", "course", "date", "serial", "validity", "status-index"],
)
def test_any_change_to_the_credential_breaks_its_proof(app, certs, world, change):
    client = _logged_in(app, world["learner"].username)
    credential = client.get(f"/certificates/{certs['learner']}.credential.json").get_json()
    change(credential)
    assert not verified(credential, app.test_client())


def _bit(status_list: dict, index: int) -> int:
    encoded = status_list["credentialSubject"]["encodedList"]
    assert encoded[0] == "u"  # multibase base64url, no padding
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) >= 16 * 1024  # the specification's minimum size
    return (bits[index // 8] >> (7 - index % 8)) & 1


def test_revocation_shows_in_the_signed_status_list(app, certs, world):
    public = app.test_client()
    credential = public.get(f"/verify/{certs['code']}/credential.json").get_json()
    entry = credential["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry" and entry["statusPurpose"] == "revocation"
    path = entry["statusListCredential"].removeprefix("https://tinchi.danang.gov.vn")
    before = public.get(path)
    assert before.headers["Cache-Control"].startswith("public")
    assert verified(before.get_json(), public)
    assert "BitstringStatusListCredential" in before.get_json()["type"]
    assert _bit(before.get_json(), int(entry["statusListIndex"])) == 0

    certificate = db.session.scalar(
        select(Certificate).where(Certificate.serial == certs["learner"])
    )
    services.revoke(certificate, "fraud", "Gian lận", world["hr"])
    db.session.commit()

    after = public.get(path).get_json()
    assert verified(after, public)
    assert _bit(after, int(entry["statusListIndex"])) == 1
    other = db.session.scalar(select(Certificate).where(Certificate.serial == certs["manager"]))
    assert _bit(after, other.id - 1) == 0
    # the credential itself still verifies: its status is what says it is revoked
    assert verified(public.get(f"/verify/{certs['code']}/credential.json").get_json(), public)
    # the holder no longer downloads it (as the PDF); HR still does
    holder = _logged_in(app, world["learner"].username)
    assert holder.get(f"/certificates/{certs['learner']}.credential.json").status_code == 404
    hr = _logged_in(app, world["hr"].username)
    assert hr.get(f"/certificates/{certs['learner']}.credential.json").status_code == 200


def test_the_issuer_key_and_profile_are_public_and_cacheable(app, certs):
    client = app.test_client()
    did = client.get("/.well-known/did.json")
    assert did.status_code == 200 and did.mimetype == "application/did+json"
    assert "public" in did.headers["Cache-Control"]
    assert did.get_json()["id"] == "did:web:tinchi.danang.gov.vn"
    profile = client.get("/.well-known/openbadges-issuer.json").get_json()
    assert profile["id"] == "did:web:tinchi.danang.gov.vn" and profile["type"] == ["Profile"]
    assert client.get("/credentials/status/2").status_code == 404
    assert client.get("/credentials/status/0").status_code == 404


def test_the_verify_page_links_the_credential_and_unknown_codes_have_none(app, certs):
    client = app.test_client()
    page = client.get(f"/verify/{certs['code']}").get_data(as_text=True)
    assert f"/verify/{certs['code']}/credential.json" in page
    assert client.get("/verify/not-a-code/credential.json").status_code == 404
    assert client.get("/verify/%27%3B--/credential.json").status_code == 404


def test_the_api_gives_the_credential_in_scope_only_and_audits_the_read(app, certs, world):
    client = app.test_client()
    url = f"/api/v1/certificates/{certs['learner']}/credential"
    answer = client.get(url, headers=bearer(world["hr"]))
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    assert verified(answer.get_json(), client)
    own = client.get(url, headers=bearer(world["learner"]))
    assert own.status_code == 200
    other = f"/api/v1/certificates/{certs['manager']}/credential"
    assert client.get(other, headers=bearer(world["learner"])).status_code == 404
    assert client.get(url).status_code == 401
    audited = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "certificate.viewed")
    ).all()
    assert any((a.after or {}).get("format") == "vc" and a.object_id == "T-LEARN" for a in audited)


def test_after_a_key_rotation_old_credentials_still_verify(
    app, certs, world, tmp_path, monkeypatch
):
    """A credential downloaded, then the credential key replaced and the old one listed in
    LMS_SIGNING_PREVIOUS_CREDENTIAL_KEYS: the old download still verifies (its key is in the
    DID document under its own name), a new download names the new key, and a key dropped
    from the list no longer verifies anything."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from lms.signing.keys import credential_key

    client = _logged_in(app, world["learner"].username)
    url = f"/certificates/{certs['learner']}.credential.json"
    old = client.get(url).get_json()
    old_key = credential_key()
    old_file = tmp_path / "old-credential.pem"
    old_file.write_bytes(
        old_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    new_file = tmp_path / "new-credential.pem"
    new_file.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    monkeypatch.setitem(app.config, "LMS_SIGNING_CREDENTIAL_KEY", str(new_file))
    monkeypatch.setitem(app.config, "LMS_SIGNING_PREVIOUS_CREDENTIAL_KEYS", str(old_file))
    new = client.get(url).get_json()
    assert new["proof"]["verificationMethod"] != old["proof"]["verificationMethod"]
    assert verified(old, client) and verified(new, client)
    monkeypatch.setitem(app.config, "LMS_SIGNING_PREVIOUS_CREDENTIAL_KEYS", "")
    assert verified(new, client)
    with pytest.raises(AssertionError):  # its key is no longer in the DID document
        verified(old, client)
