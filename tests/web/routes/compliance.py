"""Compliance and review routes: dashboards, lists, export, cycle close, statements."""

from tests.web.routes.expect import ANY_USER, FORBIDDEN, OK, Denial, expect

READERS = expect(FORBIDDEN, hr=OK, reviewer=OK, admin=OK)  # HR and admin over DN, reviewer SNV
CLOSERS = expect(FORBIDDEN, hr=OK, admin=OK)


def _cycle(_scene) -> int:
    """The 2026 cycle (it has not ended: a close is refused with a form error)."""
    from datetime import date

    from lms.curricula.cycles.models import Cycle
    from lms.extensions import db

    if db.session.scalar(db.select(Cycle.id).where(Cycle.year == 2026)) is None:  # shared
        db.session.add(Cycle(year=2026, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)))
        db.session.commit()
    return 2026


ACCESS = {
    ("compliance.me", "GET"): ("/me", ANY_USER),
    ("compliance.dashboard", "GET"): ("/compliance/?cycle={cycle}", READERS),
    ("compliance.officials", "GET"): ("/compliance/officials{cycle_made}", READERS),
    ("compliance.export", "GET"): ("/compliance/export?cycle={cycle}", READERS),
    ("compliance.export", "POST"): ("/compliance/export?cycle={cycle}", READERS),
    ("compliance.close", "GET"): ("/compliance/cycles/{cycle}/close", CLOSERS),
    ("compliance.close", "POST"): ("/compliance/cycles/{cycle}/close", CLOSERS),
    ("compliance.review_snapshot", "GET"): ("/compliance/cycles/{cycle}/review", CLOSERS),
    ("compliance.review_snapshot", "POST"): ("/compliance/cycles/{cycle}/review", CLOSERS),
    ("compliance.review_list", "GET"): ("/reviews/?cycle={cycle}", READERS),
    ("compliance.review_detail", "GET"): ("/reviews/T-MAN?cycle={cycle}", READERS),
    ("compliance.review_pdf", "GET"): ("/reviews/T-MAN.pdf?cycle={cycle}", READERS),
    # Unit codes are taken in any letter case.
    ("compliance.review_unit_pdf", "GET"): ("/reviews/units/snv.pdf?cycle={cycle}", READERS),
}
# The latest cycle is the default: these URLs name {cycle} only to create it.
URLS = {
    "compliance.export": "/compliance/export{cycle_made}",
    "compliance.close": "/compliance/cycles/{cycle}/close",
    "compliance.review_snapshot": "/compliance/cycles/{cycle}/review",
}
QUERY_PAGES = {
    "compliance.me": ("/me", ()),
    "compliance.dashboard": (
        "/compliance/{cycle_made}",
        ("unit", "position", "rank", "gender", "status", "cycle"),
    ),
    "compliance.officials": (
        "/compliance/officials{cycle_made}",
        ("page", "unit", "position", "rank", "gender", "status", "cycle"),
    ),
    "compliance.review_list": ("/reviews/{cycle_made}", ("page", "unit", "cycle")),
    "compliance.review_detail": ("/reviews/T-MAN{cycle_made}", ("cycle",)),
}
PROVIDERS = {"cycle": _cycle, "cycle_made": lambda scene: scene.value("cycle") and ""}

# The reviewer (SNV) asks for T-LEARN and P-HAICHAU (both under DN, outside SNV); hr (DN) for
# unit XX by the query argument of the pages that filter by unit.
DENIALS = {
    ("compliance.review_detail", "GET"): Denial("reviewer", "/reviews/T-LEARN?cycle={cycle}"),
    ("compliance.review_pdf", "GET"): Denial("reviewer", "/reviews/T-LEARN.pdf?cycle={cycle}"),
    ("compliance.review_unit_pdf", "GET"): Denial(
        "reviewer", "/reviews/units/p-haichau.pdf?cycle={cycle}"
    ),
    ("compliance.review_list", "GET"): Denial("reviewer", "/reviews/?cycle={cycle}&unit=P-HAICHAU"),
    ("compliance.dashboard", "GET"): Denial("hr", "/compliance/?cycle={cycle}&unit={out_unit}"),
    ("compliance.officials", "GET"): Denial(
        "hr", "/compliance/officials?cycle={cycle}&unit={out_unit}"
    ),
    ("compliance.export", "GET"): Denial("hr", "/compliance/export?cycle={cycle}&unit={out_unit}"),
    ("compliance.export", "POST"): Denial("hr", "/compliance/export?cycle={cycle}&unit={out_unit}"),
}
DENIAL_EXEMPT = {
    "compliance.close": "the year names an organisation-wide cycle; the unit to close is a form "
    "field whose choices are the HR officer's own units, and an out-of-scope unit is 404 "
    "(routes._unit)",
    "compliance.review_snapshot": "as compliance.close: the unit is a form field limited to the "
    "HR officer's units, an out-of-scope unit is 404",
}
