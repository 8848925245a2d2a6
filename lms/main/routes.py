"""`/`: a home with one panel per role the user holds; `/healthz` for load balancers."""

import json

from flask import Response, render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select, text

from lms.auth.models import ADMINISTRATOR, HR_OFFICER, REVIEWER, TRAINING_MANAGER
from lms.auth.permissions import has_role
from lms.auth.scope import Scope
from lms.common import clock
from lms.common.pdf import render_pdf
from lms.extensions import db
from lms.i18n import format_datetime
from lms.main import personal_data, personal_pdf
from lms.main.blueprint import bp
from lms.organisation import queries, services


def _officials_in_scope(*roles: str) -> int:
    base = queries.registry_select(Scope.of(current_user, *roles)).order_by(None)
    return db.session.scalar(select(func.count()).select_from(base.subquery()))


@bp.route("/")
@login_required
def home():
    """Role-aware home: the learner's own post, and a panel per staff role held."""
    official = current_user.official
    panels = {
        "official": official is not None,
        "hr": has_role(current_user, HR_OFFICER),
        "manager": has_role(current_user, TRAINING_MANAGER),
        "reviewer": has_role(current_user, REVIEWER),
        "admin": has_role(current_user, ADMINISTRATOR),
    }
    counts = {
        "hr": _officials_in_scope(HR_OFFICER) if panels["hr"] else 0,
        "reviewer": _officials_in_scope(REVIEWER) if panels["reviewer"] else 0,
    }
    return render_template(
        "main/home.html",
        panels=panels,
        counts=counts,
        official=official,
        current=services.current_assignment(official) if official else None,
    )


@bp.route("/healthz")
def health():
    """Liveness and database check for a load balancer (no login, no data)."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


@bp.route("/me/data.json")
@login_required
def my_data_json():
    """Download everything the system holds about me, as JSON (lms.main.personal_data)."""
    data = personal_data.collect(current_user)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="du-lieu-cua-toi.json"'},
    )


@bp.route("/me/data.pdf")
@login_required
def my_data_pdf():
    """The same data as a readable PDF, every code in words (lms.main.personal_pdf)."""
    data = personal_data.collect(current_user)
    html = render_template(
        "main/my_data_pdf.html",
        data=data,
        sections=personal_pdf.sections(data),
        generated_at=format_datetime(clock.now(), "short"),
    )
    return Response(
        render_pdf(html),
        mimetype="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="du-lieu-cua-toi.pdf"'},
    )
