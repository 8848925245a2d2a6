"""Factories: the one place tests build the rows and files they need.

Import what a test builds and name only what the test is about; every other field has a
sensible default::

    from tests.factories import make_course, make_cycle, make_official, make_units

    make_units()                                   # DN → SNV → SNV-CCVC, DN → P-HAICHAU, ranks,
                                                   # positions
    hoa = make_official("DN000001", "Nguyễn Thị Hoa")         # primary post CM-CCVC in SNV-CCVC
    course = make_course("BB01", credits="2")                 # a published 2-credit course
    cycle = make_cycle(2026)
    make_curriculum("CM-CCVC", "3", [course])
    db.session.commit()                                       # the test commits its scene

Conventions:

- Factories **flush, they do not commit**: a fixture or test builds its whole scene, then
  commits once. The exceptions commit because what they drive needs it, and say so:
  `make_user` and `make_login` (a login must find the user), `import_tree`, `import_course` and
  `make_test_course` (the import syncs assets after its commit), and `make_completion(...,
  commit=True)` (a credit source commits; the certificate job runs on commit).
- Row factories go through the services a user's action goes through (audited, derived keys)
  unless told otherwise: `make_course(..., audited=False)` inserts the row itself, for tests that
  count audit entries.
- The `assets_dir` fixture (tests/conftest.py) gives a test its own course-assets folder; use it
  with the import factories.
- Named variants (`make_in_person_course`, `make_mandatory_course`) are the defaults a group of
  tests shares, so a test does not repeat six keywords.

The role users every web test logs in as (`world`, `login_as`) are built by `make_user(role)`
in tests/conftest.py's fixtures.
"""

import struct
import zlib
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from lms import models as _every_model  # noqa: F401 (all mappers known before any is used)
from lms.assessments import bank
from lms.auth import services as auth
from lms.auth.models import ADMINISTRATOR, HR_OFFICER, REVIEWER, TRAINING_MANAGER
from lms.catalog import queries as catalog_queries
from lms.catalog import services as catalog
from lms.catalog import transfer
from lms.catalog.contentfiles import parse_tree
from lms.catalog.models import Course
from lms.curricula.classes import services as classes
from lms.curricula.completions.services import CompletionData, record_completion
from lms.curricula.cycles.models import Curriculum, CurriculumCourse, Cycle
from lms.curricula.ledger import services as ledger
from lms.curricula.obligations.models import Obligation, OfficialTarget
from lms.extensions import db
from lms.organisation import services as org
from lms.organisation.models import OrgUnit, Position, Rank
from lms.recruitment import services as recruitment_services
from lms.recruitment.models import Candidate, ExamRoom

PASSWORD = "Hoa-Sen-42"
ROLES = ("learner", "manager", "hr", "reviewer", "admin")
# The head of the learner's unit (lms.teams): a visitor of the access matrix, made on demand.
HEAD_USER = "head"

# --- organisation ---------------------------------------------------------------------------


def make_units():
    """A small tree: DN (city) → SNV (department) → SNV-CCVC (division); DN → P-HAICHAU; two
    ranks (01.003, 01.002) and three positions (CM-CCVC, XA-MC, LD-TP). Flushed."""
    org.upsert_unit("DN", "Ủy ban nhân dân thành phố Đà Nẵng", "UBND", "tinh", None)
    org.upsert_unit("SNV", "Sở Nội vụ thành phố Đà Nẵng", "so", "tinh", "DN")
    org.upsert_unit("SNV-CCVC", "Phòng Công chức, viên chức", "phong", "tinh", "SNV")
    org.upsert_unit("P-HAICHAU", "Ủy ban nhân dân phường Hải Châu", "ubnd_phuong", "xa", "DN")
    org.upsert_rank("01.003", "Chuyên viên", "A1")
    org.upsert_rank("01.002", "Chuyên viên chính", "A2.1")
    org.upsert_position("CM-CCVC", "Chuyên viên về quản lý công chức, viên chức")
    org.upsert_position("XA-MC", "Công chức tiếp nhận và trả kết quả (một cửa) cấp xã")
    org.upsert_position("LD-TP", "Trưởng phòng")
    db.session.flush()


def unit_id(code: str) -> int:
    """The id of the unit with this code."""
    return db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == code))


def make_official(
    code: str,
    name: str,
    unit: str = "SNV-CCVC",
    position: str = "CM-CCVC",
    started_on: date = date(2020, 1, 1),
    gender: str = "female",
    **extra,
):
    """An official with a first primary post (rank 01.003) in `unit`; `extra` are further
    OfficialData fields (category defaults to cong_chuc). Flushed."""
    data = org.OfficialData(
        employee_code=code,
        full_name=name,
        gender=gender,
        category=extra.pop("category", "cong_chuc"),
        **extra,
    )
    return org.create_official(
        data, org.AssignmentData(unit, position, started_on, "01.003"), actor=None
    )


def make_leave(official, starts_on: date, ends_on: date, kind: str = "maternity", **extra):
    """A leave period of `official` through lms.organisation.leave.save_leave (overlaps
    refused, audited; the obligations are refreshed at the next commit). Flushed."""
    from lms.organisation import leave

    data = leave.LeaveData(kind, starts_on, ends_on, extra.pop("decision_number", None))
    return leave.save_leave(official, data, extra.pop("actor", None))


def make_login(official, email: str | None = None, locale: str | None = None):
    """An account for an official: username = the employee code in lower case, PASSWORD, no
    password change asked. Committed."""
    user = auth.create_user(
        auth.NewUser(
            official.employee_code.lower(), PASSWORD, official.full_name, email, official.id, False
        ),
        actor=None,
    )
    if locale is not None:
        user.locale = locale
    db.session.commit()
    return user


def make_learner(
    code: str,
    name: str,
    email: str | None = None,
    locale: str | None = None,
    unit: str = "P-HAICHAU",
    position: str = "XA-MC",
):
    """An official (one-stop-shop post in `unit` by default) with a login; returns the user.
    Committed."""
    return make_login(make_official(code, name, unit, position=position), email, locale)


def make_user(role: str):
    """A user for one of ROLES (username = the role): hr and manager cover DN, reviewer covers
    SNV, admin everything; learner is an official in P-HAICHAU with no grant (the others are
    officials in SNV-CCVC, admin none). Also HEAD ("head", not in ROLES: made on demand, by
    login_as or make_head): official T-HEAD in P-HAICHAU (post CM-CCVC, like the others, so
    that only the headship tells them apart), named head of P-HAICHAU by HR from 01/01/2020;
    the role `head` over P-HAICHAU follows at the commit (lms.teams). Needs make_units().
    Committed."""
    codes = {
        "learner": "T-LEARN",
        "manager": "T-MAN",
        "hr": "T-HR",
        "reviewer": "T-REV",
        HEAD_USER: "T-HEAD",
    }
    official_id = None
    if role in codes:
        unit = "P-HAICHAU" if role in ("learner", HEAD_USER) else "SNV-CCVC"
        official = make_official(codes[role], f"Người Dùng {role.title()}", unit)
        official_id = official.id
        if role == HEAD_USER:
            from lms.teams import services as teams

            ward = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "P-HAICHAU"))
            teams.assign_head(ward, official, date(2020, 1, 1), actor=None)
    user = auth.create_user(
        auth.NewUser(role, PASSWORD, role.title(), None, official_id, must_change_password=False),
        actor=None,
    )
    units = {u: org._lookup(org.OrgUnit, u, "unit", "") for u in ("DN", "SNV")}
    grant = {
        "manager": (TRAINING_MANAGER, "DN"),
        "hr": (HR_OFFICER, "DN"),
        "reviewer": (REVIEWER, "SNV"),
        "admin": (ADMINISTRATOR, None),
    }.get(role)
    if grant:
        auth.grant_role(user, grant[0], units[grant[1]].id if grant[1] else None, actor=None)
    db.session.commit()
    return user


def make_head():
    """The user "head" (make_user(HEAD_USER)) unless it exists: head of P-HAICHAU. Committed."""
    from lms.auth.models import User

    found = db.session.scalar(select(User).where(User.username == HEAD_USER))
    return found or make_user(HEAD_USER)


# --- catalog: course rows ---------------------------------------------------------------------


def make_course(
    code: str = "BB01",
    credits: str = "1",
    *,
    title: str | None = None,
    periods: int = 15,
    content_area: str = "ND3",
    kind: str = "by_position",
    delivery: str = "online",
    certificate: str = "none",
    validity_months: int | None = None,
    status: str = "published",
    audited: bool = True,
    **fields,
) -> Course:
    """A course with no lessons, published: "Khóa học <code>", 1 credit, 15 periods, online, by
    position, no certificate, owned by no unit. Through catalog.create_course (audited
    "course.created", derived search keys) unless `audited=False`, which adds the row as it
    is. `fields` are further Course fields (title_en, summary). Flushed."""
    values = {
        "code": code,
        "title": title or f"Khóa học {code}",
        "credits": Decimal(credits),
        "periods": periods,
        "content_area": content_area,
        "kind": kind,
        "delivery": delivery,
        "certificate": certificate,
        "validity_months": validity_months,
        **fields,
    }
    if audited:
        course = catalog.create_course(catalog.CourseData(**values), None, actor=None)
        course.status = status
    else:
        course = Course(status=status, **values)
        db.session.add(course)
    db.session.flush()
    return course


def make_in_person_course(code: str = "VHCV", credits: str = "2", **changes) -> Course:
    """A published elective taught in person: 2 credits, 30 periods, a course certificate valid
    36 months (the course of classes and of most credit-source tests). Flushed."""
    values = {
        "periods": 30,
        "kind": "elective",
        "delivery": "in_person",
        "certificate": "giay_chung_nhan",
        "validity_months": 36,
        **changes,
    }
    return make_course(code, credits, **values)


def make_mandatory_course(code: str = "BB01", **changes) -> Course:
    """ "Văn hóa công vụ và đạo đức công vụ" (English title too), mandatory for everyone, online,
    1 credit, no certificate; the row added without an audit entry. Flushed."""
    values = {
        "title": "Văn hóa công vụ và đạo đức công vụ",
        "title_en": "Public service culture and ethics",
        "content_area": "ND1",
        "kind": "mandatory_common",
        "audited": False,
        **changes,
    }
    return make_course(code, **values)


# --- catalog: course folders, imported as `flask courses import` does ------------------------


def _png(width: int = 4, height: int = 3) -> bytes:
    """A real (decodable) PNG image, all in one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x0b\x53\x94" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PNG = _png()
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
GIFT = "// Ngân hàng câu hỏi\r\n::Q1::Văn hóa công vụ là gì?{=Giá trị và chuẩn mực ~Trang phục}\r\n"


def course_toml(
    code: str,
    title: str = "Văn hóa công vụ và đạo đức công vụ",
    kind: str = "elective",
    positions: tuple = (),
    prerequisites: tuple = (),
    credits: str = "2",
    content_area: str = "ND3",
    extra: str = "",
) -> str:
    """A valid course.toml; `extra` lines are appended before [test]."""
    lines = [
        f'code = "{code}"',
        f'title = "{title}"',
        'title_en = "Public service culture and ethics"',
        'summary = "Khóa học về chuẩn mực ứng xử của công chức."',
        f"credits = {credits}",
        "periods = 30",
        f'content_area = "{content_area}"',
        f'kind = "{kind}"',
        'delivery = "online"',
        'certificate = "giay_chung_nhan"',
        "validity_months = 36",
        "positions = [" + ", ".join(f'"{p}"' for p in positions) + "]",
    ]
    if prerequisites:
        lines.append("prerequisites = [" + ", ".join(f'"{p}"' for p in prerequisites) + "]")
    if extra:
        lines.append(extra)
    lines += ["", "[test]", "questions = 10", "pass_mark = 50", "shuffle = true"]
    return "\n".join(lines) + "\n"


LESSON_TITLES = (
    "Bài 1. Khái niệm văn hóa công vụ",
    "Bài 2. Chuẩn mực đạo đức công vụ",
    "Bài 3. Quy tắc ứng xử",
    "Bài 4. Liêm chính và trách nhiệm giải trình",
)
LESSON_SLUGS = ("khai-niem", "chuan-muc", "quy-tac-ung-xu", "liem-chinh")


def course_tree(
    code: str = "TX01", lessons: int = 3, folder: bool = True, assets: bool = False, **toml
) -> dict[str, bytes]:
    """A course folder as {path: bytes}: course.toml, `lessons` lessons, a GIFT file (and
    assets/ when asked)."""
    files = {"course.toml": course_toml(code, **toml).encode()}
    for number in range(lessons):
        body = f"# {LESSON_TITLES[number]}\n\n## Mục tiêu\n\nNội dung bài {number + 1}.\n"
        files[f"lessons/{number + 1:02d}-{LESSON_SLUGS[number]}.md"] = body.encode()
    files["questions.gift"] = GIFT.encode()
    if assets:
        files["assets/so-do.png"] = PNG
        files["assets/tai-lieu/van-ban.pdf"] = PDF
    prefix = f"{code}/" if folder else ""
    return {prefix + path: data for path, data in files.items()}


def import_tree(files: dict[str, bytes], status: str = "published", owner: str | None = "DN"):
    """Parse and import a tree as the command line does, commit, and sync the assets."""
    bundles, errors = parse_tree(files)
    assert not errors, [str(e) for e in errors]
    owner_id = db.session.scalar(db.select(OrgUnit.id).where(OrgUnit.code == owner))
    report = transfer.import_bundles(bundles, None, owner_id, status)
    db.session.commit()
    transfer.sync_assets(report)
    return report


def import_course(code: str = "BB01", certificate: str = "giay_chung_nhan", **toml) -> Course:
    """A published course imported from a folder (one lesson, the GIFT bank, course.toml's
    defaults: 2 credits, 30 periods, valid 36 months), owned by DN (certificate serials
    DN-…). Needs the `assets_dir` fixture. Committed."""
    files = course_tree(code, lessons=1, **toml)
    text = files[f"{code}/course.toml"].decode()
    files[f"{code}/course.toml"] = text.replace(
        'certificate = "giay_chung_nhan"', f'certificate = "{certificate}"'
    ).encode()
    import_tree(files)
    return db.session.scalar(select(Course).where(Course.code == code))


# --- assessments -----------------------------------------------------------------------------

TEST_BANK = """$CATEGORY: TX01/Luật

::L1::Luật Cán bộ, công chức có hiệu lực từ năm nào?{=2010 ~2008 ~2019}

::L2::Công chức phải báo cáo bằng văn bản khi quyết định trái pháp luật.{T}

$CATEGORY: TX01/Tính toán

::N1::15 tiết bằng mấy tín chỉ?{#1:0}

::S1::Thủ đô của Việt Nam?{=Hà Nội =%50%Ha Noi}
"""
TEST_SETTINGS = {"questions": 4, "time_limit_minutes": 20, "max_attempts": 3, "pass_mark": 50}


def make_test_course(code="TX01", source=TEST_BANK, settings=TEST_SETTINGS, owner="DN"):
    """A published course with three lessons, mandatory for CM-CCVC (the learner's position),
    its question bank (`source`, GIFT; "TX01" in it becomes `code`) and its test (`settings`).
    Needs the `assets_dir` fixture. Committed."""
    files = course_tree(code, kind="by_position", positions=("CM-CCVC",))
    files[f"{code}/questions.gift"] = source.replace("TX01", code).encode()
    import_tree(files, owner=owner)
    course = catalog_queries.course_by_code(code)
    course.test_settings = dict(settings)
    bank.sync_bank_from_course(course)
    db.session.commit()
    return course


# --- curricula ---------------------------------------------------------------------------------


def make_cycle(year: int = 2026, **settings):
    """A training cycle over the calendar year; `settings` are further Cycle fields. Flushed."""
    cycle = Cycle(year=year, starts_on=date(year, 1, 1), ends_on=date(year, 12, 31), **settings)
    db.session.add(cycle)
    db.session.flush()
    return cycle


def cycle_of(year: int):
    """The cycle of `year`, made (make_cycle) when there is none yet. Flushed."""
    return db.session.scalar(select(Cycle).where(Cycle.year == year)) or make_cycle(year)


def make_curriculum(position: str, target: str, courses, rank: str | None = None):
    """The curriculum of a position (and rank, when given): its credit target and mandatory
    courses. Flushed."""
    position_id = db.session.scalar(select(Position.id).where(Position.code == position))
    rank_id = db.session.scalar(select(Rank.id).where(Rank.code == rank)) if rank else None
    curriculum = Curriculum(
        position_id=position_id, rank_id=rank_id, target_credits=Decimal(target)
    )
    curriculum.courses = [CurriculumCourse(course_id=c.id) for c in courses]
    db.session.add(curriculum)
    db.session.flush()
    return curriculum


def make_obligation(official_id: int, course, due_on: date, **fields):
    """An open obligation to take `course` by `due_on`, in the cycle of that year (made when
    missing) unless `cycle_id` names another. Flushed."""
    cycle_id = fields.pop("cycle_id", None) or cycle_of(due_on.year).id
    obligation = Obligation(
        official_id=official_id,
        cycle_id=cycle_id,
        course_id=course.id,
        due_on=due_on,
        **fields,
    )
    db.session.add(obligation)
    db.session.flush()
    return obligation


def make_target(official, cycle, credits="3"):
    """An official's credit target for a cycle. Added (flushed with the next flush)."""
    target = OfficialTarget(
        official_id=official.id, cycle_id=cycle.id, target_credits=Decimal(credits)
    )
    db.session.add(target)
    return target


def make_credit(official, credits="1", day=date(2026, 3, 10), source="manual", **extra):
    """A ledger entry for an official (manual by default: "Hội thảo chuyên đề", with a
    reason); `extra` are further NewEntry fields. Flushed by the ledger."""
    return ledger.append(
        ledger.NewEntry(
            official_id=official.id,
            earned_on=day,
            credits=Decimal(credits),
            source=source,
            title=extra.pop("title", "Hội thảo chuyên đề"),
            reason=extra.pop("reason", "Bổ sung theo hồ sơ"),
            **extra,
        )
    )


_refs = iter(range(1, 10**6))


def make_completion(
    official,
    course,
    on: date = date(2026, 3, 10),
    *,
    source: str = "online",
    ref: str | None = None,
    score=None,
    commit: bool = False,
):
    """A completion recorded as a credit source records it (credits, obligations met, the
    certificate requested when the course gives one); `ref` is the source's reference (a fresh
    "test:<n>" by default). Flushed; `commit=True` commits, which runs the certificate job on
    the tests' immediate queue. Returns the completion."""
    recorded = record_completion(
        CompletionData(
            official.id, course.id, on, source, ref or f"test:{next(_refs)}", score=score
        )
    )
    if commit:
        db.session.commit()
    return recorded.completion


def make_class(course, unit: str = "SNV", **changes):
    """An in-person class of `course` held by `unit`: 4–8 May 2026, five sessions, 80%
    attendance to pass; `changes` are further ClassData fields. Audited, flushed."""
    data = classes.ClassData(
        **{
            "course_id": course.id,
            "unit_id": unit_id(unit),
            "title": "Lớp bồi dưỡng văn hóa công vụ 2026",
            "starts_on": date(2026, 5, 4),
            "ends_on": date(2026, 5, 8),
            "sessions": 5,
            "min_attendance_percent": 80,
            "location": "Hội trường Sở Nội vụ",
            **changes,
        }
    )
    return classes.save_class(None, data, actor=None)


def make_venue(name: str = "Hội trường A, Sở Nội vụ", capacity: int = 40, **changes):
    """A venue seating `capacity`. Audited, flushed."""
    from lms.curricula.classes import schedule

    return schedule.save_venue(None, schedule.VenueData(name, capacity=capacity, **changes), None)


def make_trainer(name: str = "TS. Phạm Minh Đức", **changes):
    """An external lecturer (kind, official_id… in `changes`). Audited, flushed."""
    from lms.curricula.classes import schedule

    return schedule.save_trainer(None, schedule.TrainerData(name, **changes), None)


def make_session(klass, day: date, starts: str = "08:00", ends: str = "11:30", **changes):
    """A session of `klass` on `day` from `starts` to `ends` (local "HH:MM"); `changes` are
    further SessionData fields (venue_id, trainer_id, topic). Audited, flushed."""
    from datetime import time

    from lms.curricula.classes import schedule

    data = schedule.SessionData(
        day, time.fromisoformat(starts), time.fromisoformat(ends), **changes
    )
    return schedule.save_session(klass, None, data, actor=None)


def make_certificate_scene():
    """The units, course BB01 (imported, with its certificate) and official CB-0001 (Nguyễn Thị
    Ngọc Ánh, Hải Châu ward), committed: the starting point of the certificate tests."""
    from lms.extensions import db

    make_units()
    course = import_course()
    official = make_official(
        "CB-0001", "Nguyễn Thị Ngọc Ánh", "P-HAICHAU", date_of_birth=date(1990, 5, 4)
    )
    db.session.commit()
    return course, official


# --- surveys ------------------------------------------------------------------------------------

SURVEY_FILES = Path(__file__).resolve().parents[1] / "courses" / "surveys"


def make_questionnaires():
    """The questionnaires shipped in courses/surveys (CITIZEN, TT10-*), imported. Flushed."""
    from lms.surveys import services as surveys

    result = surveys.import_paths([SURVEY_FILES])
    assert not result.errors, result.errors
    return result


def make_citizen_response(unit: str = "P-HAICHAU", score: int = 5, on: date = date(2026, 3, 2)):
    """One citizen response to the newest CITIZEN version about `unit`: every Likert item
    answered `score`. Flushed."""
    from lms.surveys import rules
    from lms.surveys import services as surveys

    version = surveys.latest_version("CITIZEN")
    answers = {
        item.code: [str(score)] for item in surveys.items_of(version) if item.kind == rules.LIKERT
    }
    return surveys.record_response(version, answers, rules.CITIZEN_CHANNEL, on, unit_id(unit))


# --- programmes ---------------------------------------------------------------------------------

SHIPPED_COURSES = Path(__file__).resolve().parents[1] / "courses"
LEADERSHIP_COURSES = ("BB01", "BB02", "BB03", "LD02", "TC01")


def make_programme_scene(name: str = "Trần Thị Ngọc Hà"):
    """The units, the shipped courses of the leadership programme and the programme LDQL
    (courses/programmes/LDQL: sets BB01+BB02, LD02, one of BB03/TC01; renewal LD02; valid 24
    months; required of LD-TP), and official CB-0100 heading a division (LD-TP, SNV-CCVC)
    since 2020, born 12/08/1980. Committed. Returns (programme, official, courses by code)."""
    from lms.catalog.archive import Limits, read_directory
    from lms.programmes.files import parse_programmes
    from lms.programmes.transfer import import_programmes

    make_units()
    files = {}
    for code in LEADERSHIP_COURSES:
        found, errors = read_directory(SHIPPED_COURSES / code, Limits())
        assert not errors
        files |= found
    import_tree(files)
    path = SHIPPED_COURSES / "programmes" / "LDQL" / "programme.toml"
    bundles, errors = parse_programmes({"LDQL/programme.toml": path.read_bytes()})
    assert not errors, [str(e) for e in errors]
    import_programmes(bundles, None, unit_id("DN"))
    official = make_official("CB-0100", name, "SNV-CCVC", "LD-TP", date_of_birth=date(1980, 8, 12))
    db.session.commit()
    from lms.programmes.transfer import programme_by_code

    courses = {
        c.code: c
        for c in db.session.scalars(select(Course).where(Course.code.in_(LEADERSHIP_COURSES)))
    }
    return programme_by_code("LDQL"), official, courses


# --- recruitment (issue 28) -----------------------------------------------------------------


def make_recruitment(code="TD2026", positions=(("VT01", "SNV", 2), ("VT02", "P-HAICHAU", 1))):
    """A recruitment of unit DN open for applications all of 2026, with positions (code, unit,
    quota) titled "Chuyên viên <code>". Needs make_units(). Flushed."""
    item = recruitment_services.create_recruitment(
        code,
        f"Đợt tuyển công chức năm 2026 ({code})",
        2026,
        "DN",
        actor=None,
        opens_on=date(2026, 1, 1),
        closes_on=date(2026, 12, 31),
        status="applications",
    )
    for pos_code, unit, quota in positions:
        recruitment_services.add_position(
            item, pos_code, f"Chuyên viên {pos_code}", unit, quota, None
        )
    return item


def make_candidate(
    recruitment,
    name="Trần Thị Thí Sinh",
    *,
    position="VT01",
    id_number=None,
    born_on=date(1998, 5, 17),
    priority="",
    password=None,
    username=None,
):
    """A registered candidate (with their account) of `recruitment`; the identity number is
    made unique unless given. Flushed."""
    if id_number is None:
        count = db.session.scalar(select(func.count(Candidate.id)))
        id_number = f"{48_098_000_000 + count + 1:012d}"
    data = recruitment_services.NewCandidate(
        position,
        name,
        born_on,
        id_number,
        priority_code=priority,
        password=password,
        username=username,
    )
    return recruitment_services.register_candidate(recruitment, data, actor=None)


def _exam_session(recruitment, round_no: int, subject: str, day: int):
    """A session (in a new room "P<round>-<subject>-<n>") of `recruitment` on 2026-11-<day>,
    08:00–11:00. Flushed."""
    from datetime import datetime

    from lms.recruitment.models import ExamRoom

    # A room of its own: two sessions at the same time never share a room (rooms.py).
    rooms = db.session.scalar(
        select(func.count(ExamRoom.id)).where(ExamRoom.recruitment_id == recruitment.id)
    )
    room = recruitment_services.add_room(
        recruitment, f"P{round_no}-{subject}-{rooms + 1}", 50, None
    )
    data = recruitment_services.SessionData(
        room.id, datetime(2026, 11, day, 1), datetime(2026, 11, day, 4), 180,
        round=round_no, subject=subject,
    )  # fmt: skip
    return recruitment_services.create_session(recruitment, data, None)


def make_computer_scores(recruitment, scores: dict, subject: str = "general", maximum="60"):
    """A round-1 session of `subject` where each candidate (key) submitted a computer paper
    with that score (value) out of `maximum`. Flushed."""
    from lms.recruitment.models import ExamAttempt

    session = _exam_session(recruitment, 1, subject, 10)
    recruitment_services.seat_candidates(session, list(scores), None)
    for candidate, score in scores.items():
        db.session.add(
            ExamAttempt(
                session_id=session.id,
                candidate_id=candidate.id,
                status="submitted",
                deadline_at=session.ends_at,
                submitted_at=session.ends_at,
                score=Decimal(str(score)),
                max_score=Decimal(maximum),
            )  # fmt: skip
        )
    db.session.flush()
    return session


def make_written_papers(recruitment, answers: dict):
    """A round-2 written session where each candidate (key) typed `answers[candidate]` into one
    essay question (course "TV01"'s bank). Flushed."""
    from lms.assessments.models import BankQuestion, QuestionCategory
    from lms.recruitment.models import ExamAttempt, ExamSlot

    course = catalog_queries.course_by_code("TV01") or make_course("TV01")
    question = db.session.scalar(select(BankQuestion).where(BankQuestion.course_id == course.id))
    if question is None:
        category = QuestionCategory(course_id=course.id, path="")
        db.session.add(category)
        db.session.flush()
        question = BankQuestion(
            course_id=course.id, category_id=category.id, key="tuluan", kind="essay",
            name="Tự luận", text="Trình bày quy trình tiếp nhận hồ sơ một cửa.",
        )  # fmt: skip
        db.session.add(question)
    session = _exam_session(recruitment, 2, "professional", 20)
    recruitment_services.seat_candidates(session, list(answers), None)
    db.session.flush()
    for candidate, text in answers.items():
        attempt = ExamAttempt(
            session_id=session.id, candidate_id=candidate.id, status="submitted",
            deadline_at=session.ends_at, submitted_at=session.ends_at,
        )  # fmt: skip
        db.session.add(attempt)
        db.session.flush()
        db.session.add(
            ExamSlot(
                attempt_id=attempt.id, question_id=question.id, position=1, response={"text": text}
            )  # fmt: skip
        )
    db.session.flush()


# A recruitment bank: two topics, difficulty as tags (the bank has no difficulty field).
RECRUIT_BANK = """$CATEGORY: TDX/Luật

// [tag:easy]
::L1::Luật Cán bộ, công chức có hiệu lực từ năm nào?{=2010 ~2008 ~2019}

// [tag:easy]
::L2::Công chức phải báo cáo bằng văn bản khi quyết định trái pháp luật.{T}

// [tag:hard]
::L3::Hình thức kỷ luật nào không áp dụng với công chức?{
=Cảnh cáo trước Nhân dân ~Khiển trách ~Cảnh cáo}

$CATEGORY: TDX/Tin học

// [tag:easy]
::T1::Phím tắt sao chép trong Windows?{=Ctrl+C ~Ctrl+V ~Ctrl+X}

// [tag:medium]
::T2::Định dạng tệp văn bản của Microsoft Word?{=.docx ~.xlsx ~.pptx}

// [tag:hard]
::T3::Giao thức nào mã hóa trang web?{=HTTPS ~HTTP ~FTP}
"""


def make_exam_session(
    recruitment,
    *,
    starts_at=None,
    ends_at=None,
    duration=30,
    code="AB12CD",
    networks="",
    blueprint=({"category": "TDX", "difficulty": "", "count": 6},),
    seat=(),
):
    """A round-1 session of `recruitment` in a new 30-seat room, drawing from the TDX bank
    (RECRUIT_BANK, imported once), 08:00–11:00 UTC on 15/06/2026 unless told, with the candidates
    `seat` seated. Needs the `assets_dir` fixture. Commits (the bank import does)."""
    course = catalog_queries.course_by_code("TDX") or make_test_course("TDX", RECRUIT_BANK)
    rooms = db.session.scalar(select(func.count(ExamRoom.id)))
    room = recruitment_services.add_room(recruitment, f"Phòng {101 + rooms}", 30, None)
    session = recruitment_services.create_session(
        recruitment,
        recruitment_services.SessionData(
            room_id=room.id,
            starts_at=starts_at or datetime(2026, 6, 15, 8, 0),
            ends_at=ends_at or datetime(2026, 6, 15, 11, 0),
            duration_minutes=duration,
            title="Vòng 1 — Kiến thức chung",
            allowed_networks=networks,
            bank_course_id=course.id,
            blueprint=tuple(blueprint),
            code=code,
        ),
        None,
    )
    if seat:
        recruitment_services.seat_candidates(session, list(seat), None)
    db.session.commit()
    return session
