"""Forms and labels of the certificate screens."""

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from lms.certificates.models import RevocationReason
from lms.common.forms import BaseForm, max_length, required
from lms.i18n import _l

BULK_LABELS = {
    "course": _l("A course (course code)"),
    "unit": _l("A unit and its sub-units (unit code)"),
    "class": _l("An in-person class (class number)"),
}


class RevokeForm(BaseForm):
    """Revoke a certificate: a reason of the Circular and a note for the file."""

    reason = SelectField(
        _l("Reason"),
        choices=RevocationReason.choices(blank="—"),
        validators=[required()],
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), max_length(2000)])


class ReissueForm(BaseForm):
    """Re-issue a certificate with corrected data (the old one is revoked as issuer's error)."""

    note = TextAreaField(_l("What was corrected"), validators=[required(), max_length(2000)])


class BulkForm(BaseForm):
    """Choose the certificates to download as one .zip file."""

    kind = SelectField(_l("Certificates of"), choices=list(BULK_LABELS.items()))
    value = StringField(_l("Code or number"), validators=[required(), max_length(64)])


class VerifyFileForm(BaseForm):
    """A PDF to check (/verify): its signature and the certificate it names. Never stored."""

    document = FileField(
        _l("PDF file"),
        validators=[
            FileRequired(message=_l("Choose a PDF file.")),
            FileAllowed(["pdf"], message=_l("Only PDF files can be checked.")),
        ],
        render_kw={"accept": ".pdf,application/pdf"},
    )
