"""The question bank with a database: the course's questions.gift synced idempotently, the test
built from [test], `flask questions import/export/sync`, Moodle fixtures imported as Moodle
does, bad files refused with line numbers and nothing written, export → import lossless."""

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from lms.assessments import bank, gift, quizzes
from lms.assessments.categories import course_path
from lms.assessments.models import BankQuestion, QuestionCategory, Quiz
from lms.assessments.questions import NUMERICAL, SHORT_ANSWER, TRUE_FALSE
from lms.catalog import queries
from lms.errors import ValidationFailed
from tests.factories import course_tree, import_tree, make_units
from tests.shared_fixtures import FIXTURES, require
from tests.unit.test_assessments_gift import questions as gift_questions
from tests.unit.test_assessments_gift import with_gift_categories

# These tests read English wording; the Vietnamese catalog is checked on its own.
pytestmark = pytest.mark.usefixtures("english")


MOODLE = FIXTURES / "moodle"
SHIPPED = Path(__file__).resolve().parents[2] / "courses"

BANK = """$CATEGORY: TX01/Luật

// [id:L1] [tag:luat]
::L1::Luật Cán bộ, công chức có hiệu lực từ năm nào?{=2010 ~2008 ~2019}

::L2::Công chức phải báo cáo bằng văn bản khi quyết định trái pháp luật.{T}

$CATEGORY: TX01/Tính toán

::N1::15 tiết bằng mấy tín chỉ?{#1:0}

::S1::Thủ đô của Việt Nam?{=Hà Nội =%50%Ha Noi}
"""


@pytest.fixture
def course(db, assets_dir):
    make_units()
    db.session.commit()
    files = course_tree("TX01")
    files["TX01/questions.gift"] = BANK.encode()
    import_tree(files)
    return queries.course_by_code("TX01")


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_sync_builds_the_bank_with_categories_and_is_idempotent(db, course):
    report = bank.sync_bank_from_course(course)
    db.session.commit()
    assert sorted(report.created) == ["L1", "L2", "N1", "S1"]
    rows = bank.questions_of(course)
    assert [(r.category.path, r.key) for r in rows] == [
        ("TX01/Luật", "L1"),
        ("TX01/Luật", "L2"),
        ("TX01/Tính toán", "N1"),
        ("TX01/Tính toán", "S1"),
    ]
    assert rows[0].tags == ["luat"] and rows[0].idnumber == "L1"
    assert [r.kind for r in rows[1:]] == [TRUE_FALSE, NUMERICAL, SHORT_ANSWER]
    again = bank.sync_bank_from_course(course)
    assert again.created == again.updated == again.retired == []
    assert _count(db, BankQuestion) == 4 and _count(db, QuestionCategory) == 2


def test_a_changed_file_updates_in_place_and_retires_what_was_removed(db, course):
    bank.sync_bank_from_course(course)
    db.session.commit()
    ids = {r.key: r.id for r in bank.questions_of(course)}
    course.question_bank_source = BANK.replace("{=2010 ~2008 ~2019}", "{~2010 =2008 ~2019}")
    course.question_bank_source = course.question_bank_source.replace(
        "::N1::15 tiết bằng mấy tín chỉ?{#1:0}\n", ""
    )
    report = bank.sync_bank_from_course(course)
    db.session.commit()
    assert report.updated == ["L1"] and report.retired == ["N1"]
    assert report.changed_ids == [ids["L1"]]
    rows = {r.key: r for r in bank.questions_of(course)}
    assert set(rows) == {"L1", "L2", "S1"} and rows["L1"].id == ids["L1"]
    assert rows["L1"].version == 2 and rows["L1"].answers[1]["fraction"] == "1"
    assert db.session.get(BankQuestion, ids["N1"]).retired_at is not None


def test_bad_gift_in_the_course_is_refused_with_its_line(db, course):
    course.question_bank_source = "::A::Câu một{=a ~b}\n\n::B::Câu hai {=a ~b\n"
    with pytest.raises(ValidationFailed) as error:
        bank.sync_bank_from_course(course)
    assert "line 3" in error.value.message
    assert _count(db, BankQuestion) == 0


def test_the_test_comes_from_the_test_table_and_web_changes_survive_a_resync(db, course):
    course.test_settings = {
        "questions": 3,
        "time_limit_minutes": 20,
        "max_attempts": 2,
        "pass_mark": 60,
        "shuffle": False,
    }
    bank.sync_bank_from_course(course)
    quiz = quizzes.quiz_of(course)
    assert (quiz.question_count, quiz.time_limit_minutes, quiz.max_attempts) == (3, 20, 2)
    assert quiz.pass_mark == 60 and not quiz.shuffle_questions and not quiz.shuffle_answers
    quiz.time_limit_minutes = 45  # changed on the web
    bank.sync_bank_from_course(course)
    assert quiz.time_limit_minutes == 45
    course.test_settings = {**course.test_settings, "time_limit_minutes": 30}
    bank.sync_bank_from_course(course)
    assert quiz.time_limit_minutes == 30
    assert _count(db, Quiz) == 1


def test_a_test_without_a_pass_mark_passes_at_half(db, course):
    course.test_settings = {"questions": 10}
    quiz = quizzes.sync_quiz(course)
    assert quiz.pass_mark == 50 and quiz.max_attempts == 0 and quiz.time_limit_minutes == 0


def test_every_shipped_course_bank_syncs(db, assets_dir):
    make_units()
    db.session.commit()
    files = {}
    for path in SHIPPED.rglob("*"):
        if path.is_file():
            files[str(path.relative_to(SHIPPED))] = path.read_bytes()
    import_tree(files)
    for course in db.session.scalars(select(queries.Course)):
        report = bank.sync_bank_from_course(course)
        assert len(report.created) >= 20, course.code
        assert quizzes.quiz_of(course).question_count == course.test_settings["questions"]


# --- Command line ----------------------------------------------------------------------------
def test_cli_imports_moodle_examples_as_moodle_does_and_again_without_duplicates(
    course, runner, db
):
    path = require(MOODLE / "gift" / "examples.txt")
    result = runner.invoke(args=["questions", "import", "TX01", str(path), "--format", "gift"])
    assert result.exit_code == 0, result.output
    expected = gift.parse(gift.decode(path.read_bytes())).questions
    rows = bank.questions_of(course)
    assert len(rows) == len(expected) == 43
    by_key = dict(zip(bank.keys_of(expected), expected, strict=True))
    for row in rows:
        assert bank.to_question(row) == by_key[row.key]
    again = runner.invoke(args=["questions", "import", "TX01", str(path)])
    assert "0 created, 0 updated, 43 unchanged" in again.output
    assert _count(db, BankQuestion) == 43


def test_cli_dry_run_writes_nothing(course, runner, db):
    path = require(MOODLE / "gift" / "questions.gift.txt")
    result = runner.invoke(args=["questions", "import", "TX01", str(path), "--dry-run"])
    assert result.exit_code == 0 and "9 created" in result.output
    assert _count(db, BankQuestion) == 0


@pytest.mark.parametrize(
    "name",
    [
        "questions_encoding_windows-1252.gift.txt",
        "questions_encoding_windows-1252.gift.crlf-as-found.txt",
    ],
)
def test_cli_refuses_windows_1252_clearly(course, runner, db, name):
    result = runner.invoke(
        args=["questions", "import", "TX01", str(require(MOODLE / "gift" / name))]
    )
    assert result.exit_code != 0
    assert "does not use UTF-8 character encoding" in result.output
    assert _count(db, BankQuestion) == 0


def test_cli_reports_aiken_errors_by_line_and_imports_nothing(course, runner, db):
    path = require(MOODLE / "aiken" / "aiken_errors.txt")
    result = runner.invoke(args=["questions", "import", "TX01", str(path), "--format", "aiken"])
    assert result.exit_code != 0
    for line in (3, 5, 7, 18):
        assert f"on line {line}" in result.output
    assert _count(db, BankQuestion) == 0


def test_cli_imports_aiken(course, runner, db):
    path = require(MOODLE / "aiken" / "questions.aiken.txt")
    result = runner.invoke(args=["questions", "import", "TX01", str(path), "--format", "aiken"])
    assert result.exit_code == 0 and "2 created" in result.output


@pytest.mark.parametrize(
    "source, line",
    [
        ("::A::ok{=a ~b}\n\n::B::Thiếu ngoặc {=a ~b\n", 3),
        ("::A::Kiểu lạ {\nlạ\n~a\n=b}\n", 2),  # unknown answer syntax
        ("::A::ok{=a ~b}\n\n\n::B::Rỗng {=}\n", 4),
    ],
)
def test_cli_bad_gift_gives_the_line_and_imports_nothing(
    course, runner, db, tmp_path, source, line
):
    path = tmp_path / "bad.gift"
    path.write_text(source, encoding="utf-8")
    result = runner.invoke(args=["questions", "import", "TX01", str(path)])
    assert result.exit_code != 0
    assert f"line {line}:" in result.output
    assert _count(db, BankQuestion) == 0


def test_cli_export_then_import_is_lossless(course, runner, db, tmp_path):
    runner.invoke(
        args=["questions", "import", "TX01", str(require(MOODLE / "gift" / "examples.txt"))]
    )
    bank.sync_bank_from_course(course)
    db.session.commit()
    before = [bank.to_question(r) for r in bank.questions_of(course)]
    result = runner.invoke(args=["questions", "export", "TX01", "--format", "gift"])
    assert result.exit_code == 0
    reparsed = gift.parse(result.output)
    assert reparsed.errors == []
    assert sorted(reparsed.questions, key=repr) == sorted(before, key=repr)


def test_cli_sync_all_courses_twice_changes_nothing_the_second_time(course, runner):
    first = runner.invoke(args=["questions", "sync"])
    assert first.exit_code == 0 and "TX01: 4 created" in first.output
    second = runner.invoke(args=["questions", "sync", "TX01"])
    assert "TX01: 0 created, 0 updated, 4 unchanged, 0 retired." in second.output


def test_cli_unknown_course(course, runner):
    result = runner.invoke(args=["questions", "export", "NOPE"])
    assert result.exit_code != 0 and "NOPE" in result.output


def _same(questions) -> Counter:
    """Questions as an order-free multiset (equality ignores their line in a file, and
    decimals compare by value)."""
    return Counter(questions)


# --- Property: through the database --------------------------------------------------------------
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(gift_questions(), min_size=1, max_size=4).map(with_gift_categories))
def test_bank_export_then_import_preserves_every_generated_question(db, course, items):
    """Questions stored in the bank, exported as GIFT and parsed again are the same questions
    (the export lists questions without a category first, then by category), each in its
    category as the bank holds it (lms.assessments.categories: a Moodle context placeholder and
    `top` dropped, a blank path the bank's top)."""
    result = gift.ParseResult(questions=list(items))
    expected = [replace(q, category=course_path(q.category) or None) for q in items]
    try:
        bank.import_questions(course, result)
        stored = [bank.to_question(row) for row in bank.questions_of(course)]
        assert _same(stored) == _same(expected)
        reparsed = gift.parse(bank.export_gift(course))
        assert reparsed.errors == []
        assert _same(reparsed.questions) == _same(expected)
    finally:
        db.session.rollback()
