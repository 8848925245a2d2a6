"""Programme services: an official's progress through a programme from their course
completions, detecting a completed programme (curricula's `course_completed` signal) and issuing
its chứng chỉ with the programme series of serials, historical chứng chỉ, revocation, and the
public verification look-up. Each flushes and never commits; changes are audited."""

import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from lms.audit.services import add_recorded, record
from lms.catalog.models import Course
from lms.certificates import rules as certificate_rules
from lms.certificates.models import VerificationLog
from lms.certificates.services import CODE_CHARS, mark_revoked, next_number, setting
from lms.common import clock
from lms.curricula.completions.models import Completion
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import Official, OrgUnit
from lms.organisation.services import current_assignment
from lms.programmes import rules
from lms.programmes.models import (
    HISTORICAL,
    ISSUED,
    Programme,
    ProgrammeCertificate,
)

SERIES = "CC"  # the programme certificates' series: "<ISSUER>-CC-<year>-<number>"


def set_specs(programme: Programme, path: str) -> list[rules.SetSpec]:
    """The sets of a programme's path, in order, as the rules judge them (Programme.path_sets)."""
    return [item.spec() for item in programme.path_sets(path)]


def course_done(official_id: int, codes: set[str] | None = None) -> list[rules.CourseDone]:
    """The official's valid (not revoked) course completions, any source."""
    stmt = (
        select(Course.code, Completion.completed_on, Completion.expires_on, Course.credits)
        .join(Course, Course.id == Completion.course_id)
        .where(Completion.official_id == official_id, Completion.revoked_at.is_(None))
    )
    if codes is not None:
        stmt = stmt.where(Course.code.in_(codes))
    return [rules.CourseDone(*row) for row in db.session.execute(stmt)]


def history(official_id: int, programme_id: int) -> list[ProgrammeCertificate]:
    """The official's chứng chỉ of a programme (revoked ones too), oldest first."""
    return list(
        db.session.scalars(
            select(ProgrammeCertificate)
            .where(
                ProgrammeCertificate.official_id == official_id,
                ProgrammeCertificate.programme_id == programme_id,
            )
            .order_by(ProgrammeCertificate.completed_on, ProgrammeCertificate.id)
        )
    )


def held(certificates: list[ProgrammeCertificate]) -> list[rules.Held]:
    return [rules.Held(c.completed_on, c.expires_on) for c in certificates if c.revoked_at is None]


@dataclass(frozen=True)
class Standing:
    """An official's standing in a programme on a day: the requirement's status, the current
    chứng chỉ, the path they are on and their progress through it."""

    programme: Programme
    status: str  # rules.HELD | RENEW | MISSING
    expires_on: date | None
    current: ProgrammeCertificate | None
    progress: rules.Progress | None
    history: list[ProgrammeCertificate]


def standing(official_id: int, programme: Programme, as_of: date | None = None) -> Standing:
    as_of = as_of or clock.today()
    certificates = history(official_id, programme.id)
    valid = [c for c in certificates if c.revoked_at is None and c.completed_on <= as_of]
    status, expires_on = rules.status(held(valid), as_of)
    path = rules.next_path(held(valid))
    progress = None
    if path is not None:
        path_name, since = path
        progress = rules.progress(
            path_name,
            set_specs(programme, path_name),
            course_done(official_id),
            as_of,
            since,
            programme.ordered,
        )
    current = valid[-1] if valid else None
    return Standing(programme, status, expires_on, current, progress, certificates)


def programmes_with(course_code: str) -> list[Programme]:
    """The programmes with a set naming the course (programmes are few: read them all)."""
    return [
        programme
        for programme in db.session.scalars(select(Programme).order_by(Programme.code))
        if any(course_code in s.course_codes for s in programme.sets)
    ]


def detect(official_id: int, programme: Programme, actor=None) -> ProgrammeCertificate | None:
    """Issue the chứng chỉ when the official's completions now complete the programme's path
    (judged on the day of their latest completion); None when they do not, or it is held."""
    done = course_done(official_id)
    if not done:
        return None
    as_of = max(item.completed_on for item in done)
    valid = held([c for c in history(official_id, programme.id) if c.revoked_at is None])
    path = rules.next_path(valid)
    if path is None:
        return None
    path_name, since = path
    if since is not None and as_of < since:
        return None  # the renewal window is not open yet
    result = rules.progress(
        path_name, set_specs(programme, path_name), done, as_of, since, programme.ordered
    )
    completed_on = result.completed_on
    if completed_on is None:
        return None
    latest = rules.current(valid)
    if latest is not None and completed_on <= latest.completed_on:
        return None
    official = db.session.get(Official, official_id)
    return issue(official, programme, path_name, completed_on, actor)


def on_course_completed(completion: Completion, **_extra) -> None:
    """Curricula's signal: check the programmes naming the completed course."""
    course = db.session.get(Course, completion.course_id)
    for programme in programmes_with(course.code):
        detect(completion.official_id, programme)


def issuer_for(programme: Programme) -> OrgUnit:
    if programme.owner_unit is not None:
        return programme.owner_unit
    root = db.session.scalar(
        select(OrgUnit).where(OrgUnit.parent_id.is_(None)).order_by(OrgUnit.id).limit(1)
    )
    if root is None:
        raise RuleViolation(_("No unit can issue this certificate."), "no_issuer")
    return root


def _course_lines(programme: Programme, path: str) -> list[list]:
    codes = [code for s in programme.path_sets(path) for code in s.course_codes]
    courses = {c.code: c for c in db.session.scalars(select(Course).where(Course.code.in_(codes)))}
    return [[code, courses[code].title, courses[code].periods] for code in codes if code in courses]


def _frozen(official: Official, programme: Programme, path: str) -> dict:
    """What a chứng chỉ copies at issue: the holder, the programme and its courses."""
    post = current_assignment(official)
    return {
        "official_id": official.id,
        "programme_id": programme.id,
        "path": path,
        "holder_name": official.full_name,
        "holder_birth_date": official.date_of_birth,
        "holder_unit": post.unit.name if post else "",
        "programme_code": programme.code,
        "programme_title": programme.title,
        "periods": programme.periods,
        "credits": programme.credits,
        "courses": _course_lines(programme, path),
    }


def issue(
    official: Official, programme: Programme, path: str, completed_on: date, actor=None
) -> ProgrammeCertificate:
    """Issue a chứng chỉ (flushed): the next serial of the issuer's programme series for the
    year of issue, a verification code, everything the document prints copied."""
    issuer = issuer_for(programme)
    issued_on = clock.today()
    series = f"{issuer.code.upper()}-{SERIES}"
    number = next_number(series, issued_on.year)
    certificate = ProgrammeCertificate(
        **_frozen(official, programme, path),
        source=ISSUED,
        completed_on=completed_on,
        issued_on=issued_on,
        expires_on=rules.expiry(completed_on, programme.validity_months),
        serial=certificate_rules.format_serial(series, issued_on.year, number),
        verification_code=secrets.token_urlsafe(16),
        issuer_code=issuer.code.upper(),
        issuer_name=issuer.name,
        issuer_parent=issuer.parent.name if issuer.parent is not None else "",
        place=setting("LMS_CERTIFICATE_PLACE"),
        signer_title=setting("LMS_CERTIFICATE_SIGNER_TITLE"),
        signer_name=setting("LMS_CERTIFICATE_SIGNER_NAME"),
        issued_by_id=getattr(actor, "id", None),
    )
    add_recorded(
        certificate,
        actor,
        "programme_certificate.issued",
        "programme_certificate",
        certificate.serial,
        after={
            "official_id": official.id,
            "programme": programme.code,
            "path": path,
            "completed_on": completed_on,
            "expires_on": certificate.expires_on,
        },
    )
    return certificate


def import_historical(
    official: Official, programme: Programme, number: str, completed_on: date, actor
) -> ProgrammeCertificate:
    """Record a paper chứng chỉ (its number and date): part of the history, it meets the
    requirement like an issued one; importing the same number again returns it."""
    number = (number or "").strip()[:64]
    if not number:
        raise ValidationFailed([("number", _("The certificate number is required."))])
    if completed_on > clock.today():
        raise ValidationFailed([("date", _("The date cannot be in the future."))])
    existing = db.session.scalar(
        select(ProgrammeCertificate).where(
            ProgrammeCertificate.programme_id == programme.id,
            ProgrammeCertificate.original_number == number,
        )
    )
    if existing is not None:
        if existing.official_id != official.id:
            raise RuleViolation(
                _("This number belongs to another official's certificate."), "number_taken"
            )
        return existing
    earlier = held(history(official.id, programme.id))
    path = rules.CERTIFICATION if not earlier else rules.RECERTIFICATION
    certificate = ProgrammeCertificate(
        **_frozen(official, programme, path),
        source=HISTORICAL,
        completed_on=completed_on,
        issued_on=completed_on,
        expires_on=rules.expiry(completed_on, programme.validity_months),
        original_number=number,
    )
    add_recorded(
        certificate,
        actor,
        "programme_certificate.imported",
        "programme_certificate",
        number,
        after={"official_id": official.id, "programme": programme.code, "date": completed_on},
    )
    return certificate


def revoke(certificate: ProgrammeCertificate, reason: str, note: str, actor) -> None:
    """Revoke a chứng chỉ on a ground of Circular 03/2023 (the course certificates' reasons);
    the requirement it met is open again and the holder is told. Raises ValidationFailed for an
    unknown reason and RuleViolation when it is already revoked."""
    mark_revoked(certificate, reason, note, actor)
    record(
        actor,
        "programme_certificate.revoked",
        "programme_certificate",
        certificate.serial or certificate.original_number,
        before={"status": "issued"},
        after={"status": "revoked", "reason": reason, "note": certificate.revoked_note},
    )
    db.session.flush()
    notify_revoked(certificate)


def notify_revoked(certificate: ProgrammeCertificate) -> None:
    """Tell the holder's account (if any) that their chứng chỉ was revoked, with the ground and
    the note: once per chứng chỉ (lms.jobs.notify's key), by email after the commit."""
    from lms.certificates.models import RevocationReason
    from lms.jobs import notify_official
    from lms.jobs.notifications import site_path

    context = {
        "serial": certificate.serial or certificate.original_number,
        "programme_code": certificate.programme_code,
        "programme_title": certificate.programme_title,
        "reason": RevocationReason.label_of(certificate.revoked_reason) or "",
        "note": certificate.revoked_note or "",
        "link": site_path("programmes.mine"),
    }
    key = f"programme_certificate:{certificate.id}"
    notify_official(certificate.official_id, "programme_certificate_revoked", key, context)


def status_of(certificate: ProgrammeCertificate, today: date | None = None) -> str:
    return certificate_rules.status(
        certificate.revoked_at, certificate.expires_on, today or clock.today()
    )


def verify(code: str, address: str) -> ProgrammeCertificate | None:
    """Look a chứng chỉ's verification code up (logged with the certificates' look-ups)."""
    found = None
    if code and len(code) <= 64 and set(code) <= CODE_CHARS:
        found = db.session.scalar(
            select(ProgrammeCertificate).where(ProgrammeCertificate.verification_code == code)
        )
    db.session.add(
        VerificationLog(
            certificate_id=None,
            code=("cc:" + "".join(ch for ch in (code or "") if ch.isprintable()))[:64],
            channel="web",
            result=status_of(found) if found else "unknown",
            address=(address or "")[:64],
        )
    )
    db.session.flush()
    return found
