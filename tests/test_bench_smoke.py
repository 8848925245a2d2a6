"""The city generator of bench/ at a tiny scale, so a model change that breaks it fails here
rather than on the night someone runs `make bench`: the ledger it writes verifies, and the
compliance counts of lms.compliance.queries equal the benchmark's hand-written SQL floor."""

from sqlalchemy import select

from bench import floors
from bench.generate import bench_app, generate
from lms.common import clock
from lms.compliance import queries
from lms.curricula.ledger import verify
from lms.extensions import db
from lms.organisation.models import OrgUnit


def test_generated_city_verifies_and_its_counts_equal_the_sql_floor(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'city.sqlite3'}"
    generate(url, officials=60, seed=7, check=False)
    assert "ledger_entries" in capsys.readouterr().out
    app = bench_app(url)
    with app.app_context():
        assert list(verify()) == []
        cycle = queries.cycle_by_year(clock.today().year)
        as_of = min(clock.today(), cycle.ends_on)
        floor = floors.Floor()
        for code, sql in (("DN", floors.CITY_STATUS_COUNTS), ("SGDDT", floors.STATUS_COUNTS)):
            unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))
            params = floors.status_params(cycle, as_of, unit.path)
            expected = dict(floor.rows(sql, **params))
            assert sum(expected.values()) > 0
            assert queries.unit_counts(unit, cycle, as_of)["by_status"] == expected
        floor.close()
        db.session.remove()
        db.engine.dispose()
