"""Curricula pages of the obligations work: "My training" (/me), the curriculum manager screens
(/manage/curricula/…, training managers and administrators) and the training cycles
(/manage/cycles/…, administrators)."""

from tests.web.routes.expect import (
    ADMIN_ONLY,
    AUTHORS,
    AUTHORS_POST,
    FORBIDDEN,
    REDIRECT,
    expect,
)


def _cycle_year(_scene) -> int:
    """The 2026 cycle, with the default rules."""
    from datetime import date

    from lms.curricula.cycles.models import Cycle
    from lms.extensions import db

    if db.session.scalar(db.select(Cycle.id).where(Cycle.year == 2026)) is None:  # shared
        db.session.add(Cycle(year=2026, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)))
        db.session.commit()
    return 2026


def _variant(_scene) -> str:
    """A rank-specific curriculum of CM-CCVC for rank 01.002; returns the position code."""
    from decimal import Decimal

    from sqlalchemy import select

    from lms.curricula.cycles.models import Curriculum
    from lms.extensions import db
    from lms.organisation.models import Position, Rank

    position = db.session.scalar(select(Position).where(Position.code == "CM-CCVC"))
    rank = db.session.scalar(select(Rank).where(Rank.code == "01.002"))
    db.session.add(Curriculum(position_id=position.id, rank_id=rank.id, target_credits=Decimal(4)))
    db.session.commit()
    return position.code


ACCESS = {
    ("curricula.curricula_list", "GET"): ("/manage/curricula/", AUTHORS),
    ("curricula.curriculum_edit", "GET"): ("/manage/curricula/CM-CCVC", AUTHORS),
    # A POST with no target shows the form again with its error.
    ("curricula.curriculum_edit", "POST"): ("/manage/curricula/CM-CCVC", AUTHORS),
    ("curricula.variant_edit", "GET"): ("/manage/curricula/CM-CCVC/ranks/01.003", AUTHORS),
    ("curricula.variant_edit", "POST"): ("/manage/curricula/CM-CCVC/ranks/01.003", AUTHORS),
    ("curricula.variant_open", "GET"): (
        "/manage/curricula/CM-CCVC/variant?rank=01.002",
        expect(FORBIDDEN, manager=REDIRECT, admin=REDIRECT),
    ),
    ("curricula.variant_remove", "POST"): (
        "/manage/curricula/{variant}/ranks/01.002/remove",
        AUTHORS_POST,
    ),
    ("curricula.cycles", "GET"): ("/manage/cycles/", ADMIN_ONLY),
    ("curricula.cycle_new", "GET"): ("/manage/cycles/new", ADMIN_ONLY),
    ("curricula.cycle_new", "POST"): ("/manage/cycles/new", ADMIN_ONLY),
    ("curricula.cycle_edit", "GET"): ("/manage/cycles/{cycle_year}", ADMIN_ONLY),
    ("curricula.cycle_edit", "POST"): ("/manage/cycles/{cycle_year}", ADMIN_ONLY),
}
URLS = {
    "curricula.curriculum_edit": "/manage/curricula/CM-CCVC",
    "curricula.variant_edit": "/manage/curricula/CM-CCVC/ranks/01.003",
    "curricula.variant_remove": "/manage/curricula/{variant}/ranks/01.002/remove",
    "curricula.cycle_new": "/manage/cycles/new",
    "curricula.cycle_edit": "/manage/cycles/{cycle_year}",
}
FORM_PAGES = {
    "curricula.variant_remove": "/manage/curricula/{variant}/ranks/01.002",
}
QUERY_PAGES = {
    "curricula.curricula_list": ("/manage/curricula/", ()),
    "curricula.cycles": ("/manage/cycles/", ()),
    "curricula.variant_open": ("/manage/curricula/CM-CCVC/variant", ("rank",)),
}
HINTS = {
    "target_credits": "3",
    "year": "2031",
    "due_days": "180",
    "notice_days": "30",
    "renewal_window_days": "60",
    "at_risk_days": "30",
    "pace_slack": "1",
}
PROVIDERS = {
    "cycle_year": _cycle_year,
    "variant": _variant,
}

ORGANISATION_WIDE = (
    "curricula belong to a position and a rank, reference data of the whole organisation (not "
    "of a unit): every training manager edits them all; an unknown code is 404"
)
DENIAL_EXEMPT = {
    "curricula.curriculum_edit": ORGANISATION_WIDE,
    "curricula.variant_edit": ORGANISATION_WIDE,
    "curricula.variant_open": ORGANISATION_WIDE,
    "curricula.variant_remove": ORGANISATION_WIDE,
    "curricula.cycle_edit": "administrators only (an administrator's scope is everything), and a "
    "cycle is organisation-wide",
}
