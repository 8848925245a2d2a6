"""The demo's citizen answers: a year of them at the wards' counters, added once."""

from datetime import date

from lms.demo.satisfaction import load_satisfaction
from lms.extensions import db
from lms.organisation.models import OrgUnit
from lms.surveys import reports
from tests.factories import make_questionnaires, make_units, unit_id


def test_demo_answers_fill_the_year_once(freeze):
    freeze(date(2026, 12, 5))
    make_units()
    make_questionnaires()
    added = load_satisfaction()
    assert 150 <= added <= 350  # P-HAICHAU only in the test units
    unit = db.session.get(OrgUnit, unit_id("P-HAICHAU"))
    months = reports.monthly(unit, None, 2026)
    assert all(m.responses > 0 for m in months)
    assert 50 < reports.unit_index(unit, 2026).index < 100
    assert load_satisfaction() == 0
