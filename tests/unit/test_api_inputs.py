"""Reading an external credit entry posted to the API (pure): every problem is reported at
once, by field; numbers are exact to the cent."""

from datetime import date
from decimal import Decimal

import pytest

from lms.api.inputs import Invalid, parse_external_entry

TODAY = date(2026, 6, 15)
GOOD = {"title": "  Lớp   kỹ năng số ", "credits": 0.5, "earned_on": "2026-06-15"}


def _fields(body) -> set[str]:
    with pytest.raises(Invalid) as caught:
        parse_external_entry(body, TODAY)
    return {field for field, _message in caught.value.reasons}


def test_a_minimal_entry_is_read_with_defaults_and_tidy_text():
    entry = parse_external_entry(GOOD, TODAY)
    assert entry.title == "Lớp kỹ năng số"
    assert entry.credits == Decimal("0.50") and entry.periods == 0
    assert entry.earned_on == TODAY and entry.reason == "" and entry.source_ref == ""


def test_decomposed_vietnamese_is_stored_composed():
    import unicodedata

    title = unicodedata.normalize("NFD", "Bồi dưỡng")
    entry = parse_external_entry({**GOOD, "title": title}, TODAY)
    assert entry.title == unicodedata.normalize("NFC", "Bồi dưỡng")


@pytest.mark.parametrize("credits", [0.1, 0.3, 2.05, 100, 0.01, 3])
def test_credits_to_the_cent_are_exact(credits):
    entry = parse_external_entry({**GOOD, "credits": credits}, TODAY)
    assert entry.credits == Decimal(str(credits)).quantize(Decimal("0.01"))


@pytest.mark.parametrize(
    "credits", [0, -0.5, 100.01, 0.001, float("nan"), float("inf"), "1", None, [1], True, 10**30]
)
def test_bad_credits_are_named(credits):
    assert _fields({**GOOD, "credits": credits}) == {"credits"}


@pytest.mark.parametrize("periods", [-1, 10_001, 1.5, "3", None, False])
def test_bad_periods_are_named(periods):
    assert _fields({**GOOD, "periods": periods}) == {"periods"}


@pytest.mark.parametrize(
    "earned_on", ["2026-06-16", "1989-12-31", "15/06/2026", "2026-6-1", "", 20260615, None]
)
def test_bad_dates_are_named(earned_on):
    assert _fields({**GOOD, "earned_on": earned_on}) == {"earned_on"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("title", "\t \n"),
        ("title", "a\x00b"),
        ("title", "x" * 256),
        ("title", "\ud800"),
        ("reason", None),
        ("reason", "x" * 1001),
        ("source_ref", "r" * 61),
        ("source_ref", 7),
    ],
)
def test_bad_texts_are_named(field, value):
    assert _fields({**GOOD, field: value}) == {field}


def test_every_problem_is_reported_at_once():
    assert _fields({"credits": "x", "colour": "red"}) == {"colour", "title", "credits", "earned_on"}


@pytest.mark.parametrize("body", [None, [], "entry", 3])
def test_a_body_that_is_not_an_object_is_refused(body):
    assert _fields(body) == {""}
