"""The home page, health check, "all my data" and the app's static files: their rows of the
access matrix."""

from tests.web.routes.expect import ANY_USER, OK, expect

# (endpoint, method) → (url, {role: status}): rows of the access matrix
ACCESS = {
    ("main.home", "GET"): ("/", ANY_USER),
    ("main.my_data_json", "GET"): ("/me/data.json", ANY_USER),
    ("main.my_data_pdf", "GET"): ("/me/data.pdf", ANY_USER),
    ("main.health", "GET"): ("/healthz", expect(OK, anonymous=OK)),
    ("static", "GET"): ("/static/app.css", expect(OK, anonymous=OK)),
}
