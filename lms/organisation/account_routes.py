"""The accounts screen of HR officers and administrators (/officials/accounts): create an
account for every active official in scope who has none, re-issue the links of accounts never
activated, see a run's result, and download the activation letters (PDF) and links (CSV)."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from lms.audit.services import record
from lms.auth.models import ADMINISTRATOR, HR_OFFICER, ProvisioningRun
from lms.auth.permissions import can_edit_registry, is_admin, require
from lms.auth.scope import Scope
from lms.common import exporter
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _
from lms.organisation import accounts, letters, queries
from lms.organisation.blueprint import bp
from lms.organisation.forms import ProvisionForm
from lms.organisation.models import OrgUnit


def _selection(unit_code: str | None) -> accounts.Selection:
    """The viewer's scope, narrowed to `unit_code` when given (404 for a unit unknown or out
    of scope)."""
    require(can_edit_registry(current_user))
    scope = Scope.of(current_user, HR_OFFICER, ADMINISTRATOR)
    code = (unit_code or "").strip()
    if not code:
        return accounts.Selection(scope)
    unit = db.session.scalar(select(OrgUnit).where(func.upper(OrgUnit.code) == code.upper()))
    if unit is None or not scope.covers_unit(unit.path):
        abort(404)
    return accounts.Selection(scope, unit)


def _run_or_404(run_id: int | None) -> ProvisioningRun | None:
    """A run the viewer made (any run for an administrator), or 404; None when not asked."""
    if run_id is None:
        return None
    run = db.session.get(ProvisioningRun, run_id)
    if run is None or not (is_admin(current_user) or run.actor_id == current_user.id):
        abort(404)
    return run


@bp.route("/accounts")
@login_required
def accounts_home():
    """How many officials in scope lack an account or have not activated theirs; the buttons
    to create and re-issue, and the letters by unit."""
    selection = _selection(request.args.get("unit"))
    recent = db.session.scalars(
        select(ProvisioningRun)
        .where(ProvisioningRun.actor_id == current_user.id)
        .order_by(ProvisioningRun.id.desc())
        .limit(10)
    ).all()
    return render_template(
        "organisation/accounts.html",
        selection=selection,
        counts=accounts.counts(selection),
        by_unit=accounts.letters_by_unit(selection),
        units=queries.units_for_choice(selection.scope),
        form=ProvisionForm(unit=selection.unit.code if selection.unit else ""),
        runs=recent,
    )


def _start(create: bool, reissue: bool):
    """Shared POST of the two buttons: one run, the emails queued, one commit."""
    require(can_edit_registry(current_user))
    form = ProvisionForm()
    if not form.validate_on_submit():
        flash(_("The form could not be read. Reload the page and try again."), "error")
        return redirect(url_for(".accounts_home"))
    selection = _selection(form.unit.data)
    try:
        run = accounts.provision(
            selection, current_user, "web", accounts.site_address(), create, reissue
        )
    except RuleViolation as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for(".accounts_home", unit=form.unit.data or None))
    if form.email.data and (run.created or run.reissued):
        from lms.jobs import enqueue

        run.emailed = True
        enqueue("auth.activation_mail", actor=current_user, run_id=run.id)
    db.session.commit()
    return redirect(url_for(".accounts_run", run_id=run.id))


@bp.route("/accounts/provision", methods=["POST"])
@login_required
def accounts_provision():
    """Create the accounts the officials of the selection lack, with activation links."""
    return _start(create=True, reissue=False)


@bp.route("/accounts/reissue", methods=["POST"])
@login_required
def accounts_reissue():
    """New links for the accounts never activated; their earlier links stop working."""
    return _start(create=False, reissue=True)


@bp.route("/accounts/runs/<int:run_id>")
@login_required
def accounts_run(run_id: int):
    """What a run did: accounts created, links re-issued, officials it could not serve, and
    the letters still to print, by unit."""
    selection = _selection(None)
    run = _run_or_404(run_id)
    return render_template(
        "organisation/accounts_run.html",
        run=run,
        by_unit=accounts.letters_by_unit(selection, run.id),
    )


def _download_selection():
    """The selection and run named by the query string (?unit=&run=) of a download."""
    selection = _selection(request.args.get("unit"))
    run_arg = request.args.get("run", "")
    if run_arg and not (run_arg.isascii() and run_arg.isdigit() and len(run_arg) <= 9):
        abort(404)
    run = _run_or_404(int(run_arg) if run_arg else None)
    return selection, run


def _download_audit(selection, run, count: int) -> tuple:
    """The object and values of a download's audit entry: the unit (or * for the whole scope),
    how many links, and the run when one was named. The links are personal data: each
    download is logged."""
    after = {"count": count, "unit": selection.unit.code if selection.unit else None}
    if run is not None:
        after["run"] = run.id
    return "unit", selection.unit.code if selection.unit else "*", None, after


@bp.route("/accounts/links.csv")
@login_required
def accounts_links_csv():
    """employee_code,full_name,username,activation_url of the letters still valid."""
    selection, run = _download_selection()
    found, _lost = accounts.letters(selection, run.id if run else None)
    record(current_user, "accounts.links_exported", *_download_audit(selection, run, len(found)))
    db.session.commit()
    unit = selection.unit or queries.export_unit(selection.scope)
    export = letters.links_export(found, unit.code if unit else "", unit.name if unit else "")
    if run is not None:
        export.stem = f"activation-links-run{run.id}"
    return exporter.download(export, "csv")


@bp.route("/accounts/letters.pdf")
@login_required
def accounts_letters_pdf():
    """The activation letters still valid, one page per official, for printing."""
    selection, run = _download_selection()
    run_id = run.id if run else None
    count = accounts.letter_count(selection, run_id)
    most = current_app.config["LMS_ACCOUNT_LETTERS_MAX"]
    if count == 0 or count > most:
        message = (
            _("There is no letter to print: every link has been used, replaced or has expired.")
            if count == 0
            else _(
                "%(num)d letters are too many for one file (at most %(most)d): choose a unit.",
                num=count,
                most=most,
            )
        )
        flash(message, "warning")
        return redirect(url_for(".accounts_home", unit=request.args.get("unit") or None))
    found, _lost = accounts.letters(selection, run_id)
    record(current_user, "accounts.letters_printed", *_download_audit(selection, run, len(found)))
    db.session.commit()
    return current_app.response_class(
        letters.letters_pdf(found),
        mimetype="application/pdf",
        headers=exporter.attachment(_file_name("activation-letters", selection, run) + ".pdf"),
    )


def _file_name(stem: str, selection, run) -> str:
    """e.g. activation-letters-P-HAICHAU-run12 (only letters, digits, - and _ from the code)."""
    code = selection.unit.code if selection.unit else ""
    code = "".join(ch for ch in code if ch.isascii() and (ch.isalnum() or ch in "-_"))
    parts = [stem, code, f"run{run.id}" if run else ""]
    return "-".join(p for p in parts if p)
