"""`flask --app lms completions import FILE --actor LOGIN [--dry-run]`: historical completions
from the shell."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from lms.common.tabular import TableError, read_table
from lms.curricula.completions import importer as completions_import
from lms.extensions import db
from lms.i18n import _

completions_cli = AppGroup("completions", help="Course completions: historical imports.")


def _importer(login: str | None, override: str | None, dry_run: bool):
    """The account an import acts for (`--actor`): an enabled HR officer or administrator; its
    HR scope limits the rows, its own record is refused unless an administrator overrides."""
    from lms.auth.models import ADMINISTRATOR, HR_OFFICER, User
    from lms.auth.permissions import has_role, is_admin, scope_paths

    if override is not None and not override.strip():
        raise click.ClickException(_("--override-own-record needs a reason."))
    if login is None:
        if not dry_run:
            raise click.ClickException(
                _(
                    "Name the account the import acts for: --actor LOGIN "
                    "(an HR officer or an administrator)."
                )
            )
        if override:
            raise click.ClickException(_("--override-own-record needs --actor."))
        return None, None
    user = db.session.scalar(select(User).where(User.username == login.strip().lower()))
    if user is None or not user.is_enabled or not has_role(user, HR_OFFICER, ADMINISTRATOR):
        raise click.ClickException(
            _("%(login)s is not an enabled HR officer or administrator account.", login=login)
        )
    if override and not is_admin(user):
        raise click.ClickException(
            _("Only an administrator may override the separation of duties.")
        )
    return user, scope_paths(user, HR_OFFICER, ADMINISTRATOR)


@completions_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@click.option("--valid-only", is_flag=True, help="Import the valid rows even if others fail.")
@click.option(
    "--actor",
    "login",
    metavar="LOGIN",
    help="The account the import acts for (HR officer or administrator); required to write.",
)
@click.option(
    "--override-own-record",
    "override",
    metavar="REASON",
    help="Administrator only: also import rows about the actor's own record (audited).",
)
def import_completions(
    file: str, dry_run: bool, valid_only: bool, login: str | None, override: str | None
) -> None:
    """Import historical completions (employee_code, course_code, completed_on, score, credits,
    certificate_number) from a CSV or XLSX file. Importing the same file again adds nothing.

    The import acts for an account (--actor): the entries carry it, its HR scope limits the
    rows, and rows about its own official record are refused (separation of duties) unless an
    administrator gives --override-own-record REASON, which is audited."""
    actor, scope = _importer(login, override, dry_run)
    data = Path(file).read_bytes()
    try:
        table = read_table(file, data, current_app.config["LMS_IMPORT_MAX_BYTES"])
    except TableError as error:
        raise click.ClickException(str(error)) from None
    own = None if override else getattr(actor, "official_id", None)
    plan = completions_import.plan(table, scope, own_official_id=own)
    summary = plan.summary()
    click.echo(
        "{total} rows: {new} new, {unchanged} already imported, {error} with errors.".format(
            **summary
        )
    )
    for line, code, column, message in completions_import.report_rows(plan):
        if column or line == 1:
            click.echo(f"  line {line}: {code} {column}: {message}".replace("  :", ":"))
    if plan.file_errors or (plan.has_errors and not valid_only):
        raise click.ClickException(
            "Nothing was imported: fix the rows above (or use --valid-only)."
        )
    if dry_run:
        click.echo("Dry run: nothing written.")
        return
    counts = completions_import.apply(
        plan, actor=actor, valid_only=valid_only, override=override.strip() if override else None
    )
    db.session.commit()
    if not counts["created"]:
        click.echo("No change: every row was imported before.")
    else:
        click.echo(
            "Imported: {created} completions, {credits} credits written, "
            "{skipped} rows skipped.".format(**counts)
        )
    if counts["skipped"]:
        sys.exit(1)


COMMANDS = (completions_cli,)
