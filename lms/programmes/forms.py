"""Forms of the programme screens."""

from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField

from lms.common.forms import BaseForm, ButtonForm, required
from lms.common.tabular import TABLE_TYPES
from lms.i18n import _l
from lms.organisation.models import Position
from lms.programmes import positions


class RequireForm(BaseForm):
    """Make a job position require a programme (choices: the programmes it does not yet)."""

    programme = SelectField(_l("Programme"), choices=[], validators=[required()])


class CertificatesImportForm(BaseForm):
    """Upload of a historical chứng chỉ file (CSV or XLSX) for a dry run."""

    file = FileField(
        _l("File (.csv or .xlsx)"),
        validators=[FileRequired(_l("Choose a file."))],
        render_kw={"accept": TABLE_TYPES},
    )


def position_panel(position: Position) -> dict:
    """The position's curriculum page section (lms.curricula's EDIT_PANELS)."""
    form = RequireForm(formdata=None)
    form.programme.choices = [(p.code, f"{p.code} — {p.title}") for p in positions.others(position)]
    return {
        "required": positions.required_of_position(position),
        "form": form,
        "remove_form": ButtonForm(formdata=None),
    }
