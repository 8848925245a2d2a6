"""The "all my data" download as a readable document: the sections of lms.main.personal_data as
titled tables, every code in words and every date the way the reader's language writes it."""

from dataclasses import dataclass, field
from datetime import date, datetime

from lms.assessments.models import AttemptStatus
from lms.auth.models import Role
from lms.certificates.models import RevocationReason
from lms.compliance.models import ComplianceStatus
from lms.curricula.classes.models import ClassResult
from lms.curricula.external.models import ExternalStatus
from lms.curricula.ledger.models import CreditSource
from lms.curricula.obligations.labels import ObligationKind, ObligationStatus, WithdrawnReason
from lms.i18n import _, _l, format_datetime, format_day, format_number
from lms.jobs.notifications import KINDS as NOTIFICATION_KINDS
from lms.organisation.models import Category, Gender, OfficialStatus
from lms.privacy.models import RequestKind, RequestState


@dataclass
class Section:
    """A titled table: `rows` of cell texts under `headers` (a note when there are none)."""

    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)


def _word(labels, code) -> str:
    """A stored code in words: `labels` is a labelled state (lms.common.labels) or a mapping."""
    if hasattr(labels, "text_of"):
        return labels.text_of(code, "—")
    return str(labels.get(code, code)) if code is not None else "—"


def _day(text) -> str:
    return format_day(date.fromisoformat(text[:10])) if text else "—"


def _moment(text) -> str:
    return format_datetime(datetime.fromisoformat(text), "short") if text else "—"


def _number(text) -> str:
    return format_number(float(text)) if text not in (None, "") else "—"


def _facts(title: str, pairs: list[tuple[str, str]]) -> Section:
    return Section(title, [_("Item"), _("Value")], [[k, v or "—"] for k, v in pairs])


def account(data: dict) -> list[Section]:
    """The account, its sign-ins and its API tokens."""
    a, logins = data["account"], data["logins"]
    roles = ", ".join(
        f"{_word(Role, r['role'])}" + (f" ({r['unit']})" if r["unit"] else "") for r in a["roles"]
    )
    facts = _facts(
        _("Account"),
        [
            (_("Username"), a["username"]),
            (_("Full name"), a["display_name"]),
            (_("Email"), a["email"]),
            (_("Roles"), roles),
            (_("Two-factor authentication"), _("On.") if a["two_factor"] else _("Off.")),
            (_("Account created on"), _moment(a["created_at"])),
            (_("Last login"), _moment(logins["last_login_at"])),
        ],
    )
    failures = Section(
        _("Failed logins kept"),
        [_("When"), _("IP address")],
        [[_moment(f["at"]), f["address"]] for f in logins["failed_attempts"]],
    )
    tokens = Section(
        _("API tokens"),
        [_("Name"), _("Created"), _("Last used"), _("Expires"), _("Revoked")],
        [
            [t["name"], _moment(t["created_at"]), _moment(t["last_used_at"])]
            + [_moment(t["expires_at"]), _moment(t["revoked_at"])]
            for t in data["api_tokens"]
        ],
    )
    return [facts, failures, tokens]


def _concurrent(position: str) -> str:
    return _("%(position)s (concurrent post)", position=position)


def official(o: dict) -> list[Section]:
    """The registry record and the posts held."""
    record = _facts(
        _("Official record"),
        [
            (_("Employee code"), o["employee_code"]),
            (_("Full name"), o["full_name"]),
            (_("Gender"), _word(Gender, o["gender"])),
            (_("Date of birth"), _day(o["date_of_birth"])),
            (_("Category"), _word(Category, o["category"])),
            (_("Email"), o["email"]),
            (_("Phone"), o["phone"]),
            (_("Status"), _word(OfficialStatus, o["status"])),
        ],
    )
    posts = Section(
        _("Assignment history"),
        [_("From"), _("To"), _("Unit"), _("Job position"), _("Rank"), _("Decision")],
        [
            [_day(a["started_on"]), _day(a["ended_on"]) if a["ended_on"] else _("now")]
            + [a["unit"], a["position"] if a["is_primary"] else _concurrent(a["position"])]
            + [a["rank"] or "—", a["decision_no"] or "—"]
            for a in o["assignments"]
        ],
    )
    return [record, posts]


def obligations(data: dict) -> list[Section]:
    """Targets and obligations by cycle."""
    targets = Section(
        _("Credit targets"),
        [_("Cycle"), _("Target (credits)"), _("Months counted")],
        [
            [str(t["cycle"]), _number(t["target_credits"]), str(t["months"])]
            for t in data["targets"]
        ],
    )
    owed = Section(
        _("Mandatory courses"),
        [_("Cycle"), _("Course"), _("Kind"), _("Due on"), _("Status")],
        [
            [str(o["cycle"]), f"{o['course_code']} · {o['course_title']}"]
            + [_word(ObligationKind, o["kind"]), _day(o["due_on"])]
            + [
                _word(ObligationStatus, o["status"])
                + (f" ({_word(WithdrawnReason, o['withdrawn_reason'])})"
                   if o["withdrawn_reason"] else "")
            ]
            for o in data["obligations"]
        ],
    )  # fmt: skip
    return [targets, owed]


def credits(data: dict) -> list[Section]:
    """The ledger, completions and what the official studied."""
    ledger = Section(
        _("Credit ledger"),
        [_("No."), _("Date"), _("Cycle"), _("Course or activity"), _("Credits"), _("Source")],
        [
            [str(e["seq"]), _day(e["earned_on"]), str(e["cycle"]), e["title"]]
            + [_number(e["credits"]), _word(CreditSource, e["source"])]
            for e in data["ledger"]
        ],
    )
    done = Section(
        _("Course completions"),
        [_("Course"), _("Completed on"), _("Valid until"), _("Score"), _("Source"), _("Withdrawn")],
        [
            [f"{c['course_code']} · {c['course_title']}", _day(c["completed_on"])]
            + [_day(c["expires_on"]), _number(c["score"]), _word(CreditSource, c["source"])]
            + [(c["revoked_reason"] or _day(c["revoked_at"])) if c["revoked_at"] else "—"]
            for c in data["completions"]
        ],
    )
    courses = Section(
        _("Courses studied"),
        [_("Course"), _("Enrolled on"), _("Lessons done"), _("All lessons done on")],
        [
            [f"{e['course_code']} · {e['course_title']}", _day(e["enrolled_at"])]
            + [str(len(e["lessons_done"])), _day(e["lessons_done_at"])]
            for e in data["courses"]
        ],
    )
    return [ledger, done, courses]


def tests(data: dict) -> list[Section]:
    """Attempts, one row per question answered."""
    rows = []
    for a in data["attempts"]:
        score = f"{_number(a['percent'])} %" if a["percent"] is not None else "—"
        head = _("%(course)s, attempt %(number)s", course=a["course_code"], number=a["number"])
        rows.append([head, _word(AttemptStatus, a["status"]), _moment(a["submitted_at"]), score])
        for q in a["questions"]:
            mark = (
                "—" if q["fraction"] is None else _number(float(q["fraction"]) * float(q["mark"]))
            )
            rows.append([f"  {q['position']}. {q['question']}", q["answer"] or "—", "", mark])
    headers = [_("Attempt / question"), _("Answer"), _("Submitted"), _("Score")]
    return [Section(_("Test attempts"), headers, rows)]


def records(data: dict) -> list[Section]:
    """Certificates, external training, classes and frozen statements."""
    certificates = Section(
        _("Certificates"),
        [_("Serial"), _("Course"), _("Issued on"), _("Valid until"), _("Revoked"), _("Checks")],
        [
            [c["serial"], f"{c['course_code']} · {c['course_title']}", _day(c["issued_on"])]
            + [_day(c["expires_on"])]
            + [_word(RevocationReason, c["revoked_reason"]) if c["revoked_at"] else "—"]
            + [str(len(c["verifications"]))]
            for c in data["certificates"]
        ],
    )
    external = Section(
        _("External training"),
        [_("Title"), _("Organiser"), _("Dates"), _("Evidence file"), _("Status"), _("Credits")],
        [
            [r["title"], r["organiser"], f"{_day(r['starts_on'])} – {_day(r['ends_on'])}"]
            + [r["evidence_name"] or "—", _word(ExternalStatus, r["status"])]
            + [_number(r["credits_granted"])]
            for r in data["external_training"]
        ],
    )
    classes = Section(
        _("In-person classes"),
        [_("Class"), _("Course"), _("Dates"), _("Sessions attended"), _("Result")],
        [
            [c["title"], c["course_code"], f"{_day(c['starts_on'])} – {_day(c['ends_on'])}"]
            + [f"{c['sessions_attended'] or 0}/{c['sessions']}", _word(ClassResult, c["result"])]
            for c in data["classes"]
        ],
    )
    statements = Section(
        _("Training statements"),
        [_("Cycle"), _("Unit"), _("Target"), _("Earned"), _("Status"), _("Closed at")],
        [
            [str(s["cycle"]), s["unit_name"], _number(s["target_credits"])]
            + [_number(s["earned_credits"]), _word(ComplianceStatus, s["status"])]
            + [_moment(s["closed_at"])]
            for s in data["statements"]
        ],
    )
    return [certificates, external, classes, statements]


EVALUATION_ROLES = {
    "learner": _l("Learner"),
    "self": _l("The official (self-evaluation)"),
    "head": _l("Their head"),
}
QUESTIONNAIRES = {
    "TT10-COURSE": _l("Course and class evaluation"),
    "TT10-TRAINERS": _l("Trainer evaluation"),
    "TT10-EFFECTIVENESS": _l("Effectiveness after training"),
}


def evaluations(data: dict) -> list[Section]:
    """The evaluations asked of the person, and why their answers are not included."""
    asked = Section(
        _("Evaluations asked of me"),
        [_("Questionnaire"), _("As"), _("About"), _("Asked on"), _("Answered")],
        [
            [_word(QUESTIONNAIRES, r["questionnaire"]), _word(EVALUATION_ROLES, r["role"])]
            + [
                " · ".join(
                    part
                    for part in (
                        f"{r['course_code']} {r['course_title']}",
                        r["class"],
                        r["trainer"],
                        r["about_official"],
                    )
                    if part
                )
            ]
            + [_day(r["asked_on"]), _("Yes") if r["answered"] else _("No")]
            for r in data["evaluation_requests"]
        ],
    )
    answers = Section(
        _("My evaluation answers"), [_("Note")], [[data["evaluation_answers"]["why"]]]
    )
    return [asked, answers]


def privacy(data: dict) -> list[Section]:
    """The privacy notice versions acknowledged and the requests about the data."""
    notice = Section(
        _("Privacy notice"),
        [_("Version"), _("Acknowledged")],
        [[a["version"], _moment(a["acknowledged_at"])] for a in data["privacy_notice"]],
    )
    asked = Section(
        _("Requests about my data"),
        [_("Number"), _("Request"), _("Received"), _("Status"), _("What was done")],
        [
            [str(r["number"]), RequestKind.text_of(r["kind"]), _moment(r["received_at"])]
            + [RequestState.text_of(r["state"]), r["outcome"] or "—"]
            for r in data["privacy_requests"]
        ],
    )
    return [notice, asked]


def messages(data: dict) -> list[Section]:
    """Notifications and the processing log."""
    notes = Section(
        _("Notifications"),
        [_("When"), _("Kind"), _("Subject"), _("Read"), _("Emailed")],
        [
            [_moment(n["created_at"]), _word(NOTIFICATION_KINDS, n["kind"]), n["subject"]]
            + [_moment(n["read_at"]), _moment(n["emailed_at"])]
            for n in data["notifications"]
        ],
    )
    log = Section(
        _("Who processed this data"),
        [_("When"), _("What happened"), _("IP address")],
        [[_moment(e["at"]), e["description"], e["address"] or "—"] for e in data["processing_log"]],
    )
    return [notes, log]


def sections(data: dict) -> list[Section]:
    """Every section of the download, in order."""
    found = account(data)
    if data["official"]:
        found += official(data["official"])
        found += obligations(data) + credits(data) + tests(data) + records(data)
    return found + evaluations(data) + privacy(data) + messages(data)
