"""When a course certificate is revoked (lms.certificates' `certificate_revoked` signal), the
chứng chỉ of the holder that relied on that course are judged again: each issued one, not
revoked, of a programme naming the course and completed on or after the course was, is checked
against the holder's course completions as they are now (a ground that voids the training —
fraud, ineligibility — has revoked the completion too), on the day it was completed and on its
path. One whose programme is no longer complete is revoked on the same ground, with a note
naming the course certificate's revocation: audited, the holder told, and its public
verification page says revoked. One still complete (the training stands: an altered or lent
document, the issuer's error; or another completion of the course) is left as it is. A paper
chứng chỉ (historical) did not rely on our course records and is never touched."""

from sqlalchemy import select

from lms.certificates.models import RevocationReason
from lms.extensions import db
from lms.i18n import _
from lms.programmes import rules, services
from lms.programmes.models import ISSUED, ProgrammeCertificate

NOTICE = "programme_certificate_revoked"


def still_complete(certificate: ProgrammeCertificate) -> bool:
    """Whether the holder's valid course completions still complete the chứng chỉ's path on the
    day it was completed (the renewal path from its window's opening, as at issue)."""
    programme = certificate.programme
    earlier = [
        c
        for c in services.history(certificate.official_id, programme.id)
        if c.revoked_at is None
        and c.id != certificate.id
        and c.completed_on < certificate.completed_on
    ]
    path = rules.next_path(services.held(earlier))
    since = path[1] if path is not None else None
    progress = rules.progress(
        certificate.path,
        services.set_specs(programme, certificate.path),
        services.course_done(certificate.official_id),
        certificate.completed_on,
        since,
        programme.ordered,
    )
    return progress.completed_on is not None


def relying_on(course_certificate) -> list[ProgrammeCertificate]:
    """The holder's issued chứng chỉ, not revoked, of programmes naming the course, completed on
    or after the course certificate's completion."""
    ids = [p.id for p in services.programmes_with(course_certificate.course_code)]
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(ProgrammeCertificate)
            .where(
                ProgrammeCertificate.official_id == course_certificate.official_id,
                ProgrammeCertificate.programme_id.in_(ids),
                ProgrammeCertificate.source == ISSUED,
                ProgrammeCertificate.revoked_at.is_(None),
                ProgrammeCertificate.completed_on >= course_certificate.completed_on,
            )
            .order_by(ProgrammeCertificate.completed_on, ProgrammeCertificate.id)
        )
    )


def on_certificate_revoked(course_certificate, reason: str, actor=None, **_extra) -> list:
    """lms.certificates' signal: revoke the chứng chỉ that relied on the revoked course
    certificate and are no longer complete; returns them."""
    revoked = []
    for certificate in relying_on(course_certificate):
        if still_complete(certificate):
            continue
        note = _(
            "Course certificate %(serial)s (%(course)s) was revoked (%(reason)s): the programme "
            "is no longer complete.",
            serial=course_certificate.serial,
            course=course_certificate.course_code,
            reason=RevocationReason.label_of(reason) or reason,
        )
        services.revoke(certificate, reason, str(note), actor)
        revoked.append(certificate)
    return revoked
