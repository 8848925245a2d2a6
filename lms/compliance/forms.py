"""Forms of the compliance pages: a bulk export (with its reason), closing or re-opening a
cycle, a review snapshot. The statuses' names are lms.compliance.models.ComplianceStatus."""

from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField

from lms.common.forms import BaseForm, VnDateField, input_required, max_length, required
from lms.common.tabular import TABLE_TYPES
from lms.i18n import _l


class ExportForm(BaseForm):
    """A bulk export of personal data needs a stated reason (it is logged)."""

    reason = StringField(_l("Reason for the export"), validators=[required(), max_length(255)])
    fmt = SelectField(_l("Format"), choices=[("xlsx", "Excel (.xlsx)"), ("csv", "CSV")])


class CloseForm(BaseForm):
    """Close a cycle for a unit subtree (HR), or re-open it (administrators, with a reason)."""

    unit = SelectField(_l("Unit"), validators=[required()])
    reason = StringField(_l("Reason"), validators=[max_length(500)])


class ReviewForm(BaseForm):
    """Freeze the review statements of a unit subtree as of a review date inside the cycle."""

    unit = SelectField(_l("Unit"), validators=[required()])
    as_of = VnDateField(_l("Review date"), validators=[input_required()])


class RatingForm(BaseForm):
    """One official's annual rating for a cycle (the list page has one per official)."""

    official = HiddenField(validators=[required()])
    level = SelectField(_l("Rating"), validators=[required()])
    weak_areas = SelectMultipleField(_l("Content areas found weak"), validate_choice=False)
    weak_courses = StringField(_l("Courses found weak"), validators=[max_length(255)])


class ApplyRatingsForm(BaseForm):
    """Apply the previewed courses (a button: the form carries the CSRF token)."""


class RatingsImportForm(BaseForm):
    """Upload of a ratings file (CSV or XLSX) for a dry run."""

    file = FileField(
        _l("File (.csv or .xlsx)"),
        validators=[FileRequired(_l("Choose a file."))],
        render_kw={"accept": TABLE_TYPES},
    )
