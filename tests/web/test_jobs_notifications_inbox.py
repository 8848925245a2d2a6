"""The inbox and the job pages as a user sees them: unread count, opening marks read, mark all
read, email settings, a run's progress page with its auto-refresh script and JSON."""

import re

from sqlalchemy import select

from lms.jobs import enqueue
from lms.jobs.models import JobRun, Notification, NotificationPreference
from lms.jobs.notifications import notify
from tests.conftest import csrf_token


def _note(user, key="1", kind="external_rejected", **context):
    context = {
        "title": "Lớp bồi dưỡng kỹ năng số",
        "reason": "Thiếu giấy chứng nhận",
        "link": "/courses/",
        **context,
    }
    return notify(user.id, kind, key, context)


def test_inbox_lists_my_notifications_newest_first_with_the_unread_count(world, login_as, db):
    learner = world["learner"]
    _note(learner, "1")
    _note(learner, "2", kind="external_approved", title="Hội thảo", credits="0,5")
    _note(world["hr"], "1")  # someone else's
    db.session.commit()
    client = login_as("learner")
    html = client.get("/inbox").get_data(as_text=True)
    assert 'action="/inbox/read-all"' in html  # offered while something is unread
    subjects = re.findall(r'<h2><a href="/inbox/\d+">([^<]+)</a>', html)
    assert subjects == [
        "Đã công nhận khóa bồi dưỡng bên ngoài: Hội thảo",
        "Chưa công nhận khóa bồi dưỡng bên ngoài: Lớp bồi dưỡng kỹ năng số",
    ]


def test_opening_a_notification_marks_it_read_and_shows_its_link(world, login_as, db, app):
    note = _note(world["learner"])
    db.session.commit()
    client = login_as("learner")
    html = client.get(f"/inbox/{note.id}").get_data(as_text=True)
    assert "Lý do: Thiếu giấy chứng nhận" in html
    assert 'href="/courses/"' in html
    db.session.expire_all()
    assert db.session.get(Notification, note.id).read_at is not None
    with app.test_request_context():
        from flask_login import login_user

        from lms.jobs.blueprint import unread_notifications

        login_user(world["learner"])
        assert unread_notifications() == 0


def test_mark_one_and_mark_all_read(world, login_as, db):
    first, second = _note(world["learner"], "1"), _note(world["learner"], "2")
    db.session.commit()
    client = login_as("learner")
    token = csrf_token(client, "/inbox")
    assert client.post(f"/inbox/{first.id}/read", data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Notification, first.id).read_at is not None
    assert db.session.get(Notification, second.id).read_at is None
    client.post("/inbox/read-all", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(Notification, second.id).read_at is not None


def test_someone_elses_notification_is_not_found(world, login_as, db):
    note = _note(world["hr"])
    db.session.commit()
    assert login_as("learner").get(f"/inbox/{note.id}").status_code == 404


def test_email_settings_are_saved_and_the_digest_is_offered_only_to_staff(world, login_as, db):
    client = login_as("learner")
    html = client.get("/inbox/preferences").get_data(as_text=True)
    assert 'name="email_due_7"' in html and 'name="email_weekly_digest"' not in html
    assert "checked" in html  # email is on by default
    token = csrf_token(client, "/inbox/preferences")
    response = client.post("/inbox/preferences", data={"csrf_token": token, "email_overdue": "y"})
    assert response.status_code == 302
    saved = dict(
        db.session.execute(
            select(NotificationPreference.kind, NotificationPreference.email).where(
                NotificationPreference.user_id == world["learner"].id
            )
        ).all()
    )
    assert saved["overdue"] is True and saved["due_7"] is False
    assert "weekly_digest" not in saved
    assert 'name="email_weekly_digest"' in login_as("hr").get("/inbox/preferences").get_data(
        as_text=True
    )


def test_a_run_page_shows_progress_and_loads_the_refresh_script(world, login_as, db):
    run = JobRun(
        name="notifications.reminders",
        user_id=world["learner"].id,
        status="running",
        done=40,
        total=160,
        message="Checking deadlines",
    )
    db.session.add(run)
    db.session.commit()
    client = login_as("learner")
    html = client.get(f"/jobs/{run.id}").get_data(as_text=True)
    assert 'src="/static/jobs.js"' in html and "<script>" not in html
    assert f'data-job-status-url="/jobs/{run.id}.json"' in html
    assert 'max="160" value="40"' in html
    state = client.get(f"/jobs/{run.id}.json").get_json()
    assert state["percent"] == 25 and state["finished"] is False
    assert state["message"] == "Checking deadlines"
    script = client.get("/static/jobs.js")
    assert script.status_code == 200 and b"data-job-status-url" in script.data
    script.close()


def test_an_administrator_starts_a_job_and_lands_on_its_page(world, login_as, db):
    client = login_as("admin")
    token = csrf_token(client, "/jobs/")
    response = client.post(
        "/jobs/start", data={"csrf_token": token, "name": "notifications.deliver"}
    )
    run = db.session.scalar(select(JobRun))
    assert response.location.endswith(f"/jobs/{run.id}")
    assert run.user_id == world["admin"].id and run.status == "done"  # immediate in tests
    listing = client.get("/jobs/").get_data(as_text=True)
    assert f'href="/jobs/{run.id}"' in listing


def test_a_learner_sees_only_their_own_runs(world, login_as, db):
    mine = enqueue("notifications.deliver", actor=world["learner"])
    theirs = enqueue("notifications.deliver", actor=world["hr"])
    db.session.commit()
    html = login_as("learner").get("/jobs/").get_data(as_text=True)
    assert f'href="/jobs/{mine.id}"' in html and f'href="/jobs/{theirs.id}"' not in html
