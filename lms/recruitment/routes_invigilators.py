"""The invigilators of an exam session, named by HR: picked from a search of the manager's
officials (by name, with or without diacritics, or employee code; lms.organisation's registry
search) or by username, and taken off again. The rules are lms.recruitment.rooms'."""

from flask import abort, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.auth.models import User
from lms.common.forms import ButtonForm
from lms.common.web import commit_or_attach, page_number
from lms.extensions import db
from lms.i18n import _
from lms.organisation import queries as org_queries
from lms.recruitment import rooms
from lms.recruitment.blueprint import bp
from lms.recruitment.forms import InvigilatorForm
from lms.recruitment.models import Invigilator
from lms.recruitment.permissions import recruitment_scope
from lms.recruitment.routes_manage import _session
from lms.recruitment.routes_setup import _done

PICKER_PAGE = 20


def _invigilators_page(session, form, status=200):
    q = request.args.get("q", "").strip()[:100]
    found, accounts = None, {}
    if q:
        filters = org_queries.OfficialFilters(q=q)
        scope = recruitment_scope(current_user)
        found = org_queries.search_officials(scope, filters, page_number(), PICKER_PAGE)
        ids = [row.official.id for row in found.items]
        accounts = {
            u.official_id: u
            for u in db.session.scalars(select(User).where(User.official_id.in_(ids)))
        }
    named = db.session.scalars(
        select(Invigilator).where(Invigilator.session_id == session.id).order_by(Invigilator.id)
    ).all()
    return (
        render_template(
            "recruitment/setup_invigilators.html",
            session=session,
            named=named,
            named_ids={row.user_id for row in named},
            q=q,
            found=found,
            accounts=accounts,
            form=form,
            button_form=ButtonForm(),
        ),
        status,
    )


@bp.route("/manage/recruitment/sessions/<int:session_id>/invigilators")
@login_required
def invigilators(session_id: int):
    """The session's invigilators, and a search of the manager's officials to name one."""
    return _invigilators_page(_session(session_id), InvigilatorForm())


@bp.route("/manage/recruitment/sessions/<int:session_id>/invigilators", methods=["POST"])
@login_required
def invigilator_add(session_id: int):
    """Name an account invigilator of the session."""
    session = _session(session_id)
    form = InvigilatorForm()
    if form.validate_on_submit():
        username = form.username.data.strip().lower()
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            form.username.errors = [_("No account has this username.")]
        else:
            ok, _row = commit_or_attach(
                form, lambda: rooms.add_invigilator(session, user.id, current_user)
            )
            if ok:
                message = _("%(name)s invigilates this session.", name=user.display_name)
                return _done(message, ".invigilators", session_id=session.id)
    return _invigilators_page(session, form)


@bp.route(
    "/manage/recruitment/sessions/<int:session_id>/invigilators/<int:user_id>/remove",
    methods=["POST"],
)
@login_required
def invigilator_remove(session_id: int, user_id: int):
    """Take an invigilator off the session."""
    session = _session(session_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if not rooms.remove_invigilator(session, user_id, current_user):
        abort(404)
    db.session.commit()
    return _done(_("The invigilator is taken off."), ".invigilators", session_id=session.id)
