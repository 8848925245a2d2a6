"""Annual ratings in the JSON API (issue 21): HR records T-MAN's 2026 rating by code or by its
Vietnamese name (201, then 200 for the same rating), reads it back; an unknown level is 422 with
nothing written; an official outside the token's units is 404."""

from datetime import date

import pytest
from sqlalchemy import func, select

from lms.compliance.models import AnnualRating
from lms.extensions import db
from lms.organisation import services as org
from tests.factories import make_cycle, make_official
from tests.web.routes.api import bearer

URL = "/api/v1/officials/T-MAN/ratings"


@pytest.fixture
def hr(app, world, freeze):
    freeze(date(2026, 12, 15))
    make_cycle(2026)
    db.session.commit()
    return app.test_client(), bearer(world["hr"])


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(AnnualRating))


def test_hr_records_and_reads_a_rating(hr):
    client, headers = hr
    body = {"cycle": 2026, "level": "Không hoàn thành nhiệm vụ", "weak_areas": ["nd5"]}
    first = client.post(URL, headers=headers, json=body)
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["level"] == "not_done"
    assert first.get_json()["weak_areas"] == ["ND5"]
    again = client.post(URL, headers=headers, json={**body, "level": "not_done"})
    assert again.status_code == 200
    items = client.get(URL, headers=headers).get_json()["items"]
    assert [(i["cycle"], i["level"], i["weak_areas"]) for i in items] == [
        (2026, "not_done", ["ND5"])
    ]
    assert count() == 1


def test_an_unknown_level_area_or_cycle_is_422_and_nothing_is_written(hr):
    client, headers = hr
    for body in (
        {"cycle": 2026, "level": "great"},
        {"cycle": 2026, "level": "good", "weak_areas": ["ND9"]},
        {"cycle": 2031, "level": "good"},
        {"cycle": 2026, "level": "good", "note": "x"},
    ):
        answer = client.post(URL, headers=headers, json=body)
        assert answer.status_code == 422, body
        assert answer.get_json()["error"]["details"]
    assert count() == 0


def test_an_officer_does_not_rate_themselves_through_the_api(hr):
    client, headers = hr
    body = {"cycle": 2026, "level": "excellent"}
    answer = client.post("/api/v1/officials/T-HR/ratings", headers=headers, json=body)
    assert answer.status_code == 403 and answer.get_json()["error"]["code"] == "own_record"
    assert count() == 0


def test_an_official_outside_the_tokens_units_is_404(hr):
    client, headers = hr
    org.upsert_unit("XX", "Ủy ban nhân dân tỉnh Xa Xôi", "UBND", "tinh", None)
    db.session.flush()
    make_official("T-OUT", "Lê Ngoài Phạm Vi", unit="XX")
    db.session.commit()
    out = "/api/v1/officials/T-OUT/ratings"
    assert client.get(out, headers=headers).status_code == 404
    assert (
        client.post(out, headers=headers, json={"cycle": 2026, "level": "good"}).status_code == 404
    )
    assert count() == 0
