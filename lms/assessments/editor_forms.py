"""The editor's form for an existing question: the new-question form and the manager's
choice to regrade the attempts that used it (lms.assessments.editor_store)."""

from wtforms import BooleanField

from lms.assessments.forms import EditorForm
from lms.i18n import _l


class EditQuestionForm(EditorForm):
    """An existing question in the editor's form."""

    regrade = BooleanField(_l("Regrade the attempts that used this question"))
