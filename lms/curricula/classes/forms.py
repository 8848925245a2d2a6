"""Forms and labels of in-person classes: the class, its roster (picked officials or a list of
codes) and the results."""

from flask_wtf.file import FileField
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
    TimeField,
)
from wtforms.validators import Optional

from lms.catalog.forms import CheckboxesField, CommaDecimalField, WholeNumberField
from lms.common.forms import BaseForm, VnDateField, input_required, max_length, required
from lms.common.tabular import TABLE_TYPES
from lms.curricula.classes.models import AttendanceMark, ClassResult, JoinMode, TrainerKind
from lms.curricula.cycles.forms import number_range
from lms.i18n import _l

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
        _l("Sessions"), default=1, validators=[input_required(), number_range(1, 500)]
    )
    min_attendance_percent = WholeNumberField(
        _l("Minimum attendance (%)"),
        default=100,
        validators=[input_required(), number_range(0, 100)],
    )
    capacity = WholeNumberField(_l("Places"), validators=[Optional(), number_range(1, 10_000)])
    join_mode = SelectField(
        _l("Who may join"), choices=JoinMode.choices(), default=JoinMode.NOMINATED.value
    )
    enrol_opens_on = VnDateField(_l("Sign-up opens"), validators=[Optional()])
    enrol_closes_on = VnDateField(_l("Sign-up closes"), validators=[Optional()])
    cancel_closes_on = VnDateField(_l("Last day to cancel"), validators=[Optional()])
    positions = CheckboxesField(_l("Open to these positions"), choices=[], validate_choice=False)
    units = CheckboxesField(_l("Open to these units"), choices=[], validate_choice=False)
    final_test = SelectField(_l("Final test (optional)"), choices=[], validate_choice=False)


class SessionForm(BaseForm):
    """A session: the day, local start and end times, topic, venue and trainer."""

    day = VnDateField(_l("Day"), validators=[input_required()])
    starts = TimeField(_l("Starts at"), validators=[input_required()])
    ends = TimeField(_l("Ends at"), validators=[input_required()])
    topic = StringField(_l("Topic"), validators=[Optional(), max_length(255)])
    venue = SelectField(_l("Venue"), choices=[], validate_choice=False)
    trainer = SelectField(_l("Trainer"), choices=[], validate_choice=False)


class TrainerForm(BaseForm):
    """A trainer: an internal official (by employee code) or an external lecturer."""

    name = StringField(_l("Name"), validators=[required(), max_length(255)])
    kind = SelectField(_l("Trainer type"), choices=TrainerKind.choices())
    employee_code = StringField(
        _l("Employee code (internal trainer)"), validators=[Optional(), max_length(32)]
    )
    organisation = StringField(_l("Organisation"), validators=[Optional(), max_length(255)])
    email = StringField(_l("Email"), validators=[Optional(), max_length(255)])
    is_active = BooleanField(_l("Active"), default=True)


class VenueForm(BaseForm):
    """A venue and how many it seats."""

    name = StringField(_l("Name"), validators=[required(), max_length(255)])
    address = StringField(_l("Address"), validators=[Optional(), max_length(255)])
    capacity = WholeNumberField(
        _l("Seats"), default=30, validators=[input_required(), number_range(1, 10_000)]
    )
    is_active = BooleanField(_l("Active"), default=True)


class CancelForm(BaseForm):
    """Cancelling a place, with an optional reason."""

    reason = TextAreaField(_l("Reason (optional)"), validators=[Optional(), max_length(500)])


class RosterCodesForm(BaseForm):
    """Employee codes pasted (one a line, or separated by commas) or in a .csv/.xlsx file."""

    codes = TextAreaField(_l("Employee codes"), validators=[Optional(), max_length(200_000)])
    file = FileField(
        _l("Or a file (.csv or .xlsx) with the codes in the first column"),
        render_kw={"accept": TABLE_TYPES},
    )
    outside_period = BooleanField(_l("Add outside the sign-up period"))


class RosterPickForm(BaseForm):
    """Officials picked from a search result, by employee code."""

    picked = SelectMultipleField(_l("Officials"), choices=[], validate_choice=False)
    outside_period = BooleanField(_l("Add outside the sign-up period"))


class ResultRow(Form):
    """One roster line of the results page (no CSRF of its own: the page's form has it)."""

    member_id = HiddenField()
    sessions_attended = WholeNumberField(_l("Sessions attended"), validators=[Optional()])
    score = CommaDecimalField(_l("Score"), validators=[Optional(), number_range(0, 100)])
    result = SelectField(
        _l("Result"),
        choices=ClassResult.choices(blank="—"),
        validators=[Optional()],
    )


class ResultsForm(BaseForm):
    """Attendance and results of a whole roster, and the reason for withdrawing a pass."""

    rows = FieldList(FormField(ResultRow), min_entries=0, max_entries=5000)
    reason = TextAreaField(
        _l("Reason for changing a passed result"), validators=[Optional(), max_length(1000)]
    )


class MarkRow(Form):
    """One official's line of a session's tick list (the page's form carries the CSRF token)."""

    member_id = HiddenField()
    mark = SelectField(
        _l("Attendance"),
        choices=AttendanceMark.choices(blank="—"),
        validators=[Optional()],
    )


class AttendanceForm(BaseForm):
    """A session's tick list: one mark per official holding a place."""

    rows = FieldList(FormField(MarkRow), min_entries=0, max_entries=5000)


class DecideForm(BaseForm):
    """Deciding the undecided results from attendance, with an optional minimum score."""

    min_score = CommaDecimalField(
        _l("Minimum score to pass (optional)"), validators=[Optional(), number_range(0, 100)]
    )
