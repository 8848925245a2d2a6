"""`flask --app lms cycle close|reopen|status`: closing a training cycle from the shell."""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from lms.common import clock
from lms.compliance import queries, statements
from lms.errors import RuleViolation
from lms.extensions import db
from lms.organisation.models import OrgUnit
from lms.organisation.queries import unit_by_code

cycle_cli = AppGroup("cycle", help="Training cycles: close, re-open, status.")


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


COMMANDS = (cycle_cli,)
