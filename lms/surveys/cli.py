"""`flask --app lms surveys import PATH…`: questionnaire files (courses/surveys/*.toml) into
versions — all of them or none; the same content again adds nothing. Also the surveys/ part of
`flask --app lms courses import PATH` (registered in lms.catalog.cli.TREE_PARTS)."""

from pathlib import Path

import click
from flask.cli import AppGroup

from lms.extensions import db
from lms.i18n import _
from lms.surveys import services

FOLDER = "surveys"

surveys_cli = AppGroup("surveys", help="Questionnaires and survey responses.")


@surveys_cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the files and say what would change.")
def import_questionnaires(paths: tuple[Path, ...], dry_run: bool) -> None:
    """Import questionnaire files, or every *.toml file of a folder. A bad file stops the whole
    import (nothing is written) and every problem is listed."""
    result = services.import_paths(list(paths), dry_run=dry_run)
    if result.errors:
        for error in result.errors:
            click.echo(error, err=True)
        raise SystemExit(1)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    for code, outcome in sorted(result.outcomes.items()):
        click.echo(f"{code}: {outcome}" + (" (dry run)" if dry_run else ""))


def import_part(files: dict[str, bytes], _owner_unit_id: int | None) -> list[str]:
    """Import the surveys/ folder of a courses/ tree (after its courses, same transaction); the
    report lines. Raises click.ClickException listing every problem (nothing written)."""
    result = services.import_files({n: d for n, d in files.items() if "/" not in n})
    if result.errors:
        for error in result.errors:
            click.echo(error, err=True)
        raise click.ClickException(
            _("Nothing was imported: %(count)d problem(s) listed above.", count=len(result.errors))
        )
    return [f"  {code}: {outcome}" for code, outcome in sorted(result.outcomes.items())]


COMMANDS = (surveys_cli,)
