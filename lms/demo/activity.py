"""Demo activity in the current cycle: most demo officials have completed a few courses since
January (recorded as historical records dated this year), so the compliance dashboard shows a
real spread of met / on track / at risk instead of everyone at risk.

Needs the courses, the demo officials and the cycles (`curricula demo`). Idempotent: every
completion has a fixed source_ref; a second run adds nothing.
"""

import random
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from lms.catalog.models import PUBLISHED, Course
from lms.common import clock
from lms.curricula.completions.models import Completion
from lms.curricula.completions.services import CompletionData, record_completion
from lms.curricula.cycles.models import Cycle
from lms.curricula.ledger.models import HISTORICAL
from lms.curricula.obligations.models import Obligation
from lms.extensions import db
from lms.organisation.models import Official

REF_PREFIX = "demo-activity:"
LEARNER_CODE = "DEMO0004"


def load_activity(seed: int = 2027) -> int:
    """Record this cycle's demo completions (flushed; the caller commits); returns how many."""
    today = clock.today()
    cycle = db.session.scalar(select(Cycle).where(Cycle.starts_on <= today, Cycle.ends_on >= today))
    done = db.session.scalar(
        select(func.count()).where(Completion.source_ref.like(f"{REF_PREFIX}%"))
    )
    if cycle is None or done:
        return 0
    rng = random.Random(seed)
    courses = list(
        db.session.scalars(select(Course).where(Course.status == PUBLISHED).order_by(Course.code))
    )
    owed: dict[int, list[int]] = {}
    for official_id, course_id in db.session.execute(
        select(Obligation.official_id, Obligation.course_id).where(
            Obligation.cycle_id == cycle.id, Obligation.status == "open"
        )
    ):
        owed.setdefault(official_id, []).append(course_id)
    by_id = {course.id: course for course in courses}
    officials = db.session.scalars(select(Official).order_by(Official.employee_code))
    added = 0
    for official in officials:
        # The learner keeps something to do: one course done, the rest still owed.
        count = 1 if official.employee_code == LEARNER_CODE else rng.choice((0, 1, 1, 2, 3, 4))
        choices = [by_id[i] for i in owed.get(official.id, []) if i in by_id] + courses
        picked: list[Course] = []
        for course in choices:
            if len(picked) == count:
                break
            if course not in picked and (course in choices[:3] or rng.random() < 0.3):
                picked.append(course)
        for course in picked:
            last = max(cycle.starts_on, min(today, cycle.ends_on))
            span = (last - cycle.starts_on).days
            on = date.fromordinal(cycle.starts_on.toordinal() + rng.randrange(span + 1))
            record_completion(
                CompletionData(
                    official_id=official.id,
                    course_id=course.id,
                    completed_on=on,
                    source=HISTORICAL,
                    source_ref=f"{REF_PREFIX}{official.employee_code}:{course.code}",
                    score=Decimal(rng.randrange(55, 101)) / 10,
                )
            )
            added += 1
    db.session.flush()
    return added
