"""Forms and labels of in-person classes: the class, its roster (picked officials or a list of
codes) and the results."""

from flask_wtf.file import FileField
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from lms.catalog.forms import CommaDecimalField, WholeNumberField
from lms.common.forms import BaseForm, VnDateField, input_required, max_length, required
from lms.common.tabular import TABLE_TYPES
from lms.curricula.classes.models import ClassResult
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
        default=80,
        validators=[input_required(), number_range(0, 100)],
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
