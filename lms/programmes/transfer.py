"""Programmes as files: importing the programmes/ folder of a courses/ tree (after its courses,
in the same transaction) and a programme back to its programme.toml. An import checks every
programme first and writes nothing on any error; an unchanged programme (same canonical digest)
is left alone, a changed one is updated in place (its certificates keep pointing at it)."""

from dataclasses import dataclass, field

from sqlalchemy import select

from lms.audit.services import record
from lms.catalog.bundles import ContentError
from lms.catalog.models import Course
from lms.common import clock
from lms.errors import ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.programmes.files import (
    FOLDER,
    PROGRAMME_FIELDS,
    PROGRAMME_FILE,
    ProgrammeBundle,
    digest,
)
from lms.programmes.models import (
    CERTIFICATION,
    RECERTIFICATION,
    Programme,
    ProgrammePath,
    ProgrammeRequirement,
    ProgrammeSet,
    RequirementKind,
)


@dataclass
class ProgrammeReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def programme_bundle(programme: Programme) -> ProgrammeBundle:
    """A stored programme as the bundle its file holds."""
    own = {path: [s for s in programme.sets if s.path == path] for path in ProgrammePath}
    by_kind = {
        kind: tuple(r.code for r in programme.requirements if r.kind == kind)
        for kind in RequirementKind
    }
    fields = {name: getattr(programme, name) for name in PROGRAMME_FIELDS}
    fields["description"] = fields["description"] or ""  # none is written as an empty one
    return ProgrammeBundle(
        code=programme.code,
        **fields,
        positions=by_kind[RequirementKind.POSITION],
        ranks=by_kind[RequirementKind.RANK],
        sets=tuple(s.spec() for s in sorted(own[CERTIFICATION], key=lambda s: s.position)),
        recertification=tuple(
            s.spec() for s in sorted(own[RECERTIFICATION], key=lambda s: s.position)
        ),
    )


def programme_by_code(code: str) -> Programme | None:
    return db.session.scalar(select(Programme).where(Programme.code == code))


def import_programmes(
    bundles: list[ProgrammeBundle], actor, owner_unit_id: int | None
) -> ProgrammeReport:
    """Create or update the programmes (flushed, not committed); nothing is written unless all
    are valid. Raises ValidationFailed with one reason per problem (unknown course codes)."""
    wanted = {code for bundle in bundles for code in bundle.course_codes}
    known = set(db.session.scalars(select(Course.code).where(Course.code.in_(wanted))))
    errors = []
    seen: set[str] = set()
    for bundle in bundles:
        name = f"{FOLDER}/{bundle.code}/{PROGRAMME_FILE}"
        unknown = sorted(bundle.course_codes - known)
        if unknown:
            message = _("Unknown course: %(codes)s.", codes=", ".join(unknown))
            errors.append(ContentError(name, "courses", message))
        if bundle.code in seen:
            errors.append(ContentError(name, "code", _("This programme code appears twice.")))
        seen.add(bundle.code)
    if errors:
        raise ValidationFailed([(None, str(error)) for error in errors])
    report = ProgrammeReport()
    for bundle in bundles:
        programme = programme_by_code(bundle.code)
        if programme is not None and digest(programme_bundle(programme)) == digest(bundle):
            report.unchanged.append(bundle.code)
            continue
        if programme is None:
            programme = Programme(code=bundle.code, owner_unit_id=owner_unit_id)
            db.session.add(programme)
            report.created.append(bundle.code)
        else:
            report.updated.append(bundle.code)
        _apply(programme, bundle)
        record(
            actor,
            "programme.imported",
            "programme",
            bundle.code,
            after={"result": "created" if bundle.code in report.created else "updated"},
        )
    db.session.flush()
    return report


def _apply(programme: Programme, bundle: ProgrammeBundle) -> None:
    for name in PROGRAMME_FIELDS:
        setattr(programme, name, getattr(bundle, name))
    programme.sets.clear()
    for path, sets in ((CERTIFICATION, bundle.sets), (RECERTIFICATION, bundle.recertification)):
        for position, item in enumerate(sets, start=1):
            programme.sets.append(
                ProgrammeSet(
                    path=path,
                    position=position,
                    title=item.title,
                    rule=item.rule,
                    count=item.count,
                    min_credits=item.min_credits,
                    course_codes=list(item.courses),
                )
            )
    # A requirement kept by the file keeps the day it arose; a new one arises today.
    arose = {(r.kind, r.code): r.arose_on for r in programme.requirements}
    programme.requirements.clear()
    db.session.flush()
    for kind, codes in (
        (RequirementKind.POSITION, bundle.positions),
        (RequirementKind.RANK, bundle.ranks),
    ):
        for ordinal, code in enumerate(codes):
            programme.requirements.append(
                ProgrammeRequirement(
                    kind=str(kind),
                    code=code,
                    ordinal=ordinal,
                    arose_on=arose.get((str(kind), code), clock.today()),
                )
            )
