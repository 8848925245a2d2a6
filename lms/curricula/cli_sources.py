"""`flask --app lms completions import FILE [--dry-run]`, `flask --app lms ledger verify` and
`ledger seal`: historical completions from the shell, the check of every official's hash chain
and of the latest seal, and the seal itself."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from lms.common.tabular import TableError, iter_chunks, read_table
from lms.curricula import completions_import, ledger
from lms.curricula.models import LedgerEntry
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import Official

completions_cli = AppGroup("completions", help="Course completions: historical imports.")
ledger_cli = AppGroup("ledger", help="The credit ledger: verify the hash chains, seal.")

PROBLEMS = {
    "hash": "content changed (the stored hash does not match the entry)",
    "link": "link broken (prev_hash is not the hash of the previous entry)",
    "gap": "entry missing before this one (sequence gap)",
}


SEAL_PROBLEMS = {
    "signature": "the seal's figures do not match its signature (altered, or SECRET_KEY changed)",
    "missing": "sealed entries were removed",
    "extra": "entries appeared among the sealed ones",
    "heads": "an official's last sealed entry was replaced or removed",
}


@ledger_cli.command("verify")
def verify_ledger() -> None:
    """Check every official's chain of ledger entries, then the latest seal; exit code 1 and
    one line per break (employee code, seq, problem) when a row was changed, deleted or
    reordered in SQL, or when sealed entries are gone."""
    total = db.session.scalar(select(func.count()).select_from(LedgerEntry)) or 0
    breaks = []
    with click.progressbar(length=total, label="Verifying", file=sys.stderr) as bar:
        for found in ledger.verify(progress=bar.update):
            breaks.append(found)
    sealed = ledger.check_seal()
    if sealed.seal is None:
        click.echo("No seal yet (`flask ledger seal`, also run nightly).")
    else:
        stamp = (
            f"seal of {sealed.seal.sealed_at:%Y-%m-%d %H:%M} UTC ({sealed.seal.entries} entries)"
        )
        click.echo(f"{stamp}: {'BROKEN' if sealed.problems else 'holds'}")
        for problem in sealed.problems:
            click.echo(f"BROKEN seal: {SEAL_PROBLEMS[problem]}")
    if not breaks and not sealed.problems:
        click.echo(f"Ledger OK: {total} entries verified.")
        return
    codes = {}
    ids = sorted({b.official_id for b in breaks})
    for chunk in iter_chunks(ids, 900):
        rows = db.session.execute(
            select(Official.id, Official.employee_code).where(Official.id.in_(chunk))
        )
        codes.update(dict(rows.all()))
    for found in breaks:
        code = codes.get(found.official_id, f"official #{found.official_id}")
        click.echo(
            f"BROKEN {code} seq {found.seq} (entry {found.entry_id}): {PROBLEMS[found.problem]}"
        )
    raise click.ClickException(
        f"{len(breaks)} break(s) in the chains of {len(ids)} official(s) among {total} entries"
        + (f"; the seal does not hold ({', '.join(sealed.problems)})." if sealed.problems else ".")
    )


@ledger_cli.command("seal")
def seal_ledger() -> None:
    """Seal the ledger as it is now: the number of entries and each official's last one,
    signed with SECRET_KEY, so that `ledger verify` notices sealed entries removed later."""
    row = ledger.seal()
    db.session.commit()
    if row is None:
        click.echo("The ledger is empty: nothing to seal.")
        return
    click.echo(f"Sealed {row.entries} entries of {row.officials} officials: {row.digest}")


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


COMMANDS = (completions_cli, ledger_cli)
