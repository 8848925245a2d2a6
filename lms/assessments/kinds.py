"""The registry of question kinds: one class per kind that shows a question (without its key),
reads a learner's response from a form, grades it, states the right answer for review, and
exports it as GIFT. Pure: no Flask, no database.

A response is a small dict that names answers by their index in the question's answers, never
by their shown position: {"choice": i} · {"choices": [i, …]} · {"text": "…"} ·
{"pairs": {"item index": choice index}}. The shown order (`shown`) is drawn once per attempt:
{"answers": [indexes in shown order], "choices": [matching choice indexes in shown order]}.
"""

from decimal import Decimal

from lms.assessments.kindbase import ZERO, Kind, Option, View, clamp, shown_position
from lms.assessments.kinds_cloze import Cloze
from lms.assessments.questions import (
    DESCRIPTION,
    MATCHING,
    MULTIPLE_CHOICE,
    SINGLE_CHOICE,
    TRUE_FALSE,
    Question,
)
from lms.assessments.textkinds import (
    ESSAY_LIMIT,
    SHORT_TEXT_LIMIT,
    Essay,
    Numerical,
    ShortAnswer,
    read_number,
    wildcard_match,
)

__all__ = [
    "ESSAY_LIMIT",
    "REGISTRY",
    "SHORT_TEXT_LIMIT",
    "Kind",
    "Option",
    "View",
    "feedback",
    "grade",
    "kind_of",
    "match_choices",
    "read_number",
    "wildcard_match",
]


class SingleChoice(Kind):
    name = SINGLE_CHOICE


class TrueFalse(Kind):
    name = TRUE_FALSE

    def shown(self, question, rng, shuffle):
        return {"answers": list(range(len(question.answers)))}  # True, then False


class MultipleChoice(Kind):
    name = MULTIPLE_CHOICE

    def read(self, shown, form):
        order = shown.get("answers", [])
        picked = {shown_position([value], len(order)) for value in form.get("", [])}
        choices = sorted(order[pos] for pos in picked if pos is not None)
        return {"choices": choices} if choices else None

    def grade(self, question, response):
        total = sum(
            (question.answers[i].fraction for i in self._chosen(response)
             if 0 <= i < len(question.answers)),
            ZERO,
        )  # fmt: skip
        return clamp(total)

    def right_answer(self, question):
        return [a.text for a in question.answers if a.fraction > 0]


class Description(Kind):
    name = DESCRIPTION
    graded = False

    def shown(self, question, rng, shuffle):
        return {}

    def view(self, question, shown, response):
        return View(self.name)

    def read(self, shown, form):
        return None

    def grade(self, question, response):
        return ZERO

    def right_answer(self, question):
        return []


def match_choices(question: Question) -> list[str]:
    """The distinct answers of a matching question, in file order (extra distractors too)."""
    seen: list[str] = []
    for answer in question.answers:
        if answer.match_text is not None and answer.match_text not in seen:
            seen.append(answer.match_text)
    return seen


class Matching(Kind):
    name = MATCHING

    def _items(self, question):
        return [i for i, a in enumerate(question.answers) if a.text.strip()]

    def shown(self, question, rng, shuffle):
        items, choices = self._items(question), list(range(len(match_choices(question))))
        if shuffle:
            rng.shuffle(items)
        rng.shuffle(choices)  # Moodle always shuffles the answers of a matching question
        return {"answers": items, "choices": choices}

    def view(self, question, shown, response):
        names = match_choices(question)
        pairs = (response or {}).get("pairs", {})
        choice_pos = {index: pos for pos, index in enumerate(shown.get("choices", []))}
        options = tuple(
            Option(str(pos), names[index], "plain") for pos, index in enumerate(shown["choices"])
        )
        items = []
        for pos, index in enumerate(shown.get("answers", [])):
            answer = question.answers[index]
            chosen = pairs.get(str(index))
            value = str(choice_pos[chosen]) if chosen in choice_pos else ""
            items.append((f"-{pos}", answer.text, answer.text_format, value))
        return View(self.name, options, tuple(items))

    def read(self, shown, form):
        order, choices = shown.get("answers", []), shown.get("choices", [])
        pairs = {}
        for pos, index in enumerate(order):
            choice = shown_position(form.get(f"-{pos}", []), len(choices))
            if choice is not None:
                pairs[str(index)] = choices[choice]
        return {"pairs": pairs} if pairs else None

    def grade(self, question, response):
        items = self._items(question)
        if not items:
            return ZERO
        names = match_choices(question)
        pairs = (response or {}).get("pairs", {})
        right = sum(
            1
            for i in items
            if isinstance(pairs.get(str(i)), int)
            and 0 <= pairs[str(i)] < len(names)
            and names[pairs[str(i)]] == question.answers[i].match_text
        )
        return Decimal(right) / Decimal(len(items))

    def right_answer(self, question):
        return [f"{a.text} → {a.match_text}" for a in question.answers if a.text.strip()]

    def feedback(self, question, response):
        return []


REGISTRY: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        SingleChoice(),
        MultipleChoice(),
        TrueFalse(),
        ShortAnswer(),
        Numerical(),
        Matching(),
        Essay(),
        Description(),
        Cloze(),
    )
}


def kind_of(question: Question) -> Kind:
    """The behaviour of a question's kind."""
    return REGISTRY[question.kind]


def grade(question: Question, response: dict | None, options: dict | None = None):
    """Fraction earned by `response` (None: to be graded by a person)."""
    kind = kind_of(question)
    if isinstance(kind, ShortAnswer):
        return kind.grade(question, response, options or {})
    return kind.grade(question, response)


def feedback(question: Question, response: dict | None, options: dict | None = None) -> list[str]:
    """The per-answer feedback a response earns."""
    kind = kind_of(question)
    if isinstance(kind, ShortAnswer):
        return kind.feedback(question, response, options or {})
    return kind.feedback(question, response)
