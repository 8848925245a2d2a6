"""Privacy routes for the access matrix and the hostile-input test: the notice is public; the
acknowledgement page sends a user who has acknowledged (every user of the matrix's world) on
to the home page."""

from tests.web.routes.expect import PUBLIC, REDIRECT, expect

ACCESS = {
    ("privacy.notice_page", "GET"): ("/privacy", PUBLIC),
    ("privacy.acknowledge", "GET"): ("/privacy/acknowledge", expect(REDIRECT)),
    ("privacy.acknowledge", "POST"): ("/privacy/acknowledge", expect(REDIRECT)),
}

URLS = {"privacy.acknowledge": "/privacy/acknowledge"}
