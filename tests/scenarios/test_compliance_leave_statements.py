"""The issue's leave scenarios as a reviewer reads them, with a frozen clock (issue 21;
DESIGN.md §3 "Leave"). Nguyễn Thị Hoa holds a 3-TC post all of 2026 and is on maternity leave
01/03–31/08: her live statement, her review statement of 10/12 and the API show 12 months in
post, 6 on leave, 6 counted and a 1.5-TC target, rated. Trần Văn An joins on 01/08 and goes
on long sick leave on 01/10: 2 months counted, flagged "under 6 months" (not rated) on every
statement. Lê Văn Bình is seconded all year: secondment does not exempt, 3 TC."""

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from lms.compliance import snapshots, statements
from lms.extensions import db
from lms.organisation.models import OrgUnit
from tests.factories import (
    make_course,
    make_curriculum,
    make_cycle,
    make_leave,
    make_official,
)
from tests.web.routes.api import bearer

pytestmark = pytest.mark.usefixtures("english")

MONTHS = ("months_in_post", "months_on_leave", "months_counted", "not_rated")


def months(statement: dict) -> tuple:
    return tuple(statement[key] for key in MONTHS)


@pytest.fixture
def year(world, freeze):
    freeze(datetime(2026, 1, 5, 3, 0))
    make_curriculum("CM-CCVC", "3", [make_course("BB01")])
    cycle = make_cycle(2026)
    hoa = make_official("DN000001", "Nguyễn Thị Hoa", started_on=date(2019, 4, 1))
    binh = make_official("DN000003", "Lê Văn Bình", started_on=date(2018, 1, 1))
    db.session.commit()
    make_leave(hoa, date(2026, 3, 1), date(2026, 8, 31), "maternity", decision_number="15/QĐ")
    make_leave(binh, date(2026, 1, 1), date(2026, 12, 31), "secondment")
    db.session.commit()
    freeze(datetime(2026, 8, 1, 3, 0))
    an = make_official("DN000002", "Trần Văn An", started_on=date(2026, 8, 1))
    db.session.commit()
    freeze(datetime(2026, 9, 20, 3, 0))
    make_leave(an, date(2026, 10, 1), date(2027, 3, 31), "sick")
    db.session.commit()
    return cycle, hoa, an, binh


def test_live_statements_show_the_months_and_the_pro_rated_target(year):
    cycle, hoa, an, binh = year
    today = date(2026, 9, 20)
    live = statements.statement_for(hoa.id, cycle, today, statements.LIVE)
    assert months(live) == (12, 6, 6, False)
    assert live["target_credits"] == D("1.50")
    flagged = statements.statement_for(an.id, cycle, today, statements.LIVE)
    assert months(flagged) == (5, 3, 2, True)
    assert flagged["target_credits"] == D("0.50")
    seconded = statements.statement_for(binh.id, cycle, today, statements.LIVE)
    assert months(seconded) == (12, 0, 12, False) and seconded["target_credits"] == D("3.00")


def test_the_review_statement_of_10_12_keeps_the_months(year, world, freeze):
    cycle, hoa, an, _binh = year
    freeze(datetime(2026, 12, 10, 3, 0))
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "DN"))
    snapshots.review_cycle(cycle, unit, world["hr"], date(2026, 12, 10))
    db.session.commit()
    review = statements.statement_for(hoa.id, cycle, date(2026, 12, 10), statements.REVIEW)
    assert review["kind"] == "review" and months(review) == (12, 6, 6, False)
    assert statements.statement_for(an.id, cycle, date(2026, 12, 10))["not_rated"] is True


def test_the_api_statement_carries_the_months(app, year, world):
    _cycle, hoa, _an, _binh = year
    answer = app.test_client().get(
        "/api/v1/officials/DN000001/statement?cycle=2026", headers=bearer(world["hr"])
    )
    assert answer.status_code == 200
    body = answer.get_json()
    assert months(body) == (12, 6, 6, False) and body["target_credits"] == 1.5
    leave = (
        app.test_client()
        .get("/api/v1/officials/DN000001/leave", headers=bearer(world["hr"]))
        .get_json()
    )
    assert [(p["kind"], p["from"], p["to"], p["exempting"]) for p in leave["items"]] == [
        ("maternity", "2026-03-01", "2026-08-31", True)
    ]
    assert hoa.id
