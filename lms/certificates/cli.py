"""`flask --app lms certificates issue`: issue the certificates that completions requested."""

import click
from flask.cli import AppGroup

from lms.certificates import services
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


COMMANDS = (certificates_cli,)
