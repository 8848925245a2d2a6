"""The administrator's audit log (/manage/audit): entries as sentences, filtered by action,
actor, object and dates, a page at a time, and the same list as a CSV download."""

import json

from flask import render_template, request
from flask_login import current_user, login_required

from lms.audit import actions
from lms.audit import queries as audit
from lms.auth.blueprint import bp
from lms.auth.permissions import can_manage_users, require
from lms.common import exporter
from lms.common.pagination import paginate
from lms.common.web import date_argument, page_number
from lms.extensions import db
from lms.i18n import _, format_datetime

PAGE_SIZE = 50
EXPORT_BATCH = 500


def _filters() -> audit.AuditFilters:
    return audit.AuditFilters.from_args(
        request.args, date_argument("date_from"), date_argument("date_to")
    )


@bp.route("/manage/audit")
@login_required
def audit_log():
    """The audit log, newest first, with its filters (a count and a page: the same queries
    whatever the log holds)."""
    require(can_manage_users(current_user))
    filters = _filters()
    page = paginate(audit.entries_select(filters), page_number(), PAGE_SIZE, scalars=False)
    return render_template(
        "auth/audit.html",
        page=page,
        lines=audit.lines(page.items),
        filters=filters,
        action_choices=actions.action_choices(),
        object_choices=actions.object_choices(),
    )


def _export_rows(filters: audit.AuditFilters):
    """The filtered entries as CSV rows, read in batches (names looked up once per batch)."""
    result = db.session.execute(
        audit.entries_select(filters).execution_options(yield_per=EXPORT_BATCH)
    )
    while batch := result.fetchmany(EXPORT_BATCH):
        for line in audit.lines(batch):
            entry = line.entry
            yield [
                format_datetime(entry.at, "yyyy-MM-dd HH:mm:ss"),
                line.username or "",
                line.actor or _("The system"),
                line.label,
                line.sentence,
                actions.object_label(entry.object_type),
                entry.object_id,
                entry.address or "",
                _json(entry.before),
                _json(entry.after),
            ]


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


@bp.route("/manage/audit/export.csv")
@login_required
def audit_export():
    """The filtered audit log as CSV (UTF-8 with BOM), streamed."""
    require(can_manage_users(current_user))
    filters = _filters()
    header = [
        _("Time"),
        _("Username"),
        _("Who"),
        _("Action"),
        _("What happened"),
        _("Object type"),
        _("Object"),
        _("IP address"),
        _("Before"),
        _("After"),
    ]
    export = exporter.Export(
        "nhat-ky", _("Audit log"), _("Audit log"), header, _export_rows(filters)
    )
    return exporter.download(export, "csv")
