"""/api/v1/officials/<employee_code>/leave: an official's leave periods (read by those who read
the registry; added by HR officers over the official's unit and administrators)."""

from datetime import date

from flask import g, jsonify, url_for

from lms.api import access
from lms.api.blueprint import bp
from lms.api.responses import ApiError, service_refusals
from lms.api.routes import _json_body, _official, _read, _writable
from lms.extensions import db
from lms.i18n import _
from lms.organisation import leave
from lms.organisation.models import LeaveKind, LeavePeriod

# Adding leave: HR officers over the official's unit, and administrators.
LEAVE_WRITERS = access.CREDIT_WRITERS
FIELDS = ("kind", "from", "to", "decision_number")


def _period(period: LeavePeriod) -> dict:
    return {
        "id": period.id,
        "kind": period.kind,
        "from": period.starts_on.isoformat(),
        "to": period.ends_on.isoformat(),
        "decision_number": period.decision_number,
        "exempting": leave.is_exempting(period.kind),
    }


@bp.get("/officials/<employee_code>/leave")
def leave_periods(employee_code: str):
    """The official's leave periods, latest first (the read is audited)."""
    person, _post = _official(access.REGISTRY, employee_code)
    answer = jsonify(
        {
            "employee_code": person.employee_code,
            "items": [_period(p) for p in leave.periods_of(person.id)],
        }
    )
    _read("official.viewed", person, part="leave")
    return answer


def _invalid(reasons: list[tuple[str | None, str]]) -> ApiError:
    details = [{"field": field or "", "message": message} for field, message in reasons]
    return ApiError(422, "invalid", _("The leave period is invalid; see details."), details)


def _day(body: dict, key: str, reasons: list) -> date | None:
    """The date `body[key]` (YYYY-MM-DD), or None with a reason."""
    value = body.get(key)
    try:
        if isinstance(value, str) and len(value) == 10:
            return date.fromisoformat(value)
    except ValueError:
        pass
    reasons.append((key, _("Give the date as YYYY-MM-DD.")))
    return None


def _data(body) -> leave.LeaveData:
    """The leave period a JSON body describes, or 422 with the fields in error."""
    if not isinstance(body, dict):
        raise _invalid([(None, _("Send a JSON object."))])
    reasons: list[tuple[str | None, str]] = []
    unknown = sorted(set(body) - set(FIELDS))
    if unknown:
        reasons.append((unknown[0], _("Unknown field.")))
    kind = body.get("kind")
    if kind not in {k.value for k in LeaveKind}:
        reasons.append(("kind", _("Unknown kind of leave %(kind)s.", kind=str(kind)[:32])))
    start, end = _day(body, "from", reasons), _day(body, "to", reasons)
    decision = body.get("decision_number")
    if decision is not None and not isinstance(decision, str):
        reasons.append(("decision_number", _("Give the decision number as text.")))
        decision = None
    if reasons:
        raise _invalid(reasons)
    return leave.LeaveData(kind, start, end, decision)


@bp.post("/officials/<employee_code>/leave")
def leave_add(employee_code: str):
    """Add a leave period. The same period posted again (same first day and values) adds nothing
    and answers 200; a period overlapping another answers 422."""
    person = _writable(
        LEAVE_WRITERS,
        access.REGISTRY,
        employee_code,
        _("Recording leave needs an HR grant over the official's unit."),
    )
    data = _data(_json_body())
    same = next(
        (
            p
            for p in leave.periods_of(person.id)
            if (p.kind, p.starts_on, p.ends_on, p.decision_number)
            == (
                data.kind,
                data.starts_on,
                data.ends_on,
                (data.decision_number or "").strip() or None,
            )
        ),
        None,
    )
    if same is not None:
        period, status = same, 200
    else:
        with service_refusals(_invalid):
            period, status = leave.save_leave(person, data, g.api_user), 201
        db.session.commit()
    answer = jsonify(_period(period))
    answer.status_code = status
    answer.headers["Location"] = url_for("api.leave_periods", employee_code=person.employee_code)
    return answer
