"""Officials' leave periods (nghỉ dài ngày, vắng mặt): the setting of which kinds exempt from
training, reading the periods, and the one service that writes or deletes one (overlaps
refused, audited). The months and due-date rules they feed are in lms.curricula.rules."""

from dataclasses import dataclass
from datetime import date

from blinker import Namespace
from flask import current_app
from sqlalchemy import select

from lms.audit import services as audit
from lms.common.tabular import iter_chunks
from lms.errors import PermissionDenied, ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import LeaveKind, LeavePeriod, Official

MAX_DECISION = 64

# An official's months in the current cycle (in post, on leave, counted, not rated) come from
# the curricula domain, which organisation cannot import: it answers this signal with a dict
# {"year", "months_in_post", "months_on_leave", "months_counted", "not_rated"} or None.
official_months = Namespace().signal("official-months")


def months_of(official_id: int) -> dict | None:
    """The official's months in the cycle running today, as a later domain computes them (None
    when no cycle is defined)."""
    for _receiver, answer in official_months.send(official_id):
        if answer:
            return answer
    return None


def exempting_kinds() -> tuple[str, ...]:
    """The leave kinds that exempt from training (LMS_LEAVE_EXEMPTING_KINDS; default every kind
    but secondment)."""
    configured = current_app.config.get("LMS_LEAVE_EXEMPTING_KINDS")
    if configured is None:
        configured = tuple(kind for kind in LeaveKind if kind != LeaveKind.SECONDMENT)
    return tuple(str(kind) for kind in configured)


def is_exempting(kind: str) -> bool:
    return kind in exempting_kinds()


def periods_of(official_id: int) -> list[LeavePeriod]:
    """An official's leave periods, latest first."""
    return list(
        db.session.scalars(
            select(LeavePeriod)
            .where(LeavePeriod.official_id == official_id)
            .order_by(LeavePeriod.starts_on.desc(), LeavePeriod.id.desc())
        )
    )


def exempting_periods(official_ids: list[int], since: date) -> dict[int, list[tuple[date, date]]]:
    """Each official's exempting leave periods ending on or after `since`, as (first day, last
    day), earliest first. One query per 900 officials."""
    kinds = exempting_kinds()
    found: dict[int, list[tuple[date, date]]] = {}
    if not kinds:
        return found
    for chunk in iter_chunks(sorted(set(official_ids)), 900):
        rows = db.session.execute(
            select(LeavePeriod.official_id, LeavePeriod.starts_on, LeavePeriod.ends_on)
            .where(
                LeavePeriod.official_id.in_(chunk),
                LeavePeriod.kind.in_(kinds),
                LeavePeriod.ends_on >= since,
            )
            .order_by(LeavePeriod.official_id, LeavePeriod.starts_on)
        )
        for official_id, starts_on, ends_on in rows:
            found.setdefault(official_id, []).append((starts_on, ends_on))
    return found


def on_exempting_leave(day: date):
    """(A condition for a query naming LeavePeriod's official by `official_id`.) Officials on
    exempting leave on `day`: the select of their ids."""
    return select(LeavePeriod.official_id).where(
        LeavePeriod.kind.in_(exempting_kinds()),
        LeavePeriod.starts_on <= day,
        LeavePeriod.ends_on >= day,
    )


@dataclass(frozen=True)
class LeaveData:
    """What HR enters for a leave period."""

    kind: str
    starts_on: date
    ends_on: date
    decision_number: str | None = None


def overlapping(official_id: int, starts_on: date, ends_on: date, *, leaving_out=None):
    """The official's stored period overlapping [starts_on, ends_on] (other than `leaving_out`'s
    id), or None."""
    stmt = select(LeavePeriod).where(
        LeavePeriod.official_id == official_id,
        LeavePeriod.starts_on <= ends_on,
        LeavePeriod.ends_on >= starts_on,
    )
    if leaving_out is not None:
        stmt = stmt.where(LeavePeriod.id != leaving_out)
    return db.session.scalars(stmt.order_by(LeavePeriod.starts_on).limit(1)).first()


def check(data: LeaveData) -> list[tuple[str, str]]:
    """(field, reason) of what is wrong with `data` on its own."""
    reasons = []
    if data.kind not in {str(kind) for kind in LeaveKind}:
        reasons.append(("kind", _("Unknown kind of leave %(kind)s.", kind=data.kind)))
    if data.ends_on < data.starts_on:
        reasons.append(("ends_on", _("The last day is before the first day.")))
    if data.decision_number and len(data.decision_number) > MAX_DECISION:
        reasons.append(("decision_number", _("At most %(max)d characters.", max=MAX_DECISION)))
    return reasons


def overlap_reason(other: LeavePeriod) -> str:
    return _(
        "It overlaps the leave from %(start)s to %(end)s.",
        start=other.starts_on.strftime("%d/%m/%Y"),
        end=other.ends_on.strftime("%d/%m/%Y"),
    )


def _state(period: LeavePeriod) -> dict:
    return {
        "kind": period.kind,
        "starts_on": period.starts_on.isoformat(),
        "ends_on": period.ends_on.isoformat(),
        "decision_number": period.decision_number,
    }


def _refuse_own(official: Official, actor) -> None:
    """An officer does not record their own leave (it lowers their own target)."""
    if actor is not None and getattr(actor, "official_id", None) == official.id:
        message = _("This is your own record: another officer records your leave.")
        raise PermissionDenied(message, "own_record")


def save_leave(
    official: Official, data: LeaveData, actor, period: LeavePeriod | None = None
) -> LeavePeriod:
    """Add a leave period to `official` (or change `period`, one of theirs); audited; flushes.
    Raises ValidationFailed((field, reason), …) for a bad kind, dates out of order or a period
    overlapping another of the official's; PermissionDenied ("own_record") for the actor's own
    record."""
    _refuse_own(official, actor)
    reasons = check(data)
    if not reasons:
        leaving_out = period.id if period is not None else None
        other = overlapping(official.id, data.starts_on, data.ends_on, leaving_out=leaving_out)
        if other is not None:
            reasons.append(("starts_on", overlap_reason(other)))
    if reasons:
        raise ValidationFailed(reasons)
    before = _state(period) if period is not None else None
    if period is None:
        period = LeavePeriod(official_id=official.id, created_by_id=getattr(actor, "id", None))
        db.session.add(period)
    period.kind, period.starts_on, period.ends_on = data.kind, data.starts_on, data.ends_on
    period.decision_number = (data.decision_number or "").strip() or None
    db.session.flush()
    action = "leave.added" if before is None else "leave.changed"
    audit.record(actor, action, "official", official.employee_code, before=before,
                 after=_state(period))  # fmt: skip
    return period


def delete_leave(official: Official, period: LeavePeriod, actor) -> None:
    """Delete one of the official's leave periods (entered by mistake); audited; flushes.
    PermissionDenied for the actor's own record."""
    _refuse_own(official, actor)
    before = _state(period)
    db.session.delete(period)
    db.session.flush()
    audit.record(actor, "leave.deleted", "official", official.employee_code, before=before)
