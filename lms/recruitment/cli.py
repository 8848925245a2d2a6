"""`flask --app lms recruitment …`: set up a recruitment (create, positions, rooms, sessions,
invigilators), import candidates from a file (with --dry-run), submit the papers whose time is
up, and verify the results log (docs/recruitment.md)."""

from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from lms.auth.models import User
from lms.catalog.models import Course
from lms.common import clock
from lms.common.tabular import TableError, read_table
from lms.errors import LMSError
from lms.extensions import db
from lms.i18n import _
from lms.recruitment import exam, importer, queries, results_log, rules, services
from lms.recruitment.models import ExamSession

recruitment_cli = AppGroup(
    "recruitment", help="Recruitment exams: set-up, candidates, results log."
)


def _recruitment(code: str):
    item = queries.recruitment_by_code(code)
    if item is None:
        raise click.ClickException(_("Unknown recruitment %(code)s.", code=code))
    return item


def _moment(text: str) -> datetime:
    """A Vietnam local time "dd/mm/yyyy hh:mm" as the naive UTC moment the database keeps."""
    try:
        local = datetime.strptime(text.strip(), "%d/%m/%Y %H:%M")
    except ValueError as error:
        raise click.BadParameter(_("Write the time as dd/mm/yyyy hh:mm.")) from error
    return local.replace(tzinfo=clock.LOCAL_TZ).astimezone(UTC).replace(tzinfo=None)


def _done(action):
    try:
        result = action()
    except LMSError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    return result


@recruitment_cli.command("create")
@click.argument("code")
@click.option("--name", required=True, help="The recruitment's name.")
@click.option("--year", type=int, required=True)
@click.option("--unit", required=True, help="Code of the organising unit.")
@click.option("--opens", help="First day of online applications (dd/mm/yyyy).")
@click.option("--closes", help="Last day of online applications (dd/mm/yyyy).")
@click.option("--appeal-days", type=int, default=15, show_default=True)
def create(code, name, year, unit, opens, closes, appeal_days) -> None:
    """Create a recruitment."""

    def day(text):
        return datetime.strptime(text, "%d/%m/%Y").date() if text else None

    _done(
        lambda: services.create_recruitment(
            code, name, year, unit, None, day(opens), day(closes), appeal_days, "applications"
        )
    )
    click.echo(_("Recruitment %(code)s created.", code=code.upper()))


@recruitment_cli.command("add-position")
@click.argument("code")
@click.argument("position")
@click.option("--title", required=True)
@click.option("--unit", required=True, help="Code of the unit the position is in.")
@click.option("--quota", type=int, default=1, show_default=True)
def add_position(code, position, title, unit, quota) -> None:
    """Add a position with its quota."""
    item = _recruitment(code)
    _done(lambda: services.add_position(item, position, title, unit, quota, None))
    click.echo(_("Position %(code)s added.", code=position.upper()))


@recruitment_cli.command("add-room")
@click.argument("code")
@click.argument("name")
@click.option("--seats", type=int, default=30, show_default=True)
@click.option("--location", default="")
def add_room(code, name, seats, location) -> None:
    """Add an exam room."""
    item = _recruitment(code)
    _done(lambda: services.add_room(item, name, seats, None, location))
    click.echo(_("Room %(name)s added.", name=name))


@recruitment_cli.command("add-session")
@click.argument("code")
@click.option("--room", required=True, help="The room's name.")
@click.option("--starts", required=True, help="dd/mm/yyyy hh:mm, Vietnam time.")
@click.option("--ends", required=True, help="dd/mm/yyyy hh:mm, Vietnam time.")
@click.option("--duration", type=int, default=60, show_default=True, help="Minutes.")
@click.option("--title", default="")
@click.option(
    "--subject",
    type=click.Choice(["general", "language", "it", "professional"]),
    default="general",
    show_default=True,
)
@click.option("--bank", required=True, help="Code of the course whose question bank is used.")
@click.option(
    "--blueprint",
    required=True,
    help='Rows "TOPIC:DIFFICULTY:COUNT" separated by ";" (TOPIC a category path or '
    "empty; DIFFICULTY easy, medium, hard or empty).",
)
@click.option("--networks", default="", help="Allowed IP ranges, e.g. 10.1.0.0/16.")
@click.option("--session-code", default="", help="The code to announce (default: generated).")
def add_session(
    code, room, starts, ends, duration, title, subject, bank, blueprint, networks, session_code
) -> None:
    """Add a computer-based session and print its code."""
    item = _recruitment(code)
    found = {r.name: r for r in queries.rooms_of(item.id)}.get(room)
    course = db.session.scalar(select(Course).where(Course.code == bank.upper()))
    if found is None or course is None:
        raise click.ClickException(_("Unknown room or question bank."))
    try:
        rows = rules.parse_blueprint(blueprint)
    except ValueError as error:
        raise click.BadParameter(_("Blueprint rows are TOPIC:DIFFICULTY:COUNT.")) from error
    data = services.SessionData(
        room_id=found.id,
        starts_at=_moment(starts),
        ends_at=_moment(ends),
        duration_minutes=duration,
        title=title,
        subject=subject,
        allowed_networks=networks,
        bank_course_id=course.id,
        blueprint=tuple(rows),
        code=session_code,
    )
    session = _done(lambda: services.create_session(item, data, None))
    short = rules.shortfalls(exam.bank_items(session), rows)
    for row, available in short:
        click.echo(
            _(
                "Warning: %(topic)s asks %(count)d questions, the bank has %(available)d.",
                topic=row["category"] or "*",
                count=row["count"],
                available=available,
            ),
            err=True,
        )
    click.echo(_("Session %(id)d added; its code is %(code)s.", id=session.id, code=session.code))


@recruitment_cli.command("invigilator")
@click.argument("session_id", type=int)
@click.argument("username")
def invigilator(session_id, username) -> None:
    """Name a user invigilator of a session."""
    session = db.session.get(ExamSession, session_id)
    user = db.session.scalar(select(User).where(User.username == username.lower()))
    if session is None or user is None:
        raise click.ClickException(_("Unknown session or user."))
    _done(lambda: services.add_invigilator(session, user.id, None))
    click.echo(_("%(user)s invigilates session %(id)d.", user=user.username, id=session_id))


@recruitment_cli.command("import")
@click.argument("code")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report, write nothing.")
def import_candidates(code, file: Path, dry_run: bool) -> None:
    """Import candidates from a CSV or XLSX file (every row checked first; nothing is written
    while a row has an error)."""
    item = _recruitment(code)
    try:
        table = read_table(file.name, file.read_bytes(), current_app.config["LMS_IMPORT_MAX_BYTES"])
    except TableError as error:
        raise click.ClickException(str(error)) from error
    result = importer.plan(table, item)
    for line, name, column, message in importer.report_rows(result):
        click.echo(f"{line}\t{name}\t{column}\t{message}")
    if result.has_errors:
        raise SystemExit(1)
    if dry_run:
        click.echo(_("Dry run: %(num)d candidates would be registered.", num=len(result.rows)))
        return
    counts = _done(lambda: importer.apply(result, item, None))
    click.echo(_("Import finished: %(created)d candidates registered.", **counts))


@recruitment_cli.command("close-overdue")
def close_overdue() -> None:
    """Submit every paper whose time is up (the browser of a candidate who left did not)."""
    count = _done(exam.close_overdue)
    click.echo(_("%(num)d papers submitted.", num=count))


@recruitment_cli.command("verify")
@click.argument("code", required=False)
def verify(code) -> None:
    """Verify the results log (one recruitment, or all); exit code 1 when a line is broken."""
    item = _recruitment(code) if code else None
    problems = results_log.verify(item.id if item else None)
    for p in problems:
        click.echo(f"candidate {p.candidate_id} line {p.seq} (id {p.entry_id}): {p.reason}")
    if problems:
        raise SystemExit(1)
    click.echo(_("Results log verified: every line intact."))


COMMANDS = (recruitment_cli,)
