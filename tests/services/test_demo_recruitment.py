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


def test_td2026_is_coherent_in_time_and_its_session_is_always_today(app, runner, freeze):
    """Applications closed before the exams; round 1 open from 07:00 to 22:00 (Vietnam time) on
    the day the demo is loaded, and moved to the day of each later `make run` until a candidate
    starts it; the written round 2 after it. A TD2026 left open for applications is closed."""
    from datetime import date, datetime

    from lms.recruitment.models import ExamAttempt

    freeze(datetime(2026, 12, 5, 3, 0))  # 10:00 in Đà Nẵng
    _world()
    db.session.commit()
    assert runner.invoke(args=["demo", "recruitment"]).exit_code == 0
    recruitment = db.session.scalar(select(Recruitment).where(Recruitment.code == "TD2026"))
    assert recruitment.status == "exams"
    assert recruitment.applications_open_on < recruitment.applications_close_on
    assert recruitment.applications_close_on == date(2026, 11, 14)  # closed last month

    def sessions():
        db.session.expire_all()
        found = db.session.scalars(select(ExamSession).order_by(ExamSession.round)).all()
        return [(s.round, s.code if s.round == 1 else "", s.starts_at, s.ends_at) for s in found]

    (one, code, starts, ends), (two, _c, written, written_ends) = sessions()
    assert (one, code, two) == (1, "DN2026", 2)
    assert (starts, ends) == (datetime(2026, 12, 5, 0, 0), datetime(2026, 12, 5, 15, 0))
    assert ends < written < written_ends and written.date() == date(2026, 12, 12)

    freeze(datetime(2026, 12, 9, 2, 0))  # a later `make run`: the session moves to that day
    recruitment.applications_close_on = date(2027, 1, 4)  # as an older demo left it
    db.session.commit()
    assert runner.invoke(args=["demo", "recruitment"]).exit_code == 0
    assert sessions()[0][2:] == (datetime(2026, 12, 9, 0, 0), datetime(2026, 12, 9, 15, 0))
    assert sessions()[1][2] == written  # round 2 and its marking stay as they are
    assert db.session.get(Recruitment, recruitment.id).applications_close_on == date(2026, 11, 18)

    round_one = db.session.scalar(select(ExamSession).where(ExamSession.code == "DN2026"))
    seat = db.session.scalar(select(Candidate).where(Candidate.recruitment_id == recruitment.id))
    db.session.add(
        ExamAttempt(
            session_id=round_one.id,
            candidate_id=seat.id,
            deadline_at=datetime(2026, 12, 9, 2, 30),
        )
    )
    db.session.commit()
    freeze(datetime(2026, 12, 10, 2, 0))  # someone sat it: it stays on its day
    assert runner.invoke(args=["demo", "recruitment"]).exit_code == 0
    assert sessions()[0][2] == datetime(2026, 12, 9, 0, 0)
