"""`flask --app lms users provision [--unit CODE] [--output FILE.csv]`: an account with a
one-time activation link for every working official who has none; also the provisioning
options of `officials import` (--provision-accounts FILE.csv). The links go to the CSV (or to
standard output), the letters to a PDF (--letters), and by email (--email)."""

import sys
from dataclasses import dataclass

import click
from sqlalchemy import func, select

from lms.auth import activation
from lms.auth.cli import users_cli
from lms.auth.models import ProvisioningRun
from lms.common import files
from lms.errors import RuleViolation
from lms.extensions import db
from lms.organisation import accounts, letters
from lms.organisation.models import OrgUnit

PATH = click.Path(dir_okay=False)


@dataclass
class Provisioned:
    """A run made from the shell, and the CSV of its links (printed when no file was named)."""

    run: ProvisioningRun
    links_csv: bytes


def shared_options(command):
    """--letters and --email, on both commands."""
    command = click.option(
        "--letters", "letters_path", metavar="FILE.pdf", type=PATH,
        help="Write the activation letters (one page per official) to this PDF.",
    )(command)  # fmt: skip
    return click.option(
        "--email", is_flag=True, help="Email the link to the officials who have an address."
    )(command)


def _write_private(path: str, data: bytes) -> None:
    """Write a file only its owner can read (it holds links that open accounts): a new 0600
    file renamed over `path`, so an existing file's wider mode is not kept."""
    files.write_atomic(path, data)


def _unit(code: str | None) -> OrgUnit | None:
    if not code:
        return None
    unit = db.session.scalar(select(OrgUnit).where(func.upper(OrgUnit.code) == code.upper()))
    if unit is None:
        raise click.ClickException(f"No unit has the code {code!r}.")
    return unit


def provision_and_write(
    *, ids=None, unit=None, reissue=False, output=None, letters_path=None, source="cli", **_
) -> Provisioned:
    """Run the provisioning (flushed, not committed) and write the CSV and PDF files first, so
    a file that cannot be written leaves nothing behind; the caller commits afterwards."""
    selection = accounts.Selection(None, _unit(unit), ids)
    try:
        run = accounts.provision(selection, None, source, accounts.site_address(), True, reissue)
    except RuleViolation as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    found, _lost = accounts.letters(accounts.Selection(None), run.id)
    links_csv = letters.links_csv(found)
    try:
        if output:
            _write_private(output, links_csv)
        if letters_path and found:
            _write_private(letters_path, letters.letters_pdf(found))
    except OSError as error:
        db.session.rollback()
        raise click.ClickException(f"Nothing was written: {error}") from None
    return Provisioned(run, links_csv)


def finish(done: Provisioned, output=None, letters_path=None, email=False, **_) -> None:
    """After the commit: print the links when no file was named, email them (--email), and
    say what was done, naming every official left without an account."""
    run = done.run
    if not output:
        sys.stdout.write(done.links_csv.decode("utf-8-sig"))
    where = [f"links in {output}"] if output else []
    where += (
        [f"letters in {letters_path}"] if letters_path and (run.created or run.reissued) else []
    )
    click.echo(
        f"{run.created} accounts created, {run.reissued} links re-issued"
        + "".join(f"; {w}" for w in where)
        + ".",
        err=True,
    )
    for problem in run.problems:
        click.echo(
            f"  {problem['employee_code']} {problem['full_name']}: the username "
            f"{problem['username']} belongs to another account; no account created.",
            err=True,
        )
    if email:
        _email(run)


def _email(run: ProvisioningRun) -> None:
    from lms.jobs import mailer

    run.emailed = True
    count = activation.notify_links(run.id)
    db.session.commit()
    sent = mailer.deliver_pending()
    click.echo(
        f"Emails: {count} officials with an address; {sent['sent']} sent now, "
        f"{sent['failed']} refused (the others wait for the mail server or the worker).",
        err=True,
    )


@users_cli.command("provision")
@click.option("--unit", metavar="CODE", help="Only the officials of this unit and below.")
@click.option(
    "--output", metavar="FILE.csv", type=PATH,
    help="Write the activation links (CSV) to this file instead of standard output.",
)  # fmt: skip
@click.option(
    "--reissue", is_flag=True,
    help="Also give every account never activated a new link (the old one stops working).",
)  # fmt: skip
@shared_options
def provision_command(**options) -> None:
    """Create an account for every working official who has none: the username is the
    employee code in lower case, with no password but a one-time activation link. Run again,
    it creates nothing. Exit code 1 when an official could not get an account."""
    done = provision_and_write(**options)
    db.session.commit()
    finish(done, **options)
    if done.run.problems:
        sys.exit(1)
