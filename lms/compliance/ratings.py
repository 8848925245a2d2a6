"""The annual rating comes back (issue 21; docs/compliance.md "Ratings"): HR records each
official's rating for a cycle (the level and the content areas found weak), and the rule
(rules.rating_assignments) assigns courses for the next cycle — previewed, then applied as
obligations of kind `rating` (no position: the engine never withdraws them). Every read is
limited to a Scope; applying twice adds nothing."""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import exists, select

from lms.audit.services import record as audit
from lms.auth.scope import Scope
from lms.catalog.models import Course
from lms.common import clock, vntext
from lms.common.pagination import Page, paginate
from lms.compliance import rules
from lms.compliance.models import AnnualRating
from lms.compliance.queries import cycle_by_year
from lms.curricula.cycles.models import Curriculum, CurriculumCourse, Cycle
from lms.curricula.obligations.models import OPEN, RATING, Obligation
from lms.errors import PermissionDenied, RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import Official
from lms.organisation.queries import Current, OfficialFilters, filtered, registry_select


def officials_in_scope(scope: Scope | list[str] | None) -> list[Official]:
    """The officials whose current post lies in the scope, by given name (one query)."""
    found = list(db.session.scalars(registry_select(scope)))
    return sorted(found, key=lambda o: vntext.name_sort_key(o.full_name))


RATED, UNRATED = "rated", "unrated"
PER_PAGE = 50


def officials_page(
    cycle: Cycle, scope, q: str = "", unit_code: str = "", state: str = "", page: int = 1
) -> Page:
    """One page of the scope's officials (by given name) for the ratings list, narrowed by name
    or code (`q`, without diacritics), a unit subtree and whether they are rated in `cycle`
    (`state` RATED / UNRATED); two queries whatever the scope's size."""
    stmt = filtered(registry_select(scope), OfficialFilters(q=q, unit_code=unit_code))
    rated = exists().where(
        AnnualRating.official_id == Official.id, AnnualRating.cycle_id == cycle.id
    )
    if state == RATED:
        stmt = stmt.where(rated)
    elif state == UNRATED:
        stmt = stmt.where(~rated)
    return paginate(stmt.order_by(Official.sort_name, Official.id), page, PER_PAGE)


def ratings_of(cycle: Cycle, official_ids: list[int]) -> dict[int, AnnualRating]:
    """Official id → their rating for the cycle (one query)."""
    if not official_ids:
        return {}
    rows = db.session.scalars(
        select(AnnualRating).where(
            AnnualRating.cycle_id == cycle.id, AnnualRating.official_id.in_(official_ids)
        )
    )
    return {row.official_id: row for row in rows}


def clean_areas(areas) -> list[str]:
    """Weak areas as stored: upper case, known, sorted, once each; ValidationFailed if not."""
    found = sorted({str(a).strip().upper() for a in areas or [] if str(a).strip()})
    unknown = [a for a in found if a not in rules.WEAK_AREAS]
    if unknown:
        raise ValidationFailed(
            [("weak_areas", _("Unknown content area: %(areas)s.", areas=", ".join(unknown)))]
        )
    return found


def clean_courses(codes) -> list[str]:
    """Courses found weak as stored: catalog codes, upper case, sorted, once each (a string is
    split at commas, semicolons and spaces); ValidationFailed for a code the catalog lacks or a
    list too long to store."""
    if isinstance(codes, str):
        codes = re.split(r"[,;\s]+", codes)
    found = sorted({str(c).strip().upper() for c in codes or [] if str(c).strip()})
    if not found:
        return []
    known = set(db.session.scalars(select(Course.code).where(Course.code.in_(found))))
    unknown = [c for c in found if c not in known]
    if unknown:
        message = _("Unknown course code: %(codes)s.", codes=", ".join(unknown[:10]))
        raise ValidationFailed([("weak_courses", message)])
    if len(",".join(found)) > WEAK_COURSES_LENGTH:
        raise ValidationFailed([("weak_courses", _("Too many courses: name at most ten."))])
    return found


WEAK_COURSES_LENGTH = 255  # AnnualRating.weak_courses


def record_rating(
    official: Official, cycle: Cycle, level: str, areas, actor, courses=()
) -> AnnualRating:
    """Set (or change) the official's rating for the cycle, with the content areas and the
    courses found weak; audited when it changes (flushed, not committed). Raises
    ValidationFailed for an unknown level, area or course, and PermissionDenied ("own_record")
    for the actor's own record: another officer records one's rating."""
    if actor is not None and getattr(actor, "official_id", None) == official.id:
        message = _("This is your own record: another officer records your rating.")
        raise PermissionDenied(message, "own_record")
    if level not in rules.RATING_LEVELS:
        raise ValidationFailed([("level", _("Choose one of the four rating levels."))])
    weak = ",".join(clean_areas(areas))
    weak_courses = ",".join(clean_courses(courses))
    row = db.session.scalar(
        select(AnnualRating).where(
            AnnualRating.official_id == official.id, AnnualRating.cycle_id == cycle.id
        )
    )
    after = {"level": level, "weak_areas": weak, "weak_courses": weak_courses}
    before = None if row is None else _fields(row)
    if before == after:
        return row
    if row is None:
        row = AnnualRating(official_id=official.id, cycle_id=cycle.id)
        db.session.add(row)
    row.level, row.weak_areas, row.weak_courses = level, weak, weak_courses
    row.recorded_by_id, row.recorded_at = getattr(actor, "id", None), clock.now()
    db.session.flush()
    audit(
        actor,
        "rating.recorded",
        "official",
        official.employee_code,
        before=before,
        after={"cycle": cycle.year, **after},
    )
    return row


def _fields(row: AnnualRating) -> dict:
    return {"level": row.level, "weak_areas": row.weak_areas, "weak_courses": row.weak_courses}


# --- preview and apply ----------------------------------------------------------------------


@dataclass
class Item:
    """One course a rating assigns: the course, why (`not_done` or an area code), and whether
    the next cycle holds it already (applied before)."""

    course: Course
    reason: str
    assigned: bool


@dataclass
class Proposal:
    official: Official
    rating: AnnualRating
    items: list[Item] = field(default_factory=list)

    @property
    def new_items(self) -> list[Item]:
        return [item for item in self.items if not item.assigned]


def next_cycle(cycle: Cycle) -> Cycle | None:
    return cycle_by_year(cycle.year + 1)


def _position_courses(official_ids: list[int]) -> dict[int, list[int]]:
    """Official id → the course ids of the curriculum of their current post (rank-specific
    first, else the position's), in two queries."""
    posts = db.session.execute(
        select(Current.official_id, Current.position_id, Current.rank_id)
        .select_from(Current)
        .where(
            Current.official_id.in_(official_ids),
            Current.is_primary.is_(True),
            Current.ended_on.is_(None),
        )
    ).all()
    courses: dict[tuple, list[int]] = defaultdict(list)
    for position_id, rank_id, course_id in db.session.execute(
        select(Curriculum.position_id, Curriculum.rank_id, CurriculumCourse.course_id).join(
            CurriculumCourse, CurriculumCourse.curriculum_id == Curriculum.id
        )
    ):
        courses[(position_id, rank_id)].append(course_id)
    return {
        official_id: courses.get((position_id, rank_id)) or courses.get((position_id, None), [])
        for official_id, position_id, rank_id in posts
    }


def preview(cycle: Cycle, scope: Scope | list[str] | None) -> list[Proposal]:
    """Per official of the scope rated in `cycle`, the courses the rule assigns in the next
    cycle and why (nothing written). Officials whose rating assigns nothing are left out."""
    officials = officials_in_scope(scope)
    ratings = ratings_of(cycle, [o.id for o in officials])
    rated = [o for o in officials if o.id in ratings]
    if not rated:
        return []
    position = _position_courses([o.id for o in rated])
    courses = {c.id: c for c in db.session.scalars(select(Course))}
    by_code = {c.code: c for c in courses.values()}
    area_courses = current_app.config["LMS_RATING_AREA_COURSES"]
    following = next_cycle(cycle)
    held: set[tuple[int, int]] = set()
    if following is not None:
        held = set(
            db.session.execute(
                select(Obligation.official_id, Obligation.course_id).where(
                    Obligation.cycle_id == following.id,
                    Obligation.kind == RATING,
                    Obligation.official_id.in_([o.id for o in rated]),
                )
            ).all()
        )
    proposals = []
    for official in rated:
        rating = ratings[official.id]
        codes = [courses[cid].code for cid in position.get(official.id, []) if cid in courses]
        found = rules.rating_assignments(
            rating.level, rating.areas, codes, area_courses, rating.courses
        )
        items = [
            Item(by_code[code], reason, (official.id, by_code[code].id) in held)
            for code, reason in found
            if code in by_code
        ]
        if items:
            proposals.append(Proposal(official, rating, items))
    return proposals


def apply(cycle: Cycle, scope: Scope | list[str] | None, actor) -> int:
    """Write the previewed obligations into the next cycle (kind `rating`, due on its last
    day); the ones already there are skipped. Audited once per apply that adds something.
    Raises RuleViolation when the next cycle is not defined. Flushed; returns how many."""
    following = next_cycle(cycle)
    if following is None:
        raise RuleViolation(
            _("Cycle %(year)s is not defined yet: define it before applying.", year=cycle.year + 1),
            "no_next_cycle",
        )
    added = []
    for proposal in preview(cycle, scope):
        for item in proposal.new_items:
            db.session.add(
                Obligation(
                    official_id=proposal.official.id,
                    cycle_id=following.id,
                    course_id=item.course.id,
                    kind=RATING,
                    position_id=None,
                    due_on=following.ends_on,
                    arose_on=max(clock.today(), following.starts_on),
                    status=OPEN,
                )
            )
            added.append(f"{proposal.official.employee_code}:{item.course.code}:{item.reason}")
    if added:
        db.session.flush()
        audit(
            actor,
            "rating.applied",
            "cycle",
            following.year,
            after={
                "from_cycle": cycle.year,
                "scope": Scope.from_paths(scope).path_list,
                "assigned": added,
            },
        )
    return len(added)


# --- /me --------------------------------------------------------------------------------------


@dataclass
class Assigned:
    obligation: Obligation
    year: int
    rating: AnnualRating


def assigned_for(official_id: int) -> list[Assigned]:
    """/me's note: the official's open obligations assigned from a rating, with the rating of
    the year before their cycle (the reason)."""
    rows = db.session.execute(
        select(Obligation, Cycle)
        .join(Cycle, Cycle.id == Obligation.cycle_id)
        .where(
            Obligation.official_id == official_id,
            Obligation.kind == RATING,
            Obligation.status == OPEN,
        )
        .order_by(Obligation.due_on, Obligation.id)
    ).all()
    found = []
    for obligation, cycle in rows:
        before = cycle_by_year(cycle.year - 1)
        rating = ratings_of(before, [official_id]).get(official_id) if before else None
        if rating is not None:
            found.append(Assigned(obligation, before.year, rating))
    return found


# The levels' Vietnamese names (Decree 90/2020), accepted whatever the request's language.
LEVEL_WORDS = {
    "hoàn thành xuất sắc nhiệm vụ": rules.EXCELLENT,
    "hoàn thành tốt nhiệm vụ": rules.GOOD,
    "hoàn thành nhiệm vụ": rules.DONE_LEVEL,
    "không hoàn thành nhiệm vụ": rules.NOT_DONE,
}


def parse_level(text: str) -> str | None:
    """A level from its code (`not_done`…), its Vietnamese name ("Không hoàn thành nhiệm vụ")
    or its label in the request's language, matched without case, diacritics or spaces; None
    if unknown."""
    from lms.compliance.models import RatingLevel

    word = _word(text)
    if not word:
        return None
    for name, level in LEVEL_WORDS.items():
        if word == _word(name):
            return level
    for level in RatingLevel:
        if word in (_word(level.value), _word(str(level.label))):
            return level.value
    return None


def _word(text: str) -> str:
    return "".join(ch for ch in vntext.search_key(text or "") if ch.isalnum())
