"""`flask --app lms certificates issue`: issue the certificates that completions requested;
`certificates verify-file FILE`: check a PDF's signature and its record (exit 0 only for an
intact PDF signed by the agency whose certificate is not revoked)."""

import sys

import click
from flask.cli import AppGroup

from lms.certificates import services, verify_file
from lms.extensions import db
from lms.i18n import _, ngettext

certificates_cli = AppGroup("certificates", help="Certificates of completed courses.")


@certificates_cli.command("issue")
@click.option("--limit", default=5000, show_default=True, help="At most this many at once.")
def issue(limit: int) -> None:
    """Issue every requested certificate (oldest first). Safe to run again."""
    if limit < 1:
        raise click.BadParameter(_("must be at least 1"), param_hint="--limit")
    report = services.issue_requested(actor=None, limit=limit)
    db.session.commit()
    click.echo(
        ngettext("%(num)d certificate issued.", "%(num)d certificates issued.", len(report.issued))
    )
    for completion_id, message in report.skipped:
        click.echo(_("Completion %(id)s: %(message)s", id=completion_id, message=message), err=True)


@certificates_cli.command("verify-file")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, readable=True))
def verify_file_command(path: str) -> None:
    """Check a PDF: is its signature intact and ours, and is the certificate it names in our
    records and not revoked. Exit status 0 when all is well, 1 otherwise."""
    with open(path, "rb") as handle:
        data = handle.read(verify_file.MAX_BYTES * 10 + 1)
    if len(data) > verify_file.MAX_BYTES * 10:
        click.echo(_("The file is too large to be one of our documents."), err=True)
        sys.exit(1)
    answer = verify_file.check_file(data, "cli", "")
    db.session.commit()
    for line in answer.lines():
        click.echo(line)
    click.echo(_("Result: genuine.") if answer.ok else _("Result: NOT genuine."))
    sys.exit(0 if answer.ok else 1)


COMMANDS = (certificates_cli,)
