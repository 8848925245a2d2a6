"""The evidence file on the web, for both audiences' pages: its size limit, the instance folder
it lives under, and its download (audited when HR reads it)."""

from pathlib import Path

from flask import abort, current_app, send_file
from flask_login import current_user

from lms.audit import reads
from lms.common.web import client_address
from lms.curricula.external import services as external
from lms.curricula.external.models import ExternalRecord
from lms.extensions import db

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


def max_bytes() -> int:
    return int(current_app.config.get("LMS_EVIDENCE_MAX_BYTES", MAX_EVIDENCE_BYTES))


def instance() -> Path:
    return Path(current_app.instance_path)


def send(record: ExternalRecord, audited: bool = False):
    """The record's evidence file (404 when gone); `audited`: the download is a read of the
    official's data by HR, written to the audit log."""
    found = external.evidence_file(record, instance())
    if found is None:
        abort(404)
    if audited:
        reads.record_view(
            current_user,
            "evidence.downloaded",
            record.official,
            client_address(),
            external_record=record.id,
            via="web",
        )
        db.session.commit()
    path, mime, name = found
    return send_file(path, mimetype=mime, as_attachment=True, download_name=name)
