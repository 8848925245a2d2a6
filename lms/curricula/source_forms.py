"""Forms of the credit sources: in-person classes (class, roster, results), external training
(submission and decision), the HR ledger (manual entry, reversal) and the completions import."""

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import NumberRange, Optional

from lms.catalog.forms import CommaDecimalField, WholeNumberField
from lms.common.forms import BaseForm, VnDateField, input_required, max_length, required
from lms.common.tabular import TABLE_TYPES
from lms.i18n import _l

PASSED, FAILED, ABSENT = "passed", "failed", "absent"
RESULT_LABELS = {PASSED: _l("Passed"), FAILED: _l("Failed"), ABSENT: _l("Absent")}
EXTERNAL_STATUS_LABELS = {
    "submitted": _l("Waiting for HR"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
}
SOURCE_LABELS = {
    "online": _l("Online course"),
    "in_person": _l("In-person class"),
    "external": _l("External training"),
    "manual": _l("Manual entry (HR)"),
    "historical": _l("Historical record"),
}


def _range(low, high):
    return NumberRange(low, high, message=_l("Enter a number from %(min)s to %(max)s."))


class ReasonForm(BaseForm):
    """A reason, required (reverse a ledger entry, reject an external record)."""

    reason = TextAreaField(_l("Reason"), validators=[required(), max_length(1000)])


# --- completions import --------------------------------------------------------------------


class CompletionsImportForm(BaseForm):
    """Upload of a historical completions file (CSV or XLSX) for a dry run."""

    file = FileField(
        _l("File (.csv or .xlsx)"),
        validators=[FileRequired(_l("Choose a file."))],
        render_kw={"accept": TABLE_TYPES},
    )


class ConfirmImportForm(BaseForm):
    """Confirm a checked import; `valid_only` skips the rows in error."""

    valid_only = BooleanField(_l("Import the valid rows only"))


# --- HR ledger -----------------------------------------------------------------------------


class ManualEntryForm(BaseForm):
    """Credits HR adds by hand (a seminar, a correction), with the reason."""

    title = StringField(_l("Title"), validators=[required(), max_length(255)])
    credits = CommaDecimalField(_l("Credits"), validators=[input_required(), _range(0.01, 100)])
    earned_on = VnDateField(_l("Earned on"), validators=[input_required()])
    reason = TextAreaField(_l("Reason"), validators=[required(), max_length(1000)])


# --- in-person classes ---------------------------------------------------------------------


class ClassForm(BaseForm):
    """An in-person class: course, unit, dates, sessions and the attendance needed to pass."""

    course = SelectField(_l("Course"), choices=[], validate_choice=False, validators=[required()])
    unit = SelectField(_l("Organising unit"), choices=[], validate_choice=False)
    title = StringField(_l("Class name"), validators=[required(), max_length(255)])
    location = StringField(_l("Location"), validators=[Optional(), max_length(255)])
    starts_on = VnDateField(_l("First day"), validators=[input_required()])
    ends_on = VnDateField(_l("Last day"), validators=[input_required()])
    sessions = WholeNumberField(
        _l("Sessions"), default=1, validators=[input_required(), _range(1, 500)]
    )
    min_attendance_percent = WholeNumberField(
        _l("Minimum attendance (%)"), default=80, validators=[input_required(), _range(0, 100)]
    )


class RosterCodesForm(BaseForm):
    """Employee codes pasted (one a line, or separated by commas) or in a .csv/.xlsx file."""

    codes = TextAreaField(_l("Employee codes"), validators=[Optional(), max_length(200_000)])
    file = FileField(
        _l("Or a file (.csv or .xlsx) with the codes in the first column"),
        render_kw={"accept": TABLE_TYPES},
    )


class RosterPickForm(BaseForm):
    """Officials picked from a search result, by employee code."""

    picked = SelectMultipleField(_l("Officials"), choices=[], validate_choice=False)


class ResultRow(Form):
    """One roster line of the results page (no CSRF of its own: the page's form has it)."""

    member_id = HiddenField()
    sessions_attended = WholeNumberField(_l("Sessions attended"), validators=[Optional()])
    score = CommaDecimalField(_l("Score"), validators=[Optional(), _range(0, 100)])
    result = SelectField(
        _l("Result"),
        choices=[("", "—"), *RESULT_LABELS.items()],
        validators=[Optional()],
    )


class ResultsForm(BaseForm):
    """Attendance and results of a whole roster, and the reason for withdrawing a pass."""

    rows = FieldList(FormField(ResultRow), min_entries=0, max_entries=5000)
    reason = TextAreaField(
        _l("Reason for changing a passed result"), validators=[Optional(), max_length(1000)]
    )


# --- external training ---------------------------------------------------------------------


class ExternalForm(BaseForm):
    """Training taken elsewhere, submitted by the official with its evidence."""

    title = StringField(_l("Training title"), validators=[required(), max_length(255)])
    organiser = StringField(_l("Organiser"), validators=[required(), max_length(255)])
    starts_on = VnDateField(_l("First day"), validators=[input_required()])
    ends_on = VnDateField(_l("Last day"), validators=[input_required()])
    periods = WholeNumberField(_l("Periods (tiết)"), validators=[input_required(), _range(1, 2000)])
    evidence = FileField(
        _l("Evidence (certificate or decision: PDF, JPG or PNG)"),
        validators=[FileRequired(_l("Choose a file."))],
        render_kw={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"},
    )


class ApproveForm(BaseForm):
    """HR's approval with the credits granted."""

    credits = CommaDecimalField(
        _l("Credits granted"), validators=[input_required(), _range(0.5, 100)]
    )
