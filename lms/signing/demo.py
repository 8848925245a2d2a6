"""The demo's keys (never in production): a small CA named "Tín chỉ DEMO CA — not for
production", a certificate for the agency signed by it, and an Ed25519 key for credentials,
written into a folder in the layout of LMS_SIGNING_DIR (docs/signing.md). `make run` makes them
once into instance/signing-demo/; the tests make them into a temporary folder."""

import datetime as dt
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from cryptography.x509.oid import NameOID

DEMO_CA_NAME = "Tín chỉ DEMO CA — not for production"
DEMO_AGENCY_NAME = "Sở Nội vụ thành phố Đà Nẵng (DEMO)"
DEMO_ORGANISATION = "Tín chỉ (DEMO)"
# The files of a signing folder (LMS_SIGNING_DIR); the keys are written readable by the owner only.
KEY, CERT, CHAIN, CREDENTIAL = "key.pem", "cert.pem", "chain.pem", "credential-ed25519.pem"
README = "README.txt"


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.LOCALITY_NAME, "Đà Nẵng"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEMO_ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _private_pem(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _write(path: Path, data: bytes, *, secret: bool) -> None:
    """Write `data` to `path` through a temporary file (a reader never sees half a key); keys
    get mode 0600 from their creation on."""
    temporary = path.with_name(path.name + ".tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    descriptor = os.open(temporary, flags, 0o600 if secret else 0o644)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
    os.chmod(temporary, 0o600 if secret else 0o644)
    os.replace(temporary, path)


# The key usages a certificate may allow (x509.KeyUsage's arguments), and which the demo's allow:
# the CA signs certificates (and revocation lists); the agency signs (with non-repudiation).
_KEY_USAGES = (
    "digital_signature",
    "content_commitment",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
    "encipher_only",
    "decipher_only",
)
_CA_USAGES = ("key_cert_sign", "crl_sign")
_SIGNER_USAGES = ("digital_signature", "content_commitment")


def _certificate(subject, issuer, public_key, start: dt.datetime, days: int, *, is_ca: bool):
    """A certificate of `subject` issued by `issuer`, valid `days` from `start`: a CA (no CA
    under it) or an end certificate, with its key usages (both extensions critical). The
    caller adds the key identifiers and signs."""
    usages = _CA_USAGES if is_ca else _SIGNER_USAGES
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(
            x509.BasicConstraints(ca=is_ca, path_length=0 if is_ca else None), critical=True
        )
        .add_extension(
            x509.KeyUsage(**{usage: usage in usages for usage in _KEY_USAGES}), critical=True
        )
    )


def make_demo_certificates(now: dt.datetime | None = None, *, agency_name: str = DEMO_AGENCY_NAME):
    """(agency key, agency certificate, CA certificate, Ed25519 key), freshly made: RSA 2048
    keys, the CA valid 10 years, the agency's certificate 5 years (digital signature and
    non-repudiation; no extended key usage, which readers then do not restrict)."""
    now = now or dt.datetime.now(dt.UTC)
    start = now - dt.timedelta(days=1)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = _name(DEMO_CA_NAME)
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca_cert = (
        _certificate(ca_name, ca_name, ca_key.public_key(), start, 3652, is_ca=True)
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        _certificate(_name(agency_name), ca_name, key.public_key(), start, 1826, is_ca=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return key, cert, ca_cert, ed25519.Ed25519PrivateKey.generate()


def write_demo_keys(folder: Path, *, agency_name: str = DEMO_AGENCY_NAME) -> Path:
    """Make the demo's CA, agency certificate and Ed25519 key into `folder` (created 0700) in the
    layout of LMS_SIGNING_DIR: key.pem, cert.pem, chain.pem (the CA), credential-ed25519.pem.
    The CA's own key is not kept: the demo never issues a second certificate with it."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    key, cert, ca_cert, credential = make_demo_certificates(agency_name=agency_name)
    pem = serialization.Encoding.PEM
    _write(folder / KEY, _private_pem(key), secret=True)
    _write(folder / CHAIN, ca_cert.public_bytes(pem), secret=False)
    _write(folder / CREDENTIAL, _private_pem(credential), secret=True)
    notice = (
        "Demo signing keys made by Tín chỉ outside production (docs/signing.md).\n"
        "They prove nothing: never copy them to a production server.\n"
    )
    _write(folder / README, notice.encode(), secret=False)
    _write(folder / CERT, cert.public_bytes(pem), secret=False)  # last: marks the folder complete
    return folder
