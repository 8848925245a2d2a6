"""The public online application of a recruitment (/recruitment/<CODE>/apply): open during the
application window only, CSRF-protected and throttled per address; the applicant chooses the
password of their candidate account and gets their candidate number."""

from flask import abort, flash, redirect, render_template, url_for

from lms.common import clock
from lms.errors import ValidationFailed
from lms.extensions import db, limiter
from lms.i18n import _
from lms.recruitment import queries, rules, services
from lms.recruitment.blueprint import bp
from lms.recruitment.forms import ApplicationForm
from lms.recruitment.models import CandidateSource


@bp.route("/recruitment/<code>/apply", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def apply(code: str):
    """The application form; after the window (or for an unknown code) a page saying so."""
    item = queries.recruitment_by_code(code) or abort(404)
    is_open = rules.in_window(clock.today(), item.applications_open_on, item.applications_close_on)
    form = ApplicationForm()
    form.position.choices = [(p.code, f"{p.code} — {p.title}") for p in item.positions]
    if is_open and form.validate_on_submit():
        data = services.NewCandidate(
            position_code=form.position.data,
            full_name=form.full_name.data,
            born_on=form.born_on.data,
            id_number=form.id_number.data.strip(),
            email=form.email.data.strip(),
            phone=form.phone.data.strip(),
            priority_code=form.priority.data or "",
            source=CandidateSource.ONLINE,
            password=form.password.data,
        )
        try:
            candidate = services.register_candidate(item, data, actor=None)
        except ValidationFailed as error:
            db.session.rollback()
            error.attach_to(form)
        else:
            number = candidate.number
            db.session.commit()
            flash(
                _(
                    "Application received. Your candidate number is %(number)s; sign in with "
                    "the username %(username)s and the password you chose.",
                    number=number,
                    username=number.lower(),
                ),
                "success",
            )
            return redirect(url_for(".apply", code=item.code))
    return render_template("recruitment/apply.html", recruitment=item, form=form, is_open=is_open)
