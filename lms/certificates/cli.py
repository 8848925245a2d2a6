"""`flask --app lms certificates issue`: issue the certificates that completions requested."""

import click
from flask.cli import AppGroup

from lms.certificates import services
from lms.extensions import db

certificates_cli = AppGroup("certificates", help="Certificates of completed courses.")


@certificates_cli.command("issue")
@click.option("--limit", default=5000, show_default=True, help="At most this many at once.")
def issue(limit: int) -> None:
    """Issue every requested certificate (oldest first). Safe to run again."""
    if limit < 1:
        raise click.BadParameter("must be at least 1", param_hint="--limit")
    report = services.issue_requested(actor=None, limit=limit)
    db.session.commit()
    click.echo(f"{len(report.issued)} certificate(s) issued.")
    for completion_id, message in report.skipped:
        click.echo(f"completion {completion_id}: {message}", err=True)


COMMANDS = (certificates_cli,)
