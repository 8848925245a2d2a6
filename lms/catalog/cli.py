"""`flask --app lms courses import PATH` and `courses export CODE PATH`: the courses/ tree."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from lms.catalog import archive, queries, transfer
from lms.catalog.contentfiles import parse_tree
from lms.catalog.models import DRAFT, PUBLISHED
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import OrgUnit

# Other content imported with the courses (a later domain registers here at app setup): folder
# name (contentfiles.OTHER_FOLDERS) → function(files under that folder, dry_run) → report lines;
# it raises click.ClickException to refuse (the courses' transaction is then rolled back).
TREE_PARTS: dict = {}

courses_cli = AppGroup("courses", help="Course content as files: courses/<CODE>/… (DESIGN.md §4).")


def _read(path: Path) -> dict[str, bytes]:
    """The files of a folder or a .zip; every problem is printed and the command fails."""
    limits = archive.Limits.from_config(current_app.config)
    if path.is_file():
        files, errors = archive.read_zip(path.read_bytes(), limits)
    else:
        files, errors = archive.read_directory(path, limits)
    _fail_on(errors)
    return files


def _fail_on(errors: list) -> None:
    if errors:
        for error in errors:
            click.echo(str(error), err=True)
        raise click.ClickException(
            _("Nothing was imported: %(count)d problem(s) listed above.", count=len(errors))
        )


def _owner(code: str | None) -> int | None:
    """The unit owning new courses: --owner, else the root of the unit tree when there is one
    (None: only administrators may edit them)."""
    if code:
        unit_id = db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == code))
        if unit_id is None:
            raise click.BadParameter(_("Unknown unit."), param_hint="--owner")
        return unit_id
    roots = db.session.scalars(select(OrgUnit.id).where(OrgUnit.parent_id.is_(None))).all()
    return roots[0] if len(roots) == 1 else None


@courses_cli.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--owner", "owner_code", help="Unit code owning new courses (default: the root).")
@click.option(
    "--status",
    type=click.Choice([PUBLISHED.value, DRAFT.value]),  # values: click shows an enum's names
    default=PUBLISHED.value,
    show_default=True,
    help="Status of new courses (existing courses keep theirs).",
)
@click.option("--dry-run", is_flag=True, help="Check everything and report; write nothing.")
def import_courses(path: Path, owner_code: str | None, status: str, dry_run: bool) -> None:
    """Import PATH: a folder of course folders, one course folder, or a .zip of either.

    The whole tree is checked first and nothing is written on any error. Importing the same
    tree twice changes nothing; a changed course is updated in place and keeps its learners'
    progress.
    """
    files = _read(path)
    parts = _split_parts(files)
    bundles, errors = parse_tree(files) if files or not parts else ([], [])
    _fail_on(errors)
    report = None
    try:
        report = transfer.import_bundles(bundles, None, _owner(owner_code), status)
    except ValidationFailed as error:
        db.session.rollback()
        errors = [message for _field, message in error.reasons]
    _fail_on(errors)
    assert report is not None
    part_lines = []
    try:
        for folder, part_files in parts.items():
            part_lines += TREE_PARTS[folder](part_files, _owner(owner_code))
    except click.ClickException:
        db.session.rollback()
        raise
    for warning in report.warnings:
        click.echo(_("Warning: %(text)s", text=warning), err=True)
    for code in report.created:
        click.echo(f"  + {code}")
    for code in report.updated:
        click.echo(f"  ~ {code}")
    if dry_run:
        db.session.rollback()
        click.echo(_("Dry run: nothing was written."))
    else:
        db.session.commit()
        transfer.sync_assets(report)
    for line in part_lines:
        click.echo(line)
    if not bundles:
        return
    if report.changed:
        click.echo(
            _(
                "%(total)d courses: %(created)d created, %(updated)d updated, "
                "%(unchanged)d unchanged.",
                total=len(bundles),
                created=len(report.created),
                updated=len(report.updated),
                unchanged=len(report.unchanged),
            )
        )
    else:
        click.echo(_("No change: %(total)d courses already up to date.", total=len(bundles)))


def _split_parts(files: dict[str, bytes]) -> dict[str, dict[str, bytes]]:
    """Take the registered folders of other content (TREE_PARTS) out of `files`: {folder:
    {path inside the folder: bytes}}."""
    parts: dict[str, dict[str, bytes]] = {}
    for file_path in list(files):
        folder, _slash, rest = file_path.partition("/")
        if folder in TREE_PARTS and rest:
            parts.setdefault(folder, {})[rest] = files.pop(file_path)
    return parts


@courses_cli.command("export")
@click.argument("code")
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
def export_course(code: str, path: Path) -> None:
    """Write course CODE to PATH/CODE/ (course.toml, lessons/, questions.gift, assets/).

    The folder ends up holding exactly the course: files of it that the course no longer has
    (a renamed lesson) are removed, so the next import does not bring them back.
    """
    course = queries.course_by_code(code)
    if course is None:
        raise click.ClickException(_("No course has the code %(code)s.", code=code))
    try:
        files = transfer.export_files(course)
    except RuleViolation as error:
        raise click.ClickException(error.message) from error
    target = path / course.code
    removed = archive.write_course_folder(target, files)
    for rel in removed:
        click.echo(f"  - {rel}")
    click.echo(
        _("%(code)s: %(count)d files in %(path)s", code=course.code, count=len(files), path=target)
    )


COMMANDS = (courses_cli,)
