"""Recruitment forms (WTForms, CSRF through BaseForm): the candidate's session code, the
invigilator's incident, the candidates import, the online application, and the set-up forms of
HR (recruitment, position, room, session, invigilator). The set-up rules themselves are the
services' (lms.recruitment.services, lms.recruitment.rooms): the forms only read the values."""

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateTimeLocalField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from lms.catalog.forms import WholeNumberField
from lms.common.forms import BaseForm, VnDateField, input_required, max_length, required
from lms.common.tabular import TABLE_TYPES
from lms.i18n import _l
from lms.recruitment.models import ExamSubject, RecruitmentStatus
from lms.recruitment.rules import Priority


def _range(low, high):
    return NumberRange(low, high, message=_l("Enter a number from %(min)s to %(max)s."))


class SessionCodeForm(BaseForm):
    """The session code a candidate types to start their paper."""

    code = StringField(
        _l("Session code"),
        validators=[DataRequired(), Length(max=16)],
        render_kw={"autocapitalize": "characters", "spellcheck": "false", "autocomplete": "off"},
    )


class IncidentForm(BaseForm):
    """An invigilator's note about an incident, perhaps with minutes added to a candidate."""

    seat = IntegerField(
        _l("Seat"),
        validators=[DataRequired(), NumberRange(min=1, max=10_000)],
        render_kw={"inputmode": "numeric"},
    )
    minutes = IntegerField(_l("Minutes added"), default=0, validators=[NumberRange(min=0, max=120)])
    note = TextAreaField(_l("What happened"), validators=[DataRequired(), Length(max=2000)])


class CandidatesImportForm(BaseForm):
    """Upload of a candidates file (CSV or XLSX) for a dry run."""

    file = FileField(
        _l("File (.csv or .xlsx)"),
        validators=[FileRequired(_l("Choose a file."))],
        render_kw={"accept": TABLE_TYPES},
    )


class ApplicationForm(BaseForm):
    """The public online application (during the application window)."""

    position = SelectField(_l("Position applied for"), validators=[DataRequired()])
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    born_on = VnDateField(_l("Date of birth (dd/mm/yyyy)"), validators=[DataRequired()])
    id_number = StringField(
        _l("Identity number (CCCD, 12 digits)"),
        validators=[DataRequired(), Regexp(r"^\d{12}$", message=_l("12 digits."))],
        render_kw={"inputmode": "numeric"},
    )
    email = StringField(
        _l("Email"),
        validators=[DataRequired(), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"), Length(max=200)],
    )
    phone = StringField(_l("Phone"), validators=[DataRequired(), Regexp(r"^\+?[0-9 .]{8,20}$")])
    priority = SelectField(_l("Priority category"), choices=Priority.choices(), default="")
    password = PasswordField(
        _l("Password of your candidate account"), validators=[DataRequired(), Length(max=128)]
    )


# --- set-up (HR) ---------------------------------------------------------------------------


class RecruitmentForm(BaseForm):
    """A recruitment; the code is asked for only when it is created."""

    code = StringField(
        _l("Code (e.g. TD2027)"),
        validators=[required(), max_length(16)],
        render_kw={"autocapitalize": "characters", "spellcheck": "false"},
    )
    name = StringField(_l("Name"), validators=[required(), max_length(255)])
    year = WholeNumberField(_l("Year"), validators=[input_required(), _range(2000, 2100)])
    unit = SelectField(_l("Organising unit"), choices=[])
    opens_on = VnDateField(_l("Online applications open on"), validators=[Optional()])
    closes_on = VnDateField(_l("Online applications close on"), validators=[Optional()])
    appeal_days = WholeNumberField(
        _l("Days for appeals after publication"),
        default=15,
        validators=[input_required(), _range(1, 365)],
    )
    status = SelectField(
        _l("Status"), choices=RecruitmentStatus.choices(), default=RecruitmentStatus.DRAFT.value
    )


class PositionForm(BaseForm):
    """A position to fill and its quota, in one of the manager's units."""

    code = StringField(
        _l("Position code (e.g. VT01)"),
        validators=[required(), max_length(32)],
        render_kw={"autocapitalize": "characters", "spellcheck": "false"},
    )
    title = StringField(_l("Position"), validators=[required(), max_length(255)])
    unit = SelectField(_l("Unit"), choices=[])
    quota = WholeNumberField(
        _l("Quota"), default=1, validators=[input_required(), _range(1, 10_000)]
    )


class RoomForm(BaseForm):
    """An exam room and its seats."""

    name = StringField(_l("Room name"), validators=[required(), max_length(64)])
    seats = WholeNumberField(
        _l("Seats"), default=30, validators=[input_required(), _range(1, 10_000)]
    )
    location = StringField(_l("Location"), validators=[Optional(), max_length(255)])


class LocalDateTimeField(DateTimeLocalField):
    """A Vietnam-time moment, as <input type=datetime-local> sends it or typed
    dd/mm/yyyy hh:mm."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"])
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        if valuelist and len(valuelist[0]) > 32:
            self.data = None
            raise ValueError(_l("Enter a time as dd/mm/yyyy hh:mm."))
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Enter a time as dd/mm/yyyy hh:mm.")) from None


class ExamSessionForm(BaseForm):
    """An exam session: room, window (Vietnam time), paper and the session code."""

    title = StringField(
        _l("Title (e.g. Round 1 — General knowledge)"), validators=[Optional(), max_length(255)]
    )
    round = SelectField(_l("Round"), choices=[("1", "1"), ("2", "2")], default="1")
    subject = SelectField(_l("Subject"), choices=ExamSubject.choices(), default="general")
    room = SelectField(_l("Room"), choices=[])
    starts_at = LocalDateTimeField(_l("Starts (Vietnam time)"), validators=[input_required()])
    ends_at = LocalDateTimeField(_l("Ends (Vietnam time)"), validators=[input_required()])
    duration_minutes = WholeNumberField(
        _l("Paper duration (minutes)"), default=60, validators=[input_required(), _range(1, 1440)]
    )
    bank = SelectField(_l("Question bank (course)"), choices=[])
    blueprint = TextAreaField(
        _l("Paper blueprint: one row a line, TOPIC:DIFFICULTY:COUNT"),
        validators=[Optional(), max_length(5000)],
    )
    allowed_networks = StringField(
        _l("Allowed IP ranges (empty: any)"), validators=[Optional(), max_length(1000)]
    )
    code = StringField(
        _l("Session code (empty: generated)"),
        validators=[Optional(), max_length(16)],
        render_kw={"autocapitalize": "characters", "spellcheck": "false", "autocomplete": "off"},
    )


class InvigilatorForm(BaseForm):
    """The account to name invigilator: a username, typed or picked from the search."""

    username = StringField(_l("Username"), validators=[required(), max_length(64)])
