"""Revoking a course certificate that a chứng chỉ relied on: on a ground that voids the training
(fraud, ineligibility) the programme is no longer complete, so the chứng chỉ is revoked too, on
the same ground, with a note naming the course certificate — audited, the holder told, and its
public page says revoked. On a ground that leaves the training standing (lent, altered), or when
another course still completes the set, the chứng chỉ stays valid."""

from datetime import date

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.certificates import services as certificates
from lms.certificates.models import Certificate
from lms.extensions import db
from lms.jobs.models import Notification
from lms.programmes import requirements, services
from tests.factories import make_completion, make_login, make_programme_scene


@pytest.fixture
def certified(db, assets_dir, freeze):
    """CB-0100 completes LDQL on 10/03/2027 (BB01, BB02, LD02, and BB03 and TC01 for the set
    of any one of them); every course certificate is issued."""
    programme, official, courses = make_programme_scene()
    make_login(official)
    freeze(date(2027, 3, 10))
    for code in ("BB01", "BB02", "LD02", "BB03", "TC01"):
        make_completion(official, courses[code], date(2027, 3, 10), commit=True)
    [chung_chi] = services.history(official.id, programme.id)
    return programme, official, chung_chi


def _course_certificate(official, code: str) -> Certificate:
    return db.session.scalar(
        select(Certificate).where(
            Certificate.official_id == official.id, Certificate.course_code == code
        )
    )


def _notices(kind: str) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.kind == kind)))


def test_a_fraud_revokes_the_chung_chi_that_relied_on_the_course(certified, client):
    _programme, official, chung_chi = certified
    course_certificate = _course_certificate(official, "BB01")
    certificates.revoke(course_certificate, "fraud", "Thi hộ", None)
    db.session.commit()
    db.session.refresh(chung_chi)
    assert chung_chi.revoked_at is not None and chung_chi.revoked_reason == "fraud"
    assert course_certificate.serial in chung_chi.revoked_note and "BB01" in chung_chi.revoked_note
    entry = db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "programme_certificate.revoked",
            AuditEntry.object_id == chung_chi.serial,
        )
    )
    assert entry is not None and course_certificate.serial in entry.after["note"]
    [notice] = _notices("programme_certificate_revoked")
    assert notice.context["serial"] == chung_chi.serial
    page = client.get(f"/verify/programme/{chung_chi.verification_code}").get_data(True)
    assert 'data-status="revoked"' in page
    [item] = requirements.requirements_of(official.id, date(2027, 3, 11))
    assert item.status == "missing"


@pytest.mark.parametrize("reason", ["lent", "altered", "issuer_error"])
def test_a_ground_that_leaves_the_training_standing_keeps_the_chung_chi(certified, reason):
    _programme, official, chung_chi = certified
    certificates.revoke(_course_certificate(official, "BB01"), reason, "", None)
    db.session.commit()
    db.session.refresh(chung_chi)
    assert chung_chi.revoked_at is None
    assert _notices("programme_certificate_revoked") == []


def test_another_course_of_the_set_keeps_the_programme_complete(certified):
    _programme, official, chung_chi = certified
    certificates.revoke(_course_certificate(official, "TC01"), "ineligible", "", None)
    db.session.commit()
    db.session.refresh(chung_chi)
    assert chung_chi.revoked_at is None  # BB03 still completes "any one of BB03, TC01"
    certificates.revoke(_course_certificate(official, "BB03"), "ineligible", "", None)
    db.session.commit()
    db.session.refresh(chung_chi)
    assert chung_chi.revoked_at is not None and chung_chi.revoked_reason == "ineligible"
    assert "BB03" in chung_chi.revoked_note


def test_a_paper_chung_chi_is_never_touched(db, assets_dir, freeze):
    programme, official, courses = make_programme_scene()
    freeze(date(2026, 6, 1))
    paper = services.import_historical(official, programme, "CC-9/2025", date(2025, 5, 4), None)
    make_completion(official, courses["BB01"], date(2026, 5, 30), commit=True)
    certificates.revoke(_course_certificate(official, "BB01"), "fraud", "", None)
    db.session.commit()
    db.session.refresh(paper)
    assert paper.revoked_at is None
