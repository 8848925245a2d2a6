"""The job queue on both back ends (SQLite file and Redis) and in immediate mode: a run is
recorded, sent after the commit, claimed once, reports progress, fails visibly, and is sent
again when its worker or its message was lost."""

import os
import uuid
from datetime import timedelta

import pytest
from flask_babel import get_locale
from sqlalchemy import select

from lms.common import clock
from lms.extensions import db as _db
from lms.jobs import enqueue, job
from lms.jobs.models import DONE, FAILED, QUEUED, RUNNING, JobRun, Notification
from lms.jobs.queue import execute, get_queue, recover
from tests.services.test_jobs_notifications_mail import people  # noqa: F401 (fixture)

CALLS: list[dict] = []


@job("test.jobs.count")
def _count(ctx, steps: int = 3, user_id: int | None = None) -> dict:
    CALLS.append({"run": ctx.run_id, "locale": str(get_locale())})
    for step in range(1, steps + 1):
        if user_id:  # an effect with an idempotency key: running twice notifies once
            from lms.jobs.notifications import notify

            notify(user_id, "external_approved", f"test:{step}", {"title": f"Bước {step}"})
        ctx.progress(step, steps, f"step {step}")
    return {"steps": steps}


@job("test.jobs.fail")
def _fail(ctx) -> None:
    ctx.progress(1, 2, "half way")
    raise ValueError("the file has no header row")


@pytest.fixture(autouse=True)
def _calls():
    CALLS.clear()


REDIS = os.environ.get("LMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture(params=["sqlite", "redis"])
def queue(request, app, tmp_path, monkeypatch):
    """A real back end, drained in the test's process instead of by a worker. Redis uses a
    queue name of its own in a dedicated database, and flushes only that queue's keys."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/jobs.sqlite3"
    else:
        url = f"{REDIS}?name=test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    monkeypatch.setitem(app.config, "LMS_QUEUE_URL", url)
    built = get_queue(app)
    assert not built.immediate
    yield built
    built.huey.flush()
    app.extensions.pop("lms_queue", None)


def drain(queue) -> int:
    """Do what a worker does until the queue is empty; returns the tasks run."""
    count = 0
    while (task := queue.huey.dequeue()) is not None:
        queue.huey.execute(task)
        count += 1
    return count


def _get(run_id: int) -> JobRun:
    _db.session.expire_all()
    return _db.session.get(JobRun, run_id)


def test_a_run_waits_in_the_queue_until_a_worker_takes_it(queue, db):
    run = enqueue("test.jobs.count", steps=4)
    assert queue.huey.pending_count() == 0  # nothing is sent before the commit
    db.session.commit()
    assert queue.huey.pending_count() == 1
    assert _get(run.id).status == QUEUED and CALLS == []

    assert drain(queue) == 1
    done = _get(run.id)
    assert (done.status, done.done, done.total, done.result) == (DONE, 4, 4, {"steps": 4})
    assert done.attempts == 1 and done.finished_at is not None and done.message == "step 4"


def test_a_rolled_back_enqueue_sends_nothing(queue, db):
    enqueue("test.jobs.count")
    db.session.rollback()
    assert queue.huey.pending_count() == 0
    assert db.session.scalar(select(JobRun.id)) is None


def test_the_same_message_twice_runs_the_job_once(queue, db):
    run = enqueue("test.jobs.count")
    db.session.commit()
    queue.send(run.id)  # a duplicate delivery
    assert drain(queue) == 2
    assert len(CALLS) == 1 and _get(run.id).attempts == 1


def test_an_idempotency_key_queues_once(queue, db):
    first = enqueue("test.jobs.count", key="import:abc")
    db.session.commit()
    second = enqueue("test.jobs.count", key="import:abc")
    db.session.commit()
    assert first.id == second.id
    assert queue.huey.pending_count() == 1


def test_a_failing_job_is_recorded_with_its_error_and_progress(queue, db):
    run = enqueue("test.jobs.fail")
    db.session.commit()
    drain(queue)
    failed = _get(run.id)
    assert failed.status == FAILED
    assert failed.error == "ValueError: the file has no header row"
    assert (failed.done, failed.total) == (1, 2)


def test_a_run_abandoned_by_a_dead_worker_is_sent_again_and_its_effects_happen_once(
    queue,
    db,
    people,  # noqa: F811
):
    user_id = people["lan"].id
    run = enqueue("test.jobs.count", steps=3, user_id=user_id)
    db.session.commit()
    drain(queue)
    assert db.session.query(Notification).count() == 3
    # pretend the worker died half way: still "running", no heartbeat for ten minutes
    stale = _get(run.id)
    stale.status, stale.heartbeat_at = RUNNING, clock.now() - timedelta(minutes=10)
    db.session.commit()

    assert recover() == 1
    assert _get(run.id).status == QUEUED
    drain(queue)
    again = _get(run.id)
    assert (again.status, again.attempts) == (DONE, 2)
    assert db.session.query(Notification).count() == 3  # the second run notified nobody again


def test_a_lost_message_is_sent_again_only_when_the_queue_is_empty(queue, db):
    run = enqueue("test.jobs.count")
    db.session.commit()
    _get(run.id).created_at = clock.now() - timedelta(minutes=10)
    db.session.commit()
    assert recover() == 0  # its message is still in the queue: a worker will get to it
    queue.huey.flush()  # the message is lost (e.g. Redis restarted without persistence)
    assert recover() == 1
    drain(queue)
    assert _get(run.id).status == DONE


def test_immediate_mode_runs_at_commit_in_the_actors_language(app, db, people):  # noqa: F811
    assert get_queue(app).immediate  # the default under testing
    run = enqueue("test.jobs.count", actor=people["john"])
    assert CALLS == []
    db.session.commit()
    assert [{"run": run.id, "locale": "en"}] == CALLS
    assert _get(run.id).status == DONE


def test_unknown_job_names_are_refused(db):
    with pytest.raises(KeyError):
        enqueue("no.such.job")


def test_a_registered_name_cannot_be_claimed_by_another_function():
    with pytest.raises(ValueError):

        @job("test.jobs.count")
        def _other(ctx):  # pragma: no cover
            return None


def test_execute_of_an_unknown_run_or_finished_run_does_nothing(db):
    execute(123456)
    run = enqueue("test.jobs.count")
    db.session.commit()
    execute(run.id)  # already done by the immediate queue
    assert len(CALLS) == 1


def _app_on(database, instance):
    """An app as `make run` builds it (the default embedded queue, not the immediate one of
    the tests) on its own SQLite database, with the instance folder in `instance`."""
    from lms import create_app

    url = f"sqlite:///{database}"
    built = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "LMS_QUEUE_URL": ""})
    built.config["TESTING"] = False
    built.instance_path = str(instance)
    with built.app_context():
        _db.create_all()
    return built


def test_the_default_queue_follows_the_database(tmp_path):
    """A job queued against database A is not taken by the worker of database B (which has a
    queued run of its own with the same id), and still runs for A."""
    app_a = _app_on(tmp_path / "a.sqlite3", tmp_path)
    app_b = _app_on(tmp_path / "b.sqlite3", tmp_path)
    try:
        with app_a.app_context():
            run_a = enqueue("test.jobs.count", steps=1).id
            _db.session.commit()
            queue_a = get_queue(app_a)
        with app_b.app_context():
            own = JobRun(name="test.jobs.count", params={"steps": 2})  # not sent yet
            _db.session.add(own)
            _db.session.commit()
            assert own.id == run_a
            queue_b = get_queue(app_b)
            assert not queue_b.immediate and "jobs.sqlite3" in queue_b.url

            assert drain(queue_b) == 0  # the worker of B finds nothing to do
            assert _get(run_a).status == QUEUED and CALLS == []

        with app_a.app_context():
            assert drain(queue_a) == 1
            done = _get(run_a)
            assert (done.status, done.result) == (DONE, {"steps": 1})
            assert len(CALLS) == 1 and CALLS[0]["run"] == run_a
    finally:
        for built in (app_a, app_b):
            with built.app_context():
                _db.session.remove()
                _db.engine.dispose()


def test_the_database_key_names_the_database_not_its_spelling(tmp_path):
    from lms.jobs.queue import database_key

    same = {
        database_key("postgresql+psycopg://tinchi:secret@DB.internal:5432/tinchi"),
        database_key("postgresql+psycopg2://tinchi:other@db.internal:5432/tinchi"),
        database_key("postgresql://tinchi@db.internal:5432/tinchi"),
    }
    assert len(same) == 1
    assert database_key("postgresql://tinchi@db.internal:5432/tinchi_restored") not in same
    assert database_key(f"sqlite:///{tmp_path}/a.sqlite3") == database_key(
        "sqlite:///a.sqlite3", str(tmp_path)
    )
    assert database_key(f"sqlite:///{tmp_path}/a.sqlite3") != database_key(
        f"sqlite:///{tmp_path}/b.sqlite3"
    )
