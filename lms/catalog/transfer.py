"""Importing course trees into the catalog, and a course back to its files (DESIGN.md §4).

An import checks the whole tree against the database before it writes anything (scope,
prerequisites, cycles), compares each course's canonical digest with what is stored and leaves
unchanged courses alone (no row written), and updates changed ones in place: lessons keep their
id when their slug matches, so learners' progress survives; a lesson gone from the files is
retired, not deleted. Callers commit, then sync the asset folders (lms.catalog.assetstore).
"""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.audit.services import record
from lms.auth.scope import Scope
from lms.catalog import assetstore, rules
from lms.catalog.bundles import AssetFile, ContentError, CourseBundle, LessonFile
from lms.catalog.contentfiles import course_files, digest
from lms.catalog.coursetoml import COURSE_FIELDS, TEST_KEYS
from lms.catalog.models import DRAFT, Course, CourseAsset, Lesson
from lms.catalog.services import (
    assign,
    derive_keys,
    prerequisite_graph,
    set_positions,
)
from lms.common import clock
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import Position


@dataclass
class ImportReport:
    """What an import did, course code by course code."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    bundles: list[CourseBundle] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def course_bundle(course: Course, with_data: bool = False) -> CourseBundle:
    """A stored course as the bundle its files would hold (asset bytes read when `with_data`).

    Raises RuleViolation when `with_data` and an asset file is missing from the folder.
    """
    settings = course.test_settings or {}
    assets = []
    for asset in course.assets:
        data = None
        if with_data:
            try:
                data = assetstore.read(course.code, asset.path)
            except FileNotFoundError:
                raise RuleViolation(
                    _("The file assets/%(path)s is missing on the server.", path=asset.path),
                    "asset_missing",
                ) from None
        assets.append(AssetFile(asset.path, asset.sha256, asset.size, data))
    fields = {name: getattr(course, name) for name in COURSE_FIELDS}
    fields["summary"] = fields["summary"] or ""  # none is written as an empty one
    return CourseBundle(
        code=course.code,
        **fields,
        positions=tuple(course.position_codes),
        prerequisites=tuple(sorted(c.code for c in course.prerequisites)),
        test=tuple((key, settings[key]) for key in TEST_KEYS if key in settings),
        lessons=tuple(
            LessonFile(lesson.slug, lesson.title, lesson.body_markdown)
            for lesson in course.active_lessons
        ),
        question_bank=course.question_bank_source,
        assets=tuple(assets),
    )


def export_files(course: Course) -> dict[str, bytes]:
    """The course's folder as {path relative to the folder: bytes} (canonical form)."""
    return course_files(course_bundle(course, with_data=True))


def _load(codes: list[str]) -> dict[str, Course]:
    stmt = (
        select(Course)
        .where(Course.code.in_(codes))
        .options(
            selectinload(Course.lessons),
            selectinload(Course.positions),
            selectinload(Course.prerequisites),
            selectinload(Course.assets),
            selectinload(Course.owner_unit),
        )
    )
    return {course.code: course for course in db.session.scalars(stmt)}


def _check(bundles: list[CourseBundle], existing: dict[str, Course], scope) -> list[ContentError]:
    """Checks that need the database: scope, known prerequisites, no cycle."""
    scope = Scope.from_paths(scope)
    errors = []
    for code, course in existing.items():
        path = course.owner_unit.path if course.owner_unit else None
        if not scope.covers_unit(path):
            errors.append(
                ContentError(code, None, _("This course belongs to a unit outside your scope."))
            )
    graph = prerequisite_graph()
    graph.update({bundle.code: set(bundle.prerequisites) for bundle in bundles})
    wanted = {code for bundle in bundles for code in bundle.prerequisites}
    known = set(db.session.scalars(select(Course.code).where(Course.code.in_(wanted))))
    known |= {bundle.code for bundle in bundles}
    for bundle in bundles:
        unknown = sorted(set(bundle.prerequisites) - known)
        if unknown:
            errors.append(
                ContentError(
                    f"{bundle.code}/course.toml",
                    "prerequisites",
                    _("Unknown course: %(codes)s.", codes=", ".join(unknown)),
                )
            )
    cycle = rules.find_cycle(graph)
    if cycle and not errors:
        errors.append(
            ContentError(
                f"{cycle[0]}/course.toml",
                "prerequisites",
                _("Prerequisites go round in a circle: %(path)s.", path=" → ".join(cycle)),
            )
        )
    return errors


def import_bundles(
    bundles: list[CourseBundle],
    actor,
    owner_unit_id: int | None,
    new_status: str = DRAFT,
    scope: Scope | list[str] | None = None,
) -> ImportReport:
    """Create or update the courses of a parsed tree. Nothing is written unless all is valid.

    Args:
        bundles: From contentfiles.parse_tree, with no errors.
        actor: The user importing (None for the command line); audited.
        owner_unit_id: Owner of courses created by this import (existing ones keep theirs).
        new_status: Status of created courses (existing ones keep theirs).
        scope: Unit paths the actor may author in (None: everything); an existing course owned
            outside it refuses the whole import.

    Raises:
        ValidationFailed: reasons (None, "<file>: <key>: <message>") for every problem.
    """
    existing = _load([bundle.code for bundle in bundles])
    errors = _check(bundles, existing, scope)
    if errors:
        raise ValidationFailed([(None, str(error)) for error in errors])
    report = ImportReport(bundles=list(bundles))
    known_positions = set(db.session.scalars(select(Position.code)))
    for bundle in bundles:
        unknown = [code for code in bundle.positions if code not in known_positions]
        if unknown:
            report.warnings.append(
                _(
                    "%(code)s: positions not defined here (kept): %(codes)s",
                    code=bundle.code,
                    codes=", ".join(unknown),
                )
            )
        course = existing.get(bundle.code)
        if course is not None and digest(course_bundle(course)) == digest(bundle):
            report.unchanged.append(bundle.code)
            continue
        if course is None:
            course = Course(code=bundle.code, owner_unit_id=owner_unit_id, status=new_status)
            db.session.add(course)
            existing[bundle.code] = course
            report.created.append(bundle.code)
        else:
            report.updated.append(bundle.code)
        _apply(course, bundle)
    db.session.flush()
    for code in report.created + report.updated:
        _link_prerequisites(existing[code], next(b for b in bundles if b.code == code))
        record(
            actor,
            "course.imported",
            "course",
            code,
            after={"result": "created" if code in report.created else "updated"},
        )
    db.session.flush()
    return report


def _apply(course: Course, bundle: CourseBundle) -> None:
    assign(course, **{name: getattr(bundle, name) for name in COURSE_FIELDS})
    assign(
        course,
        test_settings=bundle.test_settings,
        question_bank_source=bundle.question_bank,
    )
    derive_keys(course)
    set_positions(course, bundle.positions)
    by_slug = {lesson.slug: lesson for lesson in course.lessons}
    for position, item in enumerate(bundle.lessons, start=1):
        lesson = by_slug.pop(item.slug, None)
        if lesson is None:
            lesson = Lesson(slug=item.slug)
            course.lessons.append(lesson)
        assign(
            lesson,
            title=item.title,
            body_markdown=item.body,
            position=position,
            retired_at=None,
        )
    for lesson in by_slug.values():
        if lesson.retired_at is None:
            lesson.retired_at = clock.now()
    rows = {asset.path: asset for asset in course.assets}
    for asset in bundle.assets:
        row = rows.pop(asset.path, None)
        if row is None:
            course.assets.append(CourseAsset(path=asset.path, size=asset.size, sha256=asset.sha256))
        else:
            assign(row, size=asset.size, sha256=asset.sha256)
    for row in rows.values():
        course.assets.remove(row)


def _link_prerequisites(course: Course, bundle: CourseBundle) -> None:
    if sorted(c.code for c in course.prerequisites) != list(bundle.prerequisites):
        required = db.session.scalars(select(Course).where(Course.code.in_(bundle.prerequisites)))
        course.prerequisites = sorted(required, key=lambda c: c.code)


def sync_assets(report: ImportReport) -> None:
    """After the commit: write every imported course's asset folder (repairing lost files)."""
    for bundle in report.bundles:
        assetstore.sync(bundle.code, bundle.assets)
