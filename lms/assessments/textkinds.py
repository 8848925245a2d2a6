"""The kinds that read typed text: short answer (Moodle's wildcard matching, with case and
diacritics options), numerical (tolerance and ranges, decimal comma) and essay (graded by a
person). Pure: no Flask, no database. Registered in lms.assessments.kinds."""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from lms.assessments.kindbase import ZERO, Kind, View, clamp
from lms.assessments.questions import ESSAY, NUMERICAL, SHORT_ANSWER, Question
from lms.common.vntext import search_key

SHORT_TEXT_LIMIT = 500
ESSAY_LIMIT = 50_000


def wildcard_match(response: str, pattern: str, ignore_case: bool) -> bool:
    """Moodle's compare_string_with_wildcard(): `*` matches anything, `\\*` a star; the whole
    trimmed response must match."""
    bits = re.split(r"(?<!\\)\*+", unicodedata.normalize("NFC", pattern))
    regexp = ".*".join(re.escape(bit.replace("\\*", "*")) for bit in bits)
    flags = re.IGNORECASE if ignore_case else 0
    text = unicodedata.normalize("NFC", response).strip()
    return re.fullmatch(regexp, text, flags | re.DOTALL) is not None


class ShortAnswer(Kind):
    """Options: `case_sensitive` (Moodle's usecase; off by default) and `ignore_diacritics`
    ("Ha Noi" matches "Hà Nội")."""

    name = SHORT_ANSWER
    limit = SHORT_TEXT_LIMIT

    def shown(self, question, rng, shuffle):
        return {}

    def view(self, question, shown, response):
        return View(self.name, text=(response or {}).get("text", ""))

    def read(self, shown, form):
        values = form.get("", [])
        text = (values[0] if values else "").strip()[: self.limit]
        return {"text": text} if text else None

    def matching_answer(self, question: Question, response: dict | None, options: dict):
        text = (response or {}).get("text", "")
        if not text.strip():
            return None
        case = bool(options.get("case_sensitive"))
        if options.get("ignore_diacritics"):
            text = search_key(text) if not case else _strip_marks(text)
        for answer in question.answers:
            pattern = answer.text
            if options.get("ignore_diacritics"):
                pattern = search_key(pattern) if not case else _strip_marks(pattern)
            if wildcard_match(text, pattern, not case):
                return answer
        return None

    def grade(self, question, response, options=None):
        answer = self.matching_answer(question, response, options or {})
        return clamp(answer.fraction) if answer else ZERO

    def right_answer(self, question):
        best = max((a.fraction for a in question.answers), default=ZERO)
        return [a.text for a in question.answers if a.fraction == best and best > 0]

    def feedback(self, question, response, options=None):
        answer = self.matching_answer(question, response, options or {})
        return [answer.feedback] if answer and answer.feedback else []


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def read_number(text: str) -> Decimal | None:
    """A number as typed: "3.14", "3,14" (Vietnamese decimal comma), "-2", "1e3"; thousands
    separators are not accepted (1.000 is one)."""
    text = text.strip().replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    if not re.fullmatch(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,4})?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        return None


class Numerical(ShortAnswer):
    name = NUMERICAL
    limit = 100

    def matching_answer(self, question, response, options):
        value = read_number((response or {}).get("text", ""))
        if value is None:
            return None
        for answer in question.answers:
            if answer.text == "*" or (answer.min is not None and answer.min <= value <= answer.max):
                return answer
        return None

    def right_answer(self, question):
        best = max((a.fraction for a in question.answers), default=ZERO)
        return [
            a.text + (f" ± {format(a.tolerance.normalize(), 'f')}" if a.tolerance else "")
            for a in question.answers
            if a.fraction == best and best > 0 and a.text != "*"
        ]


class Essay(ShortAnswer):
    name = ESSAY
    manual = True
    limit = ESSAY_LIMIT

    def read(self, shown, form):
        values = form.get("", [])
        text = (values[0] if values else "").replace("\r\n", "\n").strip()[: self.limit]
        return {"text": text} if text else None

    def grade(self, question, response, options=None):
        return None if response and response.get("text") else ZERO

    def right_answer(self, question):
        return []

    def feedback(self, question, response, options=None):
        return []
