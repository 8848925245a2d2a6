"""Every audit action code with its label and its sentence, and the kinds of object the log
names. The audit page, its export and the personal-data download read the words from here;
`record` refuses a code that is not registered (tests/unit/test_audit_actions.py scans the code
base for the codes it writes), so a new action comes with its words.

A sentence has the placeholders %(actor)s (who did it) and %(object)s (the object's code or
number); a label is the short name an action filter lists.
"""

from dataclasses import dataclass

from lms.common.vntext import sort_key
from lms.i18n import _, _l


@dataclass(frozen=True)
class Action:
    """A kind of audited change: its code, the kind of object it names and how it reads."""

    code: str
    object_type: str
    label: object  # a lazy string
    sentence: object  # a lazy string with %(actor)s and %(object)s


# The kinds of object an entry names (AuditEntry.object_type).
OBJECT_TYPES = {
    "user": _l("Account"),
    "official": _l("Official"),
    "certificate": _l("Certificate"),
    "course": _l("Course"),
    "bank_question": _l("Bank question"),
    "quiz": _l("Test"),
    "attempt": _l("Test attempt"),
    "attempt_slot": _l("Answer in an attempt"),
    "training_class": _l("In-person class"),
    "class_member": _l("Class member"),
    "ledger_entry": _l("Ledger entry"),
    "ledger": _l("Credit ledger"),
    "completion": _l("Course completion"),
    "completions": _l("Completions import"),
    "external_record": _l("External training"),
    "curriculum": _l("Curriculum"),
    "cycle": _l("Training cycle"),
    "registry": _l("Officials registry"),
    "unit": _l("Org unit"),
    "position": _l("Job position"),
    "rank": _l("Rank"),
    "address": _l("Network address"),
    "provisioning_run": _l("Account provisioning run"),
    "files": _l("Stored files"),
    "privacy_request": _l("Personal data request"),
    "retention": _l("Retention of personal data"),
}

ACTIONS: dict[str, Action] = {}


def _add(code: str, object_type: str, label, sentence) -> None:
    assert object_type in OBJECT_TYPES, object_type
    ACTIONS[code] = Action(code, object_type, label, sentence)


# Accounts and sign-in
_add("user.created", "user", _l("Account created"), _l("%(actor)s created account %(object)s"))
_add(
    "user.enabled",
    "user",
    _l("Account enabled"),
    _l("%(actor)s enabled account %(object)s"),
)
_add(
    "user.disabled",
    "user",
    _l("Account disabled"),
    _l("%(actor)s disabled account %(object)s"),
)
_add(
    "user.password_changed",
    "user",
    _l("Password changed"),
    _l("%(actor)s changed the password of account %(object)s"),
)
_add(
    "user.password_reset",
    "user",
    _l("Temporary password set"),
    _l("%(actor)s set a temporary password for account %(object)s"),
)
_add(
    "user.2fa_enabled",
    "user",
    _l("Two-factor authentication turned on"),
    _l("%(actor)s turned on two-factor authentication for account %(object)s"),
)
_add(
    "user.2fa_reset",
    "user",
    _l("Two-factor authentication reset"),
    _l("%(actor)s reset the two-factor authentication of account %(object)s"),
)
_add(
    "user.2fa_recovery_code_used",
    "user",
    _l("Recovery code used"),
    _l("%(actor)s logged in with a recovery code (account %(object)s)"),
)
_add(
    "login.locked",
    "user",
    _l("Sign-in locked"),
    _l("Account %(object)s was locked after too many failed logins"),
)
_add(
    "login.device_locked",
    "user",
    _l("Browser locked out"),
    _l("A browser was locked out of account %(object)s after too many failed logins"),
)
_add(
    "login.address_locked",
    "address",
    _l("Address locked out"),
    _l("Sign-in from address %(object)s was locked after too many failed logins"),
)
_add(
    "user.2fa_failed",
    "user",
    _l("Wrong two-factor code"),
    _l("A wrong two-factor code was entered for account %(object)s"),
)
_add(
    "user.2fa_locked",
    "user",
    _l("Two-factor sign-in locked"),
    _l("Two-factor sign-in to account %(object)s was locked after too many wrong codes"),
)
_add(
    "role.granted",
    "user",
    _l("Role granted"),
    _l("%(actor)s granted a role to account %(object)s"),
)
_add(
    "role.revoked",
    "user",
    _l("Role removed"),
    _l("%(actor)s removed a role from account %(object)s"),
)
_add(
    "api_token.created",
    "user",
    _l("API token created"),
    _l("%(actor)s created an API token for account %(object)s"),
)
_add(
    "api_token.revoked",
    "user",
    _l("API token revoked"),
    _l("%(actor)s revoked an API token of account %(object)s"),
)

# The officials registry
_add(
    "official.created",
    "official",
    _l("Official created"),
    _l("%(actor)s created the record of official %(object)s"),
)
_add(
    "official.imported",
    "official",
    _l("Official imported"),
    _l("%(actor)s imported the record of official %(object)s"),
)
_add(
    "official.updated",
    "official",
    _l("Official updated"),
    _l("%(actor)s updated the record of official %(object)s"),
)
_add(
    "official.viewed",
    "official",
    _l("Official's record viewed"),
    _l("%(actor)s viewed the record of official %(object)s"),
)
_add(
    "official.position_changed",
    "official",
    _l("Position changed"),
    _l("%(actor)s recorded a change of post for official %(object)s"),
)
_add(
    "official.concurrent_added",
    "official",
    _l("Concurrent post added"),
    _l("%(actor)s added a concurrent post for official %(object)s"),
)
_add(
    "official.assignment_ended",
    "official",
    _l("Post ended"),
    _l("%(actor)s ended a post of official %(object)s"),
)
_add(
    "official.marked_left",
    "official",
    _l("Official marked as left"),
    _l("%(actor)s marked official %(object)s as having left"),
)
_add(
    "officials.exported",
    "registry",
    _l("Officials exported"),
    _l("%(actor)s exported the officials registry"),
)
# Personal data (lms/privacy)
_add(
    "privacy.notice_acknowledged",
    "user",
    _l("Privacy notice acknowledged"),
    _l("%(actor)s acknowledged the privacy notice (account %(object)s)"),
)
_add(
    "retention.applied",
    "retention",
    _l("Retention period applied"),
    _l("%(actor)s applied the retention period of %(object)s"),
)
_add(
    "privacy_request.received",
    "privacy_request",
    _l("Personal data request received"),
    _l("%(actor)s made personal data request no. %(object)s"),
)
_add(
    "privacy_request.started",
    "privacy_request",
    _l("Personal data request in progress"),
    _l("%(actor)s took personal data request no. %(object)s in hand"),
)
_add(
    "privacy_request.done",
    "privacy_request",
    _l("Personal data request done"),
    _l("%(actor)s closed personal data request no. %(object)s as done"),
)
_add(
    "privacy_request.refused",
    "privacy_request",
    _l("Personal data request refused"),
    _l("%(actor)s refused personal data request no. %(object)s"),
)


# Reads of personal data (lms/audit/reads.py): one entry per request, whatever it held
_add(
    "statement.viewed",
    "official",
    _l("Training statement read"),
    _l("%(actor)s read the training statement of official %(object)s"),
)
_add(
    "ledger.viewed",
    "official",
    _l("Credit ledger read"),
    _l("%(actor)s read the credit ledger of official %(object)s"),
)
_add(
    "certificate.viewed",
    "official",
    _l("Certificate read"),
    _l("%(actor)s read a certificate of official %(object)s"),
)
_add(
    "transcript.viewed",
    "official",
    _l("Transcript read"),
    _l("%(actor)s read a transcript of official %(object)s"),
)
_add(
    "evidence.downloaded",
    "official",
    _l("Evidence file downloaded"),
    _l("%(actor)s downloaded an external-training evidence file of official %(object)s"),
)
_add(
    "officials.listed",
    "registry",
    _l("Officials listed through the API"),
    _l("%(actor)s read a page of the officials registry through the API"),
)
_add(
    "statements.printed",
    "unit",
    _l("Unit's statements printed"),
    _l("%(actor)s printed the training statements of unit %(object)s"),
)
_add(
    "certificates.bulk_downloaded",
    "registry",
    _l("Certificates downloaded in bulk"),
    _l("%(actor)s downloaded certificates of several officials in one archive"),
)
# Accounts for officials (lms/organisation/accounts.py, lms/auth/activation.py)
_add(
    "accounts.provisioned",
    "provisioning_run",
    _l("Accounts created for officials"),
    _l("%(actor)s created accounts for officials (run %(object)s)"),
)
_add(
    "user.activation_reissued",
    "user",
    _l("Activation link re-issued"),
    _l("%(actor)s issued a new activation link for account %(object)s"),
)
_add(
    "user.activated",
    "user",
    _l("Account activated"),
    _l("%(actor)s activated account %(object)s with its activation link"),
)
_add(
    "accounts.links_exported",
    "unit",
    _l("Activation links downloaded"),
    _l("%(actor)s downloaded the activation links of officials (unit %(object)s)"),
)
_add(
    "accounts.letters_printed",
    "unit",
    _l("Activation letters printed"),
    _l("%(actor)s downloaded the activation letters of officials (unit %(object)s)"),
)
_add("unit.updated", "unit", _l("Org unit updated"), _l("%(actor)s updated org unit %(object)s"))
_add(
    "position.updated",
    "position",
    _l("Job position updated"),
    _l("%(actor)s updated job position %(object)s"),
)
_add("rank.updated", "rank", _l("Rank updated"), _l("%(actor)s updated rank %(object)s"))

# Courses, question banks and tests
_add("course.created", "course", _l("Course created"), _l("%(actor)s created course %(object)s"))
_add("course.updated", "course", _l("Course updated"), _l("%(actor)s updated course %(object)s"))
_add(
    "course.imported",
    "course",
    _l("Course imported"),
    _l("%(actor)s imported course %(object)s from its files"),
)
_add(
    "course.status_changed",
    "course",
    _l("Course status changed"),
    _l("%(actor)s changed the status of course %(object)s"),
)
_add(
    "questions.import",
    "course",
    _l("Questions imported"),
    _l("%(actor)s imported questions into the bank of course no. %(object)s"),
)
_add(
    "question.edit",
    "bank_question",
    _l("Question edited"),
    _l("%(actor)s edited bank question no. %(object)s"),
)
_add(
    "question.retire",
    "bank_question",
    _l("Question removed"),
    _l("%(actor)s removed bank question no. %(object)s"),
)
_add(
    "quiz.save",
    "quiz",
    _l("Test settings saved"),
    _l("%(actor)s saved the settings of test no. %(object)s"),
)
_add(
    "quiz.extra_time",
    "quiz",
    _l("Extra time given"),
    _l("%(actor)s gave an official extra time on test no. %(object)s"),
)
_add(
    "attempt.grade",
    "attempt_slot",
    _l("Answer graded"),
    _l("%(actor)s graded answer no. %(object)s"),
)
_add(
    "attempt.regrade",
    "attempt",
    _l("Attempt regraded"),
    _l("%(actor)s regraded test attempt no. %(object)s"),
)

# Credits: classes, external training, completions, the ledger, curricula and cycles
_add(
    "class.created",
    "training_class",
    _l("Class created"),
    _l("%(actor)s created in-person class no. %(object)s"),
)
_add(
    "class.updated",
    "training_class",
    _l("Class updated"),
    _l("%(actor)s updated in-person class no. %(object)s"),
)
_add(
    "class.roster_added",
    "training_class",
    _l("Officials added to a class"),
    _l("%(actor)s added officials to the roster of class no. %(object)s"),
)
_add(
    "class.roster_removed",
    "training_class",
    _l("Official removed from a class"),
    _l("%(actor)s removed an official from the roster of class no. %(object)s"),
)
_add(
    "class.result_recorded",
    "class_member",
    _l("Class result recorded"),
    _l("%(actor)s recorded the class result of member no. %(object)s"),
)
_add(
    "external.submitted",
    "external_record",
    _l("External training submitted"),
    _l("%(actor)s submitted external training no. %(object)s"),
)
_add(
    "external.approved",
    "external_record",
    _l("External training approved"),
    _l("%(actor)s approved external training no. %(object)s"),
)
_add(
    "external.rejected",
    "external_record",
    _l("External training rejected"),
    _l("%(actor)s rejected external training no. %(object)s"),
)
_add(
    "completion.revoked",
    "completion",
    _l("Completion withdrawn"),
    _l("%(actor)s withdrew course completion no. %(object)s"),
)
_add(
    "completions.imported",
    "completions",
    _l("Completions imported"),
    _l("%(actor)s imported historical course completions"),
)
_add(
    "ledger.append",
    "ledger_entry",
    _l("Ledger entry added"),
    _l("%(actor)s added entry no. %(object)s to a credit ledger"),
)
_add(
    "ledger.reverse",
    "ledger_entry",
    _l("Ledger entry reversed"),
    _l("%(actor)s wrote reversing entry no. %(object)s in a credit ledger"),
)
_add(
    "ledger.rekeyed",
    "ledger",
    _l("Ledger re-hashed under its key"),
    _l("%(actor)s re-hashed the %(object)s under the ledger key"),
)
_add(
    "ledger.own_override",
    "official",
    _l("Own record credited by override"),
    _l("%(actor)s overrode the separation of duties to write on their own record %(object)s"),
)
_add(
    "api.ledger_added",
    "official",
    _l("Ledger entry added through the API"),
    _l("%(actor)s added external training to the ledger of official %(object)s through the API"),
)
_add(
    "curriculum.saved",
    "curriculum",
    _l("Curriculum saved"),
    _l("%(actor)s saved the curriculum of %(object)s"),
)
_add(
    "curriculum.removed",
    "curriculum",
    _l("Curriculum removed"),
    _l("%(actor)s removed the curriculum of %(object)s"),
)
_add(
    "cycle.saved",
    "cycle",
    _l("Cycle rules saved"),
    _l("%(actor)s saved the rules of training cycle %(object)s"),
)
_add("cycle.close", "cycle", _l("Cycle closed"), _l("%(actor)s closed training cycle %(object)s"))
_add(
    "cycle.reopen",
    "cycle",
    _l("Cycle reopened"),
    _l("%(actor)s reopened training cycle %(object)s"),
)
_add(
    "compliance.exported",
    "cycle",
    _l("Compliance list exported"),
    _l("%(actor)s exported the compliance list of training cycle %(object)s"),
)

# Certificates
_add(
    "certificate.issued",
    "certificate",
    _l("Certificate issued"),
    _l("%(actor)s issued certificate %(object)s"),
)
_add(
    "certificate.reissued",
    "certificate",
    _l("Certificate reissued"),
    _l("%(actor)s reissued a certificate as %(object)s"),
)
_add(
    "certificate.revoked",
    "certificate",
    _l("Certificate revoked"),
    _l("%(actor)s revoked certificate %(object)s"),
)


# Files the application keeps (lms.jobs.retention): the object is the day of the deletion
_add(
    "files.expired_removed",
    "files",
    _l("Expired files deleted"),
    _l("%(actor)s deleted the uploads and bulk downloads past their retention (%(object)s)"),
)


def is_registered(code: str) -> bool:
    """Whether `code` is a registered action."""
    return code in ACTIONS


def label(code: str) -> str:
    """The action's short name in the current language (the code itself if unknown)."""
    action = ACTIONS.get(code)
    return str(action.label) if action else code


def object_label(object_type: str) -> str:
    """The name of a kind of object in the current language (the type itself if unknown)."""
    name = OBJECT_TYPES.get(object_type)
    return str(name) if name else object_type


def sentence(code: str, actor: str | None, obj: str) -> str:
    """The entry as a sentence: "Nguyễn Văn A đã thu hồi giấy chứng nhận DN-2026-000001".
    `actor` None is the system. A code registered by no one (an old row) reads generically."""
    who = actor or _("The system")
    action = ACTIONS.get(code)
    if action is None:
        return _("%(actor)s: %(action)s on %(object)s", actor=who, action=code, object=obj)
    return str(action.sentence) % {"actor": who, "object": obj}


def action_choices() -> list[tuple[str, str]]:
    """(code, label) of every action, by label, for a filter."""
    return sorted(((code, label(code)) for code in ACTIONS), key=lambda pair: sort_key(pair[1]))


def object_choices() -> list[tuple[str, str]]:
    """(type, name) of every kind of object, by name, for a filter."""
    return sorted(((t, object_label(t)) for t in OBJECT_TYPES), key=lambda p: sort_key(p[1]))
