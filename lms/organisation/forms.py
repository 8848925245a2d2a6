"""Forms for the officials registry: search filters, an official's details, a position change."""

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import Optional

from lms.common.forms import (
    BaseForm,
    VnDateField,
    input_required,
    max_length,
    required,
    valid_email,
)
from lms.common.tabular import TABLE_TYPES
from lms.i18n import _l
from lms.organisation.models import Category, Gender, LeaveKind, OfficialStatus


class OfficialForm(BaseForm):
    """An official's own details (not their post: that changes through PositionForm)."""

    employee_code = StringField(_l("Employee code"), validators=[required(), max_length(32)])
    full_name = StringField(_l("Full name"), validators=[required(), max_length(255)])
    gender = SelectField(_l("Gender"), choices=Gender.choices())
    date_of_birth = VnDateField(_l("Date of birth"), validators=[Optional()])
    category = SelectField(_l("Category"), choices=Category.choices())
    email = StringField(_l("Email"), validators=[Optional(), valid_email(), max_length(255)])
    phone = StringField(_l("Phone"), validators=[Optional(), max_length(32)])
    status = SelectField(_l("Status"), choices=OfficialStatus.choices())


class PositionForm(BaseForm):
    """A new post from a date: unit, position and rank are chosen by code."""

    unit = SelectField(_l("Unit"), choices=[], validate_choice=False, validators=[required()])
    position = SelectField(
        _l("Job position"), choices=[], validate_choice=False, validators=[required()]
    )
    rank = SelectField(_l("Rank"), choices=[], validate_choice=False)
    started_on = VnDateField(_l("Starting on"), validators=[input_required()])
    decision_no = StringField(_l("Decision number"), validators=[Optional(), max_length(64)])


class NewOfficialForm(OfficialForm, PositionForm):
    """A new official together with their first post."""


class EndAssignmentForm(BaseForm):
    """Close a concurrent post on a date."""

    ended_on = VnDateField(_l("Ending on"), validators=[input_required()])


class ImportForm(BaseForm):
    """Upload of an officials file (CSV or XLSX) for a dry run."""

    file = FileField(
        _l("File (.csv or .xlsx)"),
        validators=[FileRequired(_l("Choose a file."))],
        render_kw={"accept": TABLE_TYPES},
    )
    full_roster = BooleanField(
        _l("The file lists every official of my units: mark the others as having left")
    )


class ConfirmImportForm(BaseForm):
    """Confirm a checked import; `valid_only` skips the rows in error."""

    valid_only = BooleanField(_l("Import the valid rows only"))
    provision_accounts = BooleanField(
        _l("Also create accounts for the officials in the file who have none")
    )
    email_links = BooleanField(
        _l("Email the activation link to officials who have an email address"), default=True
    )


class ExportForm(BaseForm):
    """A bulk export of personal data needs a stated reason (it is logged)."""

    reason = StringField(_l("Reason for the export"), validators=[required(), max_length(255)])
    fmt = SelectField(_l("Format"), choices=[("xlsx", "Excel (.xlsx)"), ("csv", "CSV")])


class ProvisionForm(BaseForm):
    """Create the missing accounts (or re-issue links) for the officials of a unit subtree
    (empty: every unit in the viewer's scope), emailing the links where there is an address."""

    unit = StringField(_l("Unit"), validators=[Optional(), max_length(32)])
    email = BooleanField(_l("Email the link to officials who have an email address"), default=True)


class LeaveForm(BaseForm):
    """A leave period of an official: its kind, first and last day, and the decision."""

    kind = SelectField(_l("Kind of leave"), choices=LeaveKind.choices())
    starts_on = VnDateField(_l("From"), validators=[input_required()])
    ends_on = VnDateField(_l("To"), validators=[input_required()])
    decision_number = StringField(_l("Decision number"), validators=[Optional(), max_length(64)])


class LeaveImportForm(BaseForm):
    """Upload of a leave file (CSV or XLSX) for a dry run."""

    file = FileField(
        _l("File (.csv or .xlsx)"),
        validators=[FileRequired(_l("Choose a file."))],
        render_kw={"accept": TABLE_TYPES},
    )
