"""The question kinds with their labels. The kinds themselves are plain strings in
lms.assessments.questions (a port of Moodle's parsers that imports no Flask); this enum
gives each one its words (lms.common.labels)."""

from lms.assessments import questions
from lms.common.labels import Labelled
from lms.i18n import _l


class QuestionKind(Labelled):
    """A question's kind (`Question.kind`, questions.KINDS)."""

    SINGLE_CHOICE = questions.SINGLE_CHOICE, _l("Single choice")
    MULTIPLE_CHOICE = questions.MULTIPLE_CHOICE, _l("Multiple choice")
    TRUE_FALSE = questions.TRUE_FALSE, _l("True/false")
    SHORT_ANSWER = questions.SHORT_ANSWER, _l("Short answer")
    NUMERICAL = questions.NUMERICAL, _l("Numerical")
    MATCHING = questions.MATCHING, _l("Matching")
    ESSAY = questions.ESSAY, _l("Essay")
    DESCRIPTION = questions.DESCRIPTION, _l("Description")
    CLOZE = questions.CLOZE, _l("Embedded answers (Cloze)")
