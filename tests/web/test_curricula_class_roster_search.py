"""The class roster's search (/classes/<id>/roster?q=…) pages without a 500 (issue 18): many
matches page 30 at a time with working links, a page past the last shows the last, and junk in
the query string is ignored; a class or an official outside the manager's units stays hidden."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from lms.auth import services as auth
from lms.auth.models import TRAINING_MANAGER
from lms.organisation.models import OrgUnit
from tests.factories import make_class, make_in_person_course, make_official

MATCHES = 70  # three pages of 30


@pytest.fixture
def roster(world, db, freeze):
    freeze(date(2026, 5, 20))
    for n in range(MATCHES):
        make_official(f"DN{n:06d}", f"Nguyễn Văn An {n:02d}")
    make_official("DN900001", "Nguyễn Văn An Phường", unit="P-HAICHAU")
    course = make_in_person_course("VHCV01")
    klass = make_class(course)
    ward = make_class(course, unit="P-HAICHAU", title="Lớp phường Hải Châu")
    db.session.commit()
    return klass.id, ward.id


def _names(html: str) -> list[str]:
    """The officials offered for ticking on a page of results."""
    return re.findall(r'name="picked" value="([^"]+)"', html)


def _links(html: str) -> dict[str, str]:
    return {
        rel: href.replace("&amp;", "&")
        for href, rel in re.findall(r'<a href="([^"]+)" rel="(prev|next)"', html)
    }


def test_many_matches_page_through_every_official_once(roster, login_as):
    class_id, _ward = roster
    client = login_as("manager")
    url = f"/classes/{class_id}/roster?q=nguyen van an"
    seen, pages = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        seen += _names(html)
        pages += 1
        url = _links(html).get("next")
        if url:
            assert url.startswith(f"/classes/{class_id}/roster?") and "q=nguyen" in url
    # the city's manager covers the ward too: its official is found as well
    assert pages == 3 and len(seen) == len(set(seen)) == MATCHES + 1
    assert "Tìm thấy 71 cán bộ" in html


def test_a_page_past_the_last_shows_the_last_page(roster, login_as):
    class_id, _ward = roster
    client = login_as("manager")
    html = client.get(f"/classes/{class_id}/roster?q=nguyen van an&page=999").get_data(as_text=True)
    assert len(_names(html)) == MATCHES + 1 - 60  # the last page, not an empty one
    assert set(_links(html)) == {"prev"}


@pytest.mark.parametrize(
    "junk",
    [
        "page=abc",
        "page=-3",
        "page=0",
        "page=99999999999",
        "page=2&page=x",
        "_scheme=javascript",
        "_external=1&_scheme=http",
        "_anchor=x&_method=POST",
        "class_id=99999",
        "q=%25&page=2",
        "q=_",
        "q=" + "a" * 200,
        "q=Nguy%E1%BB%85n&unit_code=NOPE&foo[]=1",
    ],
)
def test_junk_in_the_query_string_never_breaks_the_search(roster, login_as, junk):
    class_id, _ward = roster
    client = login_as("manager")
    query = junk if junk.startswith("q=") else f"q=nguyen&{junk}"
    response = client.get(f"/classes/{class_id}/roster?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for href in _links(html).values():
        assert href.startswith(f"/classes/{class_id}/roster?")
        assert "_scheme" not in href and "javascript" not in href


def test_a_class_or_an_official_outside_the_managers_units_stays_hidden(
    roster, login_as, world, db
):
    class_id, ward_id = roster
    snv = db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == "SNV"))
    auth.grant_role(world["reviewer"], TRAINING_MANAGER, snv, actor=None)
    db.session.commit()
    client = login_as("reviewer")
    assert client.get(f"/classes/{ward_id}/roster?q=nguyen&page=2").status_code == 404
    html = client.get(f"/classes/{class_id}/roster?q=nguyen van an&page=3").get_data(as_text=True)
    assert "DN900001" not in html and "Tìm thấy 70 cán bộ" in html
    assert len(_names(html)) == MATCHES - 60
