"""The keys the app signs with (docs/signing.md "Keys").

- `agency()`: the agency's private key, certificate and chain for PAdES signatures on PDFs, from
  a PKCS#12 file (LMS_SIGNING_P12, LMS_SIGNING_P12_PASSWORD) or a folder (LMS_SIGNING_DIR:
  key.pem, cert.pem, chain.pem);
- `credential_key()`: the Ed25519 issuer key of Verifiable Credentials and the ledger export
  (LMS_SIGNING_CREDENTIAL_KEY, else LMS_SIGNING_DIR/credential-ed25519.pem).

With nothing configured and demo data allowed (not the production configuration, which refuses
to start without keys: config.signing_problems), the demo's keys are made once into
instance/signing-demo/ (lms/signing/demo.py) and used from then on. Settings are read from the
app's config, else from the environment at the time of the call. Files are read again when they
change (rotation needs no restart of the reader, only of nothing).
"""

import fcntl
import functools
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from flask import current_app, has_app_context

from lms.signing import demo

DEMO_FOLDER = "signing-demo"


class SigningKeyError(RuntimeError):
    """The configured keys cannot be used (missing file, wrong password, key and certificate
    that do not match); the message names the setting to fix. For operators: not translated."""


@dataclass(frozen=True)
class Agency:
    """The agency's signing identity. `chain` holds the certificates above `certificate`
    (intermediates, then the root when given), without `certificate` itself; `source` says where
    it was read from; `demo` is True for a certificate issued by the demo CA (made by
    lms/signing/demo.py, wherever the folder is)."""

    private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    source: str
    demo: bool

    @property
    def private_key_der(self) -> bytes:
        """The private key as unencrypted PKCS#8 DER (what pyHanko's SimpleSigner loads)."""
        return self.private_key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    @property
    def signer_name(self) -> str:
        """The certificate subject's common name (organisation if it has none)."""
        return common_name(self.certificate)


def common_name(certificate: x509.Certificate) -> str:
    """A certificate's subject common name, else its organisation, else its RFC 4514 name."""
    subject = certificate.subject
    for oid in (x509.NameOID.COMMON_NAME, x509.NameOID.ORGANIZATION_NAME):
        values = subject.get_attributes_for_oid(oid)
        if values:
            return str(values[0].value)
    return subject.rfc4514_string()


def _by_demo_ca(certificate: x509.Certificate) -> bool:
    names = certificate.issuer.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return any(name.value == demo.DEMO_CA_NAME for name in names)


def setting(name: str) -> str:
    """A LMS_SIGNING_* setting: the app's config when set there, else the environment."""
    value = current_app.config.get(name) if has_app_context() else None
    return str(value or os.environ.get(name) or "").strip()


def _demo_allowed() -> bool:
    return bool(current_app.config.get("LMS_DEMO_ALLOWED")) if has_app_context() else False


def demo_folder() -> Path:
    """instance/signing-demo (the app's instance folder)."""
    return Path(current_app.instance_path) / DEMO_FOLDER


def _signing_folder() -> tuple[Path, bool]:
    """The configured LMS_SIGNING_DIR, else the demo's folder (made on first use when allowed)."""
    configured = setting("LMS_SIGNING_DIR")
    if configured:
        return Path(configured), False
    if not _demo_allowed():
        raise SigningKeyError(
            "No signing key configured: set LMS_SIGNING_P12 (with LMS_SIGNING_P12_PASSWORD) or "
            "LMS_SIGNING_DIR (docs/signing.md). Demo keys are never made in production."
        )
    return ensure_demo_keys(), True


def ensure_demo_keys() -> Path:
    """The demo folder, its keys made the first time (under a lock, so workers starting together
    make them once)."""
    folder = demo_folder()
    if (folder / demo.CERT).is_file():
        return folder
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / demo.CERT).is_file():
            demo.write_demo_keys(folder)
            current_app.logger.warning(
                "Made demo signing keys in %s (Tín chỉ DEMO CA — not for production)", folder
            )
    return folder


def _stamp(path: Path) -> tuple[str, int, int]:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise SigningKeyError(f"Signing file not found: {path} (docs/signing.md)") from None
    return str(path), info.st_mtime_ns, info.st_size


def _certificates(data: bytes) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(data) if data.strip() else []


def _matching(key, certificate: x509.Certificate, source: str) -> None:
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise SigningKeyError(f"{source}: the signing key must be RSA or ECDSA")
    if key.public_key().public_numbers() != certificate.public_key().public_numbers():
        raise SigningKeyError(f"{source}: the private key does not match the certificate")


@functools.lru_cache(maxsize=8)
def _from_folder(key: tuple, cert: tuple, chain: tuple, is_demo: bool) -> Agency:
    folder = str(Path(key[0]).parent)
    try:
        private = serialization.load_pem_private_key(Path(key[0]).read_bytes(), password=None)
        certificate = x509.load_pem_x509_certificate(Path(cert[0]).read_bytes())
        above = _certificates(Path(chain[0]).read_bytes()) if chain else []
    except (ValueError, TypeError) as error:
        raise SigningKeyError(
            f"LMS_SIGNING_DIR {folder}: unreadable key or certificate ({error})"
        ) from None
    _matching(private, certificate, f"LMS_SIGNING_DIR {folder}")
    above = [c for c in above if c != certificate]
    return Agency(
        private, certificate, tuple(above), f"dir:{folder}", is_demo or _by_demo_ca(certificate)
    )


@functools.lru_cache(maxsize=8)
def _from_p12(stamp: tuple, password: str) -> Agency:
    try:
        private, certificate, extra = pkcs12.load_key_and_certificates(
            Path(stamp[0]).read_bytes(), password.encode() if password else None
        )
    except ValueError as error:
        raise SigningKeyError(
            f"LMS_SIGNING_P12 {stamp[0]}: cannot open ({error}); check LMS_SIGNING_P12_PASSWORD"
        ) from None
    if private is None or certificate is None:
        raise SigningKeyError(f"LMS_SIGNING_P12 {stamp[0]}: holds no key with its certificate")
    _matching(private, certificate, f"LMS_SIGNING_P12 {stamp[0]}")
    return Agency(
        private, certificate, tuple(extra or ()), f"p12:{stamp[0]}", _by_demo_ca(certificate)
    )


def agency() -> Agency:
    """The agency's signing key, certificate and chain (see the module's docstring). Raises
    SigningKeyError when the configured files cannot be used, or when nothing is configured in
    production."""
    p12 = setting("LMS_SIGNING_P12")
    if p12:
        return _from_p12(_stamp(Path(p12)), setting("LMS_SIGNING_P12_PASSWORD"))
    folder, is_demo = _signing_folder()
    chain = folder / demo.CHAIN
    return _from_folder(
        _stamp(folder / demo.KEY),
        _stamp(folder / demo.CERT),
        _stamp(chain) if chain.is_file() else (),
        is_demo,
    )


@functools.lru_cache(maxsize=8)
def _ed25519(stamp: tuple) -> ed25519.Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(Path(stamp[0]).read_bytes(), password=None)
    except (ValueError, TypeError) as error:
        raise SigningKeyError(f"Credential key {stamp[0]}: unreadable ({error})") from None
    if not isinstance(key, ed25519.Ed25519PrivateKey):
        raise SigningKeyError(f"Credential key {stamp[0]}: not an Ed25519 key")
    return key


def credential_key() -> ed25519.Ed25519PrivateKey:
    """The Ed25519 issuer key of Verifiable Credentials and the signed ledger export:
    LMS_SIGNING_CREDENTIAL_KEY (a PEM file), else credential-ed25519.pem in LMS_SIGNING_DIR,
    else the demo's (outside production). Raises SigningKeyError like `agency()`."""
    configured = setting("LMS_SIGNING_CREDENTIAL_KEY")
    if configured:
        return _ed25519(_stamp(Path(configured)))
    folder, _ = _signing_folder()
    return _ed25519(_stamp(folder / demo.CREDENTIAL))


def previous_credential_keys() -> list[ed25519.Ed25519PublicKey]:
    """The public keys of earlier credential keys, still published in the DID document so that
    credentials signed before a rotation keep verifying: LMS_SIGNING_PREVIOUS_CREDENTIAL_KEYS,
    PEM files (public or private keys) separated by commas. Raises SigningKeyError for a file
    that is missing or not an Ed25519 key."""
    found = []
    for name in (setting("LMS_SIGNING_PREVIOUS_CREDENTIAL_KEYS") or "").split(","):
        path = Path(name.strip())
        if not name.strip():
            continue
        try:
            data = path.read_bytes()
        except OSError:
            raise SigningKeyError(f"Previous credential key {path}: not found") from None
        try:
            key = serialization.load_pem_public_key(data)
        except ValueError:
            try:
                key = serialization.load_pem_private_key(data, password=None).public_key()
            except (ValueError, TypeError) as error:
                raise SigningKeyError(
                    f"Previous credential key {path}: unreadable ({error})"
                ) from None
        if not isinstance(key, ed25519.Ed25519PublicKey):
            raise SigningKeyError(f"Previous credential key {path}: not an Ed25519 key")
        found.append(key)
    return found


def is_demo() -> bool:
    """Whether the PDFs are signed with the demo's keys (pages and docs say so)."""
    return agency().demo
