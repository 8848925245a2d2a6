"""`flask --app lms cycle close|reopen|review`: closing a training cycle from the shell, and
freezing the review statements as of a review date inside it;
`flask --app lms integrity verify|seal|rekey`: the credit ledger, the frozen statements and the
audit log checked, sealed and re-keyed together."""

from datetime import datetime

import click
from flask.cli import AppGroup
from sqlalchemy import select

from lms.common import clock, sealing
from lms.compliance import queries, snapshots, statements
from lms.curricula.ledger import seals
from lms.curricula.ledger.cli import SEAL_PROBLEMS, check_ledger
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _, _l
from lms.organisation.models import OrgUnit
from lms.organisation.queries import unit_by_code

cycle_cli = AppGroup("cycle", help="Training cycles: close, re-open, review snapshots.")


def _cycle(year: int):
    cycle = queries.cycle_by_year(year)
    if cycle is None:
        raise click.ClickException(f"There is no {year} cycle.")
    return cycle


def _units(code: str | None) -> list[OrgUnit]:
    if code:
        unit = unit_by_code(code)
        if unit is None:
            raise click.ClickException(f"Unknown unit code: {code}")
        return [unit]
    return list(db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None))))


@cycle_cli.command("close")
@click.argument("year", type=int)
@click.option("--unit", "unit_code", help="Close only this unit's subtree (default: every unit).")
def close(year: int, unit_code: str | None) -> None:
    """Freeze every official's training statement for YEAR (after the cycle's last day)."""
    cycle = _cycle(year)
    total = 0
    for unit in _units(unit_code):
        try:
            count = statements.close_cycle(cycle, unit, None, clock.today())
        except RuleViolation as error:
            db.session.rollback()
            raise click.ClickException(f"{unit.code}: {error.message}") from None
        click.echo(f"{unit.code}: {count} statements frozen.")
        total += count
    db.session.commit()
    click.echo(f"Cycle {year} closed: {total} statements.")


def _day(value: str):
    try:
        return datetime.strptime(value.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date written DD/MM/YYYY.") from None


@cycle_cli.command("review")
@click.argument("year", type=int)
@click.option("--as-of", "as_of", required=True, help="The review date, DD/MM/YYYY.")
@click.option("--unit", "unit_code", help="Only this unit's subtree (default: every unit).")
def review(year: int, as_of: str, unit_code: str | None) -> None:
    """Freeze every official's review statement for YEAR as of a review date inside the cycle
    (from LMS_REVIEW_FROM, default 01/12); running it again for the same date changes
    nothing."""
    cycle = _cycle(year)
    day = _day(as_of)
    total = 0
    for unit in _units(unit_code):
        try:
            count = snapshots.review_cycle(cycle, unit, None, day)
        except RuleViolation as error:
            db.session.rollback()
            raise click.ClickException(f"{unit.code}: {error.message}") from None
        click.echo(f"{unit.code}: {count} review statements frozen as of {as_of}.")
        total += count
    db.session.commit()
    click.echo(f"Cycle {year} review as of {as_of}: {total} statements.")


@cycle_cli.command("reopen")
@click.argument("year", type=int)
@click.option("--unit", "unit_code", required=True, help="The unit at which it was closed.")
@click.option("--reason", required=True, help="Why (kept in the audit log).")
def reopen(year: int, unit_code: str, reason: str) -> None:
    """Re-open YEAR for a unit: its frozen statements are superseded (kept as history)."""
    cycle = _cycle(year)
    (unit,) = _units(unit_code)
    try:
        count = statements.reopen_cycle(cycle, unit, reason, None)
    except RuleViolation as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Cycle {year} re-opened at {unit.code}: {count} statements superseded.")


# --- the three protected records together -----------------------------------------------------

integrity_cli = AppGroup(
    "integrity", help="The ledger, frozen statements and audit log: verify, seal, rekey."
)
KIND_NAMES = {sealing.STATEMENTS: _l("Frozen statements"), sealing.AUDIT: _l("Audit log")}


@integrity_cli.command("verify")
def verify_integrity() -> None:
    """Check the credit ledger (as `ledger verify`), then every frozen statement and audit
    entry against its MAC under the ledger key, and their seals; exit code 1 with one line per
    problem when a row was changed, added or deleted in SQL or seals are gone."""
    summary = check_ledger(click.echo)
    for kind in sealing.KINDS:
        found = sealing.check(kind)
        name = KIND_NAMES[kind]
        for row_id in found.altered:
            click.echo(
                _(
                    "BROKEN %(name)s: row %(id)s was changed or added without the key",
                    name=name,
                    id=row_id,
                )
            )
        for problem in found.seal_problems:
            click.echo(
                _("BROKEN %(name)s seal: %(problem)s", name=name, problem=SEAL_PROBLEMS[problem])
            )
        if found.unkeyed:
            click.echo(
                _(
                    "%(name)s: %(count)s rows written before the key: run "
                    "`flask --app lms integrity rekey` once.",
                    name=name,
                    count=found.unkeyed,
                )
            )
        if found.holds:
            click.echo(_("%(name)s OK: %(rows)s rows verified.", name=name, rows=found.rows))
        else:
            summary.append(_("%(name)s do not hold", name=name))
    if summary:
        raise click.ClickException("; ".join(summary) + ".")


@integrity_cli.command("seal")
def seal_integrity() -> None:
    """Seal the ledger, the frozen statements and the audit log as they are now (the nightly
    job does it too)."""
    seals.seal()
    for kind in sealing.KINDS:
        sealing.seal(kind)
    db.session.commit()
    click.echo(_("Sealed the ledger, the frozen statements and the audit log."))


@integrity_cli.command("rekey")
def rekey_integrity() -> None:
    """Re-hash the ledger (as `ledger rekey`), then sign the frozen statements and audit
    entries written before the key and re-sign every row and seal under the current key: once
    after the upgrade, and to rotate the key. Refuses, changing nothing, when anything does
    not verify as it is."""
    try:
        done = seals.rekey()
        counts = {kind: sealing.rekey(kind) for kind in sealing.KINDS}
    except (RuleViolation, ValueError) as error:
        db.session.rollback()
        raise click.ClickException(getattr(error, "message", str(error))) from None
    db.session.commit()
    click.echo(
        _(
            "Re-hashed %(entries)s ledger entries; signed %(statements)s statements and "
            "%(audit)s audit entries written before the key, re-signed %(again)s.",
            entries=done.entries,
            statements=counts[sealing.STATEMENTS][0],
            audit=counts[sealing.AUDIT][0],
            again=counts[sealing.STATEMENTS][1] + counts[sealing.AUDIT][1],
        )
    )


COMMANDS = (cycle_cli, integrity_cli)
