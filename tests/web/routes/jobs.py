"""Job and inbox routes for the access matrix and the hostile-input test. The scene gives the
learner one finished job run and one unread notification: only the learner (and, for the run,
an administrator) may open them; everyone else gets 404."""

from tests.web.routes.expect import FORBIDDEN, NOT_FOUND, OK, REDIRECT, Denial, expect

OWNER_OR_ADMIN = expect(NOT_FOUND, learner=OK, admin=OK)
OWNER = expect(NOT_FOUND, learner=OK)
OWNER_POST = expect(NOT_FOUND, learner=REDIRECT)

ACCESS = {
    ("jobs.runs", "GET"): ("/jobs/", expect(OK)),
    ("jobs.start", "POST"): ("/jobs/start", expect(FORBIDDEN, admin=REDIRECT)),
    ("jobs.run_detail", "GET"): ("/jobs/{learner_run}", OWNER_OR_ADMIN),
    ("jobs.run_status", "GET"): ("/jobs/{learner_run}.json", OWNER_OR_ADMIN),
    ("jobs.inbox", "GET"): ("/inbox", expect(OK)),
    ("jobs.notification_detail", "GET"): ("/inbox/{learner_note}", OWNER),
    ("jobs.notification_read", "POST"): ("/inbox/{learner_note}/read", OWNER_POST),
    ("jobs.inbox_read_all", "POST"): ("/inbox/read-all", expect(REDIRECT)),
    ("jobs.preferences", "GET"): ("/inbox/preferences", expect(OK)),
    ("jobs.preferences", "POST"): ("/inbox/preferences", expect(REDIRECT)),
}

URLS = {
    "jobs.start": "/jobs/start",
    "jobs.notification_read": "/inbox/{learner_note}/read",
    "jobs.inbox_read_all": "/inbox/read-all",
    "jobs.preferences": "/inbox/preferences",
}
FORM_PAGES = {
    "jobs.start": "/jobs/",
    "jobs.notification_read": "/inbox",
    "jobs.inbox_read_all": "/inbox",
}
QUERY_PAGES = {
    "jobs.runs": ("/jobs/", ("page", "kind", "state", "date_from", "date_to", "user")),
    "jobs.inbox": ("/inbox", ("page", "unread")),
}


def _learner_run(scene) -> int:
    """A finished run of the learner's."""
    from lms.extensions import db
    from lms.jobs.models import JobRun

    run = JobRun(
        name="notifications.deliver",
        user_id=scene.world["learner"].id,
        status="done",
        done=2,
        total=2,
        result={"sent": 2, "failed": 0},
    )
    db.session.add(run)
    db.session.commit()
    return run.id


def _learner_note(scene) -> int:
    """An unread notification of the learner's."""
    from lms.extensions import db
    from lms.jobs.notifications import notify

    note = notify(
        scene.world["learner"].id,
        "external_approved",
        "scene:1",
        {"title": "Hội thảo cải cách hành chính", "credits": "0,5", "link": "/"},
    )
    db.session.commit()
    return note.id


PROVIDERS = {"learner_run": _learner_run, "learner_note": _learner_note}


def _hr_run(scene) -> int:
    """A finished run of hr's, "Xa Xôi" in its result."""
    from lms.extensions import db
    from lms.jobs.models import JobRun

    run = JobRun(
        name="notifications.deliver",
        user_id=scene.world["hr"].id,
        status="done",
        done=1,
        total=1,
        result={"sent": 1, "failed": 0, "note": "Xa Xôi"},
    )
    db.session.add(run)
    db.session.commit()
    return run.id


def _hr_note(scene) -> int:
    """An unread notification of hr's."""
    from lms.extensions import db
    from lms.jobs.notifications import notify

    note = notify(
        scene.world["hr"].id,
        "external_approved",
        "scene:hr",
        {"title": "Hội thảo Xa Xôi", "credits": "1", "link": "/"},
    )
    db.session.commit()
    return note.id


PROVIDERS |= {"hr_run": _hr_run, "hr_note": _hr_note}
# The learner asks for hr's run and notification.
DENIALS = {
    ("jobs.run_detail", "GET"): Denial("learner", "/jobs/{hr_run}"),
    ("jobs.run_status", "GET"): Denial("learner", "/jobs/{hr_run}.json"),
    ("jobs.notification_detail", "GET"): Denial("learner", "/inbox/{hr_note}"),
    ("jobs.notification_read", "POST"): Denial("learner", "/inbox/{hr_note}/read"),
}
