"""Importing and exporting course trees: idempotent, byte-identical round trips, in-place updates
that keep learners' progress, and nothing written when anything is wrong."""

from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from lms.audit.models import AuditEntry
from lms.catalog import enrolments, services, transfer
from lms.catalog.archive import Limits, read_directory, zip_folder
from lms.catalog.contentfiles import OTHER_FOLDERS, parse_tree
from lms.catalog.models import Course, CourseAsset, Enrolment, Lesson, LessonProgress
from lms.errors import ValidationFailed
from lms.i18n import _
from tests.factories import PNG, course_tree, import_tree, make_official, make_units

SHIPPED = Path(__file__).resolve().parents[2] / "courses"


@pytest.fixture
def units(db):
    make_units()
    db.session.commit()


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _write(root: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def writes(db):
    """Every INSERT, UPDATE or DELETE sent while the test runs."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        if statement.lstrip().split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)


def test_an_import_creates_courses_with_lessons_positions_and_files(units, db, assets_dir):
    files = course_tree("BB01", assets=True, kind="by_position", positions=("XA-MC", "CM-PC"))
    report = import_tree(files | course_tree("TC01"))
    assert report.created == ["BB01", "TC01"] and not report.updated
    course = db.session.scalar(select(Course).where(Course.code == "BB01"))
    assert course.status == "published" and course.owner_unit.code == "DN"
    assert [lesson.slug for lesson in course.active_lessons] == [
        "khai-niem",
        "chuan-muc",
        "quy-tac-ung-xu",
    ]
    assert course.position_codes == ["XA-MC", "CM-PC"]
    assert (
        course.search_text
        == "bb01 van hoa cong vu va dao duc cong vu public service culture and ethics"
    )
    assert course.question_bank_source == files["BB01/questions.gift"].decode()
    assert course.test_settings == {"questions": 10, "pass_mark": 50, "shuffle": True}
    assert (assets_dir / "BB01" / "so-do.png").read_bytes() == PNG
    assert _count(db, AuditEntry) == 2


def test_importing_the_same_tree_twice_writes_nothing(units, db, assets_dir, writes):
    files = course_tree("BB01", assets=True) | course_tree("BB02", prerequisites=("BB01",))
    import_tree(files)
    writes.clear()
    report = import_tree(files)
    assert report.unchanged == ["BB01", "BB02"] and not report.changed
    assert writes == []


def test_export_then_import_then_export_is_byte_identical(units, db, assets_dir, runner, tmp_path):
    source = course_tree("BB01", assets=True) | course_tree("BB02", prerequisites=("BB01",))
    import_tree(source)
    first, second = tmp_path / "first", tmp_path / "second"
    for code in ("BB01", "BB02"):
        result = runner.invoke(args=["courses", "export", code, str(first)])
        assert result.exit_code == 0, result.output
    assert _tree(first) == source  # the factory writes canonical files
    result = runner.invoke(args=["courses", "import", str(first)])
    assert result.exit_code == 0, result.output
    assert _("No change: %(total)d courses already up to date.", total=2) in result.output
    for code in ("BB01", "BB02"):
        runner.invoke(args=["courses", "export", code, str(second)])
    assert _tree(second) == _tree(first)


def test_the_shipped_courses_import_cleanly_and_export_to_the_same_bytes(
    units, db, assets_dir, runner, tmp_path
):
    shipped, errors = read_directory(SHIPPED, Limits())
    assert not errors, [str(e) for e in errors]
    bundles, errors = parse_tree(shipped)
    assert not errors, [str(e) for e in errors]
    assert len(bundles) >= 10
    assert all(len(bundle.lessons) >= 3 for bundle in bundles), [
        b.code for b in bundles if len(b.lessons) < 3
    ]
    result = runner.invoke(args=["courses", "import", str(SHIPPED)])
    assert result.exit_code == 0, result.output
    for bundle in bundles:
        runner.invoke(args=["courses", "export", bundle.code, str(tmp_path)])
    exported = _tree(tmp_path)
    courses_only = [  # programmes/ and surveys/ have their own round-trip tests
        path for path in shipped if path.partition("/")[0] not in OTHER_FOLDERS
    ]
    differing = sorted(path for path in courses_only if exported.get(path) != shipped[path])
    assert not differing, (
        f"not in canonical form (run `flask courses export CODE courses` and commit): {differing}"
    )


def _progress(db, official_id: int, course: Course, slugs: list[str]) -> None:
    lessons = {lesson.slug: lesson for lesson in course.active_lessons}
    for slug in slugs:
        enrolments.mark_done(official_id, lessons[slug], mandatory=True)
    db.session.commit()


def test_a_changed_course_is_updated_in_place_and_keeps_learners_progress(units, db, assets_dir):
    learner = make_official("L01", "Nguyễn Thị Ánh", "P-HAICHAU", "XA-MC")
    files = course_tree("BB01", lessons=3, kind="by_position", positions=("XA-MC",))
    import_tree(files)
    course = db.session.scalar(select(Course).where(Course.code == "BB01"))
    ids = {lesson.slug: lesson.id for lesson in course.active_lessons}
    _progress(db, learner.id, course, ["khai-niem", "chuan-muc"])

    changed = dict(files)
    changed["BB01/lessons/02-chuan-muc.md"] = "# Bài 2. Chuẩn mực (sửa)\n\nMới.\n".encode()
    del changed["BB01/lessons/03-quy-tac-ung-xu.md"]
    changed["BB01/lessons/03-liem-chinh.md"] = "# Bài 3. Liêm chính\n\nMới.\n".encode()
    changed["BB01/lessons/00-mo-dau.md"] = "# Mở đầu\n".encode()
    report = import_tree(changed)
    assert report.updated == ["BB01"]

    db.session.expire_all()
    course = db.session.scalar(select(Course).where(Course.code == "BB01"))
    active = course.active_lessons
    assert [lesson.slug for lesson in active] == ["mo-dau", "khai-niem", "chuan-muc", "liem-chinh"]
    assert active[1].id == ids["khai-niem"] and active[2].id == ids["chuan-muc"]
    assert active[2].title == "Bài 2. Chuẩn mực (sửa)"
    retired = db.session.get(Lesson, ids["quy-tac-ung-xu"])
    assert retired.retired_at is not None  # kept, not deleted
    done = set(db.session.scalars(select(LessonProgress.lesson_id)))
    assert done == {ids["khai-niem"], ids["chuan-muc"]}
    assert _count(db, Enrolment) == 1


def test_an_archived_course_stays_archived_when_its_files_change(units, db, assets_dir):
    files = course_tree("BB01")
    import_tree(files)
    course = db.session.scalar(select(Course).where(Course.code == "BB01"))
    services.set_status(course, "archived", actor=None)
    db.session.commit()
    files["BB01/course.toml"] = files["BB01/course.toml"].replace(b"periods = 30", b"periods = 45")
    import_tree(files)
    db.session.refresh(course)
    assert (course.status, course.periods) == ("archived", 45)


def test_assets_removed_from_the_files_are_removed_from_the_course(units, db, assets_dir):
    files = course_tree("BB01", assets=True)
    import_tree(files)
    del files["BB01/assets/so-do.png"]
    import_tree(files)
    assert list(db.session.scalars(select(CourseAsset.path))) == ["tai-lieu/van-ban.pdf"]
    assert not (assets_dir / "BB01" / "so-do.png").exists()
    assert (assets_dir / "BB01" / "tai-lieu" / "van-ban.pdf").exists()


def test_a_lost_asset_file_is_restored_by_the_next_import(units, db, assets_dir):
    files = course_tree("BB01", assets=True)
    import_tree(files)
    (assets_dir / "BB01" / "so-do.png").unlink()
    assert import_tree(files).unchanged == ["BB01"]
    assert (assets_dir / "BB01" / "so-do.png").read_bytes() == PNG


def test_prerequisites_may_point_forward_within_one_tree(units, db, assets_dir):
    import_tree(course_tree("AA01", prerequisites=("ZZ01",)) | course_tree("ZZ01"))
    course = db.session.scalar(select(Course).where(Course.code == "AA01"))
    assert [c.code for c in course.prerequisites] == ["ZZ01"]


def _refused(files, scope=None) -> list[str]:
    bundles, errors = parse_tree(files)
    assert not errors
    with pytest.raises(ValidationFailed) as error:
        transfer.import_bundles(bundles, None, None, "published", scope)
    return [message for _field, message in error.value.reasons]


def test_unknown_prerequisites_and_cycles_refuse_the_whole_tree(units, db, assets_dir):
    reasons = _refused(course_tree("BB01") | course_tree("BB02", prerequisites=("XX99",)))
    assert reasons[0].startswith("BB02/course.toml: prerequisites: ")
    db.session.rollback()
    import_tree(course_tree("BB01"))
    cyclic = course_tree("BB02", prerequisites=("BB03",)) | course_tree(
        "BB03", prerequisites=("BB02",)
    )
    assert "prerequisites" in _refused(cyclic)[0]
    db.session.rollback()
    assert list(db.session.scalars(select(Course.code))) == ["BB01"]


def test_a_course_owned_outside_the_importers_scope_refuses_the_tree(units, db, assets_dir):
    import_tree(course_tree("BB01"), owner="SNV")
    ward_scope = ["/1/4/"]  # not the SNV subtree
    reasons = _refused(course_tree("BB01") | course_tree("BB02"), scope=ward_scope)
    assert reasons[0].startswith("BB01: ")
    db.session.rollback()
    assert list(db.session.scalars(select(Course.code))) == ["BB01"]


def test_positions_unknown_here_are_kept_with_a_warning(units, db, assets_dir):
    report = import_tree(course_tree("BB01", positions=("XA-MC", "HN-OTHER")))
    assert any("HN-OTHER" in warning for warning in report.warnings)
    course = db.session.scalar(select(Course).where(Course.code == "BB01"))
    assert course.position_codes == ["XA-MC", "HN-OTHER"]


# --- the command line ------------------------------------------------------------------------


def test_the_command_reports_errors_by_file_and_key_and_writes_nothing(
    units, db, runner, tmp_path, assets_dir
):
    files = course_tree("BB01") | course_tree("BB02", assets=True)
    files["BB02/course.toml"] = files["BB02/course.toml"].replace(b"credits = 2", b'credits = "x"')
    _write(tmp_path / "courses", files)
    result = runner.invoke(args=["courses", "import", str(tmp_path / "courses")])
    assert result.exit_code != 0
    assert "BB02/course.toml: credits: " in result.output
    assert _count(db, Course) == 0 and _count(db, AuditEntry) == 0
    assert not assets_dir.exists()


def test_the_command_imports_one_course_folder_or_a_zip(units, db, runner, tmp_path, assets_dir):
    _write(tmp_path / "courses", course_tree("BB01"))
    result = runner.invoke(args=["courses", "import", str(tmp_path / "courses" / "BB01")])
    assert result.exit_code == 0, result.output
    assert "+ BB01" in result.output
    archive = tmp_path / "VT01.zip"
    archive.write_bytes(zip_folder("VT01", course_tree("VT01", folder=False)))
    result = runner.invoke(args=["courses", "import", str(archive), "--status", "draft"])
    assert result.exit_code == 0, result.output
    statuses = dict(db.session.execute(select(Course.code, Course.status)).all())
    assert statuses == {"BB01": "published", "VT01": "draft"}


def test_a_dry_run_writes_nothing(units, db, runner, tmp_path, assets_dir):
    _write(tmp_path / "courses", course_tree("BB01", assets=True))
    result = runner.invoke(args=["courses", "import", str(tmp_path / "courses"), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "+ BB01" in result.output
    assert _count(db, Course) == 0 and not assets_dir.exists()


def test_the_owner_option_sets_the_owner_of_new_courses(units, db, runner, tmp_path):
    _write(tmp_path / "courses", course_tree("BB01"))
    bad = runner.invoke(args=["courses", "import", str(tmp_path / "courses"), "--owner", "NONE"])
    assert bad.exit_code != 0 and _count(db, Course) == 0
    good = runner.invoke(args=["courses", "import", str(tmp_path / "courses"), "--owner", "SNV"])
    assert good.exit_code == 0, good.output
    assert db.session.scalar(select(Course)).owner_unit.code == "SNV"


def test_exporting_an_unknown_course_fails_clearly(units, db, runner, tmp_path):
    result = runner.invoke(args=["courses", "export", "NOPE", str(tmp_path)])
    assert result.exit_code != 0 and "NOPE" in result.output


def test_export_replaces_a_stale_folder(units, db, runner, tmp_path, assets_dir):
    import_tree(course_tree("BB01"))
    _write(tmp_path / "BB01", {"lessons/09-cu.md": b"# Old\n"})
    result = runner.invoke(args=["courses", "export", "BB01", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "- lessons/09-cu.md" in result.output
    assert _tree(tmp_path / "BB01") == course_tree("BB01", folder=False)
