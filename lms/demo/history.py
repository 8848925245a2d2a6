"""Demo history: completions of past cycles (2024, 2025) imported as historical records, with
their certificates, for the `learner` official (DEMO0004) and a few hundred generated ones, so
the ledger, certificate, transcript and verification screens have something real to show.

Needs the courses (`flask courses import courses`) and the officials (`flask demo load`) first.
Idempotent: every completion has a fixed source_ref, and a second run finds them and stops.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from lms.catalog.models import PUBLISHED, Course
from lms.certificates import services as certificates
from lms.certificates.models import Certificate
from lms.curricula.completions.models import Completion
from lms.curricula.completions.services import CompletionData, record_completion
from lms.curricula.ledger.models import HISTORICAL
from lms.extensions import db
from lms.organisation.models import Official

LEARNER_CODE = "DEMO0004"
REF_PREFIX = "demo-history:"
YEARS = (2024, 2025)
# The learner's own past: (year, course code, month, day) — one certificate expired by now
# (BB02 is valid 24 months), one expiring in 2027, the rest valid.
LEARNER_PAST = (
    (2024, "BB02", 3, 12),
    (2024, "VT03", 9, 20),
    (2025, "BB01", 4, 8),
    (2025, "TC01", 6, 16),
    (2025, "VT02", 10, 24),
)


def _courses() -> dict[str, Course]:
    stmt = select(Course).where(Course.status == PUBLISHED, Course.certificate != "none")
    return {course.code: course for course in db.session.scalars(stmt.order_by(Course.code))}


def _add(official: Official, course: Course, on: date, rng: random.Random) -> bool:
    """One historical completion and its certificate (issued a few days later)."""
    recorded = record_completion(
        CompletionData(
            official_id=official.id,
            course_id=course.id,
            completed_on=on,
            source=HISTORICAL,
            source_ref=f"{REF_PREFIX}{official.employee_code}:{course.code}:{on.year}",
            score=Decimal(rng.randrange(60, 101)) / 10,
        )
    )
    if recorded.created:
        issued_on = on + timedelta(days=rng.randrange(2, 10))
        certificates.issue_for(recorded.completion, issued_on=issued_on)
    return recorded.created


def load_history(seed: int = 2026, others: int = 300) -> dict:
    """Load the demo history (flushed; the caller commits). Returns counts; nothing is added
    when the courses are missing or the history is already there."""
    if db.session.scalar(select(func.count()).where(Completion.source_ref.like(f"{REF_PREFIX}%"))):
        return {"completions": 0, "revoked": 0}
    courses = _courses()
    if not courses:
        return {"completions": 0, "revoked": 0}
    rng = random.Random(seed)
    added = 0
    learner = db.session.scalar(select(Official).where(Official.employee_code == LEARNER_CODE))
    if learner is not None:
        for year, code, month, day in LEARNER_PAST:
            if code in courses:
                added += _add(learner, courses[code], date(year, month, day), rng)
    generated = db.session.scalars(
        select(Official).where(Official.employee_code.like("DN%")).order_by(Official.employee_code)
    ).all()
    codes = sorted(courses)
    for official in generated[:others]:
        for year in YEARS:
            for code in rng.sample(codes, k=rng.randint(1, 3)):
                on = date(year, 1, 1) + timedelta(days=rng.randrange(350))
                added += _add(official, courses[code], on, rng)
    revoked = _revoke_a_few()
    db.session.flush()
    return {"completions": added, "revoked": revoked}


def _revoke_a_few() -> int:
    """A few revocations, so the screens show them: corrected names (re-issued) and one
    fraud."""
    stmt = select(Certificate).where(Certificate.serial.like("DN-2025-%")).order_by(Certificate.id)
    candidates = db.session.scalars(stmt).all()[::97][:5]
    for number, certificate in enumerate(candidates):
        if number == 0:
            certificates.revoke(
                certificate, "fraud", "Hồ sơ kết quả học tập không trung thực.", None
            )
        else:
            certificates.reissue(certificate, "Sai ngày sinh trên giấy chứng nhận.", None)
    return len(candidates)
