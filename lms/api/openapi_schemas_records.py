"""The OpenAPI schemas of an official's own records beside the registry (lms.api.openapi_schemas
gathers them): leave periods, annual ratings and the review of a test attempt."""

from lms.api.openapi_types import (
    DATE,
    DATETIME,
    INTEGER,
    NO_NUL,
    STRING,
    nullable,
    object_schema,
    ref,
)
from lms.organisation.models import LeaveKind

SCHEMAS = {}

# Leave periods (lms/api/routes_leave.py).
LEAVE_KINDS = {"type": "string", "enum": [kind.value for kind in LeaveKind]}
SCHEMAS["LeavePeriod"] = object_schema(
    {
        "id": INTEGER,
        "kind": LEAVE_KINDS,
        "from": {**DATE, "description": "The first day of leave."},
        "to": {**DATE, "description": "The last day of leave (included)."},
        "decision_number": nullable(STRING),
        "exempting": {
            "type": "boolean",
            "description": "Whether the kind exempts from training (LMS_LEAVE_EXEMPTING_KINDS).",
        },
    }
)
SCHEMAS["LeaveList"] = object_schema(
    {"employee_code": STRING, "items": {"type": "array", "items": ref("schemas/LeavePeriod")}}
)
SCHEMAS["NewLeavePeriod"] = object_schema(
    {
        "kind": LEAVE_KINDS,
        "from": DATE,
        "to": {**DATE, "description": "Not before `from` (else 422)."},
        "decision_number": nullable({"type": "string", "maxLength": 64, "pattern": NO_NUL}),
    },
    required=["kind", "from", "to"],
)

# Annual ratings (lms/api/routes_ratings.py; docs/compliance.md "Ratings").
RATING_LEVELS = {
    "type": "string",
    "enum": ["excellent", "good", "done", "not_done"],
    "description": "excellent (hoàn thành xuất sắc nhiệm vụ), good (hoàn thành tốt nhiệm vụ), "
    "done (hoàn thành nhiệm vụ), not_done (không hoàn thành nhiệm vụ).",
}
WEAK_AREAS = {
    "type": "array",
    "items": {"type": "string", "enum": ["ND1", "ND2", "ND3", "ND4", "ND5"]},
    "description": "The content areas found weak.",
}
WEAK_COURSES = {
    "type": "array",
    "items": {"type": "string", "maxLength": 32},
    "description": "The courses found weak (catalog course codes); each is assigned again in "
    "the next cycle.",
}
SCHEMAS["Rating"] = object_schema(
    {
        "cycle": INTEGER,
        "level": RATING_LEVELS,
        "weak_areas": WEAK_AREAS,
        "weak_courses": WEAK_COURSES,
        "recorded_at": {"type": "string", "format": "date-time"},
    }
)
SCHEMAS["RatingList"] = object_schema(
    {"employee_code": STRING, "items": {"type": "array", "items": ref("schemas/Rating")}}
)
SCHEMAS["NewRating"] = object_schema(
    {
        "cycle": {**INTEGER, "description": "The cycle's year (the cycle must exist)."},
        "level": {
            "type": "string",
            "description": "A level code (excellent, good, done, not_done) or its Vietnamese name.",
        },
        "weak_areas": WEAK_AREAS,
        "weak_courses": WEAK_COURSES,
    },
    required=["cycle", "level"],
)

# The review of a test attempt (lms/api/routes_attempts.py): hidden parts are absent.
REVIEW_PARTS = ["responses", "marks", "score", "answers", "feedback"]
SCHEMAS["ReviewQuestion"] = object_schema(
    {
        "position": INTEGER,
        "kind": STRING,
        "text": STRING,
        "response": {
            "description": "The learner's answer (with `responses`): answers named by index.",
            "nullable": True,
        },
        "correctness": {
            "type": "string",
            "enum": ["correct", "partial", "wrong", "ungraded"],
            "description": "With `marks`.",
        },
        "gaps": {
            "type": "array",
            "items": {"type": "string", "enum": ["correct", "partial", "wrong"]},
            "description": "Cloze only, with `responses` and `marks`: each gap's correctness.",
        },
        "mark": {**nullable(STRING), "description": "Points earned (with `score`)."},
        "max_mark": {**STRING, "description": "With `score`."},
        "right_answers": {"type": "array", "items": STRING, "description": "With `answers`."},
        "feedback": {"type": "array", "items": STRING, "description": "With `feedback`."},
        "general_feedback": {**STRING, "description": "With `feedback`."},
    },
    required=["position", "kind", "text"],
)
SCHEMAS["AttemptReview"] = object_schema(
    {
        "attempt": INTEGER,
        "status": {"type": "string", "enum": ["submitted", "graded"]},
        "submitted_at": nullable(DATETIME),
        "shown": {
            "type": "array",
            "items": {"type": "string", "enum": REVIEW_PARTS},
            "description": "The parts the test's review options show now.",
        },
        "percent": {**nullable(STRING), "description": "With `score`."},
        "passed": {"type": "boolean", "nullable": True, "description": "With `score`."},
        "questions": {"type": "array", "items": ref("schemas/ReviewQuestion")},
    },
    required=["attempt", "status", "submitted_at", "shown", "questions"],
)
