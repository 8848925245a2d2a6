"""Everything the system holds about one person, for their own download (Decree 13/2023/NĐ-CP:
a data subject may see their data and who processed it).

Each domain gives its part (lms/<domain>/personal_data.py); this module puts them together and
adds the processing log — the audit entries about the person and about their records (views of
their record, changes to their ledger, certificates, attempts…). Every section costs a fixed
number of queries, whatever it holds.
"""

from sqlalchemy import select

from lms.api.personal_data import api_tokens
from lms.assessments.models import Attempt, AttemptSlot
from lms.assessments.personal_data import attempts
from lms.audit import queries as audit
from lms.audit.models import AuditEntry
from lms.auth import personal_data as auth_data
from lms.auth.models import User
from lms.catalog.personal_data import enrolments
from lms.certificates.models import Certificate
from lms.certificates.personal_data import certificates
from lms.common import clock
from lms.common.plain import plain
from lms.compliance.personal_data import statements
from lms.curricula import personal_data as training
from lms.curricula.classes.models import ClassMember
from lms.curricula.completions.models import Completion
from lms.curricula.external.models import ExternalRecord
from lms.curricula.ledger.models import LedgerEntry
from lms.extensions import db
from lms.jobs import personal_data as inbox
from lms.organisation import personal_data as registry
from lms.organisation.models import Official
from lms.privacy import personal_data as privacy
from lms.privacy.models import PrivacyRequest
from lms.surveys.evaluation import personal_data as evaluations

# The sections about an official's training, in the order the download lists them.
TRAINING_SECTIONS = {
    "targets": training.targets,
    "obligations": training.obligations,
    "ledger": training.ledger,
    "completions": training.completions,
    "courses": enrolments,
    "attempts": attempts,
    "certificates": certificates,
    "external_training": training.external_training,
    "classes": training.classes,
    "statements": statements,
}


def _about(user: User, official: Official | None) -> list:
    """Conditions matching the audit entries about the person and their records."""
    conditions = [audit.about_object("user", str(user.id), user.username)]
    if official is None:
        return conditions
    mine = official.id
    conditions += [
        audit.about_object("official", official.employee_code),
        audit.about_objects(
            "certificate", select(Certificate.serial).where(Certificate.official_id == mine)
        ),
        audit.about_objects(
            "ledger_entry", select(LedgerEntry.id).where(LedgerEntry.official_id == mine)
        ),
        audit.about_objects(
            "external_record", select(ExternalRecord.id).where(ExternalRecord.official_id == mine)
        ),
        audit.about_objects(
            "completion", select(Completion.id).where(Completion.official_id == mine)
        ),
        audit.about_objects(
            "class_member", select(ClassMember.id).where(ClassMember.official_id == mine)
        ),
        audit.about_objects("attempt", select(Attempt.id).where(Attempt.official_id == mine)),
        audit.about_objects(
            "privacy_request", select(PrivacyRequest.id).where(PrivacyRequest.official_id == mine)
        ),
        audit.about_objects(
            "attempt_slot",
            select(AttemptSlot.id)
            .join(Attempt, Attempt.id == AttemptSlot.attempt_id)
            .where(Attempt.official_id == mine),
        ),
        audit.recorded_value("official_id", mine),  # e.g. extra time given on a test
        # The officials import names an official marked as left by id, not by code.
        audit.about_object("official", str(mine)) & (AuditEntry.action == "official.marked_left"),
        registry.lists_about(mine),  # pages, exports and archives that held them (their reads)
    ]
    return conditions


def processing_log(user: User, official: Official | None) -> list[dict]:
    """Who did what with the person's data, oldest first: views of their record, changes to it
    and to their training records, sign-in locks."""
    return [
        {
            "at": plain(line.entry.at),
            "by": line.username or "system",
            "by_name": line.actor,
            "action": line.entry.action,
            "label": line.label,
            "description": line.sentence,
            "object_type": line.entry.object_type,
            "object_id": line.entry.object_id,
            "address": line.entry.address,
        }
        for line in audit.log_about(_about(user, official))
    ]


def collect(user: User) -> dict:
    """The whole download as JSON-ready data: account, sign-ins, API tokens, the registry record
    with its posts, every training section, the evaluations asked of them (their answers are
    anonymous, not linked to them: the download says so), the privacy notices acknowledged and
    the requests about the data, notifications and the processing log. Sections that do not
    apply (no official record) are present and empty."""
    official = db.session.get(Official, user.official_id) if user.official_id else None
    data = {
        "generated_at": plain(clock.now()),
        "account": auth_data.account(user),
        "logins": auth_data.logins(user),
        "api_tokens": api_tokens(user.id),
        "official": registry.record(official) if official else None,
    }
    for name, section in TRAINING_SECTIONS.items():
        data[name] = section(official.id) if official else []
    data["evaluation_requests"] = evaluations.requests(user.id)
    data["evaluation_answers"] = {"included": False, "why": evaluations.answers_note()}
    data["privacy_notice"] = privacy.acknowledgements(user.id)
    data["privacy_requests"] = privacy.requests(official.id) if official else []
    data["notifications"] = inbox.notifications(user.id)
    data["notification_email_choices"] = inbox.preferences(user.id)
    data["processing_log"] = processing_log(user, official)
    return data
