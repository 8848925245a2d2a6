"""Annual ratings routes (issue 21): the ratings of a cycle and the preview/apply of the
courses they assign for the next cycle (HR and administrators, over their units)."""

from tests.web.routes.expect import FORBIDDEN, OK, Denial, expect

RATERS = expect(FORBIDDEN, hr=OK, admin=OK)
# Another user's (or no) upload: 404 for those who may import.
NOT_THEIRS = expect(FORBIDDEN, hr=404, admin=404)


def _ratings_import_token(scene) -> str:
    """A checked ratings import of the administrator (T-OUT rated, one row in error)."""
    from lms.compliance import ratings_import

    year = scene.value("cycle")
    data = b"employee_code,level,weak_areas\nT-OUT,good,ND5\nT-OUT,great,\n"
    folder = ratings_import.FLOW.store_upload(scene.world["admin"].id, "f.csv", data, 2, year=year)
    ratings_import.FLOW.check_now(folder, {"scope": None})
    return folder.name


PROVIDERS = {"ratings_import_token": _ratings_import_token}
# A POST that applies redirects (302) for those allowed.
APPLIERS = expect(FORBIDDEN, hr=302, admin=302)

ACCESS = {
    ("compliance.ratings_list", "GET"): ("/compliance/ratings/{cycle}", RATERS),
    ("compliance.ratings_list", "POST"): ("/compliance/ratings/{cycle}", RATERS),
    ("compliance.ratings_preview", "GET"): ("/compliance/ratings/{cycle}/preview", RATERS),
    ("compliance.ratings_preview", "POST"): ("/compliance/ratings/{cycle}/preview", RATERS),
    ("compliance.ratings_import_upload", "GET"): ("/compliance/ratings/{cycle}/import", RATERS),
    ("compliance.ratings_import_upload", "POST"): ("/compliance/ratings/{cycle}/import", RATERS),
    ("compliance.ratings_import_template", "GET"): (
        "/compliance/ratings/import/template.xlsx",
        RATERS,
    ),
    ("compliance.ratings_import_preview", "GET"): (
        "/compliance/ratings/import/unknown-token",
        NOT_THEIRS,
    ),
    ("compliance.ratings_import_preview", "POST"): (
        "/compliance/ratings/import/unknown-token",
        NOT_THEIRS,
    ),
}
URLS = {
    "compliance.ratings_list": "/compliance/ratings/{cycle}",
    "compliance.ratings_preview": "/compliance/ratings/{cycle}/preview",
    "compliance.ratings_import_upload": "/compliance/ratings/{cycle}/import",
    "compliance.ratings_import_preview": "/compliance/ratings/import/{ratings_import_token}",
}
DENIALS = {
    # hr opens (and confirms) the administrator's ratings import: 404, nothing written.
    ("compliance.ratings_import_preview", "GET"): Denial(
        "hr", "/compliance/ratings/import/{ratings_import_token}"
    ),
    ("compliance.ratings_import_preview", "POST"): Denial(
        "hr", "/compliance/ratings/import/{ratings_import_token}"
    ),
}
DENIAL_EXEMPT = {
    "compliance.ratings_import_template": "the argument is a file format (.xlsx, .csv) of an "
    "empty template",
    "compliance.ratings_import_upload": "the year names an organisation-wide cycle; the rows "
    "of officials outside the HR officer's units are errors of the check (nothing written)",
    "compliance.ratings_list": "its year names an organisation-wide cycle; GET lists only the HR "
    "officer's own officials (Scope), and a POST for an official outside them is 404 "
    "(tests/web/test_compliance_ratings.py::test_an_official_outside_the_units_is_404…)",
    "compliance.ratings_preview": "the preview and the apply read only the HR officer's own "
    "officials (Scope); no URL names an official or unit",
}
