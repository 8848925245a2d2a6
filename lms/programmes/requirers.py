"""Who requires a programme — a job position (its curriculum page, /manage/curricula/<code>) or
a civil-service rank (the programme's page, /manage/programmes/<code>): the lists, requiring
one more (it arises today, so a first certification is due as a mandatory course added today:
lms.programmes.requirements.first_due) and removing one. Each flushes and never commits;
changes are audited (`programme.required`, `programme.unrequired`, with the kind and code)."""

from sqlalchemy import func, select

from lms.audit.services import add_recorded, record
from lms.common import clock
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import Position, Rank
from lms.programmes.models import Programme, ProgrammeRequirement, RequirementKind

POSITION = str(RequirementKind.POSITION)
RANK = str(RequirementKind.RANK)


def required_by(kind: str, code: str) -> list[tuple[Programme, ProgrammeRequirement]]:
    """The programmes the position or rank (`kind`, `code`) requires, with their requirement
    row, in code order."""
    rows = db.session.execute(
        select(Programme, ProgrammeRequirement)
        .join(ProgrammeRequirement, ProgrammeRequirement.programme_id == Programme.id)
        .where(ProgrammeRequirement.kind == kind, ProgrammeRequirement.code == code)
        .order_by(Programme.code)
    )
    return [(programme, requirement) for programme, requirement in rows]


def not_required_by(kind: str, code: str) -> list[Programme]:
    """The programmes the position or rank does not require yet (the add form's choices)."""
    taken = select(ProgrammeRequirement.programme_id).where(
        ProgrammeRequirement.kind == kind, ProgrammeRequirement.code == code
    )
    return list(
        db.session.scalars(
            select(Programme).where(Programme.id.not_in(taken)).order_by(Programme.code)
        )
    )


def requiring(programme: Programme, kind: str) -> list[tuple[ProgrammeRequirement, str | None]]:
    """The programme's requirements of a kind (positions or ranks) in code order, each with the
    position's or rank's name (None for a code none has, as a programme.toml may name)."""
    model = Rank if kind == RANK else Position
    rows = db.session.execute(
        select(ProgrammeRequirement, model.name)
        .outerjoin(model, model.code == ProgrammeRequirement.code)
        .where(ProgrammeRequirement.programme_id == programme.id, ProgrammeRequirement.kind == kind)
        .order_by(ProgrammeRequirement.code)
    )
    return [(requirement, name) for requirement, name in rows]


def ranks_not_requiring(programme: Programme) -> list[Rank]:
    """The ranks that do not require the programme yet (the add form's choices), by code."""
    taken = select(ProgrammeRequirement.code).where(
        ProgrammeRequirement.programme_id == programme.id, ProgrammeRequirement.kind == RANK
    )
    return list(db.session.scalars(select(Rank).where(Rank.code.not_in(taken)).order_by(Rank.code)))


def _row(programme: Programme, kind: str, code: str) -> ProgrammeRequirement | None:
    return db.session.get(ProgrammeRequirement, (programme.id, kind, code))


def require_programme(programme: Programme, kind: str, code: str, actor) -> ProgrammeRequirement:
    """Make the position or rank (`kind`, `code`) require the programme from today.
    RuleViolation when it already does."""
    if _row(programme, kind, code) is not None:
        if kind == RANK:
            message = _("This rank already requires programme %(code)s.", code=programme.code)
        else:
            message = _("This position already requires programme %(code)s.", code=programme.code)
        raise RuleViolation(message, "already_required")
    last = db.session.scalar(
        select(func.max(ProgrammeRequirement.ordinal)).where(
            ProgrammeRequirement.programme_id == programme.id,
            ProgrammeRequirement.kind == kind,
        )
    )
    row = ProgrammeRequirement(
        programme_id=programme.id,
        kind=kind,
        code=code,
        ordinal=(last + 1) if last is not None else 0,
        arose_on=clock.today(),
    )
    add_recorded(
        row,
        actor,
        "programme.required",
        "programme",
        programme.code,
        after={kind: code, "arose_on": row.arose_on},
    )
    return row


def unrequire_programme(programme: Programme, kind: str, code: str, actor) -> None:
    """The position or rank no longer requires the programme (the chứng chỉ held are kept; the
    obligation, derived on every read, ends with it). RuleViolation when it did not."""
    row = _row(programme, kind, code)
    if row is None:
        if kind == RANK:
            message = _("This rank does not require programme %(code)s.", code=programme.code)
        else:
            message = _("This position does not require programme %(code)s.", code=programme.code)
        raise RuleViolation(message, "not_required")
    before = {kind: code, "arose_on": row.arose_on}
    db.session.delete(row)
    db.session.flush()
    record(actor, "programme.unrequired", "programme", programme.code, before=before)
