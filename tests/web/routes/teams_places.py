"""Requests for a place in a class (issue 23): the official's page /me/place-requests and the
head's /team/places/<id>. The request is T-LEARN's (P-HAICHAU, whose head is "head") for a
class filled by nomination, starting in May 2027."""

from tests.web.routes.expect import FORBIDDEN, NOT_FOUND, OK, REDIRECT, Denial, expect

OFFICIALS = expect(OK, admin=FORBIDDEN)  # the admin account is no official
HEAD_ONLY = expect(FORBIDDEN, head=OK)


def _place_request(code: str) -> int:
    """An awaiting request of official `code` for a nominated class of May 2027."""
    from datetime import date

    from lms.extensions import db
    from lms.teams.models import PlaceRequest
    from tests.factories import make_class, make_course
    from tests.web.routes.scene import official_id

    klass = make_class(
        make_course("PL01"),
        title="Lớp cử đi học",
        starts_on=date(2027, 5, 3),
        ends_on=date(2027, 5, 4),
        sessions=2,
        join_mode="nominated",
    )
    row = PlaceRequest(official_id=official_id(code), class_id=klass.id, reason="Cần cho công việc")
    db.session.add(row)
    db.session.commit()
    return row.id


PROVIDERS = {
    "place_request": lambda _scene: _place_request("T-LEARN"),
    "man_place_request": lambda _scene: _place_request("T-MAN"),
}

ACCESS = {
    ("teams.my_place_requests", "GET"): ("/me/place-requests", OFFICIALS),
    ("teams.my_place_requests", "POST"): ("/me/place-requests", OFFICIALS),  # empty: the form
    ("teams.place_withdraw", "POST"): (
        "/me/place-requests/{place_request}/withdraw",
        expect(NOT_FOUND, learner=REDIRECT, admin=FORBIDDEN),  # only its official's
    ),
    ("teams.place_request", "GET"): ("/team/places/{place_request}", HEAD_ONLY),
    ("teams.place_approve", "POST"): (
        "/team/places/{place_request}/approve",
        expect(FORBIDDEN, head=REDIRECT),
    ),
    # Declining needs a reason: the form again (422).
    ("teams.place_decline", "POST"): (
        "/team/places/{place_request}/decline",
        expect(FORBIDDEN, head=422),
    ),
}
# The learner withdraws T-MAN's request; the head of P-HAICHAU opens and decides T-MAN's
# (SNV-CCVC, not their team).
DENIALS = {
    ("teams.place_withdraw", "POST"): Denial(
        "learner", "/me/place-requests/{man_place_request}/withdraw"
    ),
    ("teams.place_request", "GET"): Denial("head", "/team/places/{man_place_request}"),
    ("teams.place_approve", "POST"): Denial("head", "/team/places/{man_place_request}/approve"),
    ("teams.place_decline", "POST"): Denial(
        "head", "/team/places/{man_place_request}/decline", data={"reason": "Không"}
    ),
}
URLS = {
    "teams.my_place_requests": "/me/place-requests",
    "teams.place_withdraw": "/me/place-requests/{place_request}/withdraw",
    "teams.place_approve": "/team/places/{place_request}/approve",
    "teams.place_decline": "/team/places/{place_request}/decline",
}
