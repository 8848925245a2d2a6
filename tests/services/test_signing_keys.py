"""The keys the app signs with (issue 27, lms/signing/keys.py): read from the configured folder or
PKCS#12 file, the demo's made once into the instance folder outside production, and production
refusing to start without keys."""

import os
import stat

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.serialization import pkcs12

from lms import create_app
from lms.signing import demo, keys


def _common_name(name: x509.Name) -> str:
    return name.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value


def test_the_configured_folder_gives_the_agency_and_its_chain(app, signing_dir):
    agency = keys.agency()
    assert agency.source == f"dir:{signing_dir}"
    assert agency.signer_name == "Sở Nội vụ thành phố Đà Nẵng (DEMO)"
    assert [_common_name(c.subject) for c in agency.chain] == [demo.DEMO_CA_NAME]
    assert agency.demo  # issued by the demo CA, wherever its folder is
    public = agency.private_key.public_key().public_numbers()
    assert public == agency.certificate.public_key().public_numbers()
    assert keys.agency() is agency  # read once while the files stay the same


def test_the_credential_key_is_ed25519_and_signs(app):
    key = keys.credential_key()
    assert isinstance(key, ed25519.Ed25519PrivateKey)
    key.public_key().verify(key.sign(b"credential"), b"credential")


@pytest.fixture
def unconfigured(app, monkeypatch, tmp_path):
    """No LMS_SIGNING_* anywhere; the instance folder is a temporary one."""
    for name in ("LMS_SIGNING_DIR", "LMS_SIGNING_P12", "LMS_SIGNING_CREDENTIAL_KEY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.setitem(app.config, name, "")
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))
    return tmp_path / "instance" / keys.DEMO_FOLDER


def test_outside_production_the_demo_keys_are_made_once_and_kept(app, unconfigured):
    first = keys.agency()
    assert first.demo and first.source == f"dir:{unconfigured}"
    assert _common_name(first.certificate.subject) == "Sở Nội vụ thành phố Đà Nẵng (DEMO)"
    assert _common_name(first.certificate.issuer) == "Tín chỉ DEMO CA — not for production"
    for name in (demo.KEY, demo.CREDENTIAL):
        assert stat.S_IMODE(os.stat(unconfigured / name).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(unconfigured).st_mode) == 0o700
    credential = keys.credential_key()
    again = keys.agency()
    assert again.certificate == first.certificate
    same = keys.credential_key().public_key().public_bytes_raw()
    assert same == credential.public_key().public_bytes_raw()


def test_without_demo_data_nothing_is_made_and_the_error_says_what_to_set(
    app, unconfigured, monkeypatch
):
    monkeypatch.setitem(app.config, "LMS_DEMO_ALLOWED", False)
    with pytest.raises(keys.SigningKeyError, match="LMS_SIGNING_P12"):
        keys.agency()
    with pytest.raises(keys.SigningKeyError, match="LMS_SIGNING_DIR"):
        keys.credential_key()
    assert not unconfigured.exists()


def test_a_pkcs12_file_with_its_password(app, signing_dir, monkeypatch, tmp_path):
    agency = keys.agency()
    bundle = pkcs12.serialize_key_and_certificates(
        b"agency",
        agency.private_key,
        agency.certificate,
        list(agency.chain),
        serialization.BestAvailableEncryption(b"mat-khau"),
    )
    (tmp_path / "agency.p12").write_bytes(bundle)
    monkeypatch.setitem(app.config, "LMS_SIGNING_P12", str(tmp_path / "agency.p12"))
    monkeypatch.setitem(app.config, "LMS_SIGNING_P12_PASSWORD", "mat-khau")
    loaded = keys.agency()
    assert loaded.source.startswith("p12:") and loaded.certificate == agency.certificate
    assert loaded.chain == agency.chain
    monkeypatch.setitem(app.config, "LMS_SIGNING_P12_PASSWORD", "sai")
    with pytest.raises(keys.SigningKeyError, match="LMS_SIGNING_P12_PASSWORD"):
        keys.agency()


def test_a_key_that_does_not_match_its_certificate_is_refused(app, monkeypatch, tmp_path):
    demo.write_demo_keys(tmp_path / "a")
    demo.write_demo_keys(tmp_path / "b")
    (tmp_path / "a" / demo.KEY).write_bytes((tmp_path / "b" / demo.KEY).read_bytes())
    monkeypatch.setitem(app.config, "LMS_SIGNING_DIR", str(tmp_path / "a"))
    with pytest.raises(keys.SigningKeyError, match="does not match"):
        keys.agency()


def test_rotated_files_are_read_again(app, monkeypatch, tmp_path):
    folder = demo.write_demo_keys(tmp_path / "keys")
    monkeypatch.setitem(app.config, "LMS_SIGNING_DIR", str(folder))
    before = keys.agency().certificate
    other = demo.write_demo_keys(tmp_path / "new")
    for name in (demo.KEY, demo.CERT, demo.CHAIN):
        os.replace(other / name, folder / name)
    assert keys.agency().certificate != before


def test_production_refuses_to_start_without_signing_keys(monkeypatch, tmp_path):
    import secrets

    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(48))
    monkeypatch.delenv("LMS_SIGNING_DIR")
    settings = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_STORAGE_URI": "redis://x:1/0"}
    with pytest.raises(RuntimeError, match="No signing key: set LMS_SIGNING_P12") as refused:
        create_app("production", settings)
    assert "No credential key" in str(refused.value)
    settings["LMS_SIGNING_DIR"] = str(tmp_path)
    with pytest.raises(RuntimeError, match="lacks key.pem, cert.pem"):
        create_app("production", settings)
    settings.update(LMS_SIGNING_DIR="", LMS_SIGNING_P12=str(tmp_path / "none.p12"))
    with pytest.raises(RuntimeError, match="none.p12, which does not exist"):
        create_app("production", settings)
