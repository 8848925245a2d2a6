"""The assessments blueprint (`bp`) and its record_once hooks: template filters and globals,
the answers to catalog's signal and curricula's /me notes, and the engine of an in-person
class's final test (lms.curricula.classes.final_test.ENGINE).
The app factory imports the domain's route modules (routes*.py, *_routes.py) and registers
it."""

from functools import lru_cache

from flask import Blueprint

bp = Blueprint("assessments", __name__)


@lru_cache(maxsize=8192)
def question_html(text: str, text_format: str):
    """A question text as safe HTML for its format: Moodle auto-format and HTML are sanitised
    (line breaks kept in auto-format), plain text is escaped, Markdown rendered.

    Kept per process by its text and format (a pure function of both): an attempt page shows
    30 questions with their choices, and a test wave shows the same ones thousands of times."""
    from markupsafe import Markup, escape

    from lms.catalog.rendering import render_markdown, sanitise

    # Every branch returns sanitised or escaped HTML, which is what makes Markup safe here.
    if text_format == "markdown":
        return Markup(render_markdown(text))  # noqa: S704
    if text_format == "plain":
        return Markup(str(escape(text)).replace("\n", "<br>"))  # noqa: S704
    if text_format == "moodle":
        text = text.replace("\n", "<br>")
    return Markup(sanitise(text))  # noqa: S704


def _install(state) -> None:
    env = state.app.jinja_env
    env.filters["qtext"] = question_html
    env.globals["course_test"] = _course_test
    env.globals["course_retake"] = course_retake
    env.globals["retake_button"] = _retake_button


def _course_test(course):
    """The course's test (for the link on the course page), or None."""
    from lms.assessments.quizzes import quiz_of

    return quiz_of(course)


def _retake_button(window) -> str | None:
    from lms.assessments import retake

    return retake.label(window)


def course_retake(course) -> str | None:
    """The label of the link to take the course's test again, when the signed-in official's
    new window is open (retake.window: a renewal, or a new cycle of a repeatable course);
    None otherwise."""
    from flask_login import current_user

    from lms.assessments import retake
    from lms.assessments.quizzes import quiz_of

    official_id = getattr(current_user, "official_id", None)
    if not official_id or quiz_of(course) is None:
        return None
    return retake.label(retake.window(official_id, course))


bp.record_once(_install)


def _on_lessons_finished(enrolment, **_extra) -> None:
    """Catalog's signal: a test passed before the last lesson now completes the course."""
    from lms.assessments.grading import lessons_finished

    lessons_finished(enrolment.official_id, enrolment.course_id)


def _connect(_state) -> None:
    from lms.assessments.attempts import attempts_since, start_attempt
    from lms.assessments.quizzes import published_tests
    from lms.catalog.enrolments import lessons_finished
    from lms.curricula.classes.final_test import ENGINE

    lessons_finished.connect(_on_lessons_finished)
    ENGINE.update(attempts=attempts_since, start=start_attempt, tests=published_tests)


bp.record_once(_connect)
