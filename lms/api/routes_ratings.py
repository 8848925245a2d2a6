"""/api/v1/officials/<employee_code>/ratings: an official's annual ratings (read by those who
read the registry; recorded by HR officers over the official's unit and administrators) — issue
21, docs/compliance.md "Ratings"."""

from flask import g, jsonify, url_for
from sqlalchemy import select

from lms.api import access
from lms.api.blueprint import bp
from lms.api.responses import ApiError, service_refusals
from lms.api.routes import _json_body, _official, _read, _writable
from lms.compliance import ratings
from lms.compliance.models import AnnualRating
from lms.compliance.queries import cycle_by_year
from lms.curricula.cycles.models import Cycle
from lms.extensions import db
from lms.i18n import _

RATING_WRITERS = access.CREDIT_WRITERS
FIELDS = ("cycle", "level", "weak_areas", "weak_courses")


def _rating(rating: AnnualRating, year: int) -> dict:
    return {
        "cycle": year,
        "level": rating.level,
        "weak_areas": rating.areas,
        "weak_courses": rating.courses,
        "recorded_at": rating.recorded_at.isoformat(timespec="seconds") + "Z",
    }


@bp.get("/officials/<employee_code>/ratings")
def ratings_of_official(employee_code: str):
    """The official's annual ratings, latest cycle first (the read is audited)."""
    person, _post = _official(access.REGISTRY, employee_code)
    rows = db.session.execute(
        select(AnnualRating, Cycle.year)
        .join(Cycle, Cycle.id == AnnualRating.cycle_id)
        .where(AnnualRating.official_id == person.id)
        .order_by(Cycle.year.desc())
    ).all()
    answer = jsonify(
        {"employee_code": person.employee_code, "items": [_rating(r, y) for r, y in rows]}
    )
    _read("official.viewed", person, part="ratings")
    return answer


def _snapshot(rating: AnnualRating) -> tuple[str, str, str]:
    return rating.level, rating.weak_areas, rating.weak_courses


def _invalid(reasons) -> ApiError:
    details = [{"field": field or "", "message": message} for field, message in reasons]
    return ApiError(422, "invalid", _("The rating is invalid; see details."), details)


@bp.post("/officials/<employee_code>/ratings")
def rating_record(employee_code: str):
    """Record (or change) the official's rating for a cycle: 201 when it changed, 200 when the
    same rating was recorded before (nothing new)."""
    person = _writable(
        RATING_WRITERS,
        access.REGISTRY,
        employee_code,
        _("Recording a rating needs an HR grant over the official's unit."),
    )
    body = _json_body()
    if not isinstance(body, dict):
        raise _invalid([(None, _("Send a JSON object."))])
    unknown = sorted(set(body) - set(FIELDS))
    if unknown:
        raise _invalid([(unknown[0], _("Unknown field."))])
    year = body.get("cycle")
    cycle = cycle_by_year(year) if isinstance(year, int) and not isinstance(year, bool) else None
    if cycle is None:
        raise _invalid([("cycle", _("No cycle of that year."))])
    areas = body.get("weak_areas") or []
    if not isinstance(areas, list) or not all(isinstance(a, str) for a in areas):
        raise _invalid([("weak_areas", _("Give the content areas as a list of codes."))])
    courses = body.get("weak_courses") or []
    if not isinstance(courses, list) or not all(isinstance(c, str) for c in courses):
        raise _invalid([("weak_courses", _("Give the courses as a list of course codes."))])
    level = ratings.parse_level(str(body.get("level") or ""))
    before = ratings.ratings_of(cycle, [person.id]).get(person.id)
    snapshot = None if before is None else _snapshot(before)
    with service_refusals(_invalid):
        rating = ratings.record_rating(person, cycle, level or "", areas, g.api_user, courses)
    status = 200 if snapshot == _snapshot(rating) else 201
    db.session.commit()
    answer = jsonify(_rating(rating, cycle.year))
    answer.status_code = status
    answer.headers["Location"] = url_for(
        "api.ratings_of_official", employee_code=person.employee_code
    )
    return answer
