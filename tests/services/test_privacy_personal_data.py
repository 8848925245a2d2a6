"""Download all my data: an official seeded with records of every kind finds each of them in the
JSON (and the PDF in words), nothing of another official's, and the download costs the same
queries with one record per section as with five."""

import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from lms.api.models import ApiToken
from lms.assessments import attempts, bank, quizzes
from lms.audit.services import record
from lms.auth.models import LoginFailure
from lms.catalog import enrolments as catalog_enrolments
from lms.certificates import services as certificate_services
from lms.certificates.models import VerificationLog
from lms.compliance.models import CycleClosure, Statement
from lms.curricula.classes.models import ClassMember, TrainingClass
from lms.curricula.completions.services import CompletionData, record_completion
from lms.curricula.external.models import ExternalRecord
from lms.curricula.obligations.models import Obligation, OfficialTarget
from lms.extensions import db
from lms.jobs.notifications import notify
from lms.organisation.models import Official, OrgUnit
from tests.conftest import count_queries
from tests.factories import make_cycle, make_test_course

BANK = (
    "::PD-TF::Công chức phải báo cáo khi quyết định trái pháp luật.{T}\n\n"
    "::PD-MC::Chọn các giá trị công vụ.{~%50%Liêm chính ~%50%Tận tụy ~%-100%Hách dịch}\n\n"
    "::PD-SA::Viết tắt của cán bộ, công chức, viên chức?{=CBCCVC}\n"
)


def _official(code: str) -> Official:
    return db.session.scalar(select(Official).where(Official.employee_code == code))


@pytest.fixture
def course(world, assets_dir):
    """PD01: a course with three lessons and a test of three questions (true/false, multiple
    choice, short answer), any number of attempts; repeatable, so that each cycle's completion
    earns its credits (a course earns once otherwise) and the ledger has a record per cycle."""
    course = make_test_course("PD01", BANK, {"questions": 3, "max_attempts": 0, "pass_mark": 50})
    course.repeatable = True
    db.session.commit()
    return course


def _answer_all(attempt):
    form = MultiDict()
    for slot in attempt.slots:
        form.add("slots", str(slot.id))
        question = bank.to_question(slot.question)
        shown = slot.shown.get("answers", [])
        name = f"r{slot.id}"
        if question.kind == "short_answer":
            form.add(name, "CBCCVC")
        elif question.kind == "true_false":
            form.add(name, str(shown.index(0)))  # "True"
        else:
            for index in (0, 1):
                form.add(name, str(shown.index(index)))
    attempts.save_responses(attempt, form)
    attempts.submit(attempt)


def _cycle_records(official, unit, course, year: int) -> None:
    """A cycle with the official's target, obligation, completion (with its certificate and a
    public check of it), external training, class place and frozen statement."""
    cycle = make_cycle(year)
    mine = {"official_id": official.id}
    db.session.add(OfficialTarget(**mine, cycle_id=cycle.id, target_credits=3, months=12))
    db.session.add(
        Obligation(**mine, cycle_id=cycle.id, course_id=course.id, due_on=date(year, 6, 30))
    )
    done = record_completion(
        CompletionData(official.id, course.id, date(year, 6, 1), "online", f"seed:{year}")
    ).completion
    certificate = certificate_services.issue_for(done, issued_on=date(year, 6, 2))
    db.session.add(
        VerificationLog(certificate_id=certificate.id, code="x", channel="web", result="valid")
    )
    db.session.add(
        ExternalRecord(
            **mine,
            title=f"Hội thảo năm {year}",
            organiser="Sở Nội vụ",
            starts_on=date(year, 3, 1),
            ends_on=date(year, 3, 2),
            periods=8,
            evidence_name=f"giay-xac-nhan-{year}.pdf",
        )
    )
    klass = TrainingClass(
        course_id=course.id,
        unit_id=unit.id,
        title=f"Lớp {year}",
        starts_on=date(year, 4, 1),
        ends_on=date(year, 4, 2),
        sessions=2,
    )
    closure = CycleClosure(cycle_id=cycle.id, unit_id=unit.id, action="close")
    db.session.add_all([klass, closure])
    db.session.flush()
    db.session.add(ClassMember(**mine, class_id=klass.id, sessions_attended=2, result="passed"))
    db.session.add(
        Statement(
            **mine,
            cycle_id=cycle.id,
            closure_id=closure.id,
            unit_id=unit.id,
            employee_code=official.employee_code,
            full_name=official.full_name,
            gender=official.gender,
            unit_code=unit.code,
            unit_name=unit.name,
            target_credits=3,
            earned_credits=2,
            mandatory_required=1,
            mandatory_completed=1,
            status="met",
            certificates=[certificate.serial],
            closed_at=datetime(year + 1, 1, 5),
        )
    )


def seed(world, course, n: int, start: int = 0):
    """n records of every kind for the learner (T-LEARN), numbered from `start`: cycles
    2010 + i with their records, lessons done, attempts, notifications, failed logins, API
    tokens and audit entries (plus one about someone else's certificate)."""
    learner_user, hr = world["learner"], world["hr"]
    official = _official("T-LEARN")
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "P-HAICHAU"))
    quiz = quizzes.quiz_of(course)
    for i in range(start, start + n):
        _cycle_records(official, unit, course, 2010 + i)
        lesson = course.active_lessons[i % len(course.active_lessons)]
        catalog_enrolments.mark_done(official.id, lesson, mandatory=True)
        _answer_all(attempts.start_attempt(quiz, official.id))
        notify(learner_user.id, "external_approved", f"seed:{i}", {"title": f"Hội thảo {i}"})
        db.session.add(LoginFailure(username="learner", address=f"10.0.0.{i}"))
        db.session.add(
            ApiToken(
                user_id=learner_user.id,
                name=f"Đồng bộ {i}",
                token_sha256=f"{i:064d}",
                hint=f"t{i}",
            )
        )
        record(hr, "official.viewed", "official", "T-LEARN")
        record(hr, "certificate.revoked", "certificate", "DN-OTHER-000001")  # not theirs
    db.session.commit()


def _download(client) -> dict:
    response = client.get("/me/data.json")
    assert response.status_code == 200
    assert 'filename="du-lieu-cua-toi.json"' in response.headers["Content-Disposition"]
    return json.loads(response.data)


def test_every_section_holds_the_officials_records(login_as, world, course):
    client = login_as("learner")  # a login clears the failures before it: seed after it
    seed(world, course, 2)
    data = _download(client)
    assert data["account"]["username"] == "learner"
    assert [p["unit_code"] for p in data["official"]["assignments"]] == ["P-HAICHAU"]
    assert {t["cycle"] for t in data["targets"]} >= {2010, 2011}
    assert {(o["cycle"], o["course_code"]) for o in data["obligations"]} >= {(2010, "PD01")}
    assert {e["source"] for e in data["ledger"]} == {"online"} and len(data["ledger"]) == 2
    assert [c["completed_on"] for c in data["completions"]] == ["2010-06-01", "2011-06-01"]
    assert len(data["courses"][0]["lessons_done"]) == 2
    assert [len(c["verifications"]) for c in data["certificates"]] == [1, 1]
    assert [r["evidence_name"] for r in data["external_training"]] == [
        "giay-xac-nhan-2010.pdf",
        "giay-xac-nhan-2011.pdf",
    ]
    assert [c["result"] for c in data["classes"]] == ["passed", "passed"]
    assert [s["status"] for s in data["statements"]] == ["met", "met"]
    assert {n["kind"] for n in data["notifications"]} >= {"external_approved"}
    assert [f["address"] for f in data["logins"]["failed_attempts"]] == ["10.0.0.0", "10.0.0.1"]
    assert [t["name"] for t in data["api_tokens"]] == ["Đồng bộ 0", "Đồng bộ 1"]
    assert "token_sha256" not in json.dumps(data) and "0" * 64 not in json.dumps(data)


def test_attempts_carry_the_answers_and_scores(login_as, world, course):
    seed(world, course, 1)
    attempt = _download(login_as("learner"))["attempts"][0]
    assert attempt["course_code"] == "PD01" and attempt["status"] == "graded"
    assert Decimal(attempt["percent"]) == 100 and attempt["passed"] is True
    answers = {q["question"]: q["answer"] for q in attempt["questions"]}
    assert answers["PD-TF"] == "Đúng"
    assert answers["PD-MC"] == "Liêm chính; Tận tụy"
    assert answers["PD-SA"] == "CBCCVC"
    assert {Decimal(q["fraction"]) for q in attempt["questions"]} == {1}


def test_the_processing_log_holds_views_and_changes_to_their_records(login_as, world, course):
    seed(world, course, 1)
    # the officials import writes "marked as left" with the official's id (here: 1 is T-LEARN)
    record(world["hr"], "official.marked_left", "official", str(_official("T-LEARN").id))
    record(world["hr"], "official.marked_left", "official", str(_official("T-HR").id))
    db.session.commit()
    log = _download(login_as("learner"))["processing_log"]
    assert [e["action"] for e in log].count("official.marked_left") == 1
    actions = [entry["action"] for entry in log]
    assert "official.viewed" in actions  # HR opened the record
    assert "certificate.issued" in actions  # about their certificate
    assert "certificate.revoked" not in actions  # someone else's certificate
    viewed = next(entry for entry in log if entry["action"] == "official.viewed")
    assert viewed["by"] == "hr"
    assert viewed["description"].startswith("Hr đã xem hồ sơ cán bộ T-LEARN")


def test_nothing_of_another_official_is_included(login_as, world, course):
    seed(world, course, 1)
    data = _download(login_as("hr"))  # the HR officer is an official too (T-HR)
    assert data["official"]["employee_code"] == "T-HR"
    for section in ("ledger", "completions", "attempts", "certificates", "external_training"):
        assert data[section] == [], section
    assert data["notifications"] == [] and data["api_tokens"] == []


def test_an_account_without_an_official_record_downloads_its_account(login_as, world):
    data = _download(login_as("admin"))
    assert data["official"] is None and data["ledger"] == []
    assert data["account"]["roles"] == [{"role": "administrator", "unit": None}]


def test_the_download_costs_the_same_queries_with_more_records(login_as, world, course):
    client = login_as("learner")

    def queries(path: str) -> int:
        with count_queries() as counted:
            response = client.get(path)
            assert response.status_code == 200
            response.close()
        return counted[0]

    seed(world, course, 1)
    one = (queries("/me/data.json"), queries("/me/data.pdf"))
    seed(world, course, 4, start=1)
    five = (queries("/me/data.json"), queries("/me/data.pdf"))
    data = _download(client)
    assert len(data["ledger"]) >= 5 and len(data["attempts"]) == 5
    assert len(data["processing_log"]) > 10 and len(data["notifications"]) >= 5
    assert five == one


def test_the_pdf_reads_in_vietnamese(login_as, world, course):
    import unicodedata

    from tests.services.test_certificates_pdf import text_of

    seed(world, course, 1)
    response = login_as("learner").get("/me/data.pdf")
    assert response.mimetype == "application/pdf"
    assert 'filename="du-lieu-cua-toi.pdf"' in response.headers["Content-Disposition"]
    text = " ".join(unicodedata.normalize("NFC", text_of(response.data)).split())
    for words in ("Sổ tín chỉ", "giay-xac-nhan-2010.pdf", "Đúng", "Liêm chính; Tận tụy"):
        assert words in text, words
    assert "official.viewed" not in text and "external_approved" not in text


def test_the_evaluations_asked_are_included_and_the_answers_said_anonymous(login_as, world, course):
    from lms.surveys.evaluation import services as evaluations
    from lms.surveys.evaluation.models import EvaluationRequest
    from tests.factories import make_completion, make_course, make_questionnaires

    make_questionnaires()
    learner = world["learner"]
    answered = make_completion(learner.official, make_course("PD02", title="Tiếp công dân"))
    make_completion(learner.official, make_course("PD03", title="Văn thư"))
    make_completion(world["hr"].official, make_course("PD04", title="Lưu trữ"))  # not theirs
    request = db.session.scalar(
        select(EvaluationRequest).where(EvaluationRequest.completion_id == answered.id)
    )
    answers = {"objectives": ["4"], "relevance": ["5"], "materials": ["4"], "overall": ["5"]}
    evaluations.submit(request, answers, actor=learner)
    db.session.commit()
    client = login_as("learner")
    data = _download(client)
    asked = {r["course_code"]: r for r in data["evaluation_requests"]}
    assert sorted(asked) == ["PD02", "PD03"]
    assert (asked["PD02"]["answered"], asked["PD03"]["answered"]) == (True, False)
    assert asked["PD02"]["questionnaire"] == "TT10-COURSE" and asked["PD02"]["role"] == "learner"
    assert data["evaluation_answers"]["included"] is False
    assert "ẩn danh" in data["evaluation_answers"]["why"]
    import unicodedata

    from tests.services.test_certificates_pdf import text_of

    text = " ".join(unicodedata.normalize("NFC", text_of(client.get("/me/data.pdf").data)).split())
    assert "Các phiếu đánh giá được gửi cho tôi" in text and "PD02 Tiếp công dân" in text
