"""The privacy notice: its current version and the retention periods it states. The wording
is in templates/privacy/_notice.html; changing what it says means a new VERSION here, which
asks every user to acknowledge it again."""

from dataclasses import dataclass
from datetime import date

from flask import current_app

from lms.audit.queries import namer
from lms.i18n import _l

# Bump with every change of substance to the notice's wording (then everyone is asked again).
VERSION = "2026-01"
EFFECTIVE_ON = date(2026, 1, 1)


@dataclass(frozen=True)
class RetentionKind:
    """A kind of personal data with its own retention setting."""

    code: str
    setting: str
    label: object  # a lazy string
    what: object  # a lazy string: which records, counted from when


RETENTION_KINDS = (
    RetentionKind(
        "attempts",
        "LMS_RETENTION_ATTEMPT_DAYS",
        _l("Test attempts"),
        _l("answers of finished test attempts, counted from the end of the attempt"),
    ),
    RetentionKind(
        "evidence",
        "LMS_RETENTION_EVIDENCE_DAYS",
        _l("Evidence of external training"),
        _l("files attached to external training requests, counted from the decision"),
    ),
    RetentionKind(
        "logins",
        "LMS_RETENTION_LOGIN_DAYS",
        _l("Sign-in records"),
        _l("failed sign-ins, ended sessions and reads of personal data in the audit log"),
    ),
    RetentionKind(
        "uploads",
        "LMS_FILE_RETENTION_DAYS",
        _l("Uploaded import files"),
        _l(
            "files uploaded for an import and bulk certificate downloads, counted from when "
            "they were made"
        ),
    ),
    RetentionKind(
        "notifications",
        "LMS_RETENTION_NOTIFICATION_DAYS",
        _l("Notifications"),
        _l("the inbox and the emails sent, counted from when they were sent"),
    ),
)


def retention_days(kind: RetentionKind) -> int:
    """The configured retention of `kind` in days (0: kept forever)."""
    return int(current_app.config[kind.setting] or 0)


@namer("retention")
def kind_names(codes: list[str]) -> dict[str, str]:
    """The audit log's names of retention kinds (the entries of lms.privacy.retention)."""
    return {kind.code: str(kind.label) for kind in RETENTION_KINDS if kind.code in codes}
