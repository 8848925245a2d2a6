"""Forms of the historical completions import: the upload and the confirmation."""

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
)

from lms.common.forms import BaseForm
from lms.common.tabular import TABLE_TYPES
from lms.i18n import _l

# --- completions import --------------------------------------------------------------------


class CompletionsImportForm(BaseForm):
    """Upload of a historical completions file (CSV or XLSX) for a dry run."""

    file = FileField(
        _l("File (.csv or .xlsx)"),
        validators=[FileRequired(_l("Choose a file."))],
        render_kw={"accept": TABLE_TYPES},
    )


class ConfirmImportForm(BaseForm):
    """Confirm a checked import; `valid_only` skips the rows in error."""

    valid_only = BooleanField(_l("Import the valid rows only"))
