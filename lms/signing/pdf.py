"""Signing the PDFs the app issues (docs/signing.md "Signed PDFs"): one PAdES baseline signature
(subfilter ETSI.CAdES.detached, SHA-256) by the agency's key (lms/signing/keys.py), invisible —
the printed signature block is part of the page — with:

- the reason and place shown by PDF readers, and the document's public verification address as
  the signature's contact information (/ContactInfo, inside the signed bytes), which is how a
  signed file is found again in our records (lms/signing/verify.py);
- a document timestamp (RFC 3161) when LMS_SIGNING_TSA_URL is set;
- the validation information for long-term validation (the certificates of the chain, and the
  CRLs or OCSP answers when the certificate names where to get them) in the document's DSS.
"""

import io
import logging
import threading
import time
from dataclasses import dataclass

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.x509 import AuthorityInformationAccessOID, ExtensionOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers, timestamps
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.signers.pdf_signer import DSSContentSettings, SigDSSPlacementPreference
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from lms.signing import keys

FIELD_NAME = "TinChi"  # the signature field's name (readers show it in the signatures panel)
CONTEXT_SECONDS = 3600  # fetched revocation answers are reused this long


# The validation information goes into the signed revision itself (PAdES B-LT in one revision):
# the signature covers the whole file, which readers without incremental-update analysis (and
# pdfsig's "Total document signed") understand.
DSS = DSSContentSettings(
    placement=SigDSSPlacementPreference.TOGETHER_WITH_SIGNATURE, include_vri=False
)
SHA256 = {"sha256": hashes.SHA256()}


class _Signer(signers.SimpleSigner):
    """pyHanko's SimpleSigner with the agency's key kept loaded: the stock one parses the key
    again for every signature (a tenth of a second for RSA, most of the cost)."""

    def __init__(self, private_key, **kwargs):
        super().__init__(**kwargs)
        self._key = private_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        algorithm = mechanism["algorithm"].native
        hash_algorithm = SHA256.get(digest_algorithm)
        rsa_key = isinstance(self._key, rsa.RSAPrivateKey)
        ec_key = isinstance(self._key, ec.EllipticCurvePrivateKey)
        if hash_algorithm and rsa_key and algorithm in ("rsassa_pkcs1v15", "sha256_rsa"):
            return self._key.sign(data, PKCS1v15(), hash_algorithm)
        if hash_algorithm and ec_key and algorithm in ("ecdsa", "sha256_ecdsa"):
            return self._key.sign(data, ec.ECDSA(hash_algorithm))
        return super().sign_raw(data, digest_algorithm)


@dataclass(frozen=True)
class _Prepared:
    signer: signers.SimpleSigner
    trust_roots: tuple
    fetches: bool  # the certificates name CRL or OCSP addresses
    reserve: int  # bytes set aside for the signature container


class _QuietFetching(logging.Filter):
    """pyHanko warns at every signature that validation information is embedded without
    fetching: that is our choice for a chain without CRL or OCSP addresses (the demo's)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "fetching is not allowed" not in record.getMessage()


logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_QuietFetching())

_PREPARED: dict[int, tuple[keys.Agency, _Prepared]] = {}
_CONTEXTS: dict[int, tuple[float, ValidationContext]] = {}
_LOCK = threading.Lock()


def _asn1(certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _names_revocation(certificate) -> bool:
    """Whether the certificate says where to ask for its revocation state (CRL or OCSP)."""
    extensions = {extension.oid: extension.value for extension in certificate.extensions}
    for oid in (ExtensionOID.CRL_DISTRIBUTION_POINTS, ExtensionOID.AUTHORITY_INFORMATION_ACCESS):
        value = extensions.get(oid)
        if value is None:
            continue
        if oid == ExtensionOID.CRL_DISTRIBUTION_POINTS or any(
            d.access_method == AuthorityInformationAccessOID.OCSP for d in value
        ):
            return True
    return False


def _prepare(agency: keys.Agency) -> _Prepared:
    """pyHanko's signer for the agency (asn1crypto objects), made once per loaded key."""
    with _LOCK:
        cached = _PREPARED.get(id(agency))
        if cached and cached[0] is agency:
            return cached[1]
        chain = [_asn1(c) for c in agency.chain]
        signer = _Signer(
            agency.private_key,
            signing_cert=_asn1(agency.certificate),
            signing_key=asn1_keys.PrivateKeyInfo.load(agency.private_key_der),
            cert_registry=SimpleCertificateStore.from_certs(chain),
        )
        everything = [agency.certificate, *agency.chain]
        roots = tuple(
            _asn1(c) for c in everything if c.issuer == c.subject
        )  # self-signed: the roots the chain ends in
        certificates = sum(len(c.public_bytes(serialization.Encoding.DER)) for c in everything)
        prepared = _Prepared(
            signer,
            roots,
            any(_names_revocation(c) for c in everything),
            # the signature, its attributes and the certificates, with room to spare (no
            # estimate: pyHanko would sign twice to measure)
            8192 + 2 * certificates,
        )
        _PREPARED.clear()
        _PREPARED[id(agency)] = (agency, prepared)
        return prepared


def _validation_context(agency: keys.Agency, prepared: _Prepared) -> ValidationContext | None:
    """The context that gathers the validation information to embed: the chain up to its root;
    revocation answers fetched (and reused for CONTEXT_SECONDS) when the certificates say where
    to get them, soft-fail when they cannot be had. None without a root in the chain (nothing
    can be validated: the certificates are still embedded in the signature)."""
    if not prepared.trust_roots:
        return None
    with _LOCK:
        cached = _CONTEXTS.get(id(agency))
        if cached and time.monotonic() - cached[0] < CONTEXT_SECONDS:
            return cached[1]
        context = ValidationContext(
            trust_roots=list(prepared.trust_roots),
            other_certs=[_asn1(c) for c in agency.chain],
            allow_fetching=prepared.fetches,
            revocation_mode="soft-fail",
        )
        _CONTEXTS.clear()
        _CONTEXTS[id(agency)] = (time.monotonic(), context)
        return context


def _timestamper() -> timestamps.TimeStamper | None:
    url = keys.setting("LMS_SIGNING_TSA_URL")
    return timestamps.HTTPTimeStamper(url, timeout=10) if url else None


def sign_pdf(data: bytes, *, reason: str, location: str, contact: str = "") -> bytes:
    """`data` (a PDF) signed by the agency: PAdES baseline B-B, B-T with LMS_SIGNING_TSA_URL,
    with the chain (and revocation answers when there are any) embedded for long-term
    validation. `reason` and `location` are what readers show; `contact` is the document's
    public verification address. Raises keys.SigningKeyError when no key can be used."""
    agency = keys.agency()
    prepared = _prepare(agency)
    context = _validation_context(agency, prepared)
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        reason=reason,
        location=location,
        contact_info=contact or None,
        name=agency.signer_name,
        subfilter=SigSeedSubFilter.PADES,
        embed_validation_info=context is not None,
        validation_context=context,
        dss_settings=DSS,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    timestamper = _timestamper()
    pdf_signer = signers.PdfSigner(metadata, signer=prepared.signer, timestamper=timestamper)
    output = io.BytesIO()
    reserve = prepared.reserve + (16384 if timestamper else 0)  # a token with its TSA's chain
    pdf_signer.sign_pdf(writer, output=output, bytes_reserved=reserve)
    return output.getvalue()
