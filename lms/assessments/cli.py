"""`flask --app lms questions import|export|sync|close-overdue`: question banks from files."""

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from lms.assessments import attempts, bank
from lms.catalog import queries
from lms.catalog.models import Course
from lms.errors import ValidationFailed
from lms.extensions import db
from lms.i18n import _

questions_cli = AppGroup(
    "questions", help="Question banks: Moodle GIFT, Moodle XML and Aiken files."
)


def _course(code: str) -> Course:
    course = queries.course_by_code(code)
    if course is None:
        raise click.ClickException(_("No course has the code %(code)s.", code=code))
    return course


def _summary(report: bank.ImportReport) -> str:
    return _(
        "%(created)d created, %(updated)d updated, %(unchanged)d unchanged, %(retired)d retired.",
        created=len(report.created),
        updated=len(report.updated),
        unchanged=len(report.unchanged),
        retired=len(report.retired),
    )


@questions_cli.command("import")
@click.argument("code")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "file_format", type=click.Choice(bank.FORMATS), default="gift")
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
def import_questions(code: str, file: Path, file_format: str, dry_run: bool) -> None:
    """Import FILE into the bank of course CODE. A file with any error imports nothing (every
    error is listed with its line); importing the same file again updates, never duplicates."""
    course = _course(code)
    result = bank.parse_upload(file.read_bytes(), file_format)
    for warning in result.warnings:
        click.echo(_("Warning: %(text)s", text=str(warning)), err=True)
    if result.errors:
        for message in bank.problems(result):
            click.echo(message, err=True)
        raise click.ClickException(
            _("Nothing was imported: %(count)d problem(s) listed above.", count=len(result.errors))
        )
    report = bank.import_questions(course, result, None)
    if dry_run:
        db.session.rollback()
        click.echo(_("Dry run: nothing was written."))
    else:
        db.session.commit()
    click.echo(f"{course.code}: {_summary(report)}")


@questions_cli.command("export")
@click.argument("code")
@click.option("--format", "file_format", type=click.Choice(["gift", "xml"]), default="gift")
def export_questions(code: str, file_format: str) -> None:
    """Write the bank of course CODE to standard output as GIFT or Moodle XML (UTF-8)."""
    course = _course(code)
    text = bank.export_xml(course) if file_format == "xml" else bank.export_gift(course)
    click.echo(text, nl=False)
    skipped = bank.not_in_gift(course) if file_format == "gift" else []
    if skipped:
        message = _(
            "%(count)d Cloze question(s) left out: GIFT cannot carry embedded answers; export "
            "the bank as Moodle XML to keep them: %(names)s",
            count=len(skipped),
            names="; ".join(skipped),
        )
        click.echo(message, err=True)


@questions_cli.command("sync")
@click.argument("code", required=False)
def sync(code: str | None) -> None:
    """Build the banks and tests from the courses' questions.gift and [test] (all courses, or
    CODE). Idempotent: running it again changes nothing."""
    if code:
        courses = [_course(code)]
    else:
        courses = db.session.scalars(select(Course).order_by(Course.code)).all()
    failed = 0
    for course in courses:
        try:
            report = bank.sync_bank_from_course(course)
        except ValidationFailed as error:
            db.session.rollback()
            failed += 1
            for _field, message in error.reasons:
                click.echo(f"{course.code}: {message}", err=True)
            continue
        db.session.commit()
        click.echo(f"{course.code}: {_summary(report)}")
    if failed:
        raise click.ClickException(_("%(count)d course(s) not synced.", count=failed))


@questions_cli.command("close-overdue")
def close_overdue() -> None:
    """Submit and grade every attempt whose deadline has passed (run it every minute)."""
    count = attempts.close_overdue_attempts()
    db.session.commit()
    click.echo(_("%(count)d attempt(s) submitted.", count=count))


COMMANDS = (questions_cli,)
