"""JSON API /api/v1 and the token page /manage/tokens.

The access matrix and the hostile-input test send browser requests (a session cookie, no
bearer token): every API endpoint but the OpenAPI document answers them 401, whoever is logged
in — the API takes no cookie. The role-by-role scope checks with real tokens are in
tests/web/test_api_access.py.
"""

from tests.web.routes.expect import ANON, NOT_FOUND, OK, REDIRECT, Denial, expect

UNAUTHORIZED = 401
NO_COOKIE_AUTH = expect(UNAUTHORIZED, anonymous=UNAUTHORIZED)
# The learner's token: its owner and administrators may revoke it; for anyone else it does not
# exist.
OWNER_OR_ADMIN = expect(NOT_FOUND, learner=REDIRECT, admin=REDIRECT)


def bearer(user, name: str = "test") -> dict:
    """Headers carrying a fresh token of `user` (committed)."""
    from lms.api import tokens
    from lms.extensions import db

    created = tokens.create_token(user, name, actor=None)
    db.session.commit()
    return {"Authorization": f"Bearer {created.secret}"}


def _learner_token_id(scene) -> int:
    from lms.api import tokens
    from lms.extensions import db

    created = tokens.create_token(scene.world["learner"], "Đồng bộ", actor=None)
    db.session.commit()
    return created.token.id


ACCESS = {
    ("api.officials", "GET"): ("/api/v1/officials", NO_COOKIE_AUTH),
    ("api.official", "GET"): ("/api/v1/officials/T-MAN", NO_COOKIE_AUTH),
    ("api.statement", "GET"): ("/api/v1/officials/T-MAN/statement?cycle=2026", NO_COOKIE_AUTH),
    ("api.unit_compliance", "GET"): ("/api/v1/units/SNV/compliance", NO_COOKIE_AUTH),
    ("api.ledger_entries", "GET"): ("/api/v1/officials/T-MAN/ledger", NO_COOKIE_AUTH),
    ("api.ledger_add", "POST"): ("/api/v1/officials/T-MAN/ledger", NO_COOKIE_AUTH),
    ("api.certificate", "GET"): ("/api/v1/certificates/DN-2026-000001", NO_COOKIE_AUTH),
    ("api.certificate_credential", "GET"): (
        "/api/v1/certificates/DN-2026-000001/credential",
        NO_COOKIE_AUTH,
    ),
    ("api.leave_periods", "GET"): ("/api/v1/officials/T-MAN/leave", NO_COOKIE_AUTH),
    ("api.leave_add", "POST"): ("/api/v1/officials/T-MAN/leave", NO_COOKIE_AUTH),
    ("api.ratings_of_official", "GET"): ("/api/v1/officials/T-MAN/ratings", NO_COOKIE_AUTH),
    ("api.rating_record", "POST"): ("/api/v1/officials/T-MAN/ratings", NO_COOKIE_AUTH),
    ("api.attempt_review", "GET"): ("/api/v1/attempts/1/review", NO_COOKIE_AUTH),
    ("api.openapi_document", "GET"): ("/api/v1/openapi.json", expect(OK, **{ANON: OK})),
    ("api_tokens.tokens_page", "GET"): ("/manage/tokens", expect(OK)),
    # A POST without a name shows the form again with its error.
    ("api_tokens.tokens_page", "POST"): ("/manage/tokens", expect(OK)),
    ("api_tokens.token_revoke", "POST"): (
        "/manage/tokens/{learner_token_id}/revoke",
        OWNER_OR_ADMIN,
    ),
}
URLS = {
    "api.officials": "/api/v1/officials",
    "api.official": "/api/v1/officials/T-MAN",
    "api.statement": "/api/v1/officials/T-MAN/statement",
    "api.unit_compliance": "/api/v1/units/SNV/compliance",
    "api.ledger_entries": "/api/v1/officials/T-MAN/ledger",
    "api.ledger_add": "/api/v1/officials/T-MAN/ledger",
    "api.certificate": "/api/v1/certificates/DN-2026-000001",
    "api.certificate_credential": "/api/v1/certificates/DN-2026-000001/credential",
    "api.leave_periods": "/api/v1/officials/T-MAN/leave",
    "api.leave_add": "/api/v1/officials/T-MAN/leave",
    "api.ratings_of_official": "/api/v1/officials/T-MAN/ratings",
    "api.rating_record": "/api/v1/officials/T-MAN/ratings",
    "api.attempt_review": "/api/v1/attempts/1/review",
    "api.openapi_document": "/api/v1/openapi.json",
    "api_tokens.tokens_page": "/manage/tokens",
    "api_tokens.token_revoke": "/manage/tokens/{learner_token_id}/revoke",
}
FORM_PAGES = {"api_tokens.token_revoke": "/manage/tokens"}
QUERY_PAGES = {"api_tokens.tokens_page": ("/manage/tokens", ("page",))}
HINTS = {"expires_on": "2031-12-31"}  # "name" comes from the jobs module
PROVIDERS = {"learner_token_id": _learner_token_id}


def _hr_token_id(scene) -> int:
    from lms.api import tokens
    from lms.extensions import db

    created = tokens.create_token(scene.world["hr"], "Đồng bộ nhân sự", actor=None)
    db.session.commit()
    return created.token.id


PROVIDERS |= {"hr_token_id": _hr_token_id}
# hr's bearer token reaches DN; T-OUT and unit XX lie outside it.
OUT = "/api/v1/officials/{out_code}"
DENIALS = {
    ("api.official", "GET"): Denial("hr", OUT, api=True),
    ("api.statement", "GET"): Denial("hr", OUT + "/statement?cycle={cycle}", api=True),
    ("api.ledger_entries", "GET"): Denial("hr", OUT + "/ledger", api=True),
    ("api.ledger_add", "POST"): Denial(
        "hr",
        OUT + "/ledger",
        data={"credits": 1, "earned_on": "2026-01-05", "title": "Hội thảo", "source_ref": "d-1"},
        api=True,
    ),
    ("api.unit_compliance", "GET"): Denial(
        "hr", "/api/v1/units/{out_unit}/compliance?cycle={cycle}", api=True
    ),
    ("api.certificate", "GET"): Denial("hr", "/api/v1/certificates/{out_cert}", api=True),
    ("api.certificate_credential", "GET"): Denial(
        "hr", "/api/v1/certificates/{out_cert}/credential", api=True
    ),
    ("api.leave_periods", "GET"): Denial("hr", OUT + "/leave", api=True),
    ("api.leave_add", "POST"): Denial(
        "hr",
        OUT + "/leave",
        data={"kind": "sick", "from": "2026-05-01", "to": "2026-05-31"},
        api=True,
    ),
    ("api.ratings_of_official", "GET"): Denial("hr", OUT + "/ratings", api=True),
    ("api.rating_record", "POST"): Denial(
        "hr", OUT + "/ratings", data={"cycle": 2026, "level": "good"}, api=True
    ),
    # Someone else's attempt (the manager's) does not exist for the learner's token.
    ("api.attempt_review", "GET"): Denial(
        "learner", "/api/v1/attempts/{man_attempt}/review", api=True
    ),
    # The learner may revoke their own token; hr's does not exist for them.
    ("api_tokens.token_revoke", "POST"): Denial("learner", "/manage/tokens/{hr_token_id}/revoke"),
}
