"""`flask --app lms heads list|assign|end|sync`: who heads which unit, from the shell;
`flask --app lms report annual YEAR [--unit CODE] --output FILE.xlsx`: the annual report."""

from datetime import date

import click
from flask.cli import AppGroup
from sqlalchemy import select

from lms.common import clock
from lms.errors import ValidationFailed
from lms.extensions import db
from lms.organisation.models import Official, OrgUnit
from lms.organisation.queries import unit_by_code
from lms.teams import queries, services
from lms.teams.models import HeadAssignment

heads_cli = AppGroup("heads", help="Heads of units: list, name, end, sync the head role.")


def _day(text: str | None) -> date:
    if not text:
        return clock.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"not a date (YYYY-MM-DD): {text}") from None


def _unit(code: str) -> OrgUnit:
    unit = unit_by_code(code)
    if unit is None:
        raise click.ClickException(f"Unknown unit code: {code}")
    return unit


@heads_cli.command("list")
@click.option("--on", "on", help="The day (YYYY-MM-DD; default today).")
def list_heads(on: str | None) -> None:
    """Every unit that has a head on the day, with its heads."""
    day = _day(on)
    heads = queries.heads_by_unit(day)
    units = db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(list(heads) or [0])))
    for unit in sorted(units, key=lambda u: u.path):
        names = [
            f"{o.employee_code} {o.full_name}"
            for o in db.session.scalars(select(Official).where(Official.id.in_(heads[unit.id])))
        ]
        click.echo(f"{unit.code}\t{'; '.join(sorted(names))}")


@heads_cli.command("assign")
@click.argument("unit_code")
@click.argument("employee_code")
@click.option("--from", "started", help="First day (YYYY-MM-DD; default today).")
@click.option("--to", "ended", help="Last day (default: until ended).")
@click.option("--decision", "decision_no", help="Decision number (số quyết định).")
def assign(
    unit_code: str, employee_code: str, started: str | None, ended: str | None, decision_no
) -> None:
    """Name the official EMPLOYEE_CODE head of UNIT_CODE (HR's naming, beside the registry's)."""
    official = db.session.scalar(select(Official).where(Official.employee_code == employee_code))
    if official is None:
        raise click.ClickException(f"Unknown employee code: {employee_code}")
    try:
        services.assign_head(
            _unit(unit_code),
            official,
            _day(started),
            _day(ended) if ended else None,
            decision_no,
            actor=None,
        )
    except ValidationFailed as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"{employee_code} heads {unit_code}.")


@heads_cli.command("end")
@click.argument("unit_code")
@click.argument("employee_code")
@click.option("--on", "on", help="Last day (YYYY-MM-DD; default today).")
def end(unit_code: str, employee_code: str, on: str | None) -> None:
    """End HR's naming of EMPLOYEE_CODE as head of UNIT_CODE."""
    unit = _unit(unit_code)
    row = db.session.scalar(
        select(HeadAssignment)
        .join(Official, Official.id == HeadAssignment.official_id)
        .where(
            HeadAssignment.unit_id == unit.id,
            Official.employee_code == employee_code,
            HeadAssignment.ended_on.is_(None),
        )
    )
    if row is None:
        raise click.ClickException("No open headship of that official in that unit.")
    try:
        services.end_head(row, _day(on), actor=None)
    except ValidationFailed as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"{employee_code} no longer heads {unit_code} after {_day(on).isoformat()}.")


@heads_cli.command("sync")
def sync() -> None:
    """Bring the `head` role grants in step with who heads which unit today."""
    counts = services.sync_head_grants()
    db.session.commit()
    click.echo(f"head grants: {counts['added']} added, {counts['removed']} removed.")


report_cli = AppGroup("report", help="Reports: the annual training report.")


@report_cli.command("annual")
@click.argument("year", type=int)
@click.option("--unit", "unit_code", help="Only this unit's subtree (default: every unit).")
@click.option("--output", "output", required=True, help="The file to write (.xlsx, .csv, .pdf).")
def annual(year: int, unit_code: str | None, output: str) -> None:
    """Write the training report of YEAR: by unit, category, rank group, content area,
    delivery and gender — officials trained, courses, periods, credits (lms.teams.report)."""
    from pathlib import Path

    from lms.common import exporter
    from lms.compliance.queries import cycle_by_year
    from lms.i18n import _
    from lms.teams import report

    cycle = cycle_by_year(year)
    if cycle is None:
        raise click.ClickException(f"There is no {year} cycle.")
    unit = _unit(unit_code) if unit_code else None
    rows, totals = report.report_rows(cycle, [unit.path] if unit else None)
    export = exporter.Export(
        f"bao-cao-{year}",
        _("Report %(year)d", year=year),
        _("Training results, %(year)d", year=year),
        report.header(),
        report.iter_rows(rows, totals, _("Total")),
        unit_code=unit.code if unit else "",
        unit_name=unit.name if unit else "",
    )
    path = Path(output)
    if path.suffix.lower() == ".pdf":
        write_pdf(path, year, unit, rows, totals)
    else:
        exporter.write_file(export, path)
    click.echo(
        f"{path}: {len(rows)} rows, {totals['officials']} officials, "
        f"{totals['periods']} periods, {totals['credits']} credits, "
        f"{totals['certificates']} certificates."
    )


def write_pdf(path, year: int, unit, rows, totals) -> None:
    """The report as a PDF in the Decree 30/2020 layout (templates/teams/annual_report_pdf.html,
    the embedded font of lms.common.pdf), written whole and readable by its owner only."""
    from flask import current_app, render_template

    from lms.common import files
    from lms.common.pdf import render_pdf

    config = current_app.config
    top = unit.parent.name if unit is not None and unit.parent is not None else ""
    with current_app.test_request_context():  # the templates' context wants a request
        html = _render_report(render_template, config, year, unit, rows, totals, top)
    files.write_atomic(path, render_pdf(html))


def _render_report(render_template, config, year, unit, rows, totals, top) -> str:
    from lms.common import clock
    from lms.teams import report

    return render_template(
        "teams/annual_report_pdf.html",
        year=year,
        unit=unit,
        header=report.header(),
        rows=rows,
        totals=totals,
        today=clock.today(),
        place=config.get("LMS_CERTIFICATE_PLACE", ""),
        parent_name=top or "UBND thành phố Đà Nẵng",
        issuer=unit.name if unit is not None else "Sở Nội vụ",
        signer_title=config.get("LMS_CERTIFICATE_SIGNER_TITLE", ""),
        signer_name=config.get("LMS_CERTIFICATE_SIGNER_NAME", ""),
    )


COMMANDS = [heads_cli, report_cli]
