"""The recruitment blueprint (`bp`) and what its registration installs: the guard that keeps a
candidate account inside its exam (permissions.candidate_guard), and the `session_window`
filter (a session's times as Vietnamese read them, lms.recruitment.window). The app factory
imports the domain's route modules (routes*.py, *_routes.py) and registers it."""

from flask import Blueprint

from lms.recruitment.permissions import candidate_guard
from lms.recruitment.window import exam_window

bp = Blueprint("recruitment", __name__)
bp.before_app_request(candidate_guard)


@bp.app_template_filter("session_window")
def session_window(session) -> str:
    """An exam session's window, its first letter capitalised: "Từ 08:00 đến 10:00, thứ Bảy
    05/12/2026"."""
    text = exam_window(session.starts_at, session.ends_at)
    return text[:1].upper() + text[1:]
