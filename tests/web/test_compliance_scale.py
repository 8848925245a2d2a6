"""The dashboard's query count is the same for 100 and for 10,000 officials (rows added in
bulk, as a city's data would be), and its counts still add up."""

import re
from datetime import date
from decimal import Decimal

from sqlalchemy import insert, select

from lms.common import vntext
from lms.curricula.cycles.models import Cycle
from lms.curricula.obligations.models import OfficialTarget
from lms.extensions import db
from lms.organisation.models import Official, OrgUnit, Position, PositionAssignment
from tests.conftest import count_queries
from tests.factories import make_cycle


def _bulk_officials(first: int, count: int, cycle: Cycle) -> None:
    """`count` officials with a post in P-HAICHAU or SNV-CCVC and a 3-TC target."""
    units = dict(db.session.execute(select(OrgUnit.code, OrgUnit.id)).all())
    position = db.session.scalar(select(Position.id).where(Position.code == "CM-CCVC"))
    officials, posts, targets = [], [], []
    for number in range(first, first + count):
        name = f"Nguyễn Văn Số{number}"
        officials.append(
            {
                "id": 100_000 + number,
                "employee_code": f"BULK{number:06}",
                "full_name": name,
                "search_name": vntext.search_key(name),
                "sort_name": vntext.name_sort_string(name),
                "gender": ("female", "male")[number % 2],
                "category": "cong_chuc",
                "status": "active",
            }
        )
        posts.append(
            {
                "official_id": 100_000 + number,
                "unit_id": units[("P-HAICHAU", "SNV-CCVC")[number % 2]],
                "position_id": position,
                "is_primary": True,
                "started_on": date(2020, 1, 1),
            }
        )
        targets.append(
            {"official_id": 100_000 + number, "cycle_id": cycle.id, "target_credits": Decimal(3)}
        )
    for table, rows in (
        (Official, officials),
        (PositionAssignment, posts),
        (OfficialTarget, targets),
    ):
        for start in range(0, len(rows), 2000):
            db.session.execute(insert(table), rows[start : start + 2000])
    db.session.commit()


def _dashboard(client) -> tuple[int, int]:
    with count_queries() as counter:
        page = client.get("/compliance/?cycle=2026").get_data(as_text=True)
    total = re.search(r'<h2 id="totals-h">([\d.,\s ]+)', page).group(1)
    return counter[0], int(re.sub(r"\D", "", total))


def test_dashboard_query_count_is_the_same_for_100_and_10000_officials(login_as, freeze):
    freeze(date(2026, 11, 26))
    client = login_as("hr")
    cycle = make_cycle(2026)
    db.session.commit()
    _bulk_officials(0, 96, cycle)  # + the 4 officials behind the role logins = 100
    small, shown_small = _dashboard(client)
    _bulk_officials(96, 9_900, cycle)
    large, shown_large = _dashboard(client)
    assert (shown_small, shown_large) == (100, 10_000)
    assert large == small
