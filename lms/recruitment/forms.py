"""Recruitment forms (WTForms, CSRF through BaseForm)."""

from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Regexp

from lms.common.forms import BaseForm, VnDateField
from lms.common.tabular import TABLE_TYPES
from lms.i18n import _l
from lms.recruitment.rules import Priority


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
