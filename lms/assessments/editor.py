"""The question editor: a form per question type turned into a Question, which then goes
through GIFT (the interchange format: what cannot be written as GIFT cannot be saved) into
the bank. Pure: no Flask, no database.

Lines of the list fields: a choice or an accepted answer is `text | percent | feedback`
(percent and feedback optional; percent 100 when left out for a short answer, 0 for a
choice); a matching pair is `item -> answer` (no item: an extra wrong answer).
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from lms.assessments import gift, gift_export, kinds_cloze
from lms.assessments.kind_labels import QuestionKind
from lms.assessments.questions import KINDS, Answer, Question, format_percent, match_grade
from lms.errors import ValidationFailed
from lms.i18n import _

# The kinds whose answers the form lists one a line (`text | percent | feedback`).
_LISTED = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.SHORT_ANSWER)


@dataclass(frozen=True)
class EditorData:
    """What the editor's form holds."""

    kind: str
    name: str
    text: str
    category: str = ""
    tags: str = ""  # comma-separated
    lines: str = ""  # choices, accepted answers or matching pairs, one per line
    true_is_right: bool = True
    number: str = ""
    tolerance: str = ""
    general_feedback: str = ""
    # Kept from the question being edited (not fields of the form).
    idnumber: str | None = None
    text_format: str = "moodle"
    general_feedback_format: str = "moodle"


def _percent(raw: str, line: int) -> Decimal:
    try:
        grade = match_grade(Decimal(raw.strip().rstrip("%")) / 100)
    except InvalidOperation:
        grade = None
    if grade is None:
        raise ValidationFailed(
            [
                (
                    "lines",
                    _(
                        "Line %(line)d: %(value)s is not a grade Moodle allows.",
                        line=line,
                        value=raw,
                    ),
                )
            ]
        )
    return grade


def _weighted(lines: str, default: Decimal) -> list[Answer]:
    answers = []
    for number, line in enumerate(lines.splitlines(), 1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        fraction = _percent(parts[1], number) if len(parts) > 1 and parts[1] else default
        feedback = parts[2] if len(parts) > 2 else ""
        answers.append(Answer(parts[0], fraction, feedback))
    return answers


def _answers(data: EditorData) -> tuple[Answer, ...]:
    kind = data.kind
    if kind in (QuestionKind.ESSAY, QuestionKind.DESCRIPTION):
        return ()
    if kind == QuestionKind.TRUE_FALSE:
        right = Decimal(1)
        return (
            Answer("True", right if data.true_is_right else Decimal(0)),
            Answer("False", Decimal(0) if data.true_is_right else right),
        )
    if kind == QuestionKind.NUMERICAL:
        try:
            centre = Decimal(data.number.strip().replace(",", "."))
            tolerance = Decimal((data.tolerance or "0").strip().replace(",", "."))
        except InvalidOperation:
            raise ValidationFailed([("number", _("Enter a number."))]) from None
        text = format(centre.normalize(), "f")
        low, high = centre - abs(tolerance), centre + abs(tolerance)
        return (Answer(text, Decimal(1), "", "plain", tolerance=tolerance, min=low, max=high),)
    if kind == QuestionKind.MATCHING:
        pairs = []
        for line in data.lines.splitlines():
            if "->" in line:
                item, _sep, match = line.partition("->")
                fraction = Decimal(1 if item.strip() else 0)
                pairs.append(Answer(item.strip(), fraction, match_text=match.strip()))
        if sum(1 for pair in pairs if pair.text) < 2:
            raise ValidationFailed([("lines", _("Write at least two pairs: item -> answer."))])
        return tuple(pairs)
    default = Decimal(1) if kind == QuestionKind.SHORT_ANSWER else Decimal(0)
    answers = _weighted(data.lines, default)
    if not answers or (kind != QuestionKind.SHORT_ANSWER and len(answers) < 2):
        raise ValidationFailed([("lines", _("Write the answers, one per line."))])
    has_full = any(a.fraction == 1 for a in answers)
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.SHORT_ANSWER) and not has_full:
        raise ValidationFailed([("lines", _("One answer must be worth %(n)d%%.", n=100))])
    positive = sum(a.fraction for a in answers if a.fraction > 0)
    if kind == QuestionKind.MULTIPLE_CHOICE and positive < Decimal("0.99"):
        raise ValidationFailed([("lines", _("The right answers must add up to %(n)d%%.", n=100))])
    return tuple(answers)


def _cannot_write(code: str) -> tuple[str, str]:
    """The form field and message for what GIFT cannot write (gift_export.CannotWrite)."""
    if code == "tag_chars":
        return "tags", _("A tag cannot contain <, > or `.")
    if code == "tag_metadata":
        return "tags", _("A tag cannot contain “[id:” or “[tag:”.")
    if code == "tag_unwritable":
        return "tags", _("A tag cannot contain tabs or line breaks, nor end with a backslash.")
    if code == "category":
        return "category", _("Write the category on one line.")
    if code == "arrow":
        return "lines", _("An answer or its feedback cannot contain “->”.")
    return "text", _("This question cannot be written in the GIFT format.")


def build(data: EditorData) -> Question:
    """The question the form describes, as GIFT reads it back (so it is exactly what a GIFT
    export and import keep).

    Raises ValidationFailed for a missing name or text, answers the type needs, grades Moodle
    does not allow, or what GIFT cannot write (a tag with < > `, "->" in a short answer…).
    """
    if data.kind not in KINDS:
        raise ValidationFailed([("kind", _("Unknown option."))])
    if not data.name.strip() or not data.text.strip():
        raise ValidationFailed([("name", _("A question needs a name and a text."))])
    tags = tuple(t.strip() for t in data.tags.split(",") if t.strip())
    if data.kind == QuestionKind.CLOZE:
        return _cloze(data, tags)
    question = Question(
        kind=data.kind,
        name=data.name.strip(),
        text=data.text.strip(),
        general_feedback=data.general_feedback.strip(),
        answers=_answers(data),
        category=data.category.strip() or None,
        tags=tags,
        idnumber=data.idnumber,
        text_format=data.text_format,
        general_feedback_format=data.general_feedback_format,
    )
    try:
        source = gift_export.export([question])
    except gift_export.CannotWrite as problem:
        raise ValidationFailed([_cannot_write(problem.code)]) from None
    result = gift.parse(source)
    if result.errors or len(result.questions) != 1:
        messages = [str(error) for error in result.errors] or [_("Unknown option.")]
        raise ValidationFailed([("text", message) for message in messages])
    return result.questions[0]


def _cloze(data: EditorData, tags: tuple[str, ...]) -> Question:
    """A Cloze question: its gaps are written in the text (GIFT cannot carry it; it is kept
    as written, and Moodle XML exports it unchanged)."""
    text = data.text.strip()
    problems = kinds_cloze.parse_gaps(text)[1]
    if problems:
        name = data.name.strip()
        messages = [str(p.template).format(name=name, **dict(p.params)) for p in problems]
        raise ValidationFailed([("text", message) for message in messages])
    return Question(
        kind=QuestionKind.CLOZE,
        name=data.name.strip(),
        text=text,
        text_format=data.text_format,
        general_feedback=data.general_feedback.strip(),
        general_feedback_format=data.general_feedback_format,
        category=data.category.strip() or None,
        tags=tags,
        idnumber=data.idnumber,
    )


def _line(answer: Answer) -> str:
    bits = [answer.text, format_percent(answer.fraction)]
    return " | ".join([*bits, answer.feedback] if answer.feedback else bits)


def from_question(question: Question) -> EditorData | None:
    """The form filled with an existing question, or None when the form cannot hold it
    exactly (then it is edited as GIFT): opened and saved unchanged, the question comes back
    byte for byte the same in GIFT."""
    answers = question.answers
    fields = {
        "kind": question.kind,
        "name": question.name,
        "text": question.text,
        "category": question.category or "",
        "tags": ", ".join(question.tags),
        "general_feedback": question.general_feedback,
        "idnumber": question.idnumber,
        "text_format": question.text_format,
        "general_feedback_format": question.general_feedback_format,
    }
    kind = question.kind
    if kind not in KINDS or any(", " in tag or "," in tag for tag in question.tags):
        return None
    if kind == QuestionKind.TRUE_FALSE and len(answers) == 2:
        fields["true_is_right"] = answers[0].fraction == 1
    elif kind == QuestionKind.NUMERICAL and len(answers) == 1 and answers[0].tolerance is not None:
        fields["number"] = answers[0].text
        fields["tolerance"] = format(answers[0].tolerance.normalize(), "f")
    elif kind == QuestionKind.MATCHING:
        fields["lines"] = "\n".join(f"{a.text} -> {a.match_text or ''}" for a in answers)
    elif kind in _LISTED:
        if any("|" in a.text or "|" in a.feedback or "\n" in a.text + a.feedback for a in answers):
            return None
        fields["lines"] = "\n".join(_line(a) for a in answers)
    data = EditorData(**fields)
    if kind == QuestionKind.CLOZE:
        try:
            return data if build(data) == question else None
        except ValidationFailed:
            return None
    try:
        same = gift_export.export([build(data)]) == gift_export.export([question])
    except (ValidationFailed, ValueError):
        return None
    return data if same else None
