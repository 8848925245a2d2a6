"""Annual ratings routes (issue 21): the ratings of a cycle and the preview/apply of the
courses they assign for the next cycle (HR and administrators, over their units)."""

from tests.web.routes.expect import FORBIDDEN, OK, Denial, expect

RATERS = expect(FORBIDDEN, hr=OK, admin=OK)
# A POST that applies redirects (302) for those allowed.
APPLIERS = expect(FORBIDDEN, hr=302, admin=302)

ACCESS = {
    ("compliance.ratings_list", "GET"): ("/compliance/ratings/{cycle}", RATERS),
    ("compliance.ratings_list", "POST"): ("/compliance/ratings/{cycle}", RATERS),
    ("compliance.ratings_preview", "GET"): ("/compliance/ratings/{cycle}/preview", RATERS),
    ("compliance.ratings_preview", "POST"): ("/compliance/ratings/{cycle}/preview", RATERS),
}
URLS = {
    "compliance.ratings_list": "/compliance/ratings/{cycle}",
    "compliance.ratings_preview": "/compliance/ratings/{cycle}/preview",
}
# hr (DN) rates T-OUT of unit XX, outside DN: 404, nothing written ("for" only makes T-OUT).
DENIALS = {
    ("compliance.ratings_list", "POST"): Denial(
        "hr",
        "/compliance/ratings/{cycle}?for={out_code}",
        data={"official": "T-OUT", "level": "not_done"},
    ),
}
DENIAL_EXEMPT = {
    "compliance.ratings_list": "GET lists only the HR officer's own officials (Scope)",
    "compliance.ratings_preview": "the preview and the apply read only the HR officer's own "
    "officials (Scope); no URL names an official or unit",
}
