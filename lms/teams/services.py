"""Changes to who heads which unit and to the units' head settings. Services take plain values
and an `actor`, flush, audit and raise domain errors; the caller commits.

The role `head` is never granted by hand: `sync_head_grants` keeps one grant per (account,
headed unit) in step with lms.teams.queries — at each commit that touched a post, a head
assignment or an account (lms.teams.hooks), and in the nightly run for posts that begin or
end on a later day. Grants are read at every request, so a new head's rights follow at once.
"""

from datetime import date

from sqlalchemy import select

from lms.audit.services import add_recorded, record
from lms.auth.models import HEAD, RoleGrant
from lms.common import clock
from lms.errors import ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import Official, OrgUnit
from lms.teams import queries
from lms.teams.models import HeadAssignment, TeamSettings

MAX_ESCALATION_DAYS = 365


def sync_head_grants(on: date | None = None, actor=None) -> dict[str, int]:
    """Add the `head` grants the registry and HR call for on `on` (today by default) and remove
    those they no longer do; each change audited (`role.granted` / `role.revoked`, with
    "source": "heads"). Flushed. Returns {"added": n, "removed": m}."""
    wanted = queries.head_grants_wanted(on or clock.today())
    held = {
        (grant.user_id, grant.unit_id): grant
        for grant in db.session.scalars(select(RoleGrant).where(RoleGrant.role == HEAD))
    }
    added = removed = 0
    for user_id, unit_id in sorted(wanted - set(held)):
        db.session.add(RoleGrant(user_id=user_id, role=HEAD, unit_id=unit_id))
        record(
            actor,
            "role.granted",
            "user",
            user_id,
            after={"role": HEAD, "unit_id": unit_id, "source": "heads"},
        )
        added += 1
    for key in sorted(set(held) - wanted, key=lambda k: (k[0], k[1] or 0)):
        grant = held[key]
        record(
            actor,
            "role.revoked",
            "user",
            grant.user_id,
            before={"role": HEAD, "unit_id": grant.unit_id, "source": "heads"},
        )
        db.session.delete(grant)
        removed += 1
    if added or removed:
        db.session.flush()
    return {"added": added, "removed": removed}


def assign_head(
    unit: OrgUnit,
    official: Official,
    started_on: date,
    ended_on: date | None = None,
    decision_no: str | None = None,
    actor=None,
) -> HeadAssignment:
    """Name `official` head of `unit` from `started_on` (to `ended_on`, None: until ended).
    Audited (`head.assigned`). Raises ValidationFailed for dates out of order or an overlap
    with another of the official's headships of the same unit."""
    if ended_on is not None and ended_on < started_on:
        raise ValidationFailed([("ended_on", _("The end date is before the start date."))])
    for other in db.session.scalars(
        select(HeadAssignment).where(
            HeadAssignment.unit_id == unit.id, HeadAssignment.official_id == official.id
        )
    ):
        if other.started_on <= (ended_on or date.max) and started_on <= (
            other.ended_on or date.max
        ):
            raise ValidationFailed(
                [("started_on", _("The official is already head of this unit over that period."))]
            )
    assignment = HeadAssignment(
        unit_id=unit.id,
        official_id=official.id,
        started_on=started_on,
        ended_on=ended_on,
        decision_no=(decision_no or "").strip() or None,
        created_by_id=getattr(actor, "id", None),
    )
    add_recorded(
        assignment,
        actor,
        "head.assigned",
        "official",
        official.employee_code,
        after={
            "unit": unit.code,
            "started_on": started_on.isoformat(),
            "ended_on": ended_on.isoformat() if ended_on else None,
            "decision_no": assignment.decision_no,
        },
    )
    return assignment


def end_head(assignment: HeadAssignment, ended_on: date, actor=None) -> None:
    """End an HR-named headship on `ended_on` (the last day). Audited (`head.ended`)."""
    if ended_on < assignment.started_on:
        raise ValidationFailed([("ended_on", _("The end date is before the start date."))])
    before = assignment.ended_on
    assignment.ended_on = ended_on
    db.session.flush()
    record(
        actor,
        "head.ended",
        "official",
        assignment.official.employee_code,
        before={"ended_on": before.isoformat() if before else None},
        after={"unit": assignment.unit.code, "ended_on": ended_on.isoformat()},
    )


def save_settings(unit: OrgUnit, head_approval: bool, escalation_days: int, actor) -> TeamSettings:
    """Set a unit's head settings. Audited (`team.settings_changed`) when something changed."""
    if not 0 <= escalation_days <= MAX_ESCALATION_DAYS:
        raise ValidationFailed(
            [
                (
                    "escalation_days",
                    _("Enter a number of days from 0 to %(most)s.", most=MAX_ESCALATION_DAYS),
                )
            ]
        )
    row = db.session.get(TeamSettings, unit.id)
    before = (
        {"head_approval": row.head_approval, "escalation_days": row.escalation_days}
        if row
        else None
    )
    if row is None:
        row = TeamSettings(unit_id=unit.id)
        db.session.add(row)
    row.head_approval = bool(head_approval)
    row.escalation_days = escalation_days
    row.updated_by_id = getattr(actor, "id", None)
    after = {"head_approval": row.head_approval, "escalation_days": row.escalation_days}
    db.session.flush()
    if before != after:
        record(actor, "team.settings_changed", "unit", unit.code, before=before, after=after)
    return row
