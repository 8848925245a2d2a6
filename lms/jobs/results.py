"""What a finished job did, in words: the keys jobs put in their result (counts, serials, states)
with their labels, so a run's page reads "Thư đã gửi: 2" rather than {"sent": 2}.

A job that returns a new key adds its label here; tests/services/test_jobs_labels.py runs the
jobs and fails on a key without one.
"""

from dataclasses import dataclass

from lms.i18n import _l, format_number

RESULT_LABELS = {
    # mail and notifications
    "mail": _l("Email"),
    "sent": _l("Sent"),
    "failed": _l("Failed"),
    "reminders": _l("Deadline reminders"),
    "due_30": _l("Reminders: due within 30 days"),
    "due_7": _l("Reminders: due within 7 days"),
    "overdue": _l("Overdue notices"),
    "course_assigned": _l("New mandatory courses announced"),
    "certificate_expiring": _l("Expiry warnings"),
    "certificates": _l("Certificates"),
    "weekly_digest": _l("Digests sent"),
    # obligations refresh
    "obligations": _l("Obligations"),
    "cycles": _l("Cycles refreshed"),
    "officials": _l("Officials"),
    "skipped_closed": _l("Officials skipped (cycle closed for their unit)"),
    "targets_written": _l("Targets written"),
    "inserted": _l("Obligations added"),
    "updated": _l("Updated"),
    "withdrawn": _l("Obligations withdrawn"),
    # heads of units (lms/teams)
    "heads": _l("Heads of units"),
    "added": _l("Head roles added"),
    "removed": _l("Head roles removed"),
    "team_escalation": _l("Heads told about overdue officials"),
    "team_overdue": _l("Overdue officials told to their heads"),
    "team_digest": _l("Heads' digests sent"),
    # training evaluation (lms/surveys/jobs.py)
    "effectiveness": _l("Effectiveness survey after training"),
    "effectiveness_asked": _l("Officials and heads asked the effectiveness survey"),
    # the ledger seal
    "ledger_seal": _l("Ledger seal"),
    "entries": _l("Ledger entries sealed"),
    # retention of personal data (lms/privacy/retention.py)
    "retention": _l("Retention of personal data"),
    "attempts": _l("Test attempts whose answers were erased"),
    "evidence": _l("Evidence files deleted"),
    "logins": _l("Sign-in records deleted"),
    "notifications": _l("Notifications deleted"),
    # certificates
    "issued": _l("Certificates issued"),
    "skipped": _l("Skipped"),
    "missing": _l("Download no longer available"),
    "size": _l("Size (bytes)"),
    # files past their retention
    "files": _l("Files past their retention deleted"),
    "uploads": _l("Import uploads"),
    "bulk_zips": _l("Bulk certificate downloads"),
    # imports
    "state": _l("State"),
    "result": _l("Result"),
}

# Values that are codes rather than data.
VALUE_LABELS = {
    "ready": _l("Checked, ready to import"),
    "imported": _l("Imported"),
    "failed": _l("Failed"),
    "checking": _l("Checking"),
    "importing": _l("Importing"),
}


@dataclass(frozen=True)
class Item:
    """One line of a result: its label and either a value (text) or nested items."""

    key: str
    label: str
    value: str = ""
    items: tuple = ()

    @property
    def known(self) -> bool:
        return self.key in RESULT_LABELS


def _value(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(_l("Yes") if value else _l("No"))
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, list | tuple):
        return ", ".join(_value(v) for v in value) or "—"
    text = str(value)
    return str(VALUE_LABELS[text]) if text in VALUE_LABELS else text


def describe(result) -> list[Item]:
    """The result as labelled items (a nested dict becomes nested items); keys without a label
    keep their name, so nothing a job reports is hidden."""
    if not isinstance(result, dict):
        return [Item("result", str(RESULT_LABELS["result"]), _value(result))] if result else []
    items = []
    for key, value in result.items():
        label = str(RESULT_LABELS.get(key, key))
        if isinstance(value, dict):
            items.append(Item(key, label, items=tuple(describe(value))))
        else:
            items.append(Item(key, label, _value(value)))
    return items


def unlabelled(result) -> set[str]:
    """Keys of `result` (at any depth) without a label."""
    if not isinstance(result, dict):
        return set()
    missing = {key for key in result if key not in RESULT_LABELS}
    for value in result.values():
        missing |= unlabelled(value)
    return missing
