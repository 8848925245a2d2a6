"""The statements as administrative documents (Decree 30/2020/NĐ-CP, appendix I): the issuing
agency and its parent, the number and symbol ("Số: 812/BC-SNV", a stable number per frozen
statement), the place and date line, the signer's title and name and the recipients
("Nơi nhận"), for the per-official and the per-unit statement PDFs, which the agency signs
(`signed`, PAdES: lms.signing.pdf)."""

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import get_locale
from sqlalchemy import select

from lms.certificates.rules import place_date_line
from lms.compliance.models import CycleClosure, ReviewSnapshot
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import OrgUnit
from lms.signing.pdf import sign_pdf


@dataclass(frozen=True)
class Letterhead:
    """What the Decree 30 layout prints around a statement's body."""

    parent: str  # the issuing agency's parent (UBND thành phố …), or ""
    agency: str  # the issuing agency (Sở Nội vụ …)
    agency_code: str
    number: str  # "812/BC-SNV", or "…/BC-SNV" while live (no number yet)
    date_line: str
    signer_title: str
    signer_name: str


def _agency(unit_path: str) -> tuple[OrgUnit | None, OrgUnit | None]:
    """(parent, agency) of a unit: the agency is the unit directly under the top of its tree
    (a department, a ward) — the top unit itself for a unit placed there — and its parent the
    top unit."""
    ids = [int(part) for part in unit_path.strip("/").split("/") if part]
    if not ids:
        return None, None
    units = {u.id: u for u in db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(ids[:2])))}
    if len(ids) == 1:
        return None, units.get(ids[0])
    return units.get(ids[0]), units.get(ids[1])


def letterhead(unit_path: str, number: int | None, day: date) -> Letterhead:
    """The letterhead of a statement of a unit (path) with its stable number (None: live)."""
    parent, agency = _agency(unit_path)
    code = agency.code if agency else ""
    config = current_app.config
    return Letterhead(
        parent=parent.name if parent else "",
        agency=agency.name if agency else "",
        agency_code=code,
        number=f"{number if number is not None else '…'}/BC-{code}",
        date_line=place_date_line(
            config.get("LMS_CERTIFICATE_PLACE", ""), day, str(get_locale() or "vi")
        ),
        signer_title=config.get("LMS_STATEMENT_SIGNER_TITLE", "THỦ TRƯỞNG CƠ QUAN"),
        signer_name=config.get("LMS_STATEMENT_SIGNER_NAME", ""),
    )


def unit_number(cycle, unit: OrgUnit, kind: str, as_of: date | None) -> int | None:
    """The stable number of a unit's statements: its close (final) or its review snapshot of
    that date (review); None when the unit itself was not closed or snapshotted (live)."""
    if kind == "final":
        return db.session.scalar(
            select(CycleClosure.id)
            .where(
                CycleClosure.cycle_id == cycle.id,
                CycleClosure.unit_id == unit.id,
                CycleClosure.action == "close",
            )
            .order_by(CycleClosure.id.desc())
            .limit(1)
        )
    if kind == "review" and as_of is not None:
        return db.session.scalar(
            select(ReviewSnapshot.id).where(
                ReviewSnapshot.cycle_id == cycle.id,
                ReviewSnapshot.unit_id == unit.id,
                ReviewSnapshot.as_of == as_of,
            )
        )
    return None


def signed(data: bytes, head: Letterhead, subject: str) -> bytes:
    """A statement PDF signed by the agency: the reason names the statement's number and
    `subject` (an official's code, a unit's), the location the place of the date line."""
    reason = _("Training statement %(number)s: %(subject)s", number=head.number, subject=subject)
    place = current_app.config.get("LMS_CERTIFICATE_PLACE", "")
    return sign_pdf(data, reason=reason, location=place)
