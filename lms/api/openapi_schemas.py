"""The schemas of the OpenAPI document (lms.api.openapi): the objects /api/v1 returns, each
with exactly the properties lms/api/serialize.py writes (built from lms.api.openapi_types; an
official's leave, ratings and attempt reviews are in openapi_schemas_records)."""

from lms.api.inputs import MAX_CREDITS, MAX_PERIODS, REASON_MAX, REF_MAX, TITLE_MAX
from lms.api.openapi_schemas_records import SCHEMAS as RECORD_SCHEMAS
from lms.api.openapi_types import (
    DATE,
    DATETIME,
    INTEGER,
    NO_NUL,
    NUMBER,
    STRING,
    nullable,
    object_schema,
    ref,
)
from lms.api.responses import (
    MAX_PER_PAGE,
)
from lms.certificates.models import STATUSES as CERTIFICATE_STATUSES
from lms.compliance.rules import STATUSES as COMPLIANCE_STATUSES
from lms.curricula.ledger.models import SOURCES
from lms.curricula.obligations.mandatory import STATES as MANDATORY_STATES
from lms.organisation.models import CATEGORIES, GENDERS
from lms.organisation.models import STATUSES as OFFICIAL_STATUSES

CODE_NAME = {"code": STRING, "name": STRING}


def status_counts(statuses) -> dict:
    return object_schema({status: {"type": "integer", "minimum": 0} for status in statuses})


SINCE_REVIEW = object_schema(
    {
        "review_as_of": DATE,
        "credits": {**NUMBER, "description": "Credits of the entries dated after it."},
        "entries": {
            "type": "array",
            "items": object_schema({"earned_on": DATE, "title": STRING, "credits": NUMBER}),
        },
        "courses": {
            "type": "array",
            "items": object_schema(
                {"course_code": STRING, "title": STRING, "done_on": nullable(DATE)}
            ),
            "description": "Mandatory courses completed after the review date.",
        },
    }
)


SCHEMAS = {
    "Error": object_schema(
        {
            "error": object_schema(
                {
                    "code": {**STRING, "description": "Stable, machine-readable reason."},
                    "message": {**STRING, "description": "For people; in the server language."},
                    "details": {
                        "type": "array",
                        "items": object_schema({"field": STRING, "message": STRING}),
                    },
                },
                required=["code", "message"],
            )
        }
    ),
    "CodeName": object_schema(CODE_NAME),
    "Official": object_schema(
        {
            "employee_code": STRING,
            "full_name": STRING,
            "gender": {"type": "string", "enum": list(GENDERS)},
            "category": {"type": "string", "enum": list(CATEGORIES)},
            "status": {"type": "string", "enum": list(OFFICIAL_STATUSES)},
            "unit": nullable(object_schema(CODE_NAME)),
            "position": nullable(object_schema(CODE_NAME)),
            "rank": nullable(object_schema(CODE_NAME)),
            "post_started_on": nullable(DATE),
            "updated_at": {
                **DATETIME,
                "description": "Latest change of the record or of its current post (UTC).",
            },
        }
    ),
    "Statement": object_schema(
        {
            "kind": {
                "type": "string",
                "enum": ["live", "review", "final"],
                "description": (
                    "live: computed on as_of; review: frozen by a review snapshot as of the "
                    "review date; final: frozen by the close after the cycle end."
                ),
            },
            "number": nullable(
                {
                    **INTEGER,
                    "description": "The frozen statement's stable number (null while live).",
                }
            ),
            "employee_code": STRING,
            "full_name": STRING,
            "unit": object_schema(CODE_NAME),
            "position": object_schema(CODE_NAME),
            "rank": nullable(object_schema(CODE_NAME)),
            "cycle": INTEGER,
            "target_credits": NUMBER,
            "earned_credits": NUMBER,
            "mandatory_required": {"type": "integer", "minimum": 0},
            "mandatory_completed": {"type": "integer", "minimum": 0},
            "status": {"type": "string", "enum": list(COMPLIANCE_STATUSES)},
            "certificates": {
                "type": "array",
                "items": STRING,
                "description": "Serials of the certificates issued in the cycle.",
            },
            "certificate_links": {
                "type": "array",
                "items": object_schema(
                    {
                        "serial": STRING,
                        "url": {**STRING, "description": "This API's certificate resource."},
                        "pdf_url": {**STRING, "description": "The certificate's PDF."},
                    }
                ),
            },
            "mandatory": nullable(
                {
                    "type": "array",
                    "items": ref("schemas/MandatoryCourse"),
                    "description": (
                        "The mandatory courses of the cycle, one per course (a course and its "
                        "recertification are one), by due date; mandatory_required and "
                        "mandatory_completed count them. Null on a statement frozen before "
                        "the list was kept."
                    ),
                }
            ),
            "closed_at": nullable(
                {**DATETIME, "description": "When the statement was frozen; null while live."}
            ),
            "as_of": nullable(
                {
                    **DATE,
                    "description": (
                        "The day the statement describes: today for a live one, the review "
                        "date, the cycle's last day for a final one."
                    ),
                }
            ),
            "months_in_post": nullable(
                {**INTEGER, "description": "Months of the cycle with a post held on the 15th."}
            ),
            "months_on_leave": nullable(
                {**INTEGER, "description": "Months in post spent on exempting leave."}
            ),
            "months_counted": nullable(
                {**INTEGER, "description": "Months that count towards the credit target."}
            ),
            "not_rated": nullable(
                {
                    "type": "boolean",
                    "description": (
                        "Fewer months of work than the setting (default 6): the official is "
                        "not rated this year."
                    ),
                }
            ),
            "since_review": nullable(
                {
                    **SINCE_REVIEW,
                    "description": "Final statements: what came after the latest review date.",
                }
            ),
            "programmes": {
                "type": "array",
                "items": ref("schemas/ProgrammeRequirement"),
                "description": (
                    "The programmes the official's posts require (lms.programmes), with their "
                    "status on the cycle's last day (or as_of while it runs)."
                ),
            },
        }
    ),
    "ProgrammeRequirement": object_schema(
        {
            "code": STRING,
            "title": STRING,
            "status": {
                "type": "string",
                "enum": ["held", "renew", "missing"],
                "description": (
                    "held: a valid programme certificate (chứng chỉ); renew: the last one "
                    "expired, the recertification path is owed (due_on: its expiry); missing: "
                    "none held yet (the certification path)."
                ),
            },
            "path": nullable(
                {
                    "type": "string",
                    "enum": ["certification", "recertification"],
                    "description": "The path to follow next; null while the chứng chỉ is held.",
                }
            ),
            "due_on": nullable(DATE),
            "expires_on": nullable(DATE),
            "certificate": nullable(
                {**STRING, "description": "The serial (or a paper one's number) held."}
            ),
            "sets_done": {"type": "integer", "minimum": 0},
            "sets_total": {"type": "integer", "minimum": 0},
            "next_set": nullable({**STRING, "description": "The first course set not done."}),
        }
    ),
    "MandatoryCourse": object_schema(
        {
            "course_code": STRING,
            "title": STRING,
            "due_on": DATE,
            "state": {
                "type": "string",
                "enum": list(MANDATORY_STATES),
                "description": (
                    "done; owed: not done and past its due date; not_yet_due: not done, due "
                    "later (on the statement's day: as_of, or the closing day)."
                ),
            },
            "done_on": nullable(
                {**DATE, "description": "Only when done: the day it was completed (if known)."}
            ),
        },
        required=["course_code", "title", "due_on", "state"],
    ),
    "Compliance": object_schema(
        {
            "unit": object_schema(CODE_NAME),
            "cycle": INTEGER,
            "as_of": DATE,
            "total": {"type": "integer", "minimum": 0},
            "by_status": status_counts(COMPLIANCE_STATUSES),
            "by_gender": object_schema(
                {
                    gender: object_schema(
                        {
                            "total": {"type": "integer", "minimum": 0},
                            "by_status": status_counts(COMPLIANCE_STATUSES),
                        }
                    )
                    for gender in GENDERS
                }
            ),
        }
    ),
    "Satisfaction": object_schema(
        {
            "unit": object_schema(CODE_NAME),
            "year": INTEGER,
            "responses": {"type": "integer", "minimum": 0},
            "index": nullable({**NUMBER, "minimum": 0, "maximum": 100}),
            "interval": nullable(
                object_schema(
                    {
                        "low": {**NUMBER, "minimum": 0, "maximum": 100},
                        "high": {**NUMBER, "minimum": 0, "maximum": 100},
                    }
                )
            ),
            "months": {
                "type": "array",
                "items": object_schema(
                    {
                        "month": {"type": "integer", "minimum": 1, "maximum": 12},
                        "responses": {"type": "integer", "minimum": 0},
                        "index": nullable({**NUMBER, "minimum": 0, "maximum": 100}),
                    }
                ),
            },
        }
    ),
    "LedgerEntry": object_schema(
        {
            "id": INTEGER,
            "seq": {**INTEGER, "description": "1, 2, 3… in the official's ledger."},
            "cycle": INTEGER,
            "earned_on": DATE,
            "title": STRING,
            "course_code": nullable(STRING),
            "credits": {**NUMBER, "description": "Negative for a reversal."},
            "periods": INTEGER,
            "source": {"type": "string", "enum": list(SOURCES)},
            "source_ref": STRING,
            "reverses_id": nullable(INTEGER),
            "reason": STRING,
            "created_at": DATETIME,
        }
    ),
    "NewLedgerEntry": object_schema(
        {
            "title": {
                "type": "string",
                "minLength": 1,
                "maxLength": TITLE_MAX,
                "pattern": "^[^\\u0000]*\\S[^\\u0000]*$",
            },
            "credits": {
                "type": "number",
                "minimum": 0,
                "exclusiveMinimum": True,
                "maximum": float(MAX_CREDITS),
                "multipleOf": 0.01,
            },
            "periods": {"type": "integer", "minimum": 0, "maximum": MAX_PERIODS, "default": 0},
            "earned_on": {
                **DATE,
                "description": "Not in the future, not before 1990-01-01 (else 422).",
            },
            "reason": {"type": "string", "maxLength": REASON_MAX, "pattern": NO_NUL},
            "source_ref": {
                "type": "string",
                "maxLength": REF_MAX,
                "pattern": NO_NUL,
                "description": "Your reference: posting the same one again adds nothing.",
            },
        },
        required=["title", "credits", "earned_on"],
    ),
    "Certificate": object_schema(
        {
            "serial": STRING,
            "verification_code": STRING,
            "status": {"type": "string", "enum": list(CERTIFICATE_STATUSES)},
            "kind": STRING,
            "employee_code": STRING,
            "full_name": STRING,
            "course_code": STRING,
            "course_title": STRING,
            "credits": NUMBER,
            "issued_on": DATE,
            "expires_on": nullable(DATE),
            "revoked_reason": nullable(STRING),
            "pdf_url": STRING,
        }
    ),
    "Credential": {
        "type": "object",
        "description": "An OpenBadgeCredential: W3C Verifiable Credential 2.0, Open Badges 3.0.",
        "properties": {
            "@context": {"type": "array", "items": STRING, "minItems": 2},
            "id": STRING,
            "type": {"type": "array", "items": STRING},
            "issuer": {"type": "object"},
            "validFrom": STRING,
            "credentialSubject": {"type": "object"},
            "credentialStatus": {"type": "object"},
            "proof": {"type": "object"},
        },
        "required": [
            "@context",
            "id",
            "type",
            "issuer",
            "validFrom",
            "credentialSubject",
            "credentialStatus",
            "proof",
        ],
    },
    "Verification": object_schema(
        {
            "status": {"type": "string", "enum": list(CERTIFICATE_STATUSES)},
            "revoked_reason": nullable(STRING),
            "holder_name": STRING,
            "course_title": STRING,
            "issued_on": DATE,
            "expires_on": nullable(DATE),
            "replaced": {"type": "boolean"},
        }
    ),
}


def page_of(item: str) -> dict:
    return object_schema(
        {
            "items": {"type": "array", "items": ref(f"schemas/{item}")},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "total": {"type": "integer", "minimum": 0},
            "next": nullable({**STRING, "description": "URL of the next page; null on the last."}),
        }
    )


SCHEMAS["OfficialPage"] = page_of("Official")
SCHEMAS["LedgerPage"] = page_of("LedgerEntry")

SCHEMAS.update(RECORD_SCHEMAS)
