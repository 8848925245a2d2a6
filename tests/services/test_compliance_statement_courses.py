"""A course counts once: an official whose 2026 cycle holds a done first-time obligation and an
open recertification of the same course (BB02) has one BB02 row on /me and in the statement
(live and frozen), and the counts of the dashboard's SQL, /me and the statement agree. Also the
unit-code helper every URL and filter goes through."""

from datetime import date

import pytest
from sqlalchemy import select, update

from lms.compliance import queries, statements
from lms.compliance.models import Statement
from lms.compliance.my_training import my_training
from lms.curricula.completions.services import CompletionData, record_completion
from lms.curricula.obligations import engine as obligations
from lms.curricula.obligations.models import Obligation
from lms.extensions import db
from lms.organisation import services as org
from lms.organisation.models import OrgUnit
from lms.organisation.queries import unit_by_code, unit_path_by_code
from tests.factories import make_course, make_curriculum, make_cycle, make_official, make_units

CODE = "CB-RC01"
GCN = "giay_chung_nhan"  # the courses give a giấy chứng nhận


def complete(official, course, on: date, ref: str, source: str = "historical"):
    """A completion of `course` on `on` (flushed); a historical one keeps its paper
    certificate (`ref`), an online one requests a new certificate."""
    paper = ref if source == "historical" else None
    record_completion(
        CompletionData(official.id, course.id, on, source, ref, original_certificate_number=paper)
    )


def recertification_scene(official) -> tuple:
    """CM-CCVC's curriculum is BB01 and BB02 (3 TC); BB02, valid 24 months, was done by
    `official` (in CM-CCVC since 2020) on 12/03/2024; refreshed on 01/02/2026, the 2026 cycle
    holds a done mandatory BB02 (valid on 01/01), an open BB02 recertification due 12/03/2026
    and an open BB01, due 31/07/2026 (first known on 01/02: 180 days). Returns (cycle,
    {code: course}); committed."""
    bb01 = make_course("BB01", title="Kiến thức chung về quản lý nhà nước", certificate=GCN)
    bb02 = make_course(
        "BB02", title="Văn hóa công vụ và đạo đức công vụ", certificate=GCN, validity_months=24
    )
    make_curriculum("CM-CCVC", "3", [bb01, bb02])
    cycle = make_cycle(2026)
    complete(official, bb02, date(2024, 3, 12), "paper:1")
    db.session.flush()
    obligations.refresh([official.id], cycle, as_of=date(2026, 2, 1))
    db.session.commit()
    kinds = {
        (o.course.code, o.kind): o.status
        for o in db.session.scalars(select(Obligation).where(Obligation.official_id == official.id))
    }
    assert kinds == {
        ("BB01", "mandatory"): "open",
        ("BB02", "mandatory"): "done",
        ("BB02", "recertification"): "open",
    }
    return cycle, {"BB01": bb01, "BB02": bb02}


@pytest.fixture
def crafted(db, freeze):
    """CB-RC01 in the recertification scene, on 01/02/2026."""
    freeze(date(2026, 2, 1))
    make_units()
    official = make_official(CODE, "Phạm Thị Hồng Nhung")
    cycle, courses = recertification_scene(official)
    return official, cycle, courses


def standing(cycle, as_of):
    sub = queries.filtered(cycle, as_of, None, queries.Filters())
    return db.session.execute(select(sub).where(sub.c.employee_code == CODE)).one()


def listed(statement) -> list[tuple]:
    return [
        (i["course_code"], i["kind"], i["due_on"], i["state"], i["done_on"])
        for i in statement["mandatory"]
    ]


def test_a_course_and_its_recertification_count_once_everywhere(crafted):
    official, cycle, _courses = crafted
    day = date(2026, 2, 1)
    row = standing(cycle, day)
    assert (row.required, row.completed) == (2, 0)  # was 3 and 1: BB02 counted twice
    mine = my_training(official, day)
    assert [(o.code, o.kind, o.status) for o in mine.obligations] == [
        ("BB02", "recertification", "open"),
        ("BB01", "mandatory", "open"),
    ]
    assert mine.standing.open_count == 2
    statement = statements.statement_for(official.id, cycle, day)
    assert (statement["mandatory_required"], statement["mandatory_completed"]) == (2, 0)
    assert listed(statement) == [
        ("BB02", "recertification", date(2026, 3, 12), "not_yet_due", None),
        ("BB01", "mandatory", date(2026, 7, 31), "not_yet_due", None),
    ]


@pytest.mark.parametrize(
    ("day", "state"),
    [
        (date(2026, 3, 11), "not_yet_due"),
        (date(2026, 3, 12), "not_yet_due"),
        (date(2026, 3, 13), "owed"),
    ],
)
def test_the_recertification_is_owed_from_the_day_after_the_old_certificate_expires(
    crafted, freeze, day, state
):
    official, cycle, _courses = crafted
    freeze(day)
    statement = statements.statement_for(official.id, cycle, day)
    assert statement["mandatory"][0]["course_code"] == "BB02"
    assert statement["mandatory"][0]["state"] == state


def test_once_renewed_the_course_is_one_done_row_with_the_renewal_date(crafted, freeze):
    official, cycle, courses = crafted
    freeze(date(2026, 4, 2))
    complete(official, courses["BB02"], date(2026, 4, 1), "paper:2")
    db.session.commit()
    statement = statements.statement_for(official.id, cycle, date(2026, 4, 2))
    assert listed(statement)[0] == (
        "BB02",
        "recertification",
        date(2026, 3, 12),
        "done",
        date(2026, 4, 1),
    )
    assert (statement["mandatory_required"], statement["mandatory_completed"]) == (2, 1)
    row = standing(cycle, date(2026, 4, 2))
    assert (row.required, row.completed) == (2, 1)  # was 3 and 2


def test_the_frozen_statement_keeps_its_list_and_its_counts(crafted, freeze):
    official, cycle, courses = crafted
    complete(official, courses["BB02"], date(2026, 4, 1), "paper:2")
    db.session.commit()
    freeze(date(2027, 1, 5))
    dn = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "DN"))
    statements.close_cycle(cycle, dn, None, date(2027, 1, 5))
    db.session.commit()
    frozen = db.session.scalar(select(Statement).where(Statement.official_id == official.id))
    assert (frozen.mandatory_required, frozen.mandatory_completed) == (2, 1)
    assert [(i["course_code"], i["state"]) for i in frozen.mandatory] == [
        ("BB02", "done"),
        ("BB01", "owed"),  # due 31/07/2026, not done when the cycle closed on 05/01/2027
    ]
    # Later changes (BB01 done afterwards) change neither the list nor the counts.
    complete(official, courses["BB01"], date(2026, 12, 30), "paper:3")
    db.session.commit()
    statement = statements.statement_for(official.id, cycle, date(2027, 2, 1))
    assert listed(statement) == [
        ("BB02", "recertification", date(2026, 3, 12), "done", date(2026, 4, 1)),
        ("BB01", "mandatory", date(2026, 7, 31), "owed", None),
    ]
    assert (statement["mandatory_required"], statement["mandatory_completed"]) == (2, 1)
    # A statement frozen before the list was kept has none; the rest is as frozen.
    db.session.execute(update(Statement).values(mandatory=None))
    db.session.commit()
    old = statements.statement_for(official.id, cycle, date(2027, 2, 1))
    assert old["mandatory"] is None and old["mandatory_required"] == 2


def test_a_position_change_does_not_double_a_course_either(crafted, freeze):
    """BB02 stays required in the new post: still one row (the engine keeps one obligation
    per course and kind, whatever the post)."""
    official, cycle, courses = crafted
    make_curriculum("XA-MC", "3", [courses["BB02"]])
    freeze(date(2026, 2, 10))
    org.change_position(official, org.AssignmentData("P-HAICHAU", "XA-MC", date(2026, 2, 10)), None)
    db.session.commit()
    statement = statements.statement_for(official.id, cycle, date(2026, 2, 10))
    assert [i["course_code"] for i in statement["mandatory"]] == ["BB02"]
    assert (statement["mandatory_required"], statement["mandatory_completed"]) == (1, 0)


# --- unit codes in any letter case ----------------------------------------------------------------


def test_a_unit_code_is_found_in_any_letter_case(db):
    make_units()
    snv = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "SNV-CCVC"))
    for typed in ("SNV-CCVC", "snv-ccvc", "Snv-Ccvc", "  snv-ccvc "):
        assert unit_by_code(typed) == snv
    assert unit_path_by_code("snv-ccvc") == snv.path
    for typed in ("", None, "SNV-", "x" * 200):
        assert unit_by_code(typed) is None
    assert unit_path_by_code("nope") is None


def test_two_codes_differing_only_by_case_the_exact_spelling_wins(db):
    make_units()
    org.upsert_unit("Tổ-A", "Tổ A", "to", "xa", "DN")
    org.upsert_unit("to-a", "Tổ a thường", "to", "xa", "DN")
    org.upsert_unit("ab", "Tổ ab", "to", "xa", "DN")
    org.upsert_unit("AB", "Tổ AB", "to", "xa", "DN")
    db.session.flush()
    assert unit_by_code("ab").name == "Tổ ab"
    assert unit_by_code("AB").name == "Tổ AB"
    assert unit_by_code("Ab") is None  # matches both: neither is taken
    assert unit_by_code("TO-A").name == "Tổ a thường"  # only "to-a" upper-cases to TO-A
