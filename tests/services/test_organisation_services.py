"""Organisation services: officials and position changes keep history, refuse bad input whole."""

from datetime import date

import pytest
from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.errors import ValidationFailed
from lms.organisation import services as org
from lms.organisation.models import Official, PositionAssignment
from tests.factories import make_official, make_units


@pytest.fixture
def units(db):
    make_units()
    db.session.commit()


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_names_are_stored_nfc_with_the_real_d_and_searchable_without_accents(units, db):
    nfd = "Nguye\u0302\u0303n Va\u0306n \u00d0u\u031bc"  # NFD + the look-alike Ð (U+00D0)
    official = make_official("A1", nfd)
    assert official.full_name == "Nguyễn Văn Đưc"
    assert "\u0110" in official.full_name and "\u00d0" not in official.full_name
    assert official.search_name == "nguyen van duc"


@pytest.mark.parametrize("code, message", [("", "required"), ("  ", "required")])
def test_an_empty_employee_code_is_refused(units, db, code, message):
    with pytest.raises(ValidationFailed) as error:
        make_official(code, "Lê Văn An")
    assert error.value.reasons[0][0] == "employee_code"
    db.session.rollback()
    assert _count(db, Official) == 0


def test_a_duplicate_employee_code_is_refused_case_insensitively(units, db):
    make_official("DN001", "Lê Văn An")
    db.session.commit()
    with pytest.raises(ValidationFailed) as error:
        make_official("dn001", "Trần Thị Bình")
    assert error.value.reasons[0][0] == "employee_code"
    db.session.rollback()
    assert _count(db, Official) == 1


def test_an_unknown_unit_saves_nothing(units, db):
    with pytest.raises(ValidationFailed) as error:
        make_official("DN002", "Lê Văn An", unit="NO-SUCH-UNIT")
    assert error.value.reasons == [("unit", "Đơn vị không tồn tại.")]
    db.session.rollback()
    assert _count(db, Official) == 0 and _count(db, PositionAssignment) == 0


def test_position_change_closes_the_old_post_and_keeps_history(units, db):
    official = make_official("DN003", "Phạm Thị Hoa", started_on=date(2020, 3, 1))
    org.change_position(
        official,
        org.AssignmentData("P-HAICHAU", "XA-MC", date(2025, 7, 1), "01.002", "12/QĐ"),
        actor=None,
    )
    db.session.commit()
    history = db.session.scalars(
        select(PositionAssignment)
        .where(PositionAssignment.official_id == official.id)
        .order_by(PositionAssignment.started_on)
    ).all()
    assert [(a.unit.code, a.started_on, a.ended_on) for a in history] == [
        ("SNV-CCVC", date(2020, 3, 1), date(2025, 6, 30)),
        ("P-HAICHAU", date(2025, 7, 1), None),
    ]
    assert org.current_assignment(official).position.code == "XA-MC"
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "official.position_changed")
    )
    assert entry.before["unit"] == "SNV-CCVC" and entry.after["unit"] == "P-HAICHAU"


def test_a_position_change_dated_before_the_current_post_is_refused(units, db):
    official = make_official("DN004", "Võ Văn Nam", started_on=date(2024, 1, 1))
    db.session.commit()
    with pytest.raises(ValidationFailed) as error:
        org.change_position(
            official, org.AssignmentData("P-HAICHAU", "XA-MC", date(2023, 12, 31)), actor=None
        )
    assert error.value.reasons[0][0] == "started_on"
    db.session.rollback()
    assert org.current_assignment(official).unit.code == "SNV-CCVC"
    assert org.current_assignment(official).ended_on is None


def test_a_concurrent_post_sits_beside_the_primary_one(units, db):
    official = make_official("DN005", "Đỗ Thị Mai")
    org.add_concurrent(
        official, org.AssignmentData("P-HAICHAU", "LD-TP", date(2024, 1, 1)), actor=None
    )
    db.session.commit()
    posts = db.session.scalars(
        select(PositionAssignment).where(
            PositionAssignment.ended_on.is_(None), PositionAssignment.official_id == official.id
        )
    ).all()
    assert sorted(p.is_primary for p in posts) == [False, True]
    assert org.current_assignment(official).unit.code == "SNV-CCVC"


def test_two_open_primary_posts_are_impossible_in_the_database(units, db):
    official = make_official("DN006", "Bùi Văn Tùng")
    db.session.commit()
    unit = org.current_assignment(official).unit
    db.session.add(
        PositionAssignment(
            official=official,
            unit=unit,
            position=org.current_assignment(official).position,
            is_primary=True,
            started_on=date(2024, 1, 1),
        )
    )
    with pytest.raises(Exception, match="(?i)unique"):
        db.session.flush()
    db.session.rollback()


def test_editing_an_official_audits_only_the_changed_fields(units, db):
    official = make_official("DN007", "Hồ Thị Lan")
    org.update_official(
        official, org.OfficialData("DN007", "Hồ Thị Lan Anh", "female", "vien_chuc"), actor=None
    )
    db.session.commit()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "official.updated"))
    assert entry.before == {"full_name": "Hồ Thị Lan", "category": "cong_chuc"}
    assert entry.after == {"full_name": "Hồ Thị Lan Anh", "category": "vien_chuc"}


def test_long_unit_and_official_names_are_stored_and_sorted(units, db):
    """A sort key takes 12 characters a letter: a unit name of 90 letters or more used to
    overflow the column on PostgreSQL. The stored key is cut to the column and keeps the
    order of the names (their primary weights come first)."""
    from lms.organisation.models import SORT_KEY_LENGTH, OrgUnit

    stem = "Trung tâm Phục vụ hành chính công và Chuyển đổi số thành phố Đà Nẵng cơ sở "
    names = [stem + "Hòa Khánh " + "x" * 150, stem + "Hải Châu " + "x" * 150]
    for code, name in zip(("LONG-B", "LONG-A"), names, strict=True):
        org.upsert_unit(code, name, "phong", "tinh", "SNV")
    long_name = "Tôn Nữ Thị " + "Hoàng " * 35 + "Hương"
    make_official("LONG-1", long_name, "LONG-A")
    db.session.commit()
    stored = db.session.scalars(
        select(OrgUnit.code).where(OrgUnit.code.like("LONG-%")).order_by(OrgUnit.sort_name)
    ).all()
    assert stored == ["LONG-A", "LONG-B"]  # Hải Châu before Hòa Khánh
    keys = db.session.scalars(select(OrgUnit.sort_name).where(OrgUnit.code.like("LONG-%")))
    assert all(len(key) == SORT_KEY_LENGTH for key in keys)
    official = db.session.scalar(select(Official).where(Official.employee_code == "LONG-1"))
    assert official.full_name == long_name and len(official.sort_name) <= SORT_KEY_LENGTH
