"""Forms of the marking pages: appointing a marker, a marker's mark, an appeal (recorded by the
secretary, or the candidate's own), a scanned paper (one, or a ZIP), and the public look-up of
a result."""

from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from lms.common.forms import BaseForm, VnDateField
from lms.i18n import _l


class MarkerForm(BaseForm):
    """The username of the staff account to appoint as a marker."""

    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])


class MarkForm(BaseForm):
    """A marker's mark of one paper (checked against the scale by the service)."""

    mark = StringField(_l("Mark"), validators=[DataRequired(), Length(max=10)])
    note = TextAreaField(_l("Note for the marking board"), validators=[Length(max=2000)])


class AppealForm(BaseForm):
    """An appeal recorded by the secretary from a candidate's letter."""

    number = StringField(_l("Candidate number"), validators=[DataRequired(), Length(max=16)])
    reason = TextAreaField(_l("Reason"), validators=[Length(max=2000)])


class CandidateAppealForm(BaseForm):
    """A candidate's own appeal (đơn phúc khảo) of one marked part: why they ask."""

    reason = TextAreaField(
        _l("Reason for the appeal"), validators=[DataRequired(), Length(max=2000)]
    )


class ScanForm(BaseForm):
    """One candidate's scanned written paper, uploaded by the clerk."""

    number = StringField(_l("Candidate number"), validators=[DataRequired(), Length(max=16)])
    file = FileField(
        _l("Scanned paper (PDF, PNG or JPEG)"), validators=[FileRequired(_l("Choose a file."))]
    )


class ScanZipForm(BaseForm):
    """A ZIP of scanned papers, each file named by its candidate number (TD2026-0001.pdf)."""

    archive = FileField(
        _l("ZIP of scanned papers"), validators=[FileRequired(_l("Choose a file."))]
    )


class LookupForm(BaseForm):
    """The public look-up (GET, no CSRF): candidate number and date of birth."""

    class Meta:
        csrf = False

    number = StringField(_l("Candidate number"), validators=[Optional(), Length(max=16)])
    born_on = VnDateField(_l("Date of birth"), validators=[Optional()])
