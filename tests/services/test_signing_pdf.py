"""Signed PDFs (issue 27): the certificate PDF carries a PAdES signature by the configured agency
that pyHanko's own validator finds intact, covering the whole file, with the chain embedded;
one changed byte breaks it; pdfsig (poppler) lists it; the transcript is signed too; and the
file check (lms.signing.verify) tells the states apart."""

import io
import subprocess

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from lms.certificates import documents, queries
from lms.common.pdf import render_pdf
from lms.signing import keys, verify
from lms.signing.pdf import sign_pdf
from tests.services import test_certificates_services as base
from tests.services.test_certificates_pdf import BASE, issued, tool

setup = base.setup  # fixture
idle_worker, live_setup = base.idle_worker, base.live_setup  # fixtures of setup


def _asn1(certificate):
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _validated(data: bytes):
    """pyHanko's validator on the file's signature, trusting the configured CA only."""
    agency = keys.agency()
    context = ValidationContext(
        trust_roots=[_asn1(agency.chain[-1])], allow_fetching=False, revocation_mode="soft-fail"
    )
    signature = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures[0]
    return signature, validate_pdf_signature(signature, signer_validation_context=context)


def _flip(data: bytes, position: int) -> bytes:
    changed = bytearray(data)
    changed[position] ^= 0x01
    return bytes(changed)


@pytest.fixture
def certificate_pdf(setup):
    certificate = issued(setup)
    return certificate, documents.certificate_pdf(certificate, BASE)


def test_the_certificate_is_signed_by_the_configured_agency_and_intact(certificate_pdf):
    certificate, data = certificate_pdf
    signature, status = _validated(data)
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.dump() == _asn1(keys.agency().certificate).dump()
    assert status.signing_cert.subject.native["common_name"] == (
        "Sở Nội vụ thành phố Đà Nẵng (DEMO)"
    )
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert str(signature.sig_object["/ContactInfo"]) == (
        f"{BASE}/verify/{certificate.verification_code}"
    )
    assert certificate.serial in str(signature.sig_object["/Reason"])
    # long-term validation: the chain is in the document's DSS
    dss = PdfFileReader(io.BytesIO(data), strict=False).root["/DSS"]
    assert len(dss["/Certs"]) >= 2


@pytest.mark.parametrize("where", [0.1, 0.5, 0.9])
def test_one_changed_byte_is_found(certificate_pdf, where):
    _certificate, data = certificate_pdf
    signature = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures[0]
    start, length = signature.byte_range[0], signature.byte_range[1]
    position = int(start + length * where)  # inside the signed bytes, before the signature
    changed = _flip(data, position)
    _signature, status = _validated(changed)
    assert not (status.intact and status.valid)
    assert verify.check_pdf(changed).state in {verify.BROKEN, verify.UNREADABLE}
    assert verify.check_pdf(data).state == verify.INTACT


def test_a_changed_signature_value_is_found(certificate_pdf):
    _certificate, data = certificate_pdf
    signature = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures[0]
    value = signature.signer_info["signature"].native.hex().encode()
    inside = data.lower().index(value) + len(value) // 2  # a hex digit of the RSA signature
    changed = bytearray(data)
    changed[inside] = ord("0") if changed[inside] != ord("0") else ord("1")
    assert verify.check_pdf(bytes(changed)).state in {verify.BROKEN, verify.UNREADABLE}


def test_pdfsig_lists_the_signature(certificate_pdf, tmp_path):
    _certificate, data = certificate_pdf
    (tmp_path / "c.pdf").write_bytes(data)
    done = subprocess.run(
        [tool("pdfsig"), str(tmp_path / "c.pdf")], capture_output=True, timeout=60, check=False
    )
    listed = done.stdout.decode()
    assert "Signature #1" in listed
    assert "Sở Nội vụ thành phố Đà Nẵng (DEMO)" in listed
    assert "ETSI.CAdES.detached" in listed
    assert "Total document signed" in listed
    assert "Signature is Valid" in listed


def test_the_check_names_the_signer_and_the_reference(certificate_pdf):
    certificate, data = certificate_pdf
    check = verify.check_pdf(data)
    assert check.intact and check.demo
    assert check.signer == "Sở Nội vụ thành phố Đà Nẵng (DEMO)"
    assert check.issuer == "Tín chỉ DEMO CA — not for production"
    assert check.reference.endswith(f"/verify/{certificate.verification_code}")
    assert check.signed_at is not None and not check.timestamped


def test_not_a_pdf_unsigned_and_added_after_signing(app):
    plain = render_pdf("<html><head></head><body><p>Giấy chứng nhận</p></body></html>")
    assert verify.check_pdf(b"GIF89a...").state == verify.NOT_PDF
    assert verify.check_pdf(b"%PDF-1.7\n" + b"\x00" * 50).state == verify.UNREADABLE
    assert verify.check_pdf(plain).state == verify.UNSIGNED
    signed = sign_pdf(plain, reason="test", location="Đà Nẵng")
    from pyhanko.pdf_utils.generic import NameObject, TextStringObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    info = writer.root
    info[NameObject("/Lang")] = TextStringObject("en")  # a change after the signature
    writer.update_root()
    added = io.BytesIO()
    writer.write(added)
    assert verify.check_pdf(added.getvalue()).state == verify.MODIFIED


def test_a_signature_by_another_key_is_not_ours(app, monkeypatch, tmp_path):
    from lms.signing import demo

    plain = render_pdf("<html><head></head><body><p>x</p></body></html>")
    other = demo.write_demo_keys(tmp_path / "other", agency_name="Một cơ quan khác")
    signed_here = sign_pdf(plain, reason="ours", location="Đà Nẵng")
    monkeypatch.setitem(app.config, "LMS_SIGNING_DIR", str(other))
    forged = sign_pdf(plain, reason="forged", location="Đà Nẵng")
    assert verify.check_pdf(forged).state == verify.INTACT  # under its own keys
    monkeypatch.undo()
    found = verify.check_pdf(forged)
    assert found.state == verify.FOREIGN and found.signer == "Một cơ quan khác"
    assert verify.check_pdf(signed_here).state == verify.INTACT


def test_the_transcript_is_signed(setup):
    certificate = issued(setup)
    cycle = queries.cycle_by_year(2026)
    if cycle is None:
        from tests.factories import make_cycle

        cycle = make_cycle(2026)
    transcript = queries.transcript(certificate.official, "Phường Hải Châu", cycle)
    data = documents.transcript_pdf(transcript, "vi", BASE)
    check = verify.check_pdf(data)
    assert check.intact and check.reference == ""
    signature = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures[0]
    assert certificate.official.employee_code in str(signature.sig_object["/Reason"])


def _authority(folder):
    """A timestamping authority's key and self-signed certificate (extended key usage: time
    stamping), its certificate added to the signing folder's chain.pem as a root to trust."""
    import datetime as dt

    from asn1crypto import keys as asn1_keys
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test TSA")])
    now = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    with open(folder / "chain.pem", "ab") as chain:
        chain.write(certificate.public_bytes(serialization.Encoding.PEM))
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return _asn1(certificate), asn1_keys.PrivateKeyInfo.load(der)


def test_a_timestamp_is_added_when_a_tsa_is_configured(app, monkeypatch, tmp_path, signing_dir):
    """LMS_SIGNING_TSA_URL makes an RFC 3161 request for every signature (answered here by
    pyHanko's test authority instead of the network); its root is trusted from chain.pem."""
    import shutil

    from pyhanko.sign import timestamps

    from lms.signing import pdf as signing_pdf

    folder = tmp_path / "keys"
    shutil.copytree(signing_dir, folder)
    certificate, key = _authority(folder)
    monkeypatch.setitem(app.config, "LMS_SIGNING_DIR", str(folder))
    asked = []

    def stamper(url, timeout):
        asked.append(url)
        return timestamps.DummyTimeStamper(tsa_cert=certificate, tsa_key=key)

    monkeypatch.setattr(signing_pdf.timestamps, "HTTPTimeStamper", stamper)
    monkeypatch.setitem(app.config, "LMS_SIGNING_TSA_URL", "http://tsa.example/")
    plain = render_pdf("<html><head></head><body><p>x</p></body></html>")
    signed = sign_pdf(plain, reason="t", location="Đà Nẵng")
    assert asked == ["http://tsa.example/"]
    check = verify.check_pdf(signed)
    assert check.intact and check.timestamped
