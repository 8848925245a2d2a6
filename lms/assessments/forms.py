"""Forms of the bank, test settings, extra time and grading screens. The answers of an attempt
have one field per drawn question, so the attempt page reads them through
lms.assessments.attempts.save_responses after a CSRF-only ButtonForm has validated."""

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    DecimalField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from lms.assessments import rules
from lms.assessments.models import ALL_ON_ONE_PAGE, ONE_PER_PAGE
from lms.assessments.questions import (
    CLOZE,
    MATCHING,
    MULTIPLE_CHOICE,
    NUMERICAL,
    SHORT_ANSWER,
    SINGLE_CHOICE,
    TRUE_FALSE,
)
from lms.catalog.forms import WholeNumberField
from lms.common.forms import BaseForm, input_required, max_length, required
from lms.i18n import _l

FORMAT_CHOICES = [
    ("gift", _l("GIFT (Moodle)")),
    ("xml", _l("Moodle XML")),
    ("aiken", _l("Aiken")),
]
LAYOUT_CHOICES = [
    (ALL_ON_ONE_PAGE, _l("All questions on one page")),
    (ONE_PER_PAGE, _l("One question per page")),
]
REVIEW_CHOICES = [
    (rules.RESPONSES, _l("The learner's answers")),
    (rules.MARKS, _l("Right or wrong, per question")),
    (rules.SCORE, _l("Score and result")),
    (rules.ANSWERS, _l("The right answers")),
    (rules.FEEDBACK, _l("Feedback")),
]
REVIEW_FIELDS = {
    rules.IMMEDIATELY: "review_immediately",
    rules.LATER_OPEN: "review_open",
    rules.AFTER_CLOSE: "review_closed",
}
MAX_SOURCE = 5_000_000


def _number(label, low=0, high=100_000):
    message = _l("Enter a whole number from %(min)d to %(max)d.", min=low, max=high)
    return WholeNumberField(
        label, validators=[Optional(), NumberRange(low, high, message)], default=0
    )


def _review_field(label):
    return SelectMultipleField(
        label,
        choices=REVIEW_CHOICES,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )


class UploadForm(BaseForm):
    """A GIFT, Moodle XML or Aiken file to preview before importing."""

    file = FileField(
        _l("Question file"),
        validators=[FileRequired(_l("Choose a file."))],
        render_kw={"accept": ".txt,.gift,.xml,text/plain,text/xml,application/xml"},
    )
    file_format = SelectField(_l("Format"), choices=FORMAT_CHOICES, default="gift")


class ConfirmImportForm(BaseForm):
    """The previewed file's text, sent back to import it."""

    source = HiddenField(validators=[required(), max_length(MAX_SOURCE)])
    file_format = HiddenField(validators=[required()])


class QuestionForm(BaseForm):
    """One question written in GIFT, and its grading options."""

    source = TextAreaField(_l("Question (GIFT)"), validators=[required(), max_length(100_000)])
    case_sensitive = BooleanField(_l("Short answer: letter case matters"))
    ignore_diacritics = BooleanField(_l("Short answer: accept answers typed without diacritics"))


class QuizForm(BaseForm):
    """Settings of a course's test."""

    question_count = _number(_l("Questions drawn (0: all)"), 0, 1000)
    time_limit_minutes = _number(_l("Time limit in minutes (0: none)"), 0, 1440)
    max_attempts = _number(_l("Attempts allowed (0: unlimited)"), 0, 100)
    delay_minutes = _number(
        _l("Minutes to wait after an attempt that did not pass (0: none; 1440 = 24 hours)"),
        0,
        525_600,
    )
    pass_mark = DecimalField(
        _l("Pass mark (%)"),
        places=2,
        validators=[
            input_required(),
            NumberRange(0, 100, _l("The pass mark is a percentage from 0 to 100.")),
        ],
        default=50,
    )
    shuffle_questions = BooleanField(_l("Shuffle questions"))
    shuffle_answers = BooleanField(_l("Shuffle answers"))
    layout = SelectField(_l("Layout"), choices=LAYOUT_CHOICES)
    review_immediately = _review_field(_l("Immediately after the attempt (2 minutes)"))
    review_open = _review_field(_l("Later, while the test is open and attempts are left"))
    review_closed = _review_field(_l("After the test closes or after the last attempt"))
    opens_at = DateTimeLocalField(
        _l("Opens (Vietnam time)"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    closes_at = DateTimeLocalField(
        _l("Closes (Vietnam time)"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    draws = TextAreaField(
        _l("Questions per category (one line each: category = number)"),
        validators=[max_length(10_000)],
    )


class ExtraTimeForm(BaseForm):
    """One official's override (an accommodation): extra minutes, extra attempts, a later
    close. All empty or zero removes it."""

    employee_code = StringField(_l("Employee code"), validators=[required(), max_length(32)])
    minutes = _number(_l("Extra minutes"), 0, 1440)
    extra_attempts = _number(_l("Extra attempts"), 0, 100)
    closes_at = DateTimeLocalField(
        _l("Closes later for this official (Vietnam time)"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
    )


class GradeForm(BaseForm):
    """A grader's mark for an essay, in percent of the question's mark, with a comment."""

    percent = DecimalField(
        _l("Mark (%)"),
        places=2,
        validators=[
            input_required(),
            NumberRange(0, 100, _l("The mark is a percentage from 0 to 100.")),
        ],
    )
    comment = TextAreaField(_l("Comment for the learner"), validators=[max_length(10_000)])


class EditorForm(BaseForm):
    """A question written field by field (the editor), by type."""

    # The fields (and the Cloze syntax hint) that only some types use, by element id: the page
    # shows them for those types only (static/editor.js; without JavaScript every field shows).
    KIND_FIELDS = {
        "lines": (SINGLE_CHOICE, MULTIPLE_CHOICE, SHORT_ANSWER, MATCHING),
        "true_is_right": (TRUE_FALSE,),
        "number": (NUMERICAL,),
        "tolerance": (NUMERICAL,),
        "text-hint": (CLOZE,),
    }

    kind = SelectField(_l("Type"), choices=[])
    name = StringField(_l("Name"), validators=[required(), max_length(255)])
    text = TextAreaField(_l("Question text"), validators=[required(), max_length(100_000)])
    category = StringField(_l("Category"), validators=[max_length(255)])
    tags = StringField(_l("Tags (separated by commas)"), validators=[max_length(1000)])
    lines = TextAreaField(
        _l("Answers, one per line"),
        validators=[max_length(100_000)],
        render_kw={"rows": 8},  # a matching question's pairs, each often two lines on a phone
    )
    true_is_right = SelectField(
        _l("True/false: the right answer"), choices=[("true", _l("True")), ("false", _l("False"))]
    )
    number = StringField(_l("Numerical: the right value"), validators=[max_length(50)])
    tolerance = StringField(_l("Numerical: tolerance (±)"), validators=[max_length(50)])
    general_feedback = TextAreaField(_l("General feedback"), validators=[max_length(100_000)])
