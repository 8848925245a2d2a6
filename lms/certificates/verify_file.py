"""Verifying a PDF file (issue 27): its signature (lms.signing.verify) and, for a certificate,
the record its signature names (the verification address in /ContactInfo): holder, course,
revoked or not. The same answer for `flask --app lms certificates verify-file FILE` and the
upload form of /verify. The file is never stored; each look-up of a record is logged like a
code typed in (VerificationLog, channel "file" or "cli")."""

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from flask_babel import format_datetime

from lms.certificates import services
from lms.certificates.models import EXPIRED, REVOKED
from lms.i18n import _
from lms.signing import verify

MAX_BYTES = 5 * 1024 * 1024  # the largest file the upload form accepts (a certificate: ~60 KB)
CERTIFICATE_PATH = re.compile(r"^/verify/([A-Za-z0-9_-]{1,64})$")
PROGRAMME_PATH = re.compile(r"^/verify/programme/([A-Za-z0-9_-]{1,64})$")

CERTIFICATE, PROGRAMME, DOCUMENT = "certificate", "programme", "document"


@dataclass(frozen=True)
class FileAnswer:
    """The signature check, what kind of document the file is (a certificate, a programme
    certificate, or another signed document: transcript, statement), the certificate's record
    when it is one (None: not found), and whether the file is good: intact, ours and, for a
    certificate, found and not revoked."""

    check: verify.SignatureCheck
    kind: str
    record: services.Verification | None
    reference: str

    @property
    def ok(self) -> bool:
        if not self.check.intact:
            return False
        if self.kind == CERTIFICATE:
            return self.record is not None and self.record.status != REVOKED
        return True

    def lines(self) -> list[str]:
        """The explanation, in the current language, one sentence a line (the command line's
        answer; the page shows the signer in a list of its own)."""
        signed = [signed_line(self.check)] if self.check.signer else []
        return [*signature_lines(self.check), *signed, *self.record_lines()]

    def record_lines(self) -> list[str]:
        """What our records say of the document the file names."""
        if not self.check.intact:
            return []
        if self.kind == PROGRAMME:
            return [
                _(
                    "It is a programme certificate; its current status is on its page: %(url)s",
                    url=self.reference,
                )
            ]
        if self.kind == DOCUMENT:
            return [
                _("It is not a certificate (a transcript or a statement): no record to compare.")
            ]
        record = self.record
        if record is None:
            return [_("The certificate it names is not in our records.")]
        lines = [
            _(
                "Our records: certificate of %(holder)s for the course “%(course)s”, issued on "
                "%(issued)s.",
                holder=record.holder_name,
                course=record.course_title,
                issued=record.issued_on.strftime("%d/%m/%Y"),
            )
        ]
        if record.status == REVOKED:
            lines.append(_("This certificate was revoked: it is no longer valid."))
        elif record.status == EXPIRED:
            lines.append(_("This certificate has expired."))
        else:
            lines.append(_("This certificate is valid."))
        if record.replaced:
            lines.append(_("A corrected certificate was issued in its place."))
        return lines


def signature_lines(check: verify.SignatureCheck) -> list[str]:
    """What the signature check found, in words."""
    state = check.state
    if state == verify.NOT_PDF:
        return [_("This file is not a PDF.")]
    if state == verify.UNREADABLE:
        return [_("This PDF cannot be read: it is damaged or was changed.")]
    if state == verify.UNSIGNED:
        return [_("This PDF carries no signature: it proves nothing by itself.")]
    if state == verify.BROKEN:
        return [
            _("The signature does not match the content: the file was changed after it was signed.")
        ]
    if state == verify.MODIFIED:
        return [
            _("The signature is intact, but content was added to the file after it was signed.")
        ]
    if state == verify.FOREIGN:
        return [_("The signature is intact, but it is not our agency's.")]
    lines = [_("The signature is intact: the file is exactly as the agency signed it.")]
    if check.timestamped:
        lines.append(_("The signing time is certified by a timestamping authority."))
    if check.demo:
        lines.append(_("Signed with the demo keys: not valid outside a demonstration."))
    return lines


def signing_moment(check: verify.SignatureCheck) -> str:
    """The signing time, in Vietnam's time zone: dd/mm/yyyy hh:mm."""
    if check.signed_at is None:
        return "?"
    return format_datetime(check.signed_at, "dd/MM/yyyy HH:mm")


def signed_line(check: verify.SignatureCheck) -> str:
    """Who signed and when, in one sentence."""
    return _(
        "Signed by %(signer)s (certificate issued by %(issuer)s) on %(moment)s.",
        signer=check.signer,
        issuer=check.issuer,
        moment=signing_moment(check),
    )


def _kind(reference: str) -> tuple[str, str]:
    path = unquote(urlsplit(reference).path) if reference else ""
    if match := CERTIFICATE_PATH.match(path):
        return CERTIFICATE, match.group(1)
    if PROGRAMME_PATH.match(path):
        return PROGRAMME, ""
    return DOCUMENT, ""


def check_file(data: bytes, channel: str, address: str) -> FileAnswer:
    """Check `data` (a PDF's bytes) and look its certificate up (logged, flushed: the caller
    commits)."""
    check = verify.check_pdf(data)
    kind, code = _kind(check.reference) if check.intact else (DOCUMENT, "")
    record = services.verify(code, channel, address) if kind == CERTIFICATE else None
    return FileAnswer(check, kind, record, check.reference)
