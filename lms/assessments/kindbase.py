"""The base of the question kinds: what the browser sees of a question (`View`, `Option`, no
answer key) and `Kind`, whose defaults are those of a single-choice question. Pure."""

import random
from dataclasses import dataclass, field
from decimal import Decimal

from lms.assessments import gift_export
from lms.assessments.questions import Question

ZERO, ONE = Decimal(0), Decimal(1)


def clamp(value: Decimal) -> Decimal:
    """A question's grade lies between 0 and 1 (negative weights cancel right choices only)."""
    return max(ZERO, min(ONE, value))


@dataclass(frozen=True)
class Option:
    """A choice as the browser sees it: its shown position (the form value) and text."""

    value: str
    text: str
    text_format: str
    checked: bool = False


@dataclass(frozen=True)
class View:
    """What a template needs to show a question: no fraction, no feedback, no key."""

    kind: str
    options: tuple[Option, ...] = ()
    items: tuple[tuple[str, str, str, str], ...] = ()  # matching: (field, text, format, chosen)
    text: str = ""  # short answer, numerical, essay: the saved response
    extra: dict = field(default_factory=dict)


def shown_position(values: list[str], size: int) -> int | None:
    value = values[0] if values else ""
    return int(value) if value.isascii() and value.isdigit() and int(value) < size else None


class Kind:
    """Behaviour shared by the choice kinds; subclasses override what differs."""

    name = ""
    graded = True
    manual = False

    def shown(self, question: Question, rng: random.Random, shuffle: bool) -> dict:
        """The order to show answers in, fixed for the attempt."""
        order = list(range(len(question.answers)))
        if shuffle:
            rng.shuffle(order)
        return {"answers": order}

    def view(self, question: Question, shown: dict, response: dict | None) -> View:
        """The question as the learner sees it, with their saved response."""
        chosen = set(self._chosen(response))
        options = tuple(
            Option(str(pos), question.answers[i].text, question.answers[i].text_format, i in chosen)
            for pos, i in enumerate(shown.get("answers", []))
        )
        return View(self.name, options)

    @staticmethod
    def _chosen(response: dict | None) -> list[int]:
        if not response:
            return []
        if "choice" in response:
            return [response["choice"]]
        return list(response.get("choices", []))

    def read(self, shown: dict, form: dict[str, list[str]]) -> dict | None:
        """The response from the form fields of this question (field "" is its main field,
        "-N" the matching item shown N-th); None when nothing is answered. It depends on the
        shown order and the form alone: an autosave reads no question (attempts.autosave)."""
        order = shown.get("answers", [])
        pos = shown_position(form.get("", []), len(order))
        return None if pos is None else {"choice": order[pos]}

    def grade(self, question: Question, response: dict | None) -> Decimal | None:
        """The fraction earned (0…1), or None when a person must grade it."""
        if not response or "choice" not in response:
            return ZERO
        index = response["choice"]
        if not 0 <= index < len(question.answers):
            return ZERO
        return clamp(question.answers[index].fraction)

    def right_answer(self, question: Question) -> list[str]:
        """The right answer(s) as text, for the review page."""
        return [a.text for a in question.answers if a.fraction == ONE] or [
            a.text for a in question.answers if a.fraction > 0
        ]

    def feedback(self, question: Question, response: dict | None) -> list[str]:
        """Per-answer feedback of what the learner chose."""
        chosen = self._chosen(response)
        return [
            question.answers[i].feedback
            for i in chosen
            if 0 <= i < len(question.answers) and question.answers[i].feedback
        ]

    def export(self, question: Question) -> str:
        """The question as GIFT (Moodle reads it back as the same question)."""
        return gift_export.export([question], comments=False)
