"""Survey routes: the citizen's public survey of a unit (/satisfaction/<UNIT_CODE>) and the staff
pages of the satisfaction index (/manage/satisfaction…), which HR officers and reviewers see for
the units of their scope (hr: DN; the reviewer: SNV, so not P-HAICHAU) and administrators for
all."""

from tests.web.routes.expect import FORBIDDEN, NOT_FOUND, OK, Denial, expect

PUBLIC = expect(OK, anonymous=OK)
BAD_REQUEST = 400
PUBLIC_POST = expect(BAD_REQUEST, anonymous=BAD_REQUEST)  # no QR token: refused
REPORTS = expect(FORBIDDEN, hr=OK, reviewer=OK, admin=OK)
UNIT_REPORTS = expect(FORBIDDEN, hr=OK, reviewer=NOT_FOUND, admin=OK)  # P-HAICHAU


def _citizen_token(_scene) -> str:
    """The questionnaires imported; the QR token of P-HAICHAU for this window."""
    from lms.extensions import db
    from lms.surveys import satisfaction
    from tests.factories import make_questionnaires

    make_questionnaires()
    db.session.commit()
    return satisfaction.token_for("P-HAICHAU")


PROVIDERS = {"citizen_token": _citizen_token}

ACCESS = {
    ("surveys.citizen", "GET"): ("/satisfaction/P-HAICHAU?t={citizen_token}", PUBLIC),
    ("surveys.citizen", "POST"): ("/satisfaction/P-HAICHAU?t={citizen_token}", PUBLIC_POST),
    ("surveys.thanks", "GET"): ("/satisfaction/P-HAICHAU/thanks", PUBLIC),
    ("surveys.ranking", "GET"): ("/manage/satisfaction/", REPORTS),
    ("surveys.export", "GET"): ("/manage/satisfaction/export.xlsx", REPORTS),
    ("surveys.side_by_side_page", "GET"): ("/manage/satisfaction/side-by-side", REPORTS),
    ("surveys.unit_page", "GET"): ("/manage/satisfaction/P-HAICHAU", UNIT_REPORTS),
    ("surveys.poster", "GET"): ("/manage/satisfaction/P-HAICHAU/poster.pdf", UNIT_REPORTS),
    ("api.unit_satisfaction", "GET"): (
        "/api/v1/units/SNV/satisfaction",
        expect(401, anonymous=401),  # the API takes no cookie (tests/web/routes/api.py)
    ),
}

DENIALS = {
    ("surveys.unit_page", "GET"): (
        Denial("hr", "/manage/satisfaction/{out_unit}"),
        Denial("reviewer", "/manage/satisfaction/P-HAICHAU"),
    ),
    ("surveys.poster", "GET"): Denial("hr", "/manage/satisfaction/{out_unit}/poster.pdf"),
    ("api.unit_satisfaction", "GET"): Denial(
        "hr", "/api/v1/units/{out_unit}/satisfaction?year=2026", api=True
    ),
}

PUBLIC_SURVEY = (
    "public: the citizens' survey of any unit by its public code; it shows the questions and "
    "the unit's name only, never an answer or a report"
)
DENIAL_EXEMPT = {"surveys.citizen": PUBLIC_SURVEY, "surveys.thanks": PUBLIC_SURVEY}

# The hostile-input test: the citizen's form (without the QR token: the hostile test sets the query
# string itself, and a missing or forged token must not give a 500 either) and the satisfaction API.
URLS = {
    "surveys.citizen": "/satisfaction/P-HAICHAU",
    "api.unit_satisfaction": "/api/v1/units/P-HAICHAU/satisfaction",
}
