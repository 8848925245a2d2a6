"""Forms of the needs and plan pages."""

from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import NumberRange, Optional

from lms.catalog.forms import WholeNumberField
from lms.common.forms import BaseForm, max_length, required
from lms.i18n import _l


class NeedForm(BaseForm):
    """One need of a unit: a course (or a content area when no course fits), how many
    officials, the quarter wanted, which positions (codes, optional), a note."""

    course = SelectField(_l("Course"), validate_choice=False)
    content_area = SelectField(_l("Content area (when no course fits)"), validate_choice=False)
    count = WholeNumberField(
        _l("Number of officials"), validators=[required(), NumberRange(min=1, max=100_000)]
    )
    quarter = SelectField(_l("Quarter wanted"), validators=[required()])
    positions = StringField(_l("Job positions (codes, optional)"), validators=[max_length(255)])
    note = StringField(_l("Note"), validators=[max_length(500)])


class ReasonForm(BaseForm):
    """Return submitted needs or reopen the approved plan, with a reason."""

    reason = StringField(_l("Reason"), validators=[required(), max_length(500)])


class ClassesForm(BaseForm):
    """The classes planned for a course in a quarter."""

    course_id = HiddenField(validators=[required()])
    quarter = HiddenField(validators=[required()])
    classes = WholeNumberField(
        _l("Classes planned"), validators=[Optional(), NumberRange(min=0, max=1000)]
    )


class ApproveForm(BaseForm):
    """Approve the plan, with the number of the approving decision."""

    decision_no = StringField(_l("Decision number"), validators=[max_length(64)])
