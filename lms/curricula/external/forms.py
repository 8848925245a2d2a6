"""Forms of external training: an official's submission and HR's approval."""

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    StringField,
)

from lms.catalog.forms import CommaDecimalField, WholeNumberField
from lms.common.forms import BaseForm, VnDateField, input_required, max_length, required
from lms.curricula.cycles.forms import number_range
from lms.i18n import _l

# --- external training ---------------------------------------------------------------------


class ExternalForm(BaseForm):
    """Training taken elsewhere, submitted by the official with its evidence."""

    title = StringField(_l("Training title"), validators=[required(), max_length(255)])
    organiser = StringField(_l("Organiser"), validators=[required(), max_length(255)])
    starts_on = VnDateField(_l("First day"), validators=[input_required()])
    ends_on = VnDateField(_l("Last day"), validators=[input_required()])
    periods = WholeNumberField(
        _l("Periods (tiết)"), validators=[input_required(), number_range(1, 2000)]
    )
    evidence = FileField(
        _l("Evidence (certificate or decision: PDF, JPG or PNG)"),
        validators=[FileRequired(_l("Choose a file."))],
        render_kw={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"},
    )


class ApproveForm(BaseForm):
    """HR's approval with the credits granted."""

    credits = CommaDecimalField(
        _l("Credits granted"), validators=[input_required(), number_range(0.5, 100)]
    )
