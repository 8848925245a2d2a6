"""The demo set up exactly as `make run` does it, then the nightly job: the notices it leaves are
true. The `learner` (whose account was made today) gets nothing about 2024 or 2025 — cycles that
ended before the account existed and that `demo close-past` closed — and every deadline notice
anyone got is about an open, unsatisfied obligation of a cycle still open for them, once per
obligation and state."""

from datetime import date

import pytest
from sqlalchemy import select

from lms.auth.models import User
from lms.curricula.cycles.models import Cycle
from lms.curricula.obligations.closures import closures_of, is_closed
from lms.curricula.obligations.models import OPEN, Obligation
from lms.extensions import db
from lms.jobs import enqueue
from lms.jobs.models import DONE, JobRun, Notification
from lms.organisation.models import OrgUnit, PositionAssignment
from tests.scenarios.make_run import set_up_like_make_run

REMINDERS = ("due_30", "due_7", "overdue")


@pytest.fixture
def demo_night(app, runner, freeze, tmp_path, monkeypatch):
    """`make run` on 05/12/2026, then that night's nightly job."""
    freeze(date(2026, 12, 5))
    set_up_like_make_run(app, runner, monkeypatch, tmp_path / "assets")
    run = enqueue("nightly")
    db.session.commit()  # the testing queue runs the job after the commit
    db.session.expire_all()
    run = db.session.get(JobRun, run.id)
    assert run.status == DONE, run.error
    return run


def _reminders(username: str | None = None) -> list[tuple]:
    """(user id, kind, key, obligation) of every deadline notice (of one user)."""
    stmt = select(Notification.user_id, Notification.kind, Notification.key).where(
        Notification.kind.in_(REMINDERS)
    )
    if username is not None:
        stmt = stmt.join(User, User.id == Notification.user_id).where(User.username == username)
    found = []
    for user_id, kind, key in db.session.execute(stmt):
        obligation = db.session.get(Obligation, int(key.split(":")[1]))
        found.append((user_id, kind, key, obligation))
    return found


def test_the_learner_hears_nothing_about_2024_or_2025_and_every_notice_is_true(demo_night):
    learner = db.session.scalar(select(User).where(User.username == "learner"))
    notes = db.session.execute(
        select(Notification.kind, Notification.key, Notification.context).where(
            Notification.user_id == learner.id
        )
    ).all()
    years = {c.id: c.year for c in db.session.scalars(select(Cycle))}
    about = []
    for kind, key, context in notes:
        if kind in REMINDERS:
            about.append((kind, years[db.session.get(Obligation, int(key.split(":")[1])).cycle_id]))
        text = str(context)
        about += [(kind, year) for year in (2024, 2025) if f"cycle': {year}" in text]
    assert [item for item in about if item[1] in (2024, 2025)] == []

    # Every deadline notice of anyone: open, not satisfied, in a cycle open for the official,
    # and one per obligation and state.
    closures = closures_of(list(years))
    paths = dict(
        db.session.execute(
            select(PositionAssignment.official_id, OrgUnit.path)
            .join(OrgUnit, OrgUnit.id == PositionAssignment.unit_id)
            .where(PositionAssignment.is_primary.is_(True), PositionAssignment.ended_on.is_(None))
        ).all()
    )
    seen = set()
    for _user_id, kind, _key, obligation in _reminders():
        assert obligation.status == OPEN, (kind, obligation.id)
        assert not is_closed(paths.get(obligation.official_id), closures[obligation.cycle_id])
        assert (obligation.id, kind) not in seen
        seen.add((obligation.id, kind))
    assert seen, "the nightly job still reminds officials of the 2026 courses due this month"
    cycle_2026 = next(cid for cid, year in years.items() if year == 2026)
    assert {o.cycle_id for *_rest, o in _reminders()} == {cycle_2026}
