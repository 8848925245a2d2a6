"""GET /api/v1/units/<code>/satisfaction?year=: a unit's citizen satisfaction index (the
contract of issue 26), scoped like the unit's compliance counts (lms.api.access.REGISTRY)."""

from flask import g, jsonify

from lms.api import access, queries
from lms.api.blueprint import bp
from lms.api.responses import not_found, year_arg
from lms.common import clock
from lms.surveys import reports


@bp.get("/units/<code>/satisfaction")
def unit_satisfaction(code: str):
    """The unit's index over the year, its interval and responses, and month by month."""
    unit = queries.unit(access.reach(g.api_token, access.REGISTRY, include_self=False), code)
    if unit is None:
        raise not_found()
    year = year_arg() or clock.today().year
    index = reports.unit_index(unit, year)
    months = reports.monthly(unit, None, year)
    return jsonify(
        unit={"code": unit.code, "name": unit.name},
        year=year,
        responses=index.responses,
        index=index.index,
        interval=None if index.interval is None else {"low": index.low, "high": index.high},
        months=[{"month": m.key, "responses": m.responses, "index": m.index} for m in months],
    )
