"""Compliance exports: a pure row generator over a standing subquery (headers and words in the
user's language, numbers as numbers), which the route hands to lms.common.exporter, and the
audit entry every export of it writes (the compliance page's and the head's team page's). The
programme columns count the required programmes of the cycle and those held (live figures:
lms.compliance.programme_counts); they weigh in the status as mandatory courses do."""

from collections.abc import Iterator
from decimal import Decimal

from sqlalchemy import func, select

from lms.audit import reads
from lms.common.pagination import plan_for_every_row
from lms.compliance.models import ComplianceStatus
from lms.extensions import db
from lms.i18n import _l
from lms.organisation.models import Gender

HEADER = [
    _l("Employee code"),
    _l("Full name"),
    _l("Gender"),
    _l("Unit code"),
    _l("Unit"),
    _l("Job position"),
    _l("Rank"),
    _l("Cycle"),
    _l("Target (TC)"),
    _l("Earned (TC)"),
    _l("Still owed (TC)"),
    _l("Mandatory courses"),
    _l("Completed"),
    _l("Programmes required"),
    _l("Programmes held"),
    _l("Status"),
]


def standing_rows(sub, cycle) -> tuple[list[str], Iterator[list]]:
    """The header and one row per official of a standing subquery, in Vietnamese name order,
    read in batches."""
    stmt = select(sub).order_by(sub.c.sort_name, sub.c.official_id)

    def rows() -> Iterator[list]:
        plan_for_every_row()
        for row in db.session.execute(stmt.execution_options(yield_per=2000)):
            target, earned = Decimal(row.target), Decimal(row.earned)
            yield [
                row.employee_code,
                row.full_name,
                Gender.text_of(row.gender),
                row.unit_code,
                row.unit_name,
                row.position_name,
                row.rank_name or "",
                cycle.year,
                target,
                earned,
                max(target - earned, Decimal(0)),
                int(row.required),
                int(row.completed),
                int(row.programmes_required),
                int(row.programmes_completed),
                ComplianceStatus.text_of(row.status),
            ]

    return [str(label) for label in HEADER], rows()


def record_export(actor, cycle, sub, scope, filters, form, *, via: str, address: str | None):
    """Log that `actor` exported the standing list `sub` of `cycle` (`compliance.exported`):
    how many officials (their ids when few), within which `scope` (unit paths; None for
    everything), the form's reason and format, the filters set, and `via` which page."""
    reads.record_list(
        actor,
        "compliance.exported",
        "cycle",
        cycle.year,
        count=db.session.scalar(select(func.count()).select_from(sub)),
        scope=scope,
        official_ids=reads.ids_if_few(select(sub.c.official_id)),
        address=address,
        via=via,
        reason=form.reason.data.strip(),
        format=form.fmt.data,
        filters={k: v for k, v in filters.__dict__.items() if v},
    )
