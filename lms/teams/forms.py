"""Forms of the teams pages: a nomination, the head's decision on a request, a unit's head
settings."""

from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import NumberRange, Optional

from lms.catalog.forms import CheckboxesField, WholeNumberField
from lms.common.forms import BaseForm, VnDateField, input_required, max_length, required
from lms.i18n import _l


class NominationForm(BaseForm):
    """Nominate officials of the team to a course, with a reason."""

    course = SelectField(_l("Course"), validators=[required()])
    officials = CheckboxesField(_l("Officials"), validators=[required()])
    reason = TextAreaField(
        _l("Reason for the nomination"), validators=[required(), max_length(1000)]
    )
    wanted_by = VnDateField(_l("To be completed by"), validators=[Optional()])


class ClassNominationForm(BaseForm):
    """Nominate officials of the team to an in-person class, with a reason."""

    klass = SelectField(_l("In-person class"), validators=[required()])
    officials = CheckboxesField(_l("Officials"), validators=[required()])
    reason = TextAreaField(
        _l("Reason for the nomination"), validators=[required(), max_length(500)]
    )
    outside_period = BooleanField(_l("Add outside the sign-up period"))


class DecisionForm(BaseForm):
    """The head's decision on a request: approve (reason optional) or decline (reason required,
    checked by the service)."""

    reason = TextAreaField(_l("Reason"), validators=[Optional(), max_length(1000)])


class TeamSettingsForm(BaseForm):
    """A unit's settings for its head."""

    head_approval = BooleanField(_l("External training needs the head's approval before HR"))
    escalation_days = WholeNumberField(
        _l("Days after the due date before the head is told"),
        validators=[input_required(), NumberRange(0, 365)],
    )


class PlaceRequestForm(BaseForm):
    """An official asks for a place in a class filled by nomination, with a reason."""

    klass = SelectField(_l("In-person class"), validators=[required()])
    reason = TextAreaField(_l("Why you need this class"), validators=[required(), max_length(1000)])


class HeadForm(BaseForm):
    """HR names an official head of a unit over a period (acting head, a unit whose head post
    the registry does not know)."""

    employee_code = StringField(_l("Employee code"), validators=[required(), max_length(32)])
    started_on = VnDateField(_l("From"), validators=[input_required()])
    ended_on = VnDateField(_l("Until (optional)"), validators=[Optional()])
    decision_no = StringField(_l("Decision number"), validators=[max_length(64)])


class EndHeadForm(BaseForm):
    """End an HR-named headship on its last day."""

    ended_on = VnDateField(_l("Last day"), validators=[input_required()])
