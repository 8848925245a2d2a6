"""Forms of the programme screens."""

from wtforms import SelectField

from lms.common.forms import BaseForm, required
from lms.i18n import _l


class RequireForm(BaseForm):
    """Make a job position require a programme (choices: the programmes it does not yet)."""

    programme = SelectField(_l("Programme"), choices=[], validators=[required()])
