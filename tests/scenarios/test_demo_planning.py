"""The demo as `make run` sets it up on 05/12/2026 holds next year's training needs: `hr` (the
Department) finds the 2027 plan consolidated from three units' submitted needs (the draft of
the Department of Construction left out) to approve; `head` finds Hải Châu ward's needs
submitted; loading again adds nothing."""

import re
from datetime import date

from sqlalchemy import func, select

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
