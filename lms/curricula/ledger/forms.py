"""Forms and labels of the HR ledger pages: a manual entry, and a
reason (reversing an entry; rejecting an external record)."""

from wtforms import (
    StringField,
    TextAreaField,
)

from lms.catalog.forms import CommaDecimalField
from lms.common.forms import BaseForm, VnDateField, input_required, max_length, required
from lms.curricula.cycles.forms import number_range
from lms.i18n import _l


class ReasonForm(BaseForm):
    """A reason, required (reverse a ledger entry, reject an external record)."""

    reason = TextAreaField(_l("Reason"), validators=[required(), max_length(1000)])


# --- HR ledger -----------------------------------------------------------------------------


class ManualEntryForm(BaseForm):
    """Credits HR adds by hand (a seminar, a correction), with the reason."""

    title = StringField(_l("Title"), validators=[required(), max_length(255)])
    credits = CommaDecimalField(
        _l("Credits"), validators=[input_required(), number_range(0.01, 100)]
    )
    earned_on = VnDateField(_l("Earned on"), validators=[input_required()])
    reason = TextAreaField(_l("Reason"), validators=[required(), max_length(1000)])
