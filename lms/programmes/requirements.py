"""Programme requirements of officials: the programmes their posts (position or rank) require
on a day, and where they stand in each — held (a valid chứng chỉ), to renew (the last one has
expired: the recertification obligation, due on that expiry, on the recertification path) or
missing (the certification path). Derived from the certification history on every read, so an
expiry needs no job to open the renewal. Read by /me, compliance's statements and exports."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from lms.common import clock
from lms.curricula.obligations.engine import cycle_on
from lms.curricula.rules.dates import CycleRules
from lms.curricula.rules.due import due_date
from lms.extensions import db
from lms.organisation.models import Official, Position, PositionAssignment, Rank
from lms.programmes import queries, rules, services
from lms.programmes.models import Programme


def post_starts(official_id: int, day: date) -> dict[tuple[str, str], date]:
    """(kind, code) → the earliest start of the posts held on `day` with that position (kind
    "position") or rank (kind "rank"): since when a requirement of that code has run."""
    rows = db.session.execute(
        select(Position.code, Rank.code, PositionAssignment.started_on)
        .select_from(PositionAssignment)
        .join(Position, Position.id == PositionAssignment.position_id)
        .outerjoin(Rank, Rank.id == PositionAssignment.rank_id)
        .where(
            PositionAssignment.official_id == official_id,
            PositionAssignment.started_on <= day,
            (PositionAssignment.ended_on.is_(None)) | (PositionAssignment.ended_on >= day),
        )
    ).all()
    found: dict[tuple[str, str], date] = {}
    for position, rank, started in rows:
        for key in (("position", position), ("rank", rank)):
            if key[1] and (key not in found or started < found[key]):
                found[key] = started
    return found


def first_due(
    programme: Programme, starts: dict[tuple[str, str], date], cycle: CycleRules | None
) -> date | None:
    """When a first certification is due: as a mandatory course required by the post since it
    began and created on the requirement's `arose_on` (lms.curricula.rules.due.due_date),
    the earliest of the requirements the posts meet; None outside any cycle.
    lms.compliance.programme_counts computes the same in SQL."""
    if cycle is None:
        return None
    dues = [
        due_date(starts[(r.kind, r.code)], cycle, r.arose_on)
        for r in programme.requirements
        if (r.kind, r.code) in starts
    ]
    return min(dues) if dues else None


def posts_on(official_id: int, day: date) -> tuple[set[str], set[str]]:
    """(position codes, rank codes) of the official's posts held on `day`."""
    return _codes(post_starts(official_id, day))


def _codes(starts: dict[tuple[str, str], date]) -> tuple[set[str], set[str]]:
    """The position codes and the rank codes among post_starts' keys."""
    positions = {code for kind, code in starts if kind == "position"}
    return positions, {code for kind, code in starts if kind == "rank"}


def required_programmes(official_id: int, day: date) -> list[Programme]:
    positions, ranks = posts_on(official_id, day)
    if not positions and not ranks:
        return []
    return queries.required_of(positions, ranks)


@dataclass(frozen=True)
class Requirement:
    """One programme requirement of an official on a day, as statements and /me show it."""

    code: str
    title: str
    status: str  # rules.HELD | RENEW | MISSING
    path: str | None  # the path to follow next (None: nothing to do)
    due_on: date | None  # a renewal: the expiry; a first certification: `first_due`
    expires_on: date | None
    serial: str | None  # the chứng chỉ held (an original number for a paper one)
    sets_done: int
    sets_total: int
    next_set: str | None

    def as_dict(self) -> dict:
        """The statement's item (dates as dates: the API writes them ISO 8601)."""
        return {
            "code": self.code,
            "title": self.title,
            "status": self.status,
            "path": self.path,
            "due_on": self.due_on,
            "expires_on": self.expires_on,
            "certificate": self.serial,
            "sets_done": self.sets_done,
            "sets_total": self.sets_total,
            "next_set": self.next_set,
        }


def requirement(
    official_id: int, programme: Programme, day: date, first: date | None = None
) -> Requirement:
    """Where the official stands in one programme on `day` (`first`: the due date of a first
    certification, `first_due`)."""
    standing = services.standing(official_id, programme, day)
    progress = standing.progress
    current = standing.current
    path = progress.path if progress is not None else None
    if standing.status == rules.HELD:
        path = None  # nothing owed while it is valid (renewal opens in its window)
    return Requirement(
        code=programme.code,
        title=programme.title,
        status=standing.status,
        path=path,
        due_on={rules.RENEW: standing.expires_on, rules.MISSING: first}.get(standing.status),
        expires_on=current.expires_on if current is not None else None,
        serial=(current.serial or current.original_number) if current is not None else None,
        sets_done=progress.done_count if progress else 0,
        sets_total=len(progress.sets) if progress else 0,
        next_set=progress.next_set.title if progress and progress.next_set else None,
    )


def requirements_of(official_id: int, day: date) -> list[Requirement]:
    """The official's programme requirements on `day` (those of the posts held that day)."""
    starts = post_starts(official_id, day)
    if not starts:
        return []
    positions, ranks = _codes(starts)
    cycle = cycle_on(day)
    rules_of = CycleRules.of(cycle) if cycle is not None else None
    return [
        requirement(official_id, p, day, first_due(p, starts, rules_of))
        for p in queries.required_of(positions, ranks)
    ]


def standings_for_me(official: Official, day: date) -> list[services.Standing]:
    """/me: the programmes required of the official, and any other they hold or have begun."""
    wanted = {p.id: p for p in required_programmes(official.id, day)}
    for certificate in queries.of_official(official.id):
        wanted.setdefault(certificate.programme_id, certificate.programme)
    return [services.standing(official.id, p, day) for p in wanted.values()]


def my_programmes(official_id: int) -> list[services.Standing]:
    """/me's note (compliance ME_NOTES): the official's programmes today."""
    official = db.session.get(Official, official_id)
    return standings_for_me(official, clock.today()) if official else []
