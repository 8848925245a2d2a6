"""Who may do what in recruitment exams: HR officers run the recruitments of their units'
subtrees (administrators all); an invigilator named for a session (or an HR officer who runs the
recruitment) supervises it; a candidate account opens its own exam and nothing else."""

from flask import abort, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from lms.auth.models import ADMINISTRATOR, CANDIDATE, HR_OFFICER
from lms.auth.permissions import has_role
from lms.auth.scope import Scope
from lms.extensions import db
from lms.recruitment.models import ExamSession, Invigilator, Recruitment


def is_candidate(user) -> bool:
    """A recruitment candidate's account (role `candidate`)."""
    return has_role(user, CANDIDATE)


def can_run_recruitments(user) -> bool:
    """The recruitment pages: HR officers (their units) and administrators."""
    return has_role(user, HR_OFFICER, ADMINISTRATOR) and not is_candidate(user)


def recruitment_scope(user) -> Scope:
    """The units whose recruitments `user` runs."""
    return Scope.of(user, HR_OFFICER)


def runs(user, recruitment: Recruitment) -> bool:
    """Whether `user` runs this recruitment (its organising unit is in their scope)."""
    return can_run_recruitments(user) and recruitment_scope(user).covers_unit(recruitment.unit.path)


def can_invigilate(user, session: ExamSession) -> bool:
    """An invigilator named for the session, or whoever runs its recruitment."""
    if not getattr(user, "is_authenticated", False) or is_candidate(user):
        return False
    if runs(user, session.recruitment):
        return True
    return bool(
        db.session.scalar(
            select(Invigilator.id).where(
                Invigilator.session_id == session.id, Invigilator.user_id == user.id
            )
        )
    )


def invigilates_any(user) -> bool:
    """Whether `user` is named invigilator of some session (their list of sessions)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and db.session.scalar(select(Invigilator.id).where(Invigilator.user_id == user.id).limit(1))
    )


# What a candidate account may open: its exam pages, its results and appeals, the public
# look-up of published results (open to anyone, so to a signed-in candidate too), signing in
# and out, the language, the privacy notice (which it acknowledges like every account), static
# files and the health check.
CANDIDATE_ALLOWS = frozenset(
    {
        "recruitment.exam_home",
        "recruitment.exam_start",
        "recruitment.exam_paper",
        "recruitment.exam_save",
        "recruitment.exam_result",
        "recruitment.results_lookup",
        "recruitment.candidate_results",
        "recruitment.candidate_appeal",
        "auth.login",
        "auth.logout",
        "auth.set_locale",
        "privacy.notice_page",
        "privacy.acknowledge",
        "static",
        "main.health",
    }
)


def candidate_guard():
    """before_app_request: a candidate account opens its exam and nothing else of the LMS —
    the home page sends it to the exam, every other page answers 404 (as for a page that does
    not exist), the API too."""
    if not getattr(current_user, "is_authenticated", False) or not is_candidate(current_user):
        return None
    if request.endpoint in CANDIDATE_ALLOWS:
        return None
    if request.endpoint == "main.home":
        return redirect(url_for("recruitment.exam_home"))
    abort(404)
