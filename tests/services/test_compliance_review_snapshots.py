"""Review snapshots (issue 21): HR freezes the review statements of a unit subtree as of a
review date inside the cycle (from 01/12 by default). On a frozen clock: a review snapshot as of
10/12/2026 stays unchanged after a credit dated 20/12, and the final statement frozen by the
close on 05/01/2027 shows that credit (and a course completed after the review date) as earned
after the review; the same date twice changes nothing; a later review date supersedes for
display and both are kept; the snapshot is signed like a close (integrity verify holds, and a
review statement changed in SQL does not verify)."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update

from lms.common import sealing
from lms.compliance import snapshots, statements
from lms.compliance.models import REVIEW, ReviewSnapshot, Statement
from lms.curricula.obligations import engine as obligations
from lms.errors import RuleViolation
from lms.extensions import db
from lms.organisation.queries import unit_by_code
from tests.factories import (
    make_completion,
    make_course,
    make_credit,
    make_curriculum,
    make_cycle,
    make_official,
    make_units,
)

CODE = "CB-RV01"


@pytest.fixture
def scene(db, freeze):
    """CB-RV01 (CM-CCVC since 2020, 3 TC, BB01 mandatory) with 1 TC earned on 10/06/2026;
    the clock on 10/12/2026. Returns (official, cycle, bb01); committed."""
    freeze(date(2026, 6, 15))
    make_units()
    official = make_official(CODE, "Nguyễn Thị Ánh Tuyết")
    bb01 = make_course("BB01", title="Kiến thức chung về quản lý nhà nước")
    make_curriculum("CM-CCVC", "3", [bb01])
    cycle = make_cycle(2026)
    obligations.refresh([official.id], cycle, as_of=date(2026, 6, 15))
    make_credit(official, "1", date(2026, 6, 10))
    db.session.commit()
    freeze(date(2026, 12, 10))
    return official, cycle, bb01


def review(cycle, day: date, unit: str = "SNV") -> int:
    count = snapshots.review_cycle(cycle, unit_by_code(unit), None, day)
    db.session.commit()
    return count


def frozen_rows(official, kind=REVIEW):
    return list(
        db.session.scalars(
            select(Statement)
            .where(Statement.official_id == official.id, Statement.kind == kind)
            .order_by(Statement.as_of)
        )
    )


def test_a_review_snapshot_stays_unchanged_and_the_final_statement_shows_what_came_after(
    scene, freeze
):
    official, cycle, bb01 = scene
    assert review(cycle, date(2026, 12, 10)) == 1
    shown = statements.statement_for(official.id, cycle, date(2026, 12, 10))
    assert (shown["kind"], shown["as_of"]) == ("review", date(2026, 12, 10))
    assert shown["earned_credits"] == Decimal("1.00")
    assert shown["months_in_post"] == 12 and shown["not_rated"] is False
    assert [(i["course_code"], i["state"]) for i in shown["mandatory"]] == [("BB01", "not_yet_due")]

    freeze(date(2026, 12, 20))
    make_credit(official, "1.5", date(2026, 12, 20), title="Hội thảo cải cách hành chính")
    make_completion(official, bb01, date(2026, 12, 20))
    db.session.commit()
    again = statements.statement_for(official.id, cycle, date(2026, 12, 20), "review")
    assert again["earned_credits"] == Decimal("1.00")
    assert [(i["course_code"], i["state"]) for i in again["mandatory"]] == [("BB01", "not_yet_due")]
    live = statements.statement_for(official.id, cycle, date(2026, 12, 20), "live")
    assert live["kind"] == "live" and live["earned_credits"] > Decimal("1.00")

    freeze(date(2027, 1, 5))
    assert statements.close_cycle(cycle, unit_by_code("SNV"), None, date(2027, 1, 5)) == 1
    db.session.commit()
    final = statements.statement_for(official.id, cycle, date(2027, 1, 5))
    assert (final["kind"], final["as_of"]) == ("final", date(2026, 12, 31))
    since = final["since_review"]
    assert since["review_as_of"] == date(2026, 12, 10)
    assert [(e["earned_on"], e["title"]) for e in since["entries"]][0] == (
        date(2026, 12, 20),
        "Hội thảo cải cách hành chính",
    )
    assert since["credits"] >= Decimal("1.50")
    assert [c["course_code"] for c in since["courses"]] == ["BB01"]
    # Both kept: the review statement is still there, unchanged, beside the final one.
    kept = statements.statement_for(official.id, cycle, date(2027, 1, 5), "review")
    assert kept["earned_credits"] == Decimal("1.00")
    assert sealing.check(sealing.STATEMENTS).holds


def test_the_same_review_date_twice_changes_nothing_and_a_later_date_supersedes(scene, freeze):
    official, cycle, _bb01 = scene
    assert review(cycle, date(2026, 12, 10)) == 1
    assert review(cycle, date(2026, 12, 10)) == 0
    assert review(cycle, date(2026, 12, 10), "SNV-CCVC") == 0  # a sub-unit: already frozen
    assert db.session.scalar(select(func.count()).select_from(ReviewSnapshot)) == 1
    freeze(date(2026, 12, 15))
    make_credit(official, "2", date(2026, 12, 14))
    db.session.commit()
    assert review(cycle, date(2026, 12, 15)) == 1
    assert [row.as_of for row in frozen_rows(official)] == [date(2026, 12, 10), date(2026, 12, 15)]
    shown = statements.statement_for(official.id, cycle, date(2026, 12, 15))
    assert (shown["as_of"], shown["earned_credits"]) == (date(2026, 12, 15), Decimal("3.00"))
    assert statements.review_dates(official.id, cycle) == [date(2026, 12, 15), date(2026, 12, 10)]


def test_a_review_counts_only_what_was_earned_by_the_review_date(scene, freeze):
    """Frozen on 12/12 as of 10/12: a credit dated 11/12 is not in it."""
    official, cycle, _bb01 = scene
    freeze(date(2026, 12, 12))
    make_credit(official, "1", date(2026, 12, 11))
    db.session.commit()
    review(cycle, date(2026, 12, 10))
    assert frozen_rows(official)[0].earned_credits == Decimal("1.00")


@pytest.mark.parametrize(
    ("day", "today", "code"),
    [
        (date(2026, 11, 30), date(2026, 12, 10), "too_early"),  # the day before 01/12
        (date(2027, 1, 1), date(2027, 1, 2), "after_end"),  # the day after the cycle end
        (date(2026, 12, 11), date(2026, 12, 10), "future"),
    ],
)
def test_review_dates_outside_the_window_are_refused(scene, freeze, day, today, code):
    _official, cycle, _bb01 = scene
    freeze(today)
    with pytest.raises(RuleViolation) as refused:
        snapshots.review_cycle(cycle, unit_by_code("SNV"), None, day)
    assert refused.value.code == code


def test_the_first_and_last_review_days_are_accepted_and_the_day_is_a_setting(scene, app, freeze):
    official, cycle, _bb01 = scene
    assert review(cycle, date(2026, 12, 1)) == 1  # the day itself
    freeze(date(2026, 12, 31))
    assert review(cycle, date(2026, 12, 31)) == 1  # the cycle's last day
    app.config["LMS_REVIEW_FROM"] = "15/11"
    try:
        assert snapshots.review_from(cycle) == date(2026, 11, 15)
    finally:
        app.config["LMS_REVIEW_FROM"] = "01/12"


def test_a_review_is_refused_once_the_cycle_is_closed(scene, freeze):
    _official, cycle, _bb01 = scene
    freeze(date(2027, 1, 5))
    statements.close_cycle(cycle, unit_by_code("DN"), None, date(2027, 1, 5))
    db.session.commit()
    freeze(date(2026, 12, 20))  # as if the clock went back: the close still wins
    with pytest.raises(RuleViolation) as refused:
        snapshots.review_cycle(cycle, unit_by_code("SNV"), None, date(2026, 12, 10))
    assert refused.value.code == "already_closed"


def test_a_review_statement_changed_in_sql_does_not_verify(scene):
    official, cycle, _bb01 = scene
    review(cycle, date(2026, 12, 10))
    assert sealing.check(sealing.STATEMENTS).holds
    db.session.execute(
        update(Statement.__table__)
        .where(Statement.__table__.c.official_id == official.id)
        .values(as_of=date(2026, 12, 9))
    )
    db.session.commit()
    assert not sealing.check(sealing.STATEMENTS).holds
