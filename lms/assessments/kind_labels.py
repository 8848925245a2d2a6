"""Words for question kinds and attempt statuses, shown in templates."""

from lms.assessments.models import GRADED, IN_PROGRESS, SUBMITTED
from lms.assessments.questions import (
    DESCRIPTION,
    ESSAY,
    MATCHING,
    MULTIPLE_CHOICE,
    NUMERICAL,
    SHORT_ANSWER,
    SINGLE_CHOICE,
    TRUE_FALSE,
)
from lms.i18n import _l

KIND_LABELS = {
    SINGLE_CHOICE: _l("Single choice"),
    MULTIPLE_CHOICE: _l("Multiple choice"),
    TRUE_FALSE: _l("True/false"),
    SHORT_ANSWER: _l("Short answer"),
    NUMERICAL: _l("Numerical"),
    MATCHING: _l("Matching"),
    ESSAY: _l("Essay"),
    DESCRIPTION: _l("Description"),
}
STATUS_LABELS = {
    IN_PROGRESS: _l("In progress"),
    SUBMITTED: _l("Waiting for grading"),
    GRADED: _l("Graded"),
}
