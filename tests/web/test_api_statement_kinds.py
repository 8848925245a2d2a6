"""The statement JSON contract (issue 21): `GET /api/v1/officials/<code>/statement` takes
`kind=review|final|live` (default: the final one, else the latest review snapshot, else live)
and answers `kind`, `as_of`, `months_in_post`, `months_on_leave`, `months_counted`,
`not_rated` and `mandatory` ({course_code, title, due_on, state}); a kind the official has no
statement of is 404, an unknown kind 400, an official outside the token's scope 404 — on a
frozen clock, 10/12/2026 (review) then 05/01/2027 (close)."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from lms.compliance import snapshots, statements
from lms.curricula.ledger import services as ledger
from lms.curricula.obligations.models import OfficialTarget
from lms.extensions import db
from lms.organisation.models import Official
from lms.organisation.queries import unit_by_code
from tests.factories import make_cycle, make_mandatory_course, make_obligation, make_official
from tests.web.routes.api import bearer

URL = "/api/v1/officials/DN000010/statement?cycle=2026"
KEYS = {"kind", "as_of", "months_in_post", "months_on_leave", "months_counted", "not_rated"}


@pytest.fixture
def today(freeze):
    return freeze(date(2026, 8, 1))


@pytest.fixture
def scene(today, world, freeze):
    """DN000010 (SNV-CCVC) joined on 01/08/2026: 5 months in post (not rated), 1 TC earned on
    05/08, BB01 due 30/11; DN000011 in P-HAICHAU (outside the reviewer's SNV)."""
    cycle = make_cycle(2026)
    official = make_official("DN000010", "Hồ Thị Thu Trang", started_on=date(2026, 8, 1))
    make_official("DN000011", "Đặng Văn Ước", "P-HAICHAU")
    db.session.add(
        OfficialTarget(
            official_id=official.id, cycle_id=cycle.id, target_credits=Decimal("1.5"), months=5
        )
    )
    make_obligation(official.id, make_mandatory_course("BB01"), date(2026, 11, 30))
    ledger.append(ledger.NewEntry(official.id, date(2026, 8, 5), Decimal(1), "manual", "Lớp A"))
    db.session.commit()
    freeze(date(2026, 12, 10))
    return official, cycle


def get(client, headers, extra: str = ""):
    return client.get(URL + extra, headers=headers)


def test_live_then_review_then_final(scene, app, world, freeze):
    official, cycle = scene
    client, headers = app.test_client(), bearer(world["hr"])
    live = get(client, headers).get_json()
    assert set(live) >= KEYS
    assert (live["kind"], live["as_of"]) == ("live", "2026-12-10")
    assert (live["months_in_post"], live["months_on_leave"], live["months_counted"]) == (5, 0, 5)
    assert live["not_rated"] is True
    assert live["mandatory"] == [
        {
            "course_code": "BB01",
            "title": live["mandatory"][0]["title"],
            "due_on": "2026-11-30",
            "state": "owed",
        }
    ]
    assert get(client, headers, "&kind=review").status_code == 404
    assert get(client, headers, "&kind=final").status_code == 404

    snapshots.review_cycle(cycle, unit_by_code("SNV"), None, date(2026, 12, 10))
    db.session.commit()
    ledger.append(ledger.NewEntry(official.id, date(2026, 12, 20), Decimal(2), "manual", "Lớp B"))
    db.session.commit()
    review = get(client, headers).get_json()
    assert (review["kind"], review["as_of"], review["earned_credits"]) == (
        "review",
        "2026-12-10",
        1.0,
    )
    assert review["not_rated"] is True and review["number"] is not None
    assert get(client, headers, "&kind=live").get_json()["kind"] == "live"

    freeze(date(2027, 1, 5))
    statements.close_cycle(cycle, unit_by_code("DN"), None, date(2027, 1, 5))
    db.session.commit()
    final = get(client, headers).get_json()
    assert (final["kind"], final["as_of"], final["earned_credits"]) == ("final", "2026-12-31", 3.0)
    assert final["since_review"]["review_as_of"] == "2026-12-10"
    assert final["since_review"]["credits"] == 2.0
    assert [e["title"] for e in final["since_review"]["entries"]] == ["Lớp B"]
    kept = get(client, headers, "&kind=review").get_json()
    assert (kept["kind"], kept["earned_credits"]) == ("review", 1.0)


def test_an_unknown_kind_is_400_and_an_official_outside_the_scope_404(scene, app, world):
    client = app.test_client()
    headers = bearer(world["reviewer"])  # the reviewer covers SNV
    assert get(client, headers).status_code == 200
    assert get(client, headers, "&kind=draft").status_code == 400
    outside = "/api/v1/officials/DN000011/statement?cycle=2026"
    for kind in ("", "&kind=live", "&kind=review", "&kind=final"):
        assert client.get(outside + kind, headers=headers).status_code == 404
    assert db.session.scalar(select(Official.id).where(Official.employee_code == "DN000011"))
