"""Escalation to the heads (frozen clock): an open mandatory course past its due date plus the
unit's escalation days is told to the head of the official's unit, once, on the first day it
escalates (day before: nothing; day of: told; day after: not again); the weekly digest reaches
each head once per ISO week and lists their officials overdue or at risk."""

from datetime import date

import pytest
from sqlalchemy import select

from lms.catalog.models import Course
from lms.extensions import db
from lms.jobs.models import Notification
from lms.organisation.models import OrgUnit
from lms.teams import escalation, services
from tests.factories import (
    make_cycle,
    make_head,
    make_learner,
    make_mandatory_course,
    make_obligation,
    make_units,
)

DUE = date(2026, 6, 30)


@pytest.fixture
def scene(db, freeze):
    freeze(date(2026, 6, 1))
    make_units()
    make_cycle(2026)
    course = make_mandatory_course("BB01")
    head = make_head()
    late = make_learner("W-VU", "Trần Văn Vũ")
    make_obligation(late.official_id, course, DUE)
    services.save_settings(
        db.session.scalar(select(OrgUnit).where(OrgUnit.code == "P-HAICHAU")), False, 3, None
    )
    db.session.commit()
    return {"head": head, "late": late}


def _told(user, kind):
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
        )
    )


def _night(freeze, day):
    from lms.teams.jobs import team_escalation

    freeze(day)
    return team_escalation(day, lambda *_: None)


def test_the_head_is_told_on_the_escalation_day_once(scene, freeze):
    # Due 30/06 and 3 escalation days: the first day is 04/07.
    assert _night(freeze, date(2026, 7, 3))["team_overdue"] == 0
    assert _night(freeze, date(2026, 7, 4))["team_overdue"] == 1
    assert _night(freeze, date(2026, 7, 5))["team_overdue"] == 0
    notices = _told(scene["head"], "team_overdue")
    assert len(notices) == 1 and "Trần Văn Vũ" in notices[0].body and "BB01" in notices[0].body
    assert _told(scene["late"], "team_overdue") == []


def test_one_digest_per_head_per_week_naming_the_overdue_official(scene, freeze):
    first = _night(freeze, date(2026, 7, 6))  # a Monday, escalated since 04/07
    assert first["team_digest"] == 1
    assert _night(freeze, date(2026, 7, 7))["team_digest"] == 0  # same ISO week
    digests = _told(scene["head"], "team_digest")
    assert len(digests) == 1 and "Trần Văn Vũ" in digests[0].body
    assert _night(freeze, date(2026, 7, 13))["team_digest"] == 1  # next week


def test_before_the_escalation_day_the_digest_lists_no_overdue(scene, freeze):
    found = escalation.digest_for(
        scene["head"], date(2026, 7, 2), escalation.Heads(date(2026, 7, 2))
    )
    assert found["overdue"] == []
    found = escalation.digest_for(
        scene["head"], date(2026, 7, 4), escalation.Heads(date(2026, 7, 4))
    )
    assert [o["code"] for o in found["overdue"]] == ["W-VU"]


def test_a_completion_that_expired_before_the_cycle_does_not_spare_the_head_the_notice(
    scene, freeze
):
    # Done in 2022, valid to the end of 2024: it met the 2024 cycle's obligation, not 2026's.
    from lms.curricula.completions.models import Completion

    make_cycle(2024)
    db.session.add(
        Completion(
            official_id=scene["late"].official_id,
            course_id=db.session.scalar(select(Course.id).where(Course.code == "BB01")),
            completed_on=date(2022, 5, 10),
            expires_on=date(2024, 12, 31),
            source="import",
            source_ref="test:expired",
        )
    )
    db.session.commit()
    assert _night(freeze, date(2026, 7, 4))["team_overdue"] == 1
