"""The privacy notice (public) and its acknowledgement at first login."""

from flask import current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from lms.common.forms import ButtonForm
from lms.common.web import client_address, safe_next
from lms.extensions import db
from lms.privacy import notice, services
from lms.privacy.blueprint import bp
from lms.privacy.guard import SESSION_KEY


def _notice_context() -> dict:
    return {
        "version": notice.VERSION,
        "effective_on": notice.EFFECTIVE_ON,
        "retention": [(kind, notice.retention_days(kind)) for kind in notice.RETENTION_KINDS],
        "response_days": current_app.config["LMS_PRIVACY_RESPONSE_DAYS"],
        "contact": current_app.config["LMS_PRIVACY_CONTACT"],
    }


@bp.route("/privacy")
def notice_page():
    """The privacy notice, readable by anyone (linked from every page's footer); a signed-in
    user also sees when they acknowledged it."""
    acknowledged = None
    if current_user.is_authenticated:
        acknowledged = services.acknowledgement(current_user.id)
    return render_template("privacy/notice.html", acknowledged=acknowledged, **_notice_context())


@bp.route("/privacy/acknowledge", methods=["GET", "POST"])
@login_required
def acknowledge():
    """The notice with its "I have read it" button, shown at first login and after each new
    version; nothing else opens until it is pressed."""
    target = safe_next(request.args.get("next"), url_for("main.home"))
    if services.has_acknowledged(current_user.id):
        return redirect(target)
    form = ButtonForm()
    if form.validate_on_submit():
        services.acknowledge(current_user, client_address())
        db.session.commit()
        session[SESSION_KEY] = notice.VERSION
        return redirect(target)
    return render_template("privacy/acknowledge.html", form=form, **_notice_context())
