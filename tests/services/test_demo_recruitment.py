"""The demo recruitment TD2026 as `flask demo recruitment` (run by `make run`) loads it: with
its marking (markers, a written round, two papers marked; the marker's page shows them), also
into a TD2026 loaded before the marking demo existed; a second run changes nothing."""

from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.auth.models import User
from lms.extensions import db
from lms.recruitment import results_log
from lms.recruitment.marking.models import Mark, Marker, MarkingRound, Paper
from lms.recruitment.models import Candidate, ExamSession, Recruitment
from tests.conftest import login
from tests.factories import make_course, make_units, make_user

TABLES = (Recruitment, Candidate, ExamSession, MarkingRound, Marker, Paper, Mark, User, AuditEntry)


def _counts() -> dict:
    return {t.__name__: db.session.scalar(select(func.count()).select_from(t)) for t in TABLES}


def _world():
    make_units()
    make_user("hr")
    make_course("BB01")


def test_the_demo_command_loads_td2026_with_its_marking_and_twice_changes_nothing(app, runner):
    _world()
    db.session.commit()
    first = runner.invoke(args=["demo", "recruitment"])
    assert first.exit_code == 0, first.output
    db.session.expire_all()
    recruitment = db.session.scalar(select(Recruitment).where(Recruitment.code == "TD2026"))
    marking_round = db.session.scalar(select(MarkingRound))
    assert marking_round.recruitment_id == recruitment.id and marking_round.state == "open"
    papers = db.session.scalars(select(Paper).order_by(Paper.id)).all()
    assert len(papers) == 3
    assert sorted(str(p.mark) for p in papers if p.mark is not None) == ["73.50"]
    assert {u.username for u in db.session.scalars(select(User).join(Marker))} == {
        "giamkhao1",
        "giamkhao2",
    }
    assert results_log.verify() == []
    before = _counts()
    second = runner.invoke(args=["demo", "recruitment"])
    assert second.exit_code == 0, second.output
    assert _counts() == before
    # the demo marker's page lists their papers, by code
    client = app.test_client()
    assert login(client, "giamkhao1", "Demo@2026").status_code == 302
    page = client.get("/marking/").get_data(as_text=True)
    assert all(
        p.code in page for p in papers if any(m.marker.username == "giamkhao1" for m in p.marks)
    )


def test_a_td2026_loaded_before_the_marking_demo_gets_its_marking(app, runner, monkeypatch):
    from lms.demo import recruitment as demo

    _world()
    monkeypatch.setattr(demo.recruitment_marking, "load", lambda *_args: None)
    demo.load_recruitment()
    db.session.commit()
    assert db.session.scalar(select(func.count(Paper.id))) == 0
    monkeypatch.undo()
    assert runner.invoke(args=["demo", "recruitment"]).exit_code == 0
    assert db.session.scalar(select(func.count(Paper.id))) == 3
