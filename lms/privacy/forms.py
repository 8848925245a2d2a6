"""Forms of the personal-data requests: the official's request and HR's outcome."""

from wtforms import SelectField, TextAreaField

from lms.common.forms import BaseForm, max_length, required
from lms.i18n import _l
from lms.privacy.models import RequestKind
from lms.privacy.requests import DETAILS_MAX, OUTCOME_MAX


class RequestForm(BaseForm):
    """An official asks to correct, restrict or delete their data."""

    kind = SelectField(_l("What you ask for"), validators=[required()])
    details = TextAreaField(
        _l("Which data, and what should change"),
        validators=[required(), max_length(DETAILS_MAX)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k.value, k.label) for k in RequestKind]


class OutcomeForm(BaseForm):
    """What HR did about a request, or why it is refused."""

    outcome = TextAreaField(
        _l("What was done, or the reason for refusing"),
        validators=[required(), max_length(OUTCOME_MAX)],
    )
