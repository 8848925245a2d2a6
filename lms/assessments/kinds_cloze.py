"""Moodle's Cloze (embedded answers, qtype_multianswer): a text with gaps written inside it,
such as ``{1:SHORTANSWER:=Paris#Right~%50%paris#Almost}``. Pure: no Flask, no database.

The question's text keeps the gaps exactly as Moodle writes them (so Moodle XML gives it back
unchanged); they are read from it by `gaps_of`, with Moodle's own regular expressions
(question/type/multianswer/questiontype.php, qtype_multianswer_extract_question):

* ``{MARK:TYPE:alternatives}``: MARK the gap's weight (empty: 1); TYPE one of SHORTANSWER
  (SA, MW), SHORTANSWER_C (SAC, MWC: case matters), NUMERICAL (NM), MULTICHOICE (MC: a drop-down
  list), MULTICHOICE_V (MCV: radio buttons one under another), MULTICHOICE_H (MCH: in a row),
  and their shuffled forms MULTICHOICE_S, _VS, _HS (MCS, MCVS, MCHS);
* alternatives separated by ``~``: ``=`` right, ``%50%`` a partial grade, nothing 0 %; ``#``
  the feedback; ``\\}`` ``\\~`` ``\\#`` ``\\/`` escape; NUMERICAL answers are ``3.14:0.01``
  (value and tolerance) or ``*``.

Grading as Moodle's: each gap earns its answer's fraction; the question earns the sum of the
gaps' marks × fractions over the sum of their marks. MULTIRESPONSE gaps (several answers
ticked) are refused at import, with their gap named.

A response is {"gaps": {"gap index": text (typed gaps) or answer index (choice gaps)}}; the
shown order is {"answers": [0 … n-1] (one form field "-N" per gap), "gaps": [[choice order]
or None per gap]}.
"""

import html
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from lms.assessments.kindbase import ONE, ZERO, Kind, View, clamp, shown_position
from lms.assessments.questions import CLOZE, Answer, Question, strip_tags
from lms.assessments.textkinds import SHORT_TEXT_LIMIT, read_number, wildcard_match
from lms.i18n import _l

SHORT, SHORT_CASE, NUMBER, CHOICE = "short", "short_case", "number", "choice"
SELECT, VERTICAL, HORIZONTAL = "select", "vertical", "horizontal"
# Moodle's ANSWER_TYPE_DEF_REGEX names → (gap kind, layout, shuffled); None: refused.
_TYPES: dict[str, tuple[str, str, bool] | None] = {
    "NUMERICAL": (NUMBER, "", False),
    "NM": (NUMBER, "", False),
    "MULTICHOICE": (CHOICE, SELECT, False),
    "MC": (CHOICE, SELECT, False),
    "MULTICHOICE_V": (CHOICE, VERTICAL, False),
    "MCV": (CHOICE, VERTICAL, False),
    "MULTICHOICE_H": (CHOICE, HORIZONTAL, False),
    "MCH": (CHOICE, HORIZONTAL, False),
    "SHORTANSWER": (SHORT, "", False),
    "SA": (SHORT, "", False),
    "MW": (SHORT, "", False),
    "SHORTANSWER_C": (SHORT_CASE, "", False),
    "SAC": (SHORT_CASE, "", False),
    "MWC": (SHORT_CASE, "", False),
    "MULTICHOICE_S": (CHOICE, SELECT, True),
    "MCS": (CHOICE, SELECT, True),
    "MULTICHOICE_VS": (CHOICE, VERTICAL, True),
    "MCVS": (CHOICE, VERTICAL, True),
    "MULTICHOICE_HS": (CHOICE, HORIZONTAL, True),
    "MCHS": (CHOICE, HORIZONTAL, True),
    "MULTIRESPONSE": None,
    "MR": None,
    "MULTIRESPONSE_H": None,
    "MRH": None,
    "MULTIRESPONSE_S": None,
    "MRS": None,
    "MULTIRESPONSE_HS": None,
    "MRHS": None,
}
# Longest names first, so that MULTICHOICE_VS is not read as MULTICHOICE.
_TYPE_RE = "|".join(sorted(_TYPES, key=len, reverse=True))
_FRACTION = r"=|%(-?[0-9]+(?:[.,][0-9]*)?)%"
_ANSWER = r".+?(?<!\\)(?<!&)(?<!&amp;)(?=[~#}]|$)"
_FEEDBACK = r".*?(?<!\\)(?=[~}]|$)"
_ALTERNATIVE = f"({_FRACTION})?({_ANSWER})(#({_FEEDBACK}))?"
GAP_RE = re.compile(
    r"\{([0-9]*):(" + _TYPE_RE + r"):(" + _ALTERNATIVE + "(?:~" + _ALTERNATIVE + r")*)\}", re.S
)
_ONE_ALTERNATIVE = re.compile("~?" + _ALTERNATIVE, re.S)
_NUMBER = r"-?(?:[0-9]+[.,]?[0-9]*|[.,][0-9]+)(?:[eE][-+]?[0-9]+)?"
_NUMERICAL = re.compile(f"^({_NUMBER})(?::({_NUMBER}))?$", re.S)
_ESCAPES = re.compile(r"\\([}#~/\\])")

MSG_CLOZE_NONE = _l(
    'Question "{name}": no embedded answer was found; write gaps such as '
    "{{1:SHORTANSWER:=Paris}} in the text"
)
MSG_CLOZE_FEW = _l('Question "{name}", gap {gap}: a multiple choice needs at least two choices')
MSG_CLOZE_NO_RIGHT = _l('Question "{name}", gap {gap}: no answer is fully right (= or %100%)')
MSG_CLOZE_NUMBER = _l('Question "{name}", gap {gap}: "{value}" is not a number (or *)')
MSG_CLOZE_GRADE = _l('Question "{name}", gap {gap}: grade {grade}% — Moodle does not allow it')
MSG_CLOZE_TYPE = _l(
    'Question "{name}", gap {gap}: the type {type} (several answers ticked) cannot be imported'
)
_PLACEHOLDER = "[[[cloze-gap-{n}]]]"
PLACEHOLDER_RE = re.compile(r"\[\[\[cloze-gap-(\d{1,4})\]\]\]")


@dataclass(frozen=True)
class Gap:
    """One embedded answer: its kind, layout, weight, answers and place in the text."""

    kind: str
    layout: str
    shuffle: bool
    mark: int
    answers: tuple[Answer, ...]
    start: int
    end: int

    @property
    def is_choice(self) -> bool:
        return self.kind == CHOICE


@dataclass(frozen=True)
class ClozeProblem:
    """Why a cloze text cannot be imported: a message template (above) and its values."""

    template: str
    params: tuple[tuple[str, str], ...]


def _unescape(text: str) -> str:
    return _ESCAPES.sub(r"\1", text)


def _fraction(match: re.Match) -> Decimal | None:
    if match.group(1) == "=":
        return ONE
    if match.group(2) is None:
        return ZERO
    try:
        value = Decimal(match.group(2).replace(",", ".")) / 100
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        return None
    return value if -ONE <= value <= ONE else None


def _gap(match: re.Match, number: int) -> tuple[Gap | None, ClozeProblem | None]:
    def problem(template, **params):
        values = tuple((k, str(v)) for k, v in {"gap": number, **params}.items())
        return None, ClozeProblem(template, values)

    spec = _TYPES[match.group(2)]
    if spec is None:
        return problem(MSG_CLOZE_TYPE, type=match.group(2))
    kind, layout, shuffle = spec
    answers = []
    for alt in _ONE_ALTERNATIVE.finditer(match.group(3)):
        fraction = _fraction(alt)
        if fraction is None:
            return problem(MSG_CLOZE_GRADE, grade=alt.group(2))
        text, feedback = _unescape(alt.group(3)), _unescape(alt.group(5) or "")
        extra = {}
        if kind == NUMBER:
            number_match = _NUMERICAL.match(text.strip())
            if number_match:
                centre = Decimal(number_match.group(1).replace(",", "."))
                tolerance = abs(Decimal((number_match.group(2) or "0").replace(",", ".")))
                text = number_match.group(1).replace(",", ".")
                extra = {"tolerance": tolerance, "min": centre - tolerance}
                extra["max"] = centre + tolerance
            elif text.strip() != "*":
                return problem(MSG_CLOZE_NUMBER, value=text.strip())
            else:
                text = "*"
        elif kind in (SHORT, SHORT_CASE):
            text = html.unescape(text)
        answers.append(Answer(text, fraction, feedback, "html", "html", **extra))
    if kind == CHOICE and len(answers) < 2:
        return problem(MSG_CLOZE_FEW)
    if not any(a.fraction == ONE for a in answers):
        return problem(MSG_CLOZE_NO_RIGHT)
    mark = int(match.group(1)) if match.group(1) else 1
    return Gap(kind, layout, shuffle, mark, tuple(answers), match.start(), match.end()), None


@lru_cache(maxsize=2048)
def parse_gaps(text: str) -> tuple[tuple[Gap, ...], tuple[ClozeProblem, ...]]:
    """The gaps of a cloze text in order, and the problems that keep it from being imported
    (none found, a multiple choice with one choice, no fully right answer, a NUMERICAL answer
    that is not a number, a MULTIRESPONSE gap). Cached: a pure function of the text."""
    gaps, problems = [], []
    for number, match in enumerate(GAP_RE.finditer(text), 1):
        gap, problem = _gap(match, number)
        if gap is not None:
            gaps.append(gap)
        else:
            problems.append(problem)
    if not gaps and not problems:
        problems.append(ClozeProblem(MSG_CLOZE_NONE, ()))
    return tuple(gaps), tuple(problems)


def gaps_of(text: str) -> tuple[Gap, ...]:
    """The gaps of a stored cloze text (one that imported without problems)."""
    return parse_gaps(text)[0]


def masked_text(text: str) -> str:
    """The text with each gap replaced by a placeholder ([[[cloze-gap-N]]], N from 0): what a
    learner may see of it (the attempt page puts an input there; the API shows it as is)."""
    out, last = [], 0
    for n, gap in enumerate(gaps_of(text)):
        out += [text[last : gap.start], _PLACEHOLDER.format(n=n)]
        last = gap.end
    return "".join(out) + text[last:]


def split_placeholders(rendered: str, count: int) -> list[tuple[str, int | None]]:
    """The rendered (sanitised) masked text cut at its placeholders: (piece, gap index or
    None). Each gap appears once; a placeholder that is no gap of the question stays text."""
    pieces, last, used = [], 0, set()
    for match in PLACEHOLDER_RE.finditer(rendered):
        n = int(match.group(1))
        if n >= count or n in used:
            continue
        used.add(n)
        pieces.append((rendered[last : match.start()], n))
        last = match.end()
    pieces.append((rendered[last:], None))
    return pieces


def learner_text(question: Question) -> str:
    """A question's text as a learner may read it (a cloze text without its key)."""
    return masked_text(question.text) if question.kind == CLOZE else question.text


def choice_label(answer: Answer) -> str:
    """A choice of a drop-down list as plain text (tags removed, entities decoded)."""
    return html.unescape(strip_tags(answer.text)).strip()


def _matching_answer(gap: Gap, value) -> Answer | None:
    if gap.is_choice:
        ok = isinstance(value, int) and not isinstance(value, bool)
        return gap.answers[value] if ok and 0 <= value < len(gap.answers) else None
    if not isinstance(value, str) or not value.strip():
        return None
    if gap.kind == NUMBER:
        number = read_number(value)
        for answer in gap.answers:
            if answer.text == "*" or (
                number is not None and answer.min is not None and answer.min <= number <= answer.max
            ):
                return answer
        return None
    for answer in gap.answers:
        if wildcard_match(value, answer.text, gap.kind == SHORT):
            return answer
    return None


def gap_fractions(question: Question, response: dict | None) -> list[Decimal]:
    """What each gap earns (0 when unanswered or wrong)."""
    values = (response or {}).get("gaps", {})
    values = values if isinstance(values, dict) else {}
    fractions = []
    for n, gap in enumerate(gaps_of(question.text)):
        answer = _matching_answer(gap, values.get(str(n)))
        fractions.append(answer.fraction if answer else ZERO)
    return fractions


@dataclass(frozen=True)
class GapView:
    """A gap as the page shows it: its field, its choices (shown position, text) for a list,
    the saved value, and a width for a typed answer."""

    field: str
    number: int
    layout: str
    choices: tuple[tuple[str, str], ...]
    value: str
    size: int
    numeric: bool = False


class Cloze(Kind):
    name = CLOZE

    def shown(self, question, rng, shuffle):
        orders = []
        for gap in gaps_of(question.text):
            order = list(range(len(gap.answers))) if gap.is_choice else None
            if order is not None and gap.shuffle:
                rng.shuffle(order)
            orders.append(order)
        return {"answers": list(range(len(orders))), "gaps": orders}

    def view(self, question, shown, response):
        values = ((response or {}).get("gaps") or {}) if isinstance(response, dict) else {}
        gaps = []
        for n, gap in enumerate(gaps_of(question.text)):
            value = values.get(str(n), "")
            order = (shown.get("gaps") or [])[n] if n < len(shown.get("gaps") or []) else None
            if gap.is_choice and order:
                choices = tuple((str(p), choice_label(gap.answers[i])) for p, i in enumerate(order))
                value = str(order.index(value)) if value in order else ""
                size = 0
            else:
                choices = ()
                longest = max((len(a.text) for a in gap.answers), default=5)
                size = max(5, min(longest + 2, 20))
            gaps.append(
                GapView(f"-{n}", n + 1, gap.layout, choices, str(value), size, gap.kind == NUMBER)
            )
        return View(self.name, text=masked_text(question.text), extra={"gaps": tuple(gaps)})

    def read(self, shown, form):
        found = {}
        for n, order in enumerate(shown.get("gaps") or []):
            values = form.get(f"-{n}", [])
            if order is None:
                text = (values[0] if values else "").strip()[:SHORT_TEXT_LIMIT]
                if text:
                    found[str(n)] = text
            else:
                pos = shown_position(values, len(order))
                if pos is not None:
                    found[str(n)] = order[pos]
        return {"gaps": found} if found else None

    def grade(self, question, response):
        gaps = gaps_of(question.text)
        total = sum(gap.mark for gap in gaps)
        if not total:
            return ZERO
        earned = sum(
            (
                gap.mark * max(f, ZERO)
                for gap, f in zip(gaps, gap_fractions(question, response), strict=True)
            ),
            ZERO,
        )
        return clamp((earned / total).quantize(Decimal("0.0000001")))

    def right_answer(self, question):
        right = []
        for n, gap in enumerate(gaps_of(question.text), 1):
            best = [a for a in gap.answers if a.fraction == ONE]
            text = choice_label(best[0]) if gap.is_choice else best[0].text
            if gap.kind == NUMBER and best[0].tolerance:
                text += f" ± {format(best[0].tolerance.normalize(), 'f')}"
            right.append(f"({n}) {text}")
        return right

    def feedback(self, question, response):
        values = ((response or {}).get("gaps") or {}) if isinstance(response, dict) else {}
        out = []
        for n, gap in enumerate(gaps_of(question.text)):
            answer = _matching_answer(gap, values.get(str(n)))
            if answer and answer.feedback:
                out.append(f"({n + 1}) {answer.feedback}")
        return out

    def export(self, question):  # GIFT cannot carry embedded answers (moodle_xml_export can)
        raise ValueError("a cloze question cannot be written in GIFT")
