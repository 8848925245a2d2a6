"""Moodle category paths as a course's bank holds them.

Moodle writes a question's category with its context first (``$course$/top/Default for X/Sub``;
the placeholders are ``$course$``, ``$system$``, ``$module$`` and ``$cat$``), and from Moodle 3.5
with the ``top`` level of that context. Imported into a course, Moodle puts the category under the
course's own top category: the bank keeps the path below it (``Default for X/Sub``). The parsers
keep the path as the file says; the bank maps it when it shows or stores it.
"""

import re
from dataclasses import replace

from lms.assessments.questions import ParseResult

_CONTEXT = re.compile(r"^\$(?:course|system|module|cat)\$(?:/|$)")
_TOP = re.compile(r"^top(?:/|$)")


def course_path(path: str | None) -> str | None:
    """The path of a Moodle category inside the course's bank: without the context placeholder
    and the ``top`` level ("" for the top itself); None stays None (no category)."""
    if path is None:
        return None
    path = path.strip()
    path = _CONTEXT.sub("", path, count=1)
    return _TOP.sub("", path, count=1)


def localise(result: ParseResult) -> ParseResult:
    """The parse with every category as the course's bank holds it (the questions and the list of
    categories; errors and warnings as they were)."""
    return replace(
        result,
        questions=[replace(q, category=course_path(q.category)) for q in result.questions],
        categories=[course_path(path) for path in result.categories],
    )
