"""The demo as `make run` sets it up on 05/12/2026 holds next year's training needs: `hr` (the
Department) finds the 2027 plan consolidated from three units' submitted needs (the draft of
the Department of Construction left out) to approve; `head` finds Hải Châu ward's needs
submitted; loading again adds nothing."""

import re
from datetime import date

from sqlalchemy import func, select, update

from lms.curricula.cycles.models import Cycle
from lms.curricula.obligations.models import Obligation
from lms.demo.planning import load_planning
from lms.extensions import db
from lms.teams.planning.models import NeedLine, PlanLine
from tests.conftest import csrf_token
from tests.scenarios.make_run import DEMO_PASSWORD, set_up_like_make_run


def _login(app, username: str):
    client = app.test_client()
    token = csrf_token(client, "/auth/login")
    data = {"csrf_token": token, "username": username, "password": DEMO_PASSWORD}
    assert client.post("/auth/login", data=data).status_code == 302
    return client


def _text(answer) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answer.get_data(as_text=True)))


def test_the_demo_plans_next_year(app, runner, freeze, tmp_path, monkeypatch):
    freeze(date(2026, 12, 5))
    set_up_like_make_run(app, runner, monkeypatch, tmp_path / "assets")
    planned = db.session.scalar(select(func.sum(PlanLine.count)))
    assert planned == 25 + 6 + 4 + 18 + 10 + 12 + 20  # the three submitted units
    assert db.session.scalar(select(func.count()).select_from(NeedLine)) == 8  # and the draft
    hr = _login(app, "hr")
    plan = _text(hr.get("/planning/2027/plan"))
    assert "Bản nháp" in plan and "BB03" in plan and "Phê duyệt kế hoạch" in plan
    head = _login(app, "head")
    needs = _text(head.get("/planning/2027/needs/P-HAICHAU"))
    assert "Đã gửi" in needs and "BB02" in needs
    assert load_planning() == 0


def test_the_demo_obligations_fall_due_within_the_cycle_and_2027_is_declared(
    app, runner, freeze, tmp_path, monkeypatch
):
    """The demo's curricula date from each cycle's start: its 2026 obligations are due by
    31/12/2026 (not 30 days after the day `make run` ran), so what HR, the head and the learner
    read agrees; 2027 is declared (the ratings preview can assign next year's courses) while
    2026 stays the cycle shown; a second load changes nothing, and an older demo database (its
    obligations arisen on the load day) is mended."""
    freeze(date(2026, 12, 5))
    set_up_like_make_run(app, runner, monkeypatch, tmp_path / "assets")
    hr, head, learner = _login(app, "hr"), _login(app, "head"), _login(app, "learner")
    review = _text(hr.get("/reviews/DEMO0004?cycle=2026"))
    assert "Đã hoàn thành 4/5" in review and "Có nguy cơ" in review
    assert "31/12/2026" in review and "/2027" not in review
    team = _text(head.get("/team/"))
    assert "Đơn vị của tôi — 2026" in team and "hạn 31/12/2026" in team and "hạn 04/01" not in team
    assert team.count("1 đề nghị") == 2  # the demo's external training and place request
    me = _text(learner.get("/me"))
    assert "Sau khi chu kỳ kết thúc" not in me and "hạn hoàn thành 31/12/2026" in me
    preview = _text(hr.get("/compliance/ratings/2026/preview"))
    assert "chưa được khai báo" not in preview
    dashboard = _text(hr.get("/compliance/"))
    assert "chu kỳ 2026" in dashboard and "Chu kỳ 2027 2026 2025 2024" in dashboard
    assert re.search(r"Đạt: [1-9]", dashboard) and re.search(r"Có nguy cơ: [1-9]", dashboard)

    y2026, y2027 = (db.session.scalar(select(Cycle).where(Cycle.year == y)) for y in (2026, 2027))
    assert (y2027.starts_on, y2027.ends_on) == (date(2027, 1, 1), date(2027, 12, 31))
    due_2027 = set(
        db.session.scalars(select(Obligation.due_on).where(Obligation.cycle_id == y2027.id))
    )
    assert due_2027 == {date(2027, 12, 31)}

    def rows():
        stmt = select(Obligation.id, Obligation.due_on, Obligation.arose_on, Obligation.status)
        stmt = stmt.where(Obligation.cycle_id == y2026.id, Obligation.kind == "mandatory")
        return sorted(db.session.execute(stmt).all())

    before = rows()
    assert max(due for _id, due, _arose, _status in before) <= date(2026, 12, 31)
    again = runner.invoke(args=["curricula", "demo"])
    assert "đã thêm 0 chu kỳ" in again.output and rows() == before
    # A demo loaded before the fix: obligations arisen on the load day, due 30 days later.
    db.session.execute(
        update(Obligation)
        .where(
            Obligation.cycle_id == y2026.id,
            Obligation.kind == "mandatory",
            Obligation.due_on == date(2026, 12, 31),
        )
        .values(arose_on=date(2026, 12, 5), due_on=date(2027, 1, 4))
    )
    db.session.commit()
    assert runner.invoke(args=["curricula", "demo"]).exit_code == 0
    db.session.expire_all()
    assert rows() == before
