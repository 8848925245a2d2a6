"""The annual training report (báo cáo kết quả đào tạo, bồi dưỡng): a year's credits from the
ledger, grouped by unit, category (cán bộ / công chức / viên chức), rank group (the rank's
salary group), content area (ND1–ND5), delivery mode and gender — officials trained, courses,
periods, credits — and the certificates issued in the year (not revoked), for the officials
placed in a scope. Two SQL queries (the ledger's, the certificates'), merged by group; its
totals are the ledger's and the compliance dashboard's for the same scope and year (tests)."""

from collections.abc import Iterator
from decimal import Decimal

from sqlalchemy import func, literal, select

from lms.catalog.models import ContentArea, Course, Delivery
from lms.certificates.models import Certificate
from lms.curricula.cycles.models import Cycle
from lms.curricula.ledger.models import LedgerEntry
from lms.extensions import db
from lms.i18n import _l
from lms.organisation.models import Category, Gender, Official, OrgUnit, PositionAssignment, Rank
from lms.organisation.queries import is_current_post, scope_condition

HEADER = [
    _l("Unit code"),
    _l("Unit"),
    _l("Category"),
    _l("Rank group"),
    _l("Content area"),
    _l("Delivery"),
    _l("Gender"),
    _l("Officials trained"),
    _l("Courses"),
    _l("Periods"),
    _l("Credits (TC)"),
    _l("Certificates"),
]


def report_select(cycle: Cycle, scope: list[str] | None):
    """(unit code, unit name, category, rank group, content area, delivery, gender, officials,
    courses, periods, credits) of the cycle's ledger entries of officials placed in `scope`."""
    area = func.coalesce(Course.content_area, literal(""))
    delivery = func.coalesce(Course.delivery, LedgerEntry.source)
    group = func.coalesce(Rank.salary_group, literal(""))
    keys = (
        OrgUnit.code,
        OrgUnit.name,
        Official.category,
        group,
        area,
        delivery,
        Official.gender,
    )
    stmt = (
        select(
            *keys,
            func.count(LedgerEntry.official_id.distinct()),
            func.count(LedgerEntry.course_id.distinct()),
            func.coalesce(func.sum(LedgerEntry.periods), 0),
            func.coalesce(func.sum(LedgerEntry.credits), 0),
        )
        .join(Official, Official.id == LedgerEntry.official_id)
        .join(
            PositionAssignment,
            (PositionAssignment.official_id == Official.id) & is_current_post(),
        )
        .join(OrgUnit, OrgUnit.id == PositionAssignment.unit_id)
        .outerjoin(Rank, Rank.id == PositionAssignment.rank_id)
        .outerjoin(Course, Course.id == LedgerEntry.course_id)
        .where(LedgerEntry.cycle_id == cycle.id)
        .group_by(*keys)
        .order_by(OrgUnit.code, *keys[2:])
    )
    condition = scope_condition(OrgUnit.path, scope)
    return stmt if condition is None else stmt.where(condition)


def certificates_select(cycle: Cycle, scope: list[str] | None):
    """(unit code, unit name, category, rank group, content area, delivery, gender,
    certificates) of the certificates issued in the cycle's dates, not revoked, to officials
    placed in `scope` — the report's groups."""
    keys = (
        OrgUnit.code,
        OrgUnit.name,
        Official.category,
        func.coalesce(Rank.salary_group, literal("")),
        func.coalesce(Course.content_area, literal("")),
        Course.delivery,
        Official.gender,
    )
    stmt = (
        select(*keys, func.count(Certificate.id))
        .join(Official, Official.id == Certificate.official_id)
        .join(
            PositionAssignment,
            (PositionAssignment.official_id == Official.id) & is_current_post(),
        )
        .join(OrgUnit, OrgUnit.id == PositionAssignment.unit_id)
        .outerjoin(Rank, Rank.id == PositionAssignment.rank_id)
        .join(Course, Course.id == Certificate.course_id)
        .where(
            Certificate.issued_on >= cycle.starts_on,
            Certificate.issued_on <= cycle.ends_on,
            Certificate.revoked_at.is_(None),
        )
        .group_by(*keys)
    )
    condition = scope_condition(OrgUnit.path, scope)
    return stmt if condition is None else stmt.where(condition)


def report_rows(cycle: Cycle, scope: list[str] | None) -> tuple[list[list], dict]:
    """The report's rows (words in the current language) and its totals: credits, periods,
    certificates, officials trained (counted once across rows). A group with certificates and
    no ledger entry (a renewal that earned nothing) has its row with zeros."""
    figures: dict[tuple, list] = {}
    for *key, people, courses, tiet, tc in db.session.execute(report_select(cycle, scope)):
        figures[tuple(key)] = [int(people), int(courses), int(tiet), Decimal(tc), 0]
    for *key, count in db.session.execute(certificates_select(cycle, scope)):
        figures.setdefault(tuple(key), [0, 0, 0, Decimal(0), 0])[4] = int(count)
    rows, credits, periods, certificates = [], Decimal(0), 0, 0
    for key in sorted(figures, key=lambda k: tuple(str(v or "") for v in k)):
        code, name, category, group, area, delivery, gender = key
        people, courses, tiet, tc, certs = figures[key]
        rows.append(
            [
                code,
                name,
                Category.text_of(category),
                group or "—",
                ContentArea.text_of(area) if area else "—",
                Delivery.text_of(delivery) if delivery in set(Delivery) else delivery,
                Gender.text_of(gender),
                people,
                courses,
                tiet,
                tc,
                certs,
            ]
        )
        credits += tc
        periods += tiet
        certificates += certs
    totals = {
        "credits": credits,
        "periods": periods,
        "certificates": certificates,
        "officials": _trained(cycle, scope),
    }
    return rows, totals


def _trained(cycle: Cycle, scope: list[str] | None) -> int:
    sub = (
        report_select(cycle, scope)
        .with_only_columns(LedgerEntry.official_id)
        .group_by(None)
        .order_by(None)
        .distinct()
        .subquery()
    )
    return db.session.scalar(select(func.count()).select_from(sub)) or 0


def header() -> list[str]:
    return [str(label) for label in HEADER]


def iter_rows(rows: list[list], totals: dict, total_label: str) -> Iterator[list]:
    """The rows, then the totals row."""
    yield from rows
    yield [
        total_label,
        "",
        "",
        "",
        "",
        "",
        "",
        totals["officials"],
        "",
        totals["periods"],
        totals["credits"],
        totals["certificates"],
    ]
