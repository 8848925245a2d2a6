"""HR view of one official's credit ledger at /officials/<employee_code>/ledger: entries by cycle
with their sources and balances; HR adds manual entries and reverses entries (reviewers read);
the same entries as an Excel or CSV download (ledger.xlsx, ledger.csv)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from lms.audit import reads
from lms.auth.models import ADMINISTRATOR, HR_OFFICER, REVIEWER
from lms.auth.permissions import can_edit_registry, can_use_registry, require, scope_paths
from lms.common import exporter
from lms.common.web import client_address, commit_or_attach
from lms.curricula.blueprint import bp
from lms.curricula.cycles.models import Cycle
from lms.curricula.ledger import portable
from lms.curricula.ledger import services as ledger
from lms.curricula.ledger.forms import ManualEntryForm, ReasonForm
from lms.curricula.ledger.models import MANUAL, CreditSource, LedgerEntry
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.organisation import queries
from lms.organisation import services as org_services


def _load(employee_code: str, edit: bool = False):
    """The official if the viewer's scope covers them: 404 when out of sight, 403 when the
    viewer may only read (reviewers) and `edit` is asked."""
    require(can_use_registry(current_user))
    official = queries.official_in_scope(
        employee_code, scope_paths(current_user, HR_OFFICER, REVIEWER, ADMINISTRATOR)
    )
    if official is None:
        abort(404)
    if edit:
        require(_can_edit(official))
    return official


def _can_edit(official) -> bool:
    """HR (or an administrator) over the official's unit, never on their own record
    (separation of duties: another officer records credits for them)."""
    if not can_edit_registry(current_user) or ledger.is_own_record(current_user, official.id):
        return False
    scope = scope_paths(current_user, HR_OFFICER, ADMINISTRATOR)
    return queries.official_in_scope(official.employee_code, scope) is not None


def _page(official, manual=None, reverse=None, failed_entry=None, status=200):
    rows = db.session.execute(
        select(LedgerEntry, Cycle.year)
        .join(Cycle, Cycle.id == LedgerEntry.cycle_id)
        .where(LedgerEntry.official_id == official.id)
        .order_by(Cycle.year.desc(), LedgerEntry.seq.desc())
    ).all()
    totals = dict(
        db.session.execute(
            select(Cycle.year, func.sum(LedgerEntry.credits))
            .join(Cycle, Cycle.id == LedgerEntry.cycle_id)
            .where(LedgerEntry.official_id == official.id)
            .group_by(Cycle.year)
        ).all()
    )
    reversed_ids = {e.reverses_id for e, _year in rows if e.reverses_id}
    by_cycle: dict[int, list] = {}
    for entry, year in rows:
        by_cycle.setdefault(year, []).append(entry)
    return (
        render_template(
            "curricula/ledger_official.html",
            official=official,
            by_cycle=by_cycle,
            totals=totals,
            reversed_ids=reversed_ids,
            can_edit=_can_edit(official),
            own_record=ledger.is_own_record(current_user, official.id),
            manual=manual or ManualEntryForm(formdata=None),
            reverse=reverse or ReasonForm(formdata=None),
            failed_entry=failed_entry,
            origins=portable.origins([entry.id for entry, _year in rows]),
        ),
        status,
    )


@bp.route("/officials/<employee_code>/ledger")
@login_required
def official_ledger(employee_code: str):
    """An official's ledger by cycle, newest first, with the balance of each cycle (the read
    is audited)."""
    official = _load(employee_code)
    reads.record_view(current_user, "ledger.viewed", official, client_address(), via="web")
    page = _page(official)
    db.session.commit()  # the read is logged; after rendering, as the commit expires the rows
    return page


@bp.route("/officials/<employee_code>/ledger.<fmt>")
@login_required
def official_ledger_export(employee_code: str, fmt: str):
    """The official's ledger as an .xlsx or .csv file, oldest entry first, one row per entry
    with its cycle (the read is audited, with the format)."""
    official = _load(employee_code)
    if fmt not in exporter.FORMATS:
        abort(404)
    reads.record_view(
        current_user, "ledger.viewed", official, client_address(), via="web", format=fmt
    )
    rows = db.session.execute(
        select(LedgerEntry, Cycle.year)
        .join(Cycle, Cycle.id == LedgerEntry.cycle_id)
        .where(LedgerEntry.official_id == official.id)
        .order_by(Cycle.year, LedgerEntry.seq)
    ).all()
    reversed_ids = {entry.reverses_id for entry, _year in rows if entry.reverses_id}
    header = [
        _("Cycle"),
        "#",
        _("Date"),
        _("Course code"),
        _("Course or activity"),
        _("Credits"),
        _("Source"),
        _("Reference"),
        _("Reversal"),
        _("Reason"),
    ]
    lines = [
        [
            year,
            entry.seq,
            entry.earned_on,
            entry.course.code if entry.course else "",
            entry.title,
            entry.credits,
            CreditSource.text_of(entry.source),
            entry.source_ref,
            _("reversal")
            if entry.reverses_id
            else (_("reversed") if entry.id in reversed_ids else ""),
            entry.reason,
        ]
        for entry, year in rows
    ]
    current = org_services.current_assignment(official)
    unit = current.unit if current is not None else None
    export = exporter.Export(
        f"ledger-{official.employee_code}",
        _("Credit ledger"),
        _(
            "Credit ledger: %(name)s (%(code)s)",
            name=official.full_name,
            code=official.employee_code,
        ),
        header,
        lines,
        unit_code=unit.code if unit else "",
        unit_name=unit.name if unit else "",
    )
    db.session.commit()  # the read is logged
    return exporter.download(export, fmt)


@bp.route("/officials/<employee_code>/ledger/manual", methods=["POST"])
@login_required
def official_ledger_manual(employee_code: str):
    """Add credits by hand (source manual) with a reason; audited."""
    official = _load(employee_code, edit=True)
    form = ManualEntryForm()
    if form.validate_on_submit():

        def act():
            try:
                return ledger.append(
                    ledger.NewEntry(
                        official_id=official.id,
                        earned_on=form.earned_on.data,
                        credits=form.credits.data,
                        source=MANUAL,
                        title=form.title.data.strip(),
                        reason=form.reason.data.strip(),
                    ),
                    current_user,
                )
            except RuleViolation as error:
                raise ValidationFailed([("credits", error.message)]) from None

        saved, _entry = commit_or_attach(form, act)
        if saved:
            flash(_("Entry added to the ledger."), "success")
            return redirect(url_for(".official_ledger", employee_code=official.employee_code))
    return _page(official, manual=form, status=422)


@bp.route("/officials/<employee_code>/ledger/<int:entry_id>/reverse", methods=["POST"])
@login_required
def official_ledger_reverse(employee_code: str, entry_id: int):
    """Reverse one entry with a reason (a new, negative entry; nothing is changed in place)."""
    official = _load(employee_code, edit=True)
    entry = db.session.get(LedgerEntry, entry_id)
    if entry is None or entry.official_id != official.id:
        abort(404)
    form = ReasonForm()
    if form.validate_on_submit():

        def act():
            try:
                return ledger.reverse(entry, form.reason.data, current_user)
            except RuleViolation as error:
                raise ValidationFailed([("reason", error.message)]) from None

        saved, _reversal = commit_or_attach(form, act)
        if saved:
            flash(_("Entry reversed."), "success")
            return redirect(url_for(".official_ledger", employee_code=official.employee_code))
    return _page(official, reverse=form, failed_entry=entry_id, status=422)
