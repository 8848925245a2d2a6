"""`flask --app lms officials|units|positions|ranks …`: imports and exports from the shell;
`leave import`: officials' leave periods; `users provision`: accounts for officials
(lms/organisation/accounts_cli.py)."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from lms.common import exporter
from lms.common.tabular import TableError, read_table
from lms.extensions import db
from lms.organisation import (
    accounts_cli,
    exports,
    imports,
    leave_import,
    queries,
    reference_imports,
)

officials_cli = AppGroup("officials", help="Officials registry: import and export.")
units_cli = AppGroup("units", help="Org units.")
positions_cli = AppGroup("positions", help="Job positions.")
ranks_cli = AppGroup("ranks", help="Ranks (ngạch).")
leave_cli = AppGroup("leave", help="Officials' leave periods (nghỉ dài ngày, vắng mặt).")


def _read(path: str):
    data = Path(path).read_bytes()
    try:
        return read_table(path, data, current_app.config["LMS_IMPORT_MAX_BYTES"])
    except TableError as error:
        raise click.ClickException(str(error)) from None


def _print_report(lines: list[list], only_errors: bool) -> None:
    for line, code, column, message in lines:
        if not only_errors or column or line == 1:
            click.echo(f"  line {line}: {code} {column}: {message}".replace("  :", ":"))


@officials_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@click.option("--valid-only", is_flag=True, help="Import the valid rows even if others fail.")
@click.option(
    "--full-roster",
    is_flag=True,
    help="The file lists everyone: mark active officials missing from it as left.",
)
@click.option(
    "--provision-accounts", "output", metavar="FILE.csv", type=accounts_cli.PATH,
    help="Also create the accounts the officials in the file lack; their links go to FILE.csv.",
)  # fmt: skip
@accounts_cli.shared_options
def import_officials(
    file: str, dry_run: bool, valid_only: bool, full_roster: bool, **provisioning
) -> None:
    """Import officials with their current post from a CSV or XLSX file (keyed by code);
    with --provision-accounts, also create the accounts the officials in it lack."""
    if (provisioning["letters_path"] or provisioning["email"]) and not provisioning["output"]:
        raise click.UsageError("--letters and --email go with --provision-accounts FILE.csv.")
    table = _read(file)
    with click.progressbar(length=len(table.rows), label="Checking rows", file=sys.stderr) as bar:
        plan = imports.plan_officials(table, None, full_roster, progress=bar.update)
    summary = plan.summary()
    click.echo(
        "{total} rows: {create} new, {update} updated, {move} position changes, "
        "{unchanged} unchanged, {error} with errors; {absent} absent from the roster.".format(
            **summary
        )
    )
    _print_report(imports.report_rows(plan), only_errors=True)
    if dry_run or (plan.has_errors and not valid_only) or plan.file_errors:
        if plan.has_errors:
            raise click.ClickException(
                "Nothing was imported: fix the rows above (or use --valid-only)."
            )
        click.echo("Dry run: nothing written.")
        return
    counts = imports.apply_plan(plan, actor=None, valid_only=valid_only)
    provisioned = None
    if provisioning["output"]:  # in the same transaction as the import
        ids = [row.official_id for row in plan.rows if not row.errors and row.official_id]
        provisioned = accounts_cli.provision_and_write(ids=ids, source="import", **provisioning)
    db.session.commit()
    if not any(counts[k] for k in ("created", "updated", "moved", "left")):
        click.echo("No change: every row matches the registry.")
    else:
        click.echo(
            "Imported: {created} new, {updated} updated, {moved} position changes, "
            "{left} marked as left ({accounts_disabled} accounts disabled), "
            "{skipped} rows skipped.".format(**counts)
        )
    if provisioned is not None:
        accounts_cli.finish(provisioned, **provisioning)
    if counts["skipped"] or (provisioned is not None and provisioned.run.problems):
        sys.exit(1)


@officials_cli.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
def export_officials(file: str) -> None:
    """Write the registry in the import columns (.csv or .xlsx by the file name; the CSV in the
    form of LMS_DEFAULT_LOCALE: `;` and the decimal comma for vi)."""
    header, rows = exports.official_rows(None)
    unit = queries.export_unit(None)
    export = exports.registry_export(header, rows, unit)
    exporter.write_file(export, Path(file))
    click.echo(f"Wrote {file}.")


def _reference_command(group: AppGroup, kind: str) -> None:
    @group.command("import")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    @click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
    def import_reference(file: str, dry_run: bool) -> None:
        table = _read(file)
        result = reference_imports.import_reference(kind, table, actor=None)
        for line, message in result.errors:
            click.echo(f"  line {line}: {message}")
        if result.errors:
            db.session.rollback()
            raise click.ClickException("Nothing was imported: fix the rows above.")
        if dry_run:
            db.session.rollback()
            click.echo(
                f"Dry run: {result.created} new, {result.updated} updated, "
                f"{result.unchanged} unchanged; nothing written."
            )
            return
        db.session.commit()
        click.echo(f"{result.created} new, {result.updated} updated, {result.unchanged} unchanged.")

    import_reference.__doc__ = f"Import {kind} from a CSV or XLSX file (keyed by code)."


for _group, _kind in ((units_cli, "units"), (positions_cli, "positions"), (ranks_cli, "ranks")):
    _reference_command(_group, _kind)


@leave_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
def import_leave(file: str, dry_run: bool) -> None:
    """Import leave periods (employee_code, kind, from, to, decision_number; dates dd/mm/yyyy;
    kinds maternity, sick, study, secondment, unpaid, suspension) from a CSV or XLSX file.
    Importing the same file again changes nothing; a row with a stored period's first day
    corrects it. Any row in error: nothing is written."""
    table = _read(file)
    plan = leave_import.plan(table, None)
    click.echo(
        "{total} rows: {new} new, {updated} corrected, {unchanged} unchanged, "
        "{error} with errors.".format(**plan.summary())
    )
    _print_report(leave_import.report_rows(plan), only_errors=True)
    if plan.has_errors:
        raise click.ClickException("Nothing was imported: fix the rows above.")
    if dry_run:
        click.echo("Dry run: nothing written.")
        return
    counts = leave_import.apply(plan, actor=None)
    db.session.commit()
    if not counts["created"] and not counts["updated"]:
        click.echo("No change: every period is recorded already.")
    else:
        click.echo("Imported: {created} new, {updated} corrected.".format(**counts))


COMMANDS = (officials_cli, units_cli, positions_cli, ranks_cli, leave_cli)
