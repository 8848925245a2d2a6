"""Forms of the programme screens."""

from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField

from lms.common.forms import BaseForm, ButtonForm, required
from lms.common.tabular import TABLE_TYPES
from lms.i18n import _l
from lms.organisation.models import Position
from lms.programmes import requirers
from lms.programmes.models import Programme


class RequireForm(BaseForm):
    """Make a job position require a programme (choices: the programmes it does not yet)."""

    programme = SelectField(_l("Programme"), choices=[], validators=[required()])


class RankRequireForm(BaseForm):
    """Make a civil-service rank require the programme (choices: the ranks that do not yet).
    The code is checked by the route against the ranks, so an unknown one gets its own
    message."""

    rank = SelectField(_l("Rank"), choices=[], validators=[required()], validate_choice=False)


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
    choices = requirers.not_required_by(requirers.POSITION, position.code)
    form.programme.choices = [(p.code, f"{p.code} — {p.title}") for p in choices]
    return {
        "required": requirers.required_by(requirers.POSITION, position.code),
        "form": form,
        "remove_form": ButtonForm(formdata=None),
    }


def rank_panel(programme: Programme) -> dict:
    """The programme page's section of the ranks that require it."""
    form = RankRequireForm(formdata=None)
    form.rank.choices = [
        (r.code, f"{r.code} — {r.name}") for r in requirers.ranks_not_requiring(programme)
    ]
    return {
        "required": requirers.requiring(programme, requirers.RANK),
        "form": form,
        "remove_form": ButtonForm(formdata=None),
    }
