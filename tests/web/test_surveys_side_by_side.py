"""Side by side: each unit's satisfaction index beside its one-stop officials' training (share
who completed VT02 and VT03, credits per official) and the correlation over units, labelled as
a correlation with its n."""

from datetime import date

import pytest

from lms.extensions import db
from lms.organisation import services as org
from lms.surveys import rules
from tests.factories import (
    make_citizen_response,
    make_completion,
    make_course,
    make_cycle,
    make_official,
    make_questionnaires,
)


def test_pearson_at_its_edges():
    assert rules.pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert rules.pearson([1, 2, 3], [6, 4, 2]) == pytest.approx(-1.0)
    assert rules.pearson([1, 2], [1, 2]) is None  # fewer than 3 units
    assert rules.pearson([1, 2, 3], [5, 5, 5]) is None  # no variation


@pytest.fixture
def wards(world):
    """Three wards with answers; P-HAICHAU's two one-stop officials both completed VT02 and
    VT03 (1 credit each), P-HOIAN's one completed VT02 only, X-HOAVANG's one nothing."""
    for code, name in (("P-HOIAN", "Phường Hội An"), ("X-HOAVANG", "Xã Hòa Vang")):
        org.upsert_unit(code, name, "ubnd_phuong", "xa", "DN")
    make_cycle(2026)
    vt02, vt03 = make_course("VT02"), make_course("VT03")
    make_questionnaires()
    scores = {"P-HAICHAU": (5, 5, 5, 4), "P-HOIAN": (5, 4, 2, 2), "X-HOAVANG": (2, 2, 3, 4)}
    for unit, values in scores.items():
        for score in values:
            make_citizen_response(unit, score, date(2026, 3, 2))
    a = make_official("OS-1", "Trần Thị Một", "P-HAICHAU", "XA-MC")
    b = make_official("OS-2", "Lê Văn Hai", "P-HAICHAU", "XA-MC")
    c = make_official("OS-3", "Phạm Thị Ba", "P-HOIAN", "XA-MC")
    make_official("OS-4", "Ngô Văn Bốn", "X-HOAVANG", "XA-MC")
    for official in (a, b):
        make_completion(official, vt02, date(2026, 2, 1))
        make_completion(official, vt03, date(2026, 2, 2))
    make_completion(c, vt02, date(2026, 2, 1))
    db.session.commit()


def test_each_unit_beside_its_one_stop_training_and_the_correlation(login_as, wards):
    html = login_as("hr").get("/manage/satisfaction/side-by-side?year=2026").get_data(as_text=True)
    haichau = html.split('data-unit="P-HAICHAU"')[1].split("</tr>")[0]
    assert "2 (100%)" in haichau
    hoian = html.split('data-unit="P-HOIAN"')[1].split("</tr>")[0]
    assert "0 (0%)" in hoian
    assert 'data-n="3"' in html and "tương quan" in html.lower()


def test_the_reviewer_sees_only_units_of_their_scope(login_as, wards):
    html = (
        login_as("reviewer")
        .get("/manage/satisfaction/side-by-side?year=2026")
        .get_data(as_text=True)
    )
    assert "P-HAICHAU" not in html
