"""HR names the heads of a unit on its page (issue 23): an acting head of SNV-CCVC named from
01/12/2026 heads it that day (the `head` role follows, audited), not the day before; ending the
headship on 15/12 ends it the day after; an official outside HR's units, dates out of order
and an overlap are refused with their reason and nothing is written; another unit's
headship is 404."""

import html as html_lib
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.auth.models import HEAD, RoleGrant, User
from lms.extensions import db
from lms.organisation import services as org
from lms.teams import queries
from lms.teams.models import HeadAssignment
from tests.conftest import csrf_token
from tests.factories import make_official

PAGE = "/team/units/SNV-CCVC"


def text_of(answer) -> str:
    return re.sub(
        r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", answer.get_data(as_text=True)))
    )


@pytest.fixture
def scene(world, freeze):
    freeze(date(2026, 12, 1))
    org.upsert_unit("XX", "Ủy ban nhân dân tỉnh Xa Xôi", "UBND", "tinh", None)
    db.session.flush()
    make_official("T-OUT", "Lê Ngoài Phạm Vi", unit="XX")
    db.session.commit()


def post(client, url, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, PAGE), **data})


def unit_id(code: str) -> int:
    from lms.organisation.models import OrgUnit

    return db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == code))


def heads_on(day: date) -> set[int]:
    return queries.heads_by_unit(day, [unit_id("SNV-CCVC")]).get(unit_id("SNV-CCVC"), set())


def test_hr_names_an_acting_head_and_ends_the_headship(scene, login_as, world):
    hr = login_as("hr")
    answer = post(hr, PAGE + "/heads", employee_code="t-rev", started_on="01/12/2026",
                  decision_no="45/QĐ-SNV")  # fmt: skip
    assert answer.status_code == 302
    page = text_of(hr.get(PAGE))
    assert "Người Dùng Reviewer (T-REV)" in page and "45/QĐ-SNV" in page
    reviewer = world["reviewer"].official_id
    assert reviewer in heads_on(date(2026, 12, 1)) and reviewer not in heads_on(date(2026, 11, 30))
    grants = db.session.scalar(
        select(func.count())
        .select_from(RoleGrant)
        .join(User, User.id == RoleGrant.user_id)
        .where(User.username == "reviewer", RoleGrant.role == HEAD)
    )
    assert grants == 1  # the head role follows at the commit
    assignment = db.session.scalar(select(HeadAssignment))
    answer = post(hr, f"{PAGE}/heads/{assignment.id}/end", ended_on="15/12/2026")
    assert answer.status_code == 302
    assert reviewer in heads_on(date(2026, 12, 15)) and reviewer not in heads_on(date(2026, 12, 16))
    actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert "head.assigned" in actions and "head.ended" in actions


def test_bad_namings_are_refused_with_their_reason(scene, login_as):
    hr = login_as("hr")
    cases = [
        ({"employee_code": "T-OUT", "started_on": "01/12/2026"}, "T-OUT"),
        ({"employee_code": "NOBODY", "started_on": "01/12/2026"}, "NOBODY"),
        ({"employee_code": "T-REV", "started_on": "10/12/2026", "ended_on": "01/12/2026"}, ""),
        ({"employee_code": "T-REV", "started_on": ""}, ""),
    ]
    for data, words in cases:
        answer = post(hr, PAGE + "/heads", **data)
        assert answer.status_code == 302
        page = text_of(hr.get(PAGE))
        assert words in page
    assert db.session.scalar(select(func.count()).select_from(HeadAssignment)) == 0
    post(hr, PAGE + "/heads", employee_code="T-REV", started_on="01/12/2026")
    post(hr, PAGE + "/heads", employee_code="T-REV", started_on="05/12/2026")  # overlaps
    assert db.session.scalar(select(func.count()).select_from(HeadAssignment)) == 1
    assert "đã phụ trách đơn vị trong khoảng thời gian đó" in text_of(hr.get(PAGE))
