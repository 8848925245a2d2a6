"""Forms of the curricula and cycles manager screens: a position's curriculum (target and
mandatory courses, previewed before saving) and a training cycle with its rules."""

from wtforms import HiddenField, SubmitField
from wtforms.validators import NumberRange

from lms.catalog.forms import CheckboxesField, CommaDecimalField, WholeNumberField
from lms.common.forms import BaseForm, VnDateField, input_required
from lms.i18n import _l


def number_range(low, high):
    """A number between `low` and `high`, with the message every curricula form gives."""
    return NumberRange(low, high, message=_l("Enter a number from %(min)s to %(max)s."))


class CurriculumForm(BaseForm):
    """A curriculum: cycle target and mandatory courses. `preview` shows who the change
    affects; `save` is accepted only with the digest of the preview the user saw."""

    target_credits = CommaDecimalField(
        _l("Cycle credit target (TC)"), validators=[input_required(), number_range(0, 100)]
    )
    courses = CheckboxesField(_l("Mandatory courses"), choices=[])
    digest = HiddenField()
    preview = SubmitField(_l("Preview the change"))
    save = SubmitField(_l("Save"))


class CycleForm(BaseForm):
    """A training cycle and its rules (DESIGN.md §3)."""

    year = WholeNumberField(_l("Year"), validators=[input_required(), number_range(2000, 2100)])
    starts_on = VnDateField(_l("First day"), validators=[input_required()])
    ends_on = VnDateField(_l("Last day"), validators=[input_required()])
    due_days = WholeNumberField(
        _l("Days to complete a new position's mandatory courses"),
        validators=[input_required(), number_range(1, 730)],
    )
    notice_days = WholeNumberField(
        _l(
            "Days given at least to complete a course required late (even past the cycle's "
            "last day)"
        ),
        validators=[input_required(), number_range(1, 365)],
    )
    renewal_window_days = WholeNumberField(
        _l("Days before a certificate expires when its renewal is due"),
        validators=[input_required(), number_range(0, 365)],
    )
    at_risk_days = WholeNumberField(
        _l("At risk when a mandatory course is due within (days)"),
        validators=[input_required(), number_range(0, 365)],
    )
    pace_slack = CommaDecimalField(
        _l("At risk when credits are behind the linear pace by more than (TC)"),
        validators=[input_required(), number_range(0, 100)],
    )
