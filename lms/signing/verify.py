"""Checking a signed PDF (docs/signing.md "Verifying a file"): is its signature intact, does it
cover the whole document, who signed it and when, and is the signer our agency (the configured
certificate's subject, issued under the roots of its chain). The record the file stands for is
read from the signature's contact information (/ContactInfo: the document's public verification
address, written by lms/signing/pdf.py inside the signed bytes); the domains that own such
addresses look the record up (lms/certificates/verify_file.py).

Never raises on a hostile file: anything pyHanko cannot read is "unreadable".
"""

import io
import logging
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from lms.signing import keys

PDF_MAGIC = b"%PDF-"

# What a check finds, worst first.
NOT_PDF = "not_pdf"  # not a PDF at all
UNREADABLE = "unreadable"  # looks like a PDF, cannot be read
UNSIGNED = "unsigned"  # no signature
BROKEN = "broken"  # the signature does not match the content: changed after signing
MODIFIED = "modified"  # the signature is intact but content was added after it
FOREIGN = "foreign"  # intact, but not signed by our agency
INTACT = "intact"  # intact, whole document, signed by our agency

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignatureCheck:
    """The answer about a file. `signer` is the signing certificate's common name, `signed_at`
    the signing time (the timestamp's when there is one, `timestamped` True), `reference` the
    verification address in the signature ("" if none)."""

    state: str
    signer: str = ""
    issuer: str = ""
    signed_at: datetime | None = None
    timestamped: bool = False
    reference: str = ""
    demo: bool = False

    @property
    def intact(self) -> bool:
        return self.state == INTACT


def _name(name: asn1_x509.Name) -> str:
    for key in ("common_name", "organization_name"):
        if key in name.native:
            value = name.native[key]
            return value[0] if isinstance(value, list) else value
    return name.human_friendly


def _ours() -> tuple[ValidationContext, asn1_x509.Name]:
    """A context trusting the roots of our agency's chain, and the subject we sign as."""
    agency = keys.agency()
    everything = [agency.certificate, *agency.chain]

    def convert(certificate):
        return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))

    roots = [convert(c) for c in everything if c.issuer == c.subject] or [convert(everything[-1])]
    context = ValidationContext(
        trust_roots=roots,
        other_certs=[convert(c) for c in agency.chain],
        allow_fetching=False,
        revocation_mode="soft-fail",
    )
    return context, convert(agency.certificate).subject


def _text(value) -> str:
    return str(value) if value is not None else ""


def check_pdf(data: bytes) -> SignatureCheck:
    """What `data` proves (see the module's docstring). The last signature of the file counts:
    ours is the only one a document we issue carries."""
    if not data.lstrip()[:5].startswith(PDF_MAGIC):
        return SignatureCheck(NOT_PDF)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 (hostile files raise anything)
        log.info("an uploaded PDF could not be read", exc_info=True)
        return SignatureCheck(UNREADABLE)
    if not signatures:
        return SignatureCheck(UNSIGNED)
    signature = signatures[-1]
    try:
        reference = _text(signature.sig_object.get("/ContactInfo"))
        context, subject = _ours()
        status = validate_pdf_signature(
            signature,
            signer_validation_context=context,
            key_usage_settings=KeyUsageConstraints(key_usage={"non_repudiation"}),
        )
    except (SignatureValidationError, ValueError, KeyError, TypeError):
        log.info("an uploaded PDF's signature could not be checked", exc_info=True)
        return SignatureCheck(BROKEN)
    except keys.SigningKeyError:
        raise
    except Exception:  # noqa: BLE001
        log.info("an uploaded PDF's signature could not be read", exc_info=True)
        return SignatureCheck(UNREADABLE)
    certificate = status.signing_cert
    timestamp = status.timestamp_validity
    found = SignatureCheck(
        state=INTACT,
        signer=_name(certificate.subject),
        issuer=_name(certificate.issuer),
        signed_at=timestamp.timestamp if timestamp else status.signer_reported_dt,
        timestamped=timestamp is not None and timestamp.intact and timestamp.valid,
        reference=reference,
        demo=_name(certificate.issuer) == keys.demo.DEMO_CA_NAME,
    )
    if not (status.intact and status.valid):
        return _with(found, BROKEN)
    if not _whole(status):
        return _with(found, MODIFIED)
    if not status.trusted or certificate.subject != subject:
        return _with(found, FOREIGN)
    return found


def _whole(status) -> bool:
    """The signature covers the file, or only validation information was added after it."""
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    level = status.modification_level
    return (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and level is not None
        and level <= ModificationLevel.LTA_UPDATES
    )


def _with(found: SignatureCheck, state: str) -> SignatureCheck:
    return SignatureCheck(
        state=state,
        signer=found.signer,
        issuer=found.issuer,
        signed_at=found.signed_at,
        timestamped=found.timestamped,
        reference=found.reference if state != BROKEN else "",
        demo=found.demo,
    )
