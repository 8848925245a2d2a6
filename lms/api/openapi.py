"""The OpenAPI 3 document of /api/v1, written by hand to say exactly what lms/api/routes.py does
(tests/web/test_api_openapi.py checks the routes against it and runs schemathesis on it)."""

import re
from functools import cache

from lms.api.openapi_schemas import SCHEMAS
from lms.api.openapi_types import DATETIME, NO_NUL, ref
from lms.api.responses import (
    DEFAULT_PER_PAGE,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_YEAR,
    MIN_YEAR,
    PURPOSE_HEADER,
    PURPOSE_MAX,
)

VERSION = "1.0.0"


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": ref("schemas/Error")}},
    }


RESPONSES = {
    "BadRequest": _error(
        "A query parameter (or the JSON body) cannot be read; or (`purpose_required`) a bulk "
        "read of officials without a stated purpose."
    ),
    "Unauthorized": _error(
        "No token, or an unknown, revoked or expired one, one made before its user's password "
        "was last changed, or a disabled user."
    ),
    "Forbidden": _error("The token's user may read the official but not do this."),
    "NotFound": _error("No such object, or outside the token owner's scope (the same answer)."),
    "TooManyRequests": _error(
        "Rate limit reached (LMS_API_RATE_LIMIT per token, or LMS_API_BAD_TOKEN_RATE_LIMIT "
        "refused tokens per address); see Retry-After."
    ),
    "ServerError": _error("An error on our side; it was logged."),
}


def _param(name: str, where: str, schema: dict, description: str, required=False) -> dict:
    return {
        "name": name,
        "in": where,
        "required": required or where == "path",
        "schema": schema,
        "description": description,
    }


def _text_path(name: str, description: str, max_length: int = 64) -> dict:
    """A path parameter of text (a code, a serial): 1 to `max_length` characters, no NUL."""
    schema = {"type": "string", "minLength": 1, "maxLength": max_length, "pattern": NO_NUL}
    return _param(name, "path", schema, description)


PARAMETERS = {
    "page": _param(
        "page",
        "query",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
        "Page number, from 1.",
    ),
    "per_page": _param(
        "per_page",
        "query",
        {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE},
        f"Items per page (at most {MAX_PER_PAGE}).",
    ),
    "cycle": _param(
        "cycle",
        "query",
        {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR},
        "The training cycle, by its year (default: the current year).",
    ),
    "kind": _param(
        "kind",
        "query",
        {"type": "string", "enum": ["live", "review", "final"]},
        "Which statement: final (frozen by the close), review (the latest review snapshot) or "
        "live (computed today). Default: final, else review, else live; a kind the official "
        "has no statement of answers 404.",
    ),
    "year": _param(
        "year",
        "query",
        {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR},
        "The calendar year (default: the current year).",
    ),
    "updated_since": _param(
        "updated_since",
        "query",
        DATETIME,
        "Only what changed at or after this moment (RFC 3339; without an offset: UTC). Keep "
        "the time of your previous call and send it back to synchronise.",
    ),
    "attempt_id": _param(
        "attempt_id",
        "path",
        {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
        "A test attempt's number in the system (as in its review page's address).",
    ),
    "employee_code": _text_path(
        "employee_code", "The official's employee code (mã cán bộ), case-insensitive."
    ),
}


def _op(summary: str, ok: dict, *, params=(), errors=(), public=False, body=None, extra=None):
    responses = {**ok}
    for status, name in (
        ("400", "BadRequest"),
        ("401", "Unauthorized"),
        *errors,
        ("429", "TooManyRequests"),
        ("500", "ServerError"),
    ):
        if not (public and status == "401"):
            responses[status] = ref(f"responses/{name}")
    op = {
        "summary": summary,
        "parameters": [p if isinstance(p, dict) else ref(f"parameters/{p}") for p in params],
        "responses": {**responses, **(extra or {})},
    }
    if public:
        op["security"] = []
    if body:
        op["requestBody"] = body
    return op


def _json(schema: str, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": ref(f"schemas/{schema}")}},
    }


def _about_official(summary: str, schema: str, description: str, *, params=()) -> dict:
    """GET of something about one official (`{employee_code}` in the path, then `params`):
    200 with `schema` (`description`), 404 when there is no such official for the caller."""
    return _op(
        summary,
        {"200": _json(schema, description)},
        params=("employee_code", *params),
        errors=(("404", "NotFound"),),
    )


def _record(
    summary: str,
    schema: str,
    ok: tuple[str, str],
    forbidden: str,
    invalid: str,
    *,
    conflict: str | None = None,
) -> dict:
    """POST of a record about an official (credits, leave, a rating): the body is the
    `New<schema>` schema; 201 with what was recorded (`ok[0]`), 200 when the same was recorded
    before (`ok[1]`); 403 (`forbidden`), 409 (`conflict`, where the kind has one), 415, 422
    (`invalid`)."""
    extra = {"403": _error(forbidden)}
    if conflict:
        extra["409"] = _error(conflict)
    extra["415"] = _error("The body is not sent as application/json.")
    extra["422"] = _error(invalid)
    return _op(
        summary,
        {"201": _json(schema, ok[0]), "200": _json(schema, ok[1])},
        params=("employee_code",),
        errors=(("404", "NotFound"),),
        body={
            "required": True,
            "content": {"application/json": {"schema": ref(f"schemas/New{schema}")}},
        },
        extra=extra,
    )


# Text with something besides spaces in it (blank counts as absent).
PURPOSE_TEXT = {
    "type": "string",
    "maxLength": PURPOSE_MAX,
    "pattern": "^[^\\u0000]*\\S[^\\u0000]*$",
}
PURPOSE_RULE = (
    f"Required beyond a look-up — any page after the first, or `per_page` above "
    f"{DEFAULT_PER_PAGE} — else 400 `purpose_required`; recorded in the audit log with the "
    f"officials read."
)

PATHS = {
    "/attempts/{attempt_id}/review": {
        "get": _op(
            "The review of one of the caller's own submitted test attempts",
            {
                "200": _json(
                    "AttemptReview",
                    "Only the parts the test's review options show now (immediately after, "
                    "later while open, after the close or the last attempt); hidden parts are "
                    "absent. Right answers usually come after the last attempt.",
                )
            },
            params=("attempt_id",),
            errors=(("404", "NotFound"),),
        )
    },
    "/officials": {
        "get": _op(
            "Officials in the caller's scope",
            {"200": _json("OfficialPage", "One page, ordered by given name the Vietnamese way.")},
            params=(
                _param(
                    "q",
                    "query",
                    {"type": "string", "maxLength": 200, "pattern": NO_NUL},
                    "Part of the name, with or without diacritics, or an exact employee code.",
                ),
                _param(
                    "unit",
                    "query",
                    {"type": "string", "maxLength": 32, "pattern": NO_NUL},
                    "A unit code: only officials placed in its subtree.",
                ),
                "updated_since",
                "page",
                "per_page",
                _param(
                    "purpose",
                    "query",
                    PURPOSE_TEXT,
                    'Why you read these officials (e.g. "HR database sync"). ' + PURPOSE_RULE,
                ),
                _param(
                    PURPOSE_HEADER,
                    "header",
                    PURPOSE_TEXT,
                    "The same as `purpose`, as a header (UTF-8, percent-encoded beyond ASCII); "
                    "the parameter wins when both are sent.",
                ),
            ),
        )
    },
    "/officials/{employee_code}": {
        "get": _about_official(
            "One official with their current unit, position and rank", "Official", "The official."
        )
    },
    "/officials/{employee_code}/statement": {
        "get": _about_official(
            "The official's training statement for a cycle",
            "Statement",
            "Of the kind asked; by default the final one, else the latest review snapshot, "
            "else live.",
            params=("cycle", "kind"),
        )
    },
    "/officials/{employee_code}/ledger": {
        "get": _about_official(
            "The official's credit ledger, oldest entry first",
            "LedgerPage",
            "One page of entries.",
            params=("cycle", "updated_since", "page", "per_page"),
        ),
        "post": _record(
            "Add credits earned outside the system (source external)",
            "LedgerEntry",
            ("Added.", "Already added with this source_ref: nothing new."),
            "`forbidden`: the token's user may read the official but not add credits; "
            "`own_record`: it is the caller's own official record (separation of "
            "duties: another officer posts their credits).",
            "The body breaks a rule; `details` lists each field.",
            conflict="This source_ref was used before with other values.",
        ),
    },
    "/officials/{employee_code}/leave": {
        "get": _about_official(
            "The official's leave periods, latest first",
            "LeaveList",
            "The periods (both days included).",
        ),
        "post": _record(
            "Record a leave period (maternity, sick, study, secondment, unpaid, suspension)",
            "LeavePeriod",
            ("Recorded.", "The same period was recorded before: nothing new."),
            "`forbidden`: the token's user may read the official but not record leave "
            "(an HR grant over the official's unit is needed); `own_record`: it is the "
            "caller's own official record.",
            "The body breaks a rule — an unknown kind, a bad date, `to` before "
            "`from`, or a period overlapping another of the official's; `details` "
            "lists each field.",
        ),
    },
    "/officials/{employee_code}/ratings": {
        "get": _about_official(
            "The official's annual ratings, latest cycle first",
            "RatingList",
            "The ratings, one per cycle.",
        ),
        "post": _record(
            "Record or change the official's annual rating for a cycle",
            "Rating",
            ("Recorded (or changed).", "The same rating was recorded before: nothing new."),
            "`forbidden`: the token's user may read the official but not record a "
            "rating (an HR grant over the official's unit is needed).",
            "An unknown cycle, level or content area, or an unknown field; `details` "
            "lists each field.",
        ),
    },
    "/units/{code}/compliance": {
        "get": _op(
            "Counts per compliance status for a unit's subtree, and by gender",
            {"200": _json("Compliance", "The counts (every status present, 0 when none).")},
            params=(
                _text_path("code", "The unit code."),
                "cycle",
            ),
            errors=(("404", "NotFound"),),
        )
    },
    "/units/{code}/satisfaction": {
        "get": _op(
            "Citizen satisfaction index of a unit's one-stop counter over a year",
            {
                "200": _json(
                    "Satisfaction",
                    "The index (share of satisfied answers weighted by question, out of 100; "
                    "null without responses) with its 95% Wilson interval, the number of "
                    "responses, and the same month by month (docs/surveys.md).",
                )
            },
            params=(
                _text_path("code", "The unit code."),
                "year",
            ),
            errors=(("404", "NotFound"),),
        )
    },
    "/certificates/{serial}": {
        "get": _op(
            "One certificate of an official in the caller's reach",
            {"200": _json("Certificate", "The certificate, with its status today.")},
            params=(
                _text_path("serial", "The serial printed on the certificate, e.g. DN-2026-000123."),
            ),
            errors=(("404", "NotFound"),),
        )
    },
    "/certificates/{serial}/credential": {
        "get": _op(
            "One certificate as a signed Open Badges 3.0 credential (W3C VC 2.0)",
            {
                "200": _json(
                    "Credential",
                    "The OpenBadgeCredential (JSON-LD) with its Data Integrity proof "
                    "(eddsa-rdfc-2022, the key in /.well-known/did.json) and its entry in the "
                    "revocation status list (docs/signing.md).",
                )
            },
            params=(
                _text_path("serial", "The serial printed on the certificate, e.g. DN-2026-000123."),
            ),
            errors=(("404", "NotFound"),),
        )
    },
    "/verify/{code}": {
        "get": _op(
            "Public verification of a certificate by the code on it (no token)",
            {"200": _json("Verification", "What the public may know about it.")},
            params=(
                _text_path(
                    "code",
                    "The verification code (or the end of the QR code's URL).",
                    max_length=200,
                ),
            ),
            errors=(("404", "NotFound"),),
            public=True,
        )
    },
    "/openapi.json": {
        "get": _op(
            "This document",
            {
                "200": {
                    "description": "OpenAPI 3.0 document.",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
            public=True,
        )
    },
}

DESCRIPTION = """\
JSON API of Tín chỉ for other systems (the city HR database, reporting tools).

Authenticate with a token: `Authorization: Bearer <token>`. Make one on the page
/manage/tokens or with `flask --app lms users create-token USERNAME`. A token acts with its
owner's role grants: HR officers, reviewers and administrators read officials, statements and
compliance counts in their units; training managers read ledgers and certificates there; an
official reads their own record, statement, ledger, leave and certificates; HR officers (and
administrators) add external credits and leave periods. Anything outside the token's reach
answers 404.

Lists are paged (`page`, `per_page` ≤ 100) and answer `items`, `page`, `per_page`, `total`,
`next`. Reading officials beyond a first page of 50 needs a stated purpose (`X-Purpose` header
or `purpose` parameter). Reads of personal data (lists, one official, statements, ledgers,
certificates) are written to the audit log, one entry per request. Errors answer
`{"error": {"code": …, "message": …}}`. See docs/api.md.
"""


def document() -> dict:
    """The OpenAPI 3.0 document (shared parts: do not mutate)."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "Tín chỉ API", "version": VERSION, "description": DESCRIPTION},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": PATHS,
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from /manage/tokens or `users create-token`.",
                }
            },
            "schemas": SCHEMAS,
            "parameters": PARAMETERS,
            "responses": RESPONSES,
        },
    }


@cache
def query_names(rule: str, method: str) -> frozenset[str]:
    """The query parameters the document gives the operation of a Flask rule ("/api/v1/…")."""
    path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.removeprefix("/api/v1"))
    operation = PATHS.get(path, {}).get(method.lower(), {})
    names = set()
    for parameter in operation.get("parameters", []):
        if "$ref" in parameter:
            parameter = PARAMETERS[parameter["$ref"].rsplit("/", 1)[1]]
        if parameter["in"] == "query":
            names.add(parameter["name"])
    return frozenset(names)
