"""Training needs and the annual plan (issue 23): /planning/… The needs of a unit are entered
by HR officers (hr covers DN) and heads (the head of P-HAICHAU); the plan is the Department's
(administrators and HR officers over a whole tree: hr); plan vs actual is read by all three,
limited to their units."""

from tests.web.routes.expect import FORBIDDEN, OK, REDIRECT, Denial, expect

NEEDS = expect(FORBIDDEN, hr=OK, head=OK, admin=OK)
NEEDS_POST = expect(FORBIDDEN, hr=REDIRECT, head=REDIRECT, admin=REDIRECT)
DEPARTMENT = expect(FORBIDDEN, hr=OK, admin=OK)
DEPARTMENT_POST = expect(FORBIDDEN, hr=REDIRECT, admin=REDIRECT)
YEAR = 2027


def _need(unit: str, submitted: bool = False) -> int:
    """A need line of `unit` for 2027 (BB01, 3 officials, Q1), its needs submitted or not."""
    from sqlalchemy import select

    from lms.catalog.models import Course
    from lms.extensions import db
    from lms.organisation.queries import unit_by_code
    from lms.teams.planning import services
    from tests.factories import make_course

    if db.session.scalar(select(Course.id).where(Course.code == "BB01")) is None:
        make_course("BB01")
    line = services.add_need(
        unit_by_code(unit), YEAR, services.NeedData("BB01", "", 3, 1), actor=None
    )
    if submitted:
        services.submit_needs(unit_by_code(unit), YEAR, actor=None)
    db.session.commit()
    return line.id


def _plan(_scene) -> int:
    """A consolidated, approved plan of 2027 (P-HAICHAU's needs)."""
    from lms.extensions import db
    from lms.teams.planning import services

    _need("P-HAICHAU", submitted=True)
    services.consolidate(YEAR, actor=None)
    services.approve(YEAR, "1/QĐ-SNV", actor=None)
    db.session.commit()
    return YEAR


def _submitted(_scene) -> str:
    _need("P-HAICHAU", submitted=True)
    return "P-HAICHAU"


PROVIDERS = {
    "need_line": lambda _scene: _need("P-HAICHAU"),
    "snv_need_line": lambda _scene: _need("SNV-CCVC"),
    "submitted_unit": _submitted,
    "plan_year": _plan,
}

ACCESS = {
    ("teams.planning_home", "GET"): (
        "/planning/",
        expect(FORBIDDEN, hr=REDIRECT, head=REDIRECT, admin=REDIRECT),
    ),
    ("teams.needs_overview", "GET"): ("/planning/2027/needs", NEEDS),
    ("teams.unit_needs", "GET"): ("/planning/2027/needs/P-HAICHAU", NEEDS),
    ("teams.unit_needs", "POST"): ("/planning/2027/needs/P-HAICHAU", NEEDS),  # empty: the form
    ("teams.need_delete", "POST"): (
        "/planning/2027/needs/P-HAICHAU/lines/{need_line}/delete",
        NEEDS_POST,
    ),
    ("teams.needs_submit", "POST"): ("/planning/2027/needs/P-HAICHAU/submit", NEEDS_POST),
    ("teams.needs_return", "POST"): (
        "/planning/2027/needs/{submitted_unit}/return",
        DEPARTMENT_POST,
    ),
    ("teams.plan_page", "GET"): ("/planning/2027/plan", DEPARTMENT),
    ("teams.plan_consolidate", "POST"): ("/planning/2027/plan/consolidate", DEPARTMENT_POST),
    ("teams.plan_classes", "POST"): ("/planning/2027/plan/classes", DEPARTMENT_POST),
    ("teams.plan_approve", "POST"): ("/planning/2027/plan/approve", DEPARTMENT_POST),
    ("teams.plan_reopen", "POST"): (
        "/planning/{plan_year}/plan/reopen",
        expect(FORBIDDEN, admin=REDIRECT),
    ),
    ("teams.plan_actual", "GET"): ("/planning/2027/actual", NEEDS),
    ("teams.plan_actual_export", "GET"): ("/planning/{plan_year}/actual.xlsx", NEEDS),
}

# The head of P-HAICHAU asks for SNV-CCVC's needs and line; hr (DN) for unit XX's.
DENIALS = {
    ("teams.unit_needs", "GET"): (
        Denial("head", "/planning/2027/needs/SNV-CCVC"),
        Denial("hr", "/planning/2027/needs/{out_unit}"),
    ),
    ("teams.unit_needs", "POST"): Denial(
        "head",
        "/planning/2027/needs/SNV-CCVC",
        data={"course": "BB01", "count": "3", "quarter": "1"},
    ),
    ("teams.need_delete", "POST"): (
        Denial("head", "/planning/2027/needs/SNV-CCVC/lines/{snv_need_line}/delete"),
        Denial("head", "/planning/2027/needs/P-HAICHAU/lines/{snv_need_line}/delete"),
    ),
    ("teams.needs_submit", "POST"): Denial("head", "/planning/2027/needs/SNV-CCVC/submit"),
    ("teams.needs_return", "POST"): Denial(
        "hr", "/planning/2027/needs/{out_unit}/return", data={"reason": "Sửa"}
    ),
}
DENIAL_EXEMPT = {
    "teams.needs_overview": "the year names the planning year; the list holds only the units "
    "of the viewer's scope (tests/web/test_teams_planning.py)",
    "teams.plan_page": "the year names the city-wide annual plan, which only the Department "
    "opens (administrators, HR officers over a whole tree)",
    "teams.plan_consolidate": "the year names the city-wide annual plan (the Department's)",
    "teams.plan_classes": "the year names the city-wide annual plan (the Department's)",
    "teams.plan_approve": "the year names the city-wide annual plan (the Department's)",
    "teams.plan_reopen": "the year names the city-wide annual plan (administrators only)",
    "teams.plan_actual": "the year names the plan; the figures are limited to the viewer's "
    "units (test_plan_vs_actual_counts_the_completions_of_the_year: the head sees the ward)",
    "teams.plan_actual_export": "the year names the plan; the export holds the same figures "
    "as the page, limited to the viewer's units",
}
URLS = {
    "teams.unit_needs": "/planning/2027/needs/P-HAICHAU",
    "teams.need_delete": "/planning/2027/needs/P-HAICHAU/lines/{need_line}/delete",
    "teams.needs_submit": "/planning/2027/needs/P-HAICHAU/submit",
    "teams.needs_return": "/planning/2027/needs/{submitted_unit}/return",
    "teams.plan_consolidate": "/planning/2027/plan/consolidate",
    "teams.plan_classes": "/planning/2027/plan/classes",
    "teams.plan_approve": "/planning/2027/plan/approve",
    "teams.plan_reopen": "/planning/{plan_year}/plan/reopen",
}
QUERY_PAGES = {"teams.plan_actual": ("/planning/{plan_year}/actual", ("by",))}
