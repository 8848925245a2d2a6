"""Every audit action code with its label and its sentence, and the kinds of object the log
names. The audit page, its export and the personal-data download read the words from here;
`record` refuses a code that is not registered (tests/unit/test_audit_actions.py scans the code
base for the codes it writes), so a new action comes with its words.

A sentence has the placeholders %(actor)s (who did it) and %(object)s (the object's code or
number); a label is the short name an action filter lists.
"""

from dataclasses import dataclass

from lms.audit.actions_people import PEOPLE
from lms.audit.actions_recruitment import RECRUITMENT
from lms.audit.actions_teams import TEAMS
from lms.audit.actions_training import TRAINING
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
    "trainer": _l("Trainer"),
    "venue": _l("Venue"),
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
    "programme": _l("Programme"),
    "programme_certificate": _l("Programme certificate"),
    "nomination": _l("Nomination"),
    "recruitment": _l("Recruitment"),
    "candidate": _l("Candidate"),
    "exam_session": _l("Exam session"),
    "training_needs": _l("Training needs"),
    "training_plan": _l("Annual training plan"),
}

ACTIONS: dict[str, Action] = {}


def _add(code: str, object_type: str, label, sentence) -> None:
    assert object_type in OBJECT_TYPES, object_type
    ACTIONS[code] = Action(code, object_type, label, sentence)


for _code, _object_type, _label, _sentence in (*PEOPLE, *TRAINING, *TEAMS, *RECRUITMENT):
    _add(_code, _object_type, _label, _sentence)


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
