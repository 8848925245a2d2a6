"""HR import of historical completions on the web: upload → checked preview with the per-row
report → confirm, on the flow of lms.common.import_flow (as the officials import).
Files above LMS_IMPORT_INLINE_ROWS are checked and recorded on the job queue; the preview page
shows the progress and links to the run."""

from flask_login import current_user

from lms.auth.models import ADMINISTRATOR, HR_OFFICER
from lms.auth.permissions import has_role, scope_paths
from lms.common.import_pages import ImportPages
from lms.curricula.blueprint import bp
from lms.curricula.completions import importer as completions_import
from lms.curricula.completions.forms import CompletionsImportForm, ConfirmImportForm
from lms.i18n import _, _l


def can_import_completions(user) -> bool:
    """Historical completions import: HR officers (their scope) and administrators."""
    return has_role(user, HR_OFFICER, ADMINISTRATOR)


def _scope():
    return scope_paths(current_user, HR_OFFICER, ADMINISTRATOR)


# /completions/import: upload a file of historical completions, checked before anything is
# written → preview with the per-row report → confirm (optionally the valid rows only); the
# report and an empty template as CSV or XLSX.
COMPLETIONS_IMPORT = ImportPages(
    flow=completions_import.FLOW,
    name="completions_import",
    url="/completions/import",
    may_import=can_import_completions,
    scope=_scope,
    upload=(CompletionsImportForm, "curricula/completions_upload.html"),
    preview=(ConfirmImportForm, "curricula/completions_preview.html"),
    confirm_params=lambda form: {"valid_only": bool(form.valid_only.data)},
    blocking=False,
    done=lambda result: _(
        "Import finished: %(created)s completions recorded, %(credits)s credits written.",
        **result,
    ),
    report=("completions-report", _l("Completions import: check report")),
    template=(
        completions_import.template_rows,
        "completions-template",
        _l("Completions"),
        _l("Completions import template"),
    ),
).add_to(bp)
