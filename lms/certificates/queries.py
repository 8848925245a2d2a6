"""Read-side queries for certificates, always limited in SQL to what the viewer may see: their
own certificates, or those of officials whose current unit lies in their scope."""

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Select, and_, func, or_, select

from lms.auth.scope import Scope
from lms.certificates.models import KINDS, STATUSES, Certificate, CertificateStatus, VerificationLog
from lms.common import clock, vntext
from lms.common.pagination import Page, paginate
from lms.curricula.classes.models import ClassMember
from lms.curricula.cycles.models import Cycle
from lms.curricula.ledger import services as ledger
from lms.curricula.ledger.models import LedgerEntry
from lms.curricula.obligations.models import OfficialTarget
from lms.extensions import db
from lms.organisation.models import Official
from lms.organisation.queries import CurrentUnit, join_current_post, unit_path_by_code

EXPIRING = CertificateStatus.EXPIRING  # a filter besides the statuses: valid, expiring soon
RENEWAL_WINDOW_DAYS = 60


def _base() -> Select:
    """Certificates with their holder and the holder's current unit (outer joined)."""
    return join_current_post(
        select(Certificate).join(Official, Official.id == Certificate.official_id)
    )


def _visible(stmt: Select, scope: Scope | list[str] | None) -> Select:
    """Limit to the certificates of officials in `scope` (and the viewer's own, if it has
    them)."""
    condition = Scope.from_paths(scope).officials_filter(CurrentUnit.path, Certificate.official_id)
    return stmt if condition is None else stmt.where(condition)


def by_serial(serial: str, scope: Scope | list[str] | None):
    """The certificate with this serial if the viewer owns it or their scope covers its holder
    (None otherwise, whether or not it exists)."""
    stmt = _base().where(Certificate.serial == (serial or "").strip().upper()[:64])
    return db.session.scalar(_visible(stmt, scope))


def status_condition(status: str, today: date):
    """SQL condition for a status filter (valid, expired, revoked, expiring); None for none."""
    live = Certificate.revoked_at.is_(None)
    if status == "revoked":
        return Certificate.revoked_at.is_not(None)
    if status == "expired":
        return and_(live, Certificate.expires_on < today)
    if status == "valid":
        return and_(live, or_(Certificate.expires_on.is_(None), Certificate.expires_on >= today))
    if status == EXPIRING:
        limit = today + timedelta(days=RENEWAL_WINDOW_DAYS)
        return and_(live, Certificate.expires_on >= today, Certificate.expires_on <= limit)
    return None


@dataclass(frozen=True)
class Filters:
    """The manage list's filters; every field optional, bad values ignored."""

    q: str = ""
    course: str = ""
    unit: str = ""
    status: str = ""
    year: str = ""
    kind: str = ""

    @classmethod
    def from_args(cls, args) -> "Filters":
        values = {f.name: (args.get(f.name) or "").strip()[:200] for f in fields(cls)}
        if values["status"] not in (*STATUSES, EXPIRING):
            values["status"] = ""
        if values["kind"] not in KINDS:
            values["kind"] = ""
        if not (values["year"].isascii() and values["year"].isdigit() and len(values["year"]) == 4):
            values["year"] = ""
        return cls(**values)

    def active(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v}


def filtered(stmt: Select, filters: Filters, today: date) -> Select:
    """Apply the manage-list filters to a select over _base()."""
    q = vntext.normalize(filters.q) or ""
    if q:
        key = vntext.search_key(q)
        stmt = stmt.where(
            or_(
                Official.search_name.contains(key, autoescape=True),
                Official.employee_code == q.upper(),
                Certificate.serial == q.upper(),
            )
        )
    if filters.course:
        stmt = stmt.where(Certificate.course_code == filters.course.upper())
    if filters.unit:
        root = unit_path_by_code(filters.unit)
        stmt = stmt.where(CurrentUnit.path.startswith(root or "//", autoescape=True))
    if filters.year:
        stmt = stmt.where(Certificate.year == int(filters.year))
    if filters.kind:
        stmt = stmt.where(Certificate.kind == filters.kind)
    condition = status_condition(filters.status, today)
    return stmt if condition is None else stmt.where(condition)


@dataclass(frozen=True)
class Row:
    """A line of the manage list: the certificate, the holder's code and current unit."""

    certificate: Certificate
    employee_code: str
    unit_name: str | None


def search(scope: Scope | list[str] | None, filters: Filters, page: int, per_page: int) -> Page:
    """One page of Row for the certificates of officials in scope, newest first (two
    queries whatever the page size)."""
    stmt = filtered(_visible(_base(), scope), filters, clock.today())
    stmt = stmt.add_columns(Official.employee_code, CurrentUnit.name).order_by(
        Certificate.issued_on.desc(), Certificate.id.desc()
    )
    result = paginate(stmt, page, per_page, scalars=False)
    return Page([Row(*row) for row in result.items], result.page, result.per_page, result.total)


def counts_by_status(scope: Scope | list[str] | None) -> dict[str, int]:
    """How many certificates in scope are valid, expiring soon, expired and revoked."""
    today = clock.today()
    base = _visible(_base(), scope).with_only_columns(func.count(Certificate.id))
    return {
        status: db.session.scalar(base.where(status_condition(status, today)))
        for status in ("valid", EXPIRING, "expired", "revoked")
    }


def mine(official_id: int) -> list[Certificate]:
    """An official's own certificates, newest first (revoked and replaced ones included)."""
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.official_id == official_id)
            .order_by(Certificate.issued_on.desc(), Certificate.id.desc())
        )
    )


def by_serials(official_id: int, serials: list[str]) -> list[Certificate]:
    """The official's certificates with these serials (a statement's), in the order given; a
    serial that is not theirs is left out. One query."""
    if not serials:
        return []
    found = {
        certificate.serial: certificate
        for certificate in db.session.scalars(
            select(Certificate).where(
                Certificate.official_id == official_id, Certificate.serial.in_(serials)
            )
        )
    }
    return [found[serial] for serial in serials if serial in found]


@dataclass(frozen=True)
class LookUps:
    """Public look-ups of one certificate: how many, and the last one."""

    count: int
    last_at: datetime | None


def look_ups(certificate_id: int) -> LookUps:
    count, last = db.session.execute(
        select(func.count(VerificationLog.id), func.max(VerificationLog.at)).where(
            VerificationLog.certificate_id == certificate_id
        )
    ).one()
    return LookUps(count, last)


# --- bulk download -----------------------------------------------------------------------------

BULK_KINDS = ("course", "unit", "class")


def bulk_ids(scope: Scope | list[str] | None, kind: str, value: str) -> list[int]:
    """Ids of the certificates in scope (revoked ones left out) of a course (code), a unit
    subtree (code) or an in-person class (id), in course then holder order; [] when the value
    names nothing."""
    stmt = _visible(_base(), scope).where(Certificate.revoked_at.is_(None))
    value = (value or "").strip()
    if kind == "course":
        stmt = stmt.where(Certificate.course_code == value.upper())
    elif kind == "unit":
        root = unit_path_by_code(value)
        if root is None:
            return []
        stmt = stmt.where(CurrentUnit.path.startswith(root, autoescape=True))
    elif kind == "class" and value.isascii() and value.isdigit() and len(value) < 10:
        members = select(ClassMember.completion_id).where(ClassMember.class_id == int(value))
        stmt = stmt.where(Certificate.completion_id.in_(members))
    else:
        return []
    stmt = stmt.with_only_columns(Certificate.id).order_by(
        Certificate.course_code, Official.sort_name, Certificate.id
    )
    return list(db.session.scalars(stmt))


def holders(certificate_ids: list[int]) -> list[int]:
    """Ids of the officials holding these certificates (one query), for the audit entry of a
    bulk download."""
    if not certificate_ids:
        return []
    stmt = select(Certificate.official_id).where(Certificate.id.in_(certificate_ids)).distinct()
    return sorted(db.session.scalars(stmt))


# --- transcripts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transcript:
    """An official's record of one cycle: every ledger entry and the certificates of the
    completions of that cycle."""

    official: Official
    unit_name: str | None
    cycle: Cycle
    entries: list[LedgerEntry]
    earned: Decimal
    target: Decimal | None
    certificates: list[Certificate]
    generated_at: datetime


def official_in_scope(employee_code: str, scope: Scope):
    """(official, current unit name) when `scope` covers them (the viewer's own record, if the
    scope includes it)."""
    stmt = join_current_post(select(Official, CurrentUnit.name)).where(
        Official.employee_code == (employee_code or "").strip().upper()[:32]
    )
    condition = scope.officials_filter(CurrentUnit.path, Official.id)
    return db.session.execute(stmt if condition is None else stmt.where(condition)).first()


def cycle_by_year(year: int) -> Cycle | None:
    return db.session.scalar(select(Cycle).where(Cycle.year == year))


def transcript(official: Official, unit_name: str | None, cycle: Cycle) -> Transcript:
    """The transcript of `official` for `cycle` (a handful of queries)."""
    entries = ledger.entries(official.id, cycle.id)
    target = db.session.scalar(
        select(OfficialTarget.target_credits).where(
            OfficialTarget.official_id == official.id, OfficialTarget.cycle_id == cycle.id
        )
    )
    certificates = db.session.scalars(
        select(Certificate)
        .where(
            Certificate.official_id == official.id,
            Certificate.completed_on.between(cycle.starts_on, cycle.ends_on),
        )
        .order_by(Certificate.completed_on, Certificate.id)
    ).all()
    return Transcript(
        official=official,
        unit_name=unit_name,
        cycle=cycle,
        entries=entries,
        earned=sum((entry.credits for entry in entries), Decimal(0)),
        target=target,
        certificates=list(certificates),
        generated_at=clock.now(),
    )


def transcript_years(official_id: int) -> list[int]:
    """The cycles (years) with something on an official's transcript, newest first: ledger
    entries, or a certificate completed in the cycle (a completion that earns no credits — a
    renewal, or a course already credited — writes no entry but still has its certificate)."""
    credited = (
        select(Cycle.year)
        .join(LedgerEntry, LedgerEntry.cycle_id == Cycle.id)
        .where(LedgerEntry.official_id == official_id)
    )
    certified = (
        select(Cycle.year)
        .join(Certificate, Certificate.completed_on.between(Cycle.starts_on, Cycle.ends_on))
        .where(Certificate.official_id == official_id)
    )
    return sorted(set(db.session.scalars(credited.union(certified))), reverse=True)
