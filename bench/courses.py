"""Generator, part 2: 200 courses (the 11 of courses/ imported as files, the rest generated
with lessons and a GIFT question bank), their tests, and a curriculum for every position."""

import random
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from bench.bulk import Writer
from lms.catalog import archive, transfer
from lms.catalog.contentfiles import parse_tree
from lms.catalog.models import PUBLISHED, Course, CoursePosition, Lesson
from lms.common import vntext
from lms.curricula.cycles.models import Curriculum, CurriculumCourse
from lms.extensions import db
from lms.organisation.models import OrgUnit, Position

COURSES = 200
COURSES_DIR = Path(__file__).resolve().parent.parent / "courses"
TOPICS = (
    "Kỹ năng soạn thảo văn bản hành chính",
    "Cải cách hành chính và dịch vụ công trực tuyến",
    "Quản lý tài chính công",
    "An toàn thông tin trong cơ quan nhà nước",
    "Kỹ năng giao tiếp với người dân",
    "Pháp luật về khiếu nại, tố cáo",
    "Quản lý dự án đầu tư công",
    "Phòng, chống tham nhũng",
    "Chuyển đổi số cấp xã",
    "Kỹ năng lãnh đạo, quản lý",
)
BENCH_TEST = "BENCH40"  # 40-question test for the submit-and-grade benchmark
LOAD_TEST = "BENCH30"  # 30-question timed test for the load test


@dataclass(frozen=True)
class CourseFact:
    """What the history generator needs to know of a course."""

    id: int
    code: str
    title: str
    credits: Decimal
    periods: int
    certificate: str
    validity_months: int | None
    quiz_id: int | None


def gift_bank(code: str, count: int) -> str:
    """`count` single-choice questions with four choices, in GIFT."""
    parts = []
    for number in range(1, count + 1):
        right = number % 4
        choices = " ".join(
            f"{'=' if i == right else '~'}Phương án {chr(65 + i)} của câu {number}"
            for i in range(4)
        )
        parts.append(
            f"::{code}-Q{number:03d}:: Câu hỏi số {number} của khóa {code}: chọn phương án "
            f"đúng theo quy định hiện hành. {{{choices}}}"
        )
    return "\n\n".join(parts) + "\n"


def import_tree() -> int:
    """The courses/ tree, as `flask courses import courses` does it."""
    files, errors = archive.read_directory(COURSES_DIR, archive.Limits(10**7, 10**9, 10**5))
    assert not errors, errors
    bundles, errors = parse_tree(files)
    assert not errors, errors
    root = db.session.scalar(select(OrgUnit.id).where(OrgUnit.parent_id.is_(None)))
    transfer.import_bundles(bundles, None, root, PUBLISHED)
    db.session.commit()
    return len(bundles)


def generated(writer: Writer, rng: random.Random) -> None:
    """Courses up to COURSES, with three lessons each and a bank of 60 questions."""
    existing = db.session.scalar(select(db.func.count()).select_from(Course))
    first_id = db.session.scalar(select(db.func.max(Course.id))) or 0
    root = db.session.scalar(select(OrgUnit.id).where(OrgUnit.parent_id.is_(None)))
    positions = list(db.session.scalars(select(Position.code)))
    stamp = datetime(2021, 12, 1, 2, 0)
    courses, lessons, links = [], [], []
    lesson_id = db.session.scalar(select(db.func.max(Lesson.id))) or 0
    for number in range(1, COURSES - existing + 1):
        cid = first_id + number
        code = {1: BENCH_TEST, 2: LOAD_TEST}.get(number, f"G{number:03d}")
        title = f"{TOPICS[number % len(TOPICS)]} (chuyên đề {number})"
        questions = {1: 40, 2: 30}.get(number, 10)
        kind = "by_position" if number % 4 == 0 else "elective"
        courses.append(
            {
                "id": cid,
                "code": code,
                "title": title,
                "title_en": None,
                "summary": f"Chuyên đề bồi dưỡng {title.lower()}.",
                "credits": Decimal("0.5") if number % 3 else Decimal("0.25"),
                "periods": 8 if number % 3 else 4,
                "content_area": f"ND{1 + number % 5}",
                "kind": kind,
                "delivery": "online" if number % 5 else "in_person",
                "certificate": "giay_chung_nhan" if rng.random() < 0.4 else "none",
                "validity_months": 36 if number % 7 == 0 else None,
                "status": PUBLISHED,
                "owner_unit_id": root,
                "test_settings": {
                    "questions": questions,
                    "time_limit_minutes": 45 if number == 2 else 20,
                    "max_attempts": 0,
                    "pass_mark": 50,
                    "shuffle": True,
                },
                "question_bank_source": gift_bank(code, 60 if number <= 2 else 20),
                "search_text": vntext.search_key(f"{code} {title}"),
                "sort_title": vntext.sort_string(title)[:1024],
                "created_at": stamp,
                "updated_at": stamp,
            }
        )
        for position in range(1, 4):
            lesson_id += 1
            body = "\n\n".join(
                f"## Mục {i}\n\nNội dung bài {position} của chuyên đề {number}, phần {i}: "
                "cán bộ, công chức nắm vững quy định và vận dụng vào công việc hằng ngày."
                for i in range(1, 6)
            )
            lessons.append(
                {
                    "id": lesson_id,
                    "course_id": cid,
                    "slug": f"bai-{position}",
                    "title": f"Bài {position}",
                    "body_markdown": body,
                    "position": position,
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            )
        if kind == "by_position":
            links.append({"course_id": cid, "position_code": rng.choice(positions), "ordinal": 0})
    writer.insert(Course.__table__, courses)
    writer.insert(Lesson.__table__, lessons)
    writer.insert(CoursePosition.__table__, links)
    writer.commit()


def sync_tests() -> str:
    """Banks and tests from each course's GIFT and [test], through lms.assessments."""
    try:
        from lms.assessments.bank import sync_bank_from_course
    except ImportError:
        return "lms.assessments.bank not there yet: no banks or tests"
    for course in db.session.scalars(select(Course).order_by(Course.id)).all():
        sync_bank_from_course(course)
    db.session.commit()
    return "banks and tests synced"


def curricula(rng: random.Random) -> None:
    """A curriculum per position: 3 TC (leaders 4), two common mandatory courses and one of
    the position's own."""
    common = list(db.session.scalars(select(Course.id).where(Course.kind == "mandatory_common")))
    own = list(db.session.scalars(select(Course.id).where(Course.kind == "by_position")))
    for position in db.session.scalars(select(Position)).all():
        target = Decimal(4) if position.code.startswith("LD-") else Decimal(3)
        curriculum = Curriculum(position_id=position.id, rank_id=None, target_credits=target)
        chosen = rng.sample(common, min(2, len(common))) + rng.sample(own, 1)
        curriculum.courses = [CurriculumCourse(course_id=cid) for cid in dict.fromkeys(chosen)]
        db.session.add(curriculum)
    db.session.commit()


def facts() -> list[CourseFact]:
    """Every course, with whether it has a test (attempts can be generated for it)."""
    try:
        from lms.assessments.models import Quiz

        quizzes = {c: q for c, q in db.session.execute(select(Quiz.course_id, Quiz.id))}
    except ImportError:
        quizzes = {}
    return [
        CourseFact(
            c.id,
            c.code,
            c.title,
            Decimal(c.credits),
            c.periods,
            c.certificate,
            c.validity_months,
            quizzes.get(c.id),
        )
        for c in db.session.scalars(select(Course).order_by(Course.id))
    ]
