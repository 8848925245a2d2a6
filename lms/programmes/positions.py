"""The programmes a job position requires, as the position's curriculum page edits them
(/manage/curricula/<position>): the list, requiring one more (it arises today, so a first
certification is due as a mandatory course added today: lms.programmes.requirements.first_due)
and removing one. Each flushes and never commits; changes are audited."""

from sqlalchemy import func, select

from lms.audit.services import record
from lms.common import clock
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import Position
from lms.programmes.models import Programme, ProgrammeRequirement, RequirementKind

POSITION = str(RequirementKind.POSITION)


def required_of_position(position: Position) -> list[tuple[Programme, ProgrammeRequirement]]:
    """The programmes the position requires, with their requirement row, in code order."""
    rows = db.session.execute(
        select(Programme, ProgrammeRequirement)
        .join(ProgrammeRequirement, ProgrammeRequirement.programme_id == Programme.id)
        .where(ProgrammeRequirement.kind == POSITION, ProgrammeRequirement.code == position.code)
        .order_by(Programme.code)
    )
    return [(programme, requirement) for programme, requirement in rows]


def others(position: Position) -> list[Programme]:
    """The programmes the position does not require yet (the add form's choices)."""
    taken = select(ProgrammeRequirement.programme_id).where(
        ProgrammeRequirement.kind == POSITION, ProgrammeRequirement.code == position.code
    )
    return list(
        db.session.scalars(
            select(Programme).where(Programme.id.not_in(taken)).order_by(Programme.code)
        )
    )


def _row(programme: Programme, position: Position) -> ProgrammeRequirement | None:
    return db.session.get(ProgrammeRequirement, (programme.id, POSITION, position.code))


def require_programme(programme: Programme, position: Position, actor) -> ProgrammeRequirement:
    """Make the position require the programme from today. RuleViolation when it already does."""
    if _row(programme, position) is not None:
        raise RuleViolation(
            _("This position already requires programme %(code)s.", code=programme.code),
            "already_required",
        )
    last = db.session.scalar(
        select(func.max(ProgrammeRequirement.ordinal)).where(
            ProgrammeRequirement.programme_id == programme.id,
            ProgrammeRequirement.kind == POSITION,
        )
    )
    row = ProgrammeRequirement(
        programme_id=programme.id,
        kind=POSITION,
        code=position.code,
        ordinal=(last + 1) if last is not None else 0,
        arose_on=clock.today(),
    )
    db.session.add(row)
    db.session.flush()
    record(
        actor,
        "programme.required",
        "programme",
        programme.code,
        after={"position": position.code, "arose_on": row.arose_on},
    )
    return row


def unrequire_programme(programme: Programme, position: Position, actor) -> None:
    """The position no longer requires the programme (the chứng chỉ held are kept).
    RuleViolation when it did not."""
    row = _row(programme, position)
    if row is None:
        raise RuleViolation(
            _("This position does not require programme %(code)s.", code=programme.code),
            "not_required",
        )
    before = {"position": position.code, "arose_on": row.arose_on}
    db.session.delete(row)
    db.session.flush()
    record(actor, "programme.unrequired", "programme", programme.code, before=before)
