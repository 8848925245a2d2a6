"""Privacy routes for the access matrix and the hostile-input test: the notice is public; the
acknowledgement page sends a user who has acknowledged (every user of the matrix's world) on
to the home page; a personal-data request of the learner's is theirs to read, and HR's (over
DN) and the administrator's to handle; other officials get 404, other roles 403."""

from tests.web.routes.expect import FORBIDDEN, NOT_FOUND, OK, PUBLIC, REDIRECT, Denial, expect

INVALID = 422  # a form posted empty

ACCESS = {
    ("privacy.notice_page", "GET"): ("/privacy", PUBLIC),
    ("privacy.acknowledge", "GET"): ("/privacy/acknowledge", expect(REDIRECT)),
    ("privacy.acknowledge", "POST"): ("/privacy/acknowledge", expect(REDIRECT)),
}

URLS = {"privacy.acknowledge": "/privacy/acknowledge"}

OWN_REQUEST = expect(NOT_FOUND, learner=OK, admin=FORBIDDEN)
HANDLERS = expect(FORBIDDEN, hr=OK, admin=OK)
HANDLERS_POST = expect(FORBIDDEN, hr=REDIRECT, admin=REDIRECT)
HANDLERS_FORM = expect(FORBIDDEN, hr=INVALID, admin=INVALID)  # posted without an outcome

ACCESS |= {
    ("privacy.my_requests", "GET"): ("/me/privacy", expect(OK, admin=FORBIDDEN)),
    ("privacy.my_requests", "POST"): ("/me/privacy", expect(INVALID, admin=FORBIDDEN)),
    ("privacy.my_request", "GET"): ("/me/privacy/{learner_request}", OWN_REQUEST),
    ("privacy.request_queue", "GET"): ("/privacy/requests", HANDLERS),
    ("privacy.request_detail", "GET"): ("/privacy/requests/{learner_request}", HANDLERS),
    ("privacy.request_start", "POST"): (
        "/privacy/requests/{learner_request}/start",
        HANDLERS_POST,
    ),
    ("privacy.request_done", "POST"): ("/privacy/requests/{learner_request}/done", HANDLERS_FORM),
    ("privacy.request_refuse", "POST"): (
        "/privacy/requests/{learner_request}/refuse",
        HANDLERS_FORM,
    ),
}
URLS |= {
    "privacy.my_requests": "/me/privacy",
    "privacy.request_start": "/privacy/requests/{learner_request}/start",
    "privacy.request_done": "/privacy/requests/{learner_request}/done",
    "privacy.request_refuse": "/privacy/requests/{learner_request}/refuse",
}
FORM_PAGES = {
    "privacy.acknowledge": "/privacy/acknowledge",
    "privacy.my_requests": "/me/privacy",
    "privacy.request_start": "/privacy/requests/{learner_request}",
    "privacy.request_done": "/privacy/requests/{learner_request}",
    "privacy.request_refuse": "/privacy/requests/{learner_request}",
}
QUERY_PAGES = {"privacy.request_queue": ("/privacy/requests", ("page", "state"))}


def _learner_request(scene) -> int:
    """A received request of the learner's (P-HAICHAU, in the scope of hr over DN)."""
    from lms.extensions import db
    from lms.privacy import requests

    official = scene.world["learner"].official
    made = requests.submit(
        official, requests.NewRequest("correct", "Sửa ngày sinh."), scene.world["learner"]
    )
    db.session.commit()
    return made.id


PROVIDERS = {"learner_request": _learner_request}


def _request_of(scene, official, user):
    from lms.extensions import db
    from lms.privacy import requests

    made = requests.submit(official, requests.NewRequest("correct", "Sửa quê quán Xa Xôi."), user)
    db.session.commit()
    return made.id


def _out_request(scene) -> int:
    """A request of T-OUT (unit XX, outside hr's DN), entered by the administrator."""
    from lms.extensions import db
    from lms.organisation.models import Official

    official = db.session.get(Official, scene.value("_outside"))
    return _request_of(scene, official, scene.world["admin"])


def _man_request(scene) -> int:
    manager = scene.world["manager"]
    return _request_of(scene, manager.official, manager)


PROVIDERS |= {"out_request": _out_request, "man_request": _man_request}
OUT = "/privacy/requests/{out_request}"
DENIALS = {
    ("privacy.my_request", "GET"): Denial("learner", "/me/privacy/{man_request}"),
    ("privacy.request_detail", "GET"): Denial("hr", OUT),
    ("privacy.request_start", "POST"): Denial("hr", OUT + "/start"),
    ("privacy.request_done", "POST"): Denial("hr", OUT + "/done", data={"outcome": "Đã sửa."}),
    ("privacy.request_refuse", "POST"): Denial(
        "hr", OUT + "/refuse", data={"outcome": "Không có căn cứ."}
    ),
}
