"""`flask --app lms programmes export CODE PATH`, and the programmes/ part of
`flask --app lms courses import PATH` (registered in lms.catalog.cli.TREE_PARTS)."""

from pathlib import Path

import click
from flask.cli import AppGroup

from lms.errors import ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.programmes import transfer
from lms.programmes.files import PROGRAMME_FILE, parse_programmes, programme_toml

programmes_cli = AppGroup("programmes", help="Programmes (chứng chỉ): courses/programmes/<CODE>/.")


def import_part(files: dict[str, bytes], owner_unit_id: int | None) -> list[str]:
    """Import the programmes/ folder of a courses/ tree (after its courses, same transaction);
    the report lines. Raises click.ClickException listing every problem (nothing written)."""
    bundles, errors = parse_programmes(files)
    problems = [str(error) for error in errors]
    if not problems:
        try:
            report = transfer.import_programmes(bundles, None, owner_unit_id)
        except ValidationFailed as error:
            problems = [message for _field, message in error.reasons]
    if problems:
        for problem in problems:
            click.echo(problem, err=True)
        raise click.ClickException(
            _("Nothing was imported: %(count)d problem(s) listed above.", count=len(problems))
        )
    lines = [f"  + {code}" for code in report.created]
    lines += [f"  ~ {code}" for code in report.updated]
    lines.append(
        _(
            "%(total)d programmes: %(created)d created, %(updated)d updated, "
            "%(unchanged)d unchanged.",
            total=len(bundles),
            created=len(report.created),
            updated=len(report.updated),
            unchanged=len(report.unchanged),
        )
    )
    return lines


@programmes_cli.command("export")
@click.argument("code")
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
def export_programme(code: str, path: Path) -> None:
    """Write programme CODE to PATH/CODE/programme.toml (canonical form)."""
    programme = transfer.programme_by_code(code)
    if programme is None:
        raise click.ClickException(_("No programme has the code %(code)s.", code=code))
    target = path / programme.code
    target.mkdir(parents=True, exist_ok=True)
    text = programme_toml(transfer.programme_bundle(programme))
    (target / PROGRAMME_FILE).write_bytes(text.encode("utf-8"))
    click.echo(_("%(code)s: %(path)s", code=programme.code, path=target / PROGRAMME_FILE))
    db.session.rollback()


@programmes_cli.command("import-certificates")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
def import_certificates(file: Path, dry_run: bool) -> None:
    """Import historical programme certificates (employee_code, programme, number, date) from a
    CSV or XLSX file. Nothing is written when any row is wrong; importing again adds nothing."""
    from flask import current_app

    from lms.common.tabular import TableError, read_table
    from lms.programmes import historical

    try:
        table = read_table(file.name, file.read_bytes(), current_app.config["LMS_IMPORT_MAX_BYTES"])
    except TableError as error:
        raise click.ClickException(str(error)) from None
    checked = historical.plan(table, None)
    for line, message in checked.errors:
        click.echo(_("line %(line)d: %(message)s", line=line, message=message), err=True)
    if checked.errors:
        raise click.ClickException(
            _(
                "Nothing was imported: %(count)d problem(s) listed above.",
                count=len(checked.errors),
            )
        )
    if dry_run:
        db.session.rollback()
        click.echo(_("Dry run: nothing was written."))
        return
    created = historical.apply(checked, None)
    db.session.commit()
    click.echo(
        _(
            "%(created)d programme certificates imported, %(unchanged)d already there.",
            created=created,
            unchanged=checked.unchanged,
        )
    )


COMMANDS = (programmes_cli,)
