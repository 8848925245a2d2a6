"""A head of unit in a real browser, on a 360 px phone: their team page, nominating two
officials to a course, approving one official's external-training request; the official sees
the nomination and the head's decision; HR sees the head's decision in the queue; the head's
weekly digest names an overdue official."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from lms.common import clock
from lms.curricula.external import services as external
from lms.extensions import db
from lms.organisation.models import OrgUnit
from lms.teams import escalation, services
from tests.e2e.axe import assert_accessible
from tests.e2e.test_journey import log_in
from tests.factories import (
    PDF,
    make_course,
    make_cycle,
    make_head,
    make_learner,
    make_mandatory_course,
    make_obligation,
    make_units,
    make_user,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def team_world(db, tmp_path):
    """P-HAICHAU asks for the head's approval; two officials there with accounts, one of
    whom submitted external training and owes a course overdue since last month."""
    make_units()
    make_user("hr")
    make_head()
    year = clock.today().year
    make_cycle(year)
    make_course("KN01", kind="elective", title="Kỹ năng số cho công chức")
    ward = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "P-HAICHAU"))
    services.save_settings(ward, True, 0, None)
    first = make_learner("E2E-T1", "Trần Thị Ánh")
    second = make_learner("E2E-T2", "Lê Văn Bình")
    make_obligation(
        second.official_id, make_mandatory_course("BB01"), clock.today() - timedelta(days=20)
    )
    training = external.Submission(
        title="Hội thảo cải cách hành chính",
        organiser="Học viện Hành chính Quốc gia",
        starts_on=clock.today() - timedelta(days=10),
        ends_on=clock.today() - timedelta(days=8),
        periods=16,
    )
    external.submit(first.official_id, training, "cn.pdf", PDF, tmp_path, 10**6, actor=None)
    db.session.commit()
    assert date.today().year == year


def test_a_head_nominates_and_approves_then_the_official_and_hr_see_it(team_world, new_page):
    head = new_page(width=360, height=740)
    log_in(head, "head")
    head.goto("/team/")
    expect(head.get_by_role("heading", level=1)).to_contain_text("Đơn vị của tôi")
    expect(head.get_by_text("Trần Thị Ánh").first).to_be_visible()
    expect(head.get_by_text("Lê Văn Bình").first).to_be_visible()
    assert_accessible(head, "team page at 360 px")

    head.get_by_role("link", name="Cử công chức tham gia khóa học").click()
    head.get_by_label("Khóa học").select_option("KN01")
    head.get_by_label("Trần Thị Ánh").check()
    head.get_by_label("Lê Văn Bình").check()
    head.get_by_label("Lý do cử đi học").fill("Kế hoạch bồi dưỡng của phường")
    head.get_by_role("button", name="Cử đi học").click()
    expect(head.locator(".flashes")).to_contain_text("2")

    head.get_by_role("link", name="Trần Thị Ánh — Hội thảo cải cách hành chính").click()
    head.get_by_label("Lý do").fill("Đúng chuyên môn")
    head.get_by_role("button", name="Đồng ý, chuyển bộ phận tổ chức cán bộ").click()
    expect(head.locator(".flashes")).to_contain_text("Đã đồng ý")

    official = new_page(width=360, height=740)
    log_in(official, "e2e-t1")
    official.goto("/me")
    expect(official.get_by_text("Kế hoạch bồi dưỡng của phường")).to_be_visible()
    official.goto("/me/external/")
    expect(official.get_by_text("Thủ trưởng đã đồng ý").first).to_be_visible()

    hr = new_page()
    log_in(hr, "hr")
    hr.goto("/external/")
    expect(hr.get_by_text("Thủ trưởng đã đồng ý").first).to_be_visible()
    expect(hr.get_by_text("Đúng chuyên môn").first).to_be_visible()

    escalation.send_team_digests(clock.today(), lambda *_: None)
    db.session.commit()
    head.goto("/inbox")
    head.get_by_role("link", name="Bản tin bồi dưỡng").first.click()
    expect(head.get_by_text("Lê Văn Bình").first).to_be_visible()
