"""The portable training record as a download (lms.curricula.ledger.portable): an official's
own from /me, and an official's from their ledger page for HR officers, reviewers and
administrators whose scope covers them (the read is audited)."""

from flask import Response, abort
from flask_login import current_user, login_required

from lms.audit import reads
from lms.common.web import client_address
from lms.curricula.blueprint import bp
from lms.curricula.ledger import portable
from lms.curricula.ledger.routes_manage import _load
from lms.extensions import db
from lms.organisation.models import Official
from lms.signing.keys import credential_key


def _download(official: Official) -> Response:
    data = portable.dumps(portable.export_document(official, credential_key()))
    headers = {
        "Content-Disposition": f'attachment; filename="{portable.file_name(official)}"',
        "Cache-Control": "private, no-store",
    }
    return Response(data, mimetype="application/json", headers=headers)


@bp.route("/me/training-record.json")
@login_required
def my_training_record():
    """The viewer's own signed training record (404 without an official record)."""
    official_id = getattr(current_user, "official_id", None)
    official = db.session.get(Official, official_id) if official_id else None
    if official is None:
        abort(404)
    return _download(official)


@bp.route("/officials/<employee_code>/training-record.json")
@login_required
def official_training_record(employee_code: str):
    """An official's signed training record, for those who read their ledger."""
    official = _load(employee_code)
    reads.record_view(
        current_user, "ledger.viewed", official, client_address(), via="web", format="signed"
    )
    response = _download(official)
    db.session.commit()
    return response
