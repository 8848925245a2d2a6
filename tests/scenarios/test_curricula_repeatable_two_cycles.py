"""Two cycles of one official with a course earned once and an annual refresher (issue 20;
DESIGN.md §3 "repeatable"). Trần Thị Mai (CCVC, target 2 TC) must take BB01 (1 TC, its
certificate valid 12 months) and takes the repeatable refresher AT01 (1 TC) every year.

2026: BB01 on 10/03, AT01 on 01/06 and again on 01/11 → 2 TC (the second AT01 earns nothing),
met. 2027: BB01's certificate expires on 10/03, so she owes its recertification and renews on
20/02 — the recertification is done but BB01 earns nothing again; AT01 on 01/01 earns 1 TC;
an approved external training brings the second → met. What she would notice is checked: her
statement (earned, mandatory done/required, status) and the lines of her ledger, per cycle."""

from datetime import date
from decimal import Decimal as D

import pytest

from lms.compliance import statements
from lms.curricula.completions.services import CompletionData, record_completion
from lms.curricula.ledger import services as ledger
from lms.curricula.ledger.models import IN_PERSON
from lms.curricula.obligations import engine
from lms.curricula.obligations.models import DONE, MANDATORY, RECERTIFICATION, Obligation
from lms.extensions import db
from tests.factories import (
    cycle_of,
    make_course,
    make_credit,
    make_curriculum,
    make_official,
    make_units,
)

pytestmark = pytest.mark.usefixtures("english")


def complete(mai, course, day: date) -> D:
    recorded = record_completion(
        CompletionData(mai.id, course.id, day, IN_PERSON, f"class:{course.code}:{day}")
    )
    db.session.commit()
    return recorded.credited


def ledger_lines(mai, year: int) -> list[tuple[str, str, D]]:
    return [
        (entry.earned_on.strftime("%d/%m"), entry.title, entry.credits)
        for entry in ledger.entries(mai.id, cycle_of(year).id)
    ]


def obligations(mai, year: int) -> dict[str, str]:
    rows = db.session.scalars(
        db.select(Obligation).where(
            Obligation.official_id == mai.id, Obligation.cycle_id == cycle_of(year).id
        )
    )
    return {row.kind: row.status for row in rows}


def statement(mai, year: int, day: date) -> tuple:
    found = statements.statement_for(mai.id, cycle_of(year), day)
    return (
        found["earned_credits"],
        found["mandatory_completed"],
        found["mandatory_required"],
        found["status"],
    )


def test_a_course_earned_once_and_an_annual_refresher_over_two_cycles(db, freeze):
    freeze(date(2026, 1, 5))
    make_units()
    bb01 = make_course("BB01", "1", title="Văn hóa công vụ", validity_months=12)
    at01 = make_course("AT01", "1", title="Cập nhật kiến thức hằng năm", repeatable=True)
    make_curriculum("CM-CCVC", "2", [bb01])
    mai = make_official("DN027001", "Trần Thị Mai", started_on=date(2020, 1, 1))
    for year in (2026, 2027):
        cycle_of(year)
    engine.refresh([mai.id], cycle_of(2026))
    db.session.commit()

    # --- 2026 ---
    freeze(date(2026, 11, 2))
    earned = [complete(mai, bb01, date(2026, 3, 10))]
    earned += [complete(mai, at01, day) for day in (date(2026, 6, 1), date(2026, 11, 1))]
    assert earned == [D(1), D(1), D(0)]  # the refresher once in the cycle
    assert obligations(mai, 2026) == {MANDATORY: DONE}
    assert statement(mai, 2026, date(2026, 12, 31)) == (D(2), 1, 1, "met")
    assert ledger_lines(mai, 2026) == [
        ("10/03", "Văn hóa công vụ", D(1)),
        ("01/06", "Cập nhật kiến thức hằng năm", D(1)),
    ]

    # --- 2027: the refresher earns again, BB01's renewal does not ---
    freeze(date(2027, 1, 1))
    assert complete(mai, at01, date(2027, 1, 1)) == D(1)
    freeze(date(2027, 1, 15))  # the renewal window (60 days before 10/03) has begun
    engine.refresh([mai.id], cycle_of(2027))
    db.session.commit()
    assert obligations(mai, 2027) == {MANDATORY: DONE, RECERTIFICATION: "open"}
    assert statement(mai, 2027, date(2027, 1, 15))[:3] == (D(1), 0, 1)
    freeze(date(2027, 2, 20))
    assert complete(mai, bb01, date(2027, 2, 20)) == D(0)  # earned once, in 2026
    assert obligations(mai, 2027) == {MANDATORY: DONE, RECERTIFICATION: DONE}
    assert statement(mai, 2027, date(2027, 2, 20))[:3] == (D(1), 1, 1)
    make_credit(mai, "1", day=date(2027, 4, 2), source="external", title="Hội thảo chuyên đề")
    db.session.commit()
    assert statement(mai, 2027, date(2027, 12, 31)) == (D(2), 1, 1, "met")
    assert ledger_lines(mai, 2027) == [
        ("01/01", "Cập nhật kiến thức hằng năm", D(1)),
        ("02/04", "Hội thảo chuyên đề", D(1)),
    ]
    # 2026 is as it was: the 2027 completions changed nothing there.
    assert statement(mai, 2026, date(2026, 12, 31)) == (D(2), 1, 1, "met")
