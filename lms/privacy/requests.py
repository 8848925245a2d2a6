"""Officials' requests to correct, restrict or delete their personal data (Law 91/2025/QH15):
made by the official, handled by HR of their unit (or an administrator) within the response
days, each step audited and notified to the official.

The queue is scoped in SQL like the registry: HR sees the requests of the officials whose
current unit lies in their subtrees."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import case, literal, select

from lms.audit.services import record
from lms.auth.models import ADMINISTRATOR, HR_OFFICER, RoleGrant, User
from lms.auth.permissions import has_role
from lms.auth.scope import Scope
from lms.common import clock
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.jobs.notifications import notify, notify_official, site_path
from lms.organisation.models import Official, OrgUnit, PositionAssignment
from lms.organisation.queries import is_current_post, join_current_post
from lms.privacy.models import OPEN_STATES, PrivacyRequest, RequestKind, RequestState

DETAILS_MAX = 2000
OUTCOME_MAX = 2000


def can_handle_requests(user) -> bool:
    """The personal-data requests queue: HR officers (their units) and administrators."""
    return has_role(user, HR_OFFICER, ADMINISTRATOR)


def due_on(received: date) -> date:
    """The last day to answer a request received on `received` (LMS_PRIVACY_RESPONSE_DAYS
    calendar days later)."""
    return received + timedelta(days=int(current_app.config["LMS_PRIVACY_RESPONSE_DAYS"]))


@dataclass(frozen=True)
class NewRequest:
    """What the official fills in."""

    kind: str
    details: str


def _text(value: str | None) -> str:
    return (value or "").strip()


def submit(official: Official, data: NewRequest, actor: User) -> PrivacyRequest:
    """Receive an official's request (flushed): due in the response days from today, audited,
    a receipt to the official and a notice to the HR officers whose units cover them.

    Raises ValidationFailed for an unknown kind or empty or over-long details."""
    details = _text(data.details)
    reasons = []
    if data.kind not in {k.value for k in RequestKind}:
        reasons.append(("kind", _("Choose what you are asking for.")))
    if not details:
        reasons.append(("details", _("Say which data and what should change.")))
    elif len(details) > DETAILS_MAX:
        reasons.append(("details", _("At most %(max)d characters.", max=DETAILS_MAX)))
    if reasons:
        raise ValidationFailed(reasons)
    request = PrivacyRequest(
        official_id=official.id,
        requested_by_id=actor.id,
        kind=data.kind,
        details=details,
        state=RequestState.RECEIVED,
        received_at=clock.now(),
        due_on=due_on(clock.today()),
    )
    db.session.add(request)
    db.session.flush()
    record(
        actor,
        "privacy_request.received",
        "privacy_request",
        request.id,
        after={"official": official.employee_code, "kind": request.kind, "due_on": request.due_on},
    )
    _notify_official(request, actor)
    for user_id in hr_officers_covering(official):
        notify(
            user_id,
            "privacy_request_new",
            f"privacy_request:{request.id}",
            {
                "number": request.id,
                "official": f"{official.full_name} ({official.employee_code})",
                "kind": request.kind,
                "due_on": request.due_on,
                "link": site_path("privacy.request_detail", request_id=request.id),
            },
        )
    return request


def hr_officers_covering(official: Official) -> list[int]:
    """Ids of the enabled HR officers whose units cover the official's current unit."""
    path = db.session.scalar(
        select(OrgUnit.path)
        .join(PositionAssignment, PositionAssignment.unit_id == OrgUnit.id)
        .where(PositionAssignment.official_id == official.id, is_current_post())
    )
    if path is None:
        return []
    return list(
        db.session.scalars(
            select(User.id)
            .join(RoleGrant, RoleGrant.user_id == User.id)
            .join(OrgUnit, OrgUnit.id == RoleGrant.unit_id)
            .where(
                RoleGrant.role == HR_OFFICER,
                User.is_enabled,
                literal(path).startswith(OrgUnit.path),
            )
            .distinct()
        )
    )


def _notify_official(request: PrivacyRequest, actor) -> None:
    """Tell the official (their account, if any) where their request stands."""
    notify_official(
        request.official_id,
        "privacy_request",
        f"privacy_request:{request.id}:{request.state}",
        {
            "number": request.id,
            "kind": request.kind,
            "state": request.state,
            "due_on": request.due_on,
            "outcome": request.outcome or "",
            "link": site_path("privacy.my_request", request_id=request.id),
        },
    )


def _require_open(request: PrivacyRequest) -> None:
    if not request.state_enum.is_open:
        raise RuleViolation(_("This request is already closed."), "request_closed")


def start(request: PrivacyRequest, actor: User) -> PrivacyRequest:
    """HR takes a received request in hand (flushed, audited, the official notified).

    Raises RuleViolation unless the request is received."""
    if request.state != RequestState.RECEIVED:
        raise RuleViolation(_("Only a received request can be taken in hand."), "not_received")
    request.state = RequestState.IN_PROGRESS
    request.handler_id = actor.id
    request.started_at = clock.now()
    db.session.flush()
    record(actor, "privacy_request.started", "privacy_request", request.id)
    _notify_official(request, actor)
    return request


def close(request: PrivacyRequest, state: RequestState, outcome: str, actor: User):
    """Close an open request as done (what was done) or refused (the reason), flushed, audited
    and notified to the official.

    Raises RuleViolation for a closed request, ValidationFailed for an empty outcome."""
    _require_open(request)
    assert state in (RequestState.DONE, RequestState.REFUSED)
    outcome = _text(outcome)
    if not outcome:
        message = _("Say what was done.") if state == RequestState.DONE else _("Give the reason.")
        raise ValidationFailed([("outcome", message)])
    if len(outcome) > OUTCOME_MAX:
        raise ValidationFailed([("outcome", _("At most %(max)d characters.", max=OUTCOME_MAX))])
    request.state = state
    request.outcome = outcome
    request.handler_id = request.handler_id or actor.id
    request.closed_at = clock.now()
    db.session.flush()
    action = "privacy_request.done" if state == RequestState.DONE else "privacy_request.refused"
    record(actor, action, "privacy_request", request.id, after={"outcome": outcome})
    _notify_official(request, actor)
    return request


def queue_select(scope: Scope | list[str] | None, states: tuple | None = OPEN_STATES):
    """Requests about officials whose current unit lies in `scope` (SQL): open ones by
    default, earliest due first."""
    stmt = join_current_post(
        select(PrivacyRequest).join(Official, Official.id == PrivacyRequest.official_id),
        post=PositionAssignment,
        unit=OrgUnit,
    ).order_by(
        case((PrivacyRequest.state.in_(OPEN_STATES), 0), else_=1),
        PrivacyRequest.due_on,
        PrivacyRequest.id,
    )
    if states:
        stmt = stmt.where(PrivacyRequest.state.in_(states))
    condition = Scope.from_paths(scope).unit_filter(OrgUnit.path)
    return stmt if condition is None else stmt.where(condition)


def request_in_scope(request_id: int, scope: Scope | list[str] | None) -> PrivacyRequest | None:
    """One request if its official is in `scope`, else None."""
    return db.session.scalar(queue_select(scope, None).where(PrivacyRequest.id == request_id))


def own_requests(official_id: int) -> list[PrivacyRequest]:
    """An official's own requests, newest first."""
    return list(
        db.session.scalars(
            select(PrivacyRequest)
            .where(PrivacyRequest.official_id == official_id)
            .order_by(PrivacyRequest.received_at.desc(), PrivacyRequest.id.desc())
        )
    )
