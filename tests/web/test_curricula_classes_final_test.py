"""A class's final test on the online test engine, issue 24: the manager attaches an existing
test; officials holding a place take it from their class page (not from the waiting list);
deciding the results passes an official only when the attendance rule is met and their best
graded attempt passed the test (its score recorded), writes the credits and requests the
certificate through the results path, and changes nothing when run again."""

import re
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from lms.assessments import attempts, quizzes
from lms.assessments.models import Attempt
from lms.curricula.classes import attendance, enrolment, final_test, results
from lms.curricula.classes.models import ClassMember, MemberStatus, TrainingClass
from lms.curricula.completions.models import CERT_NONE, Completion
from lms.curricula.ledger.models import LedgerEntry
from lms.errors import RuleViolation
from lms.organisation.models import Official
from tests.conftest import csrf_token, login
from tests.factories import (
    make_class,
    make_in_person_course,
    make_login,
    make_official,
    make_session,
    make_test_course,
)
from tests.services.test_assessments_attempts import form_for

pytestmark = pytest.mark.usefixtures("english")
DAY = date(2026, 3, 2)
DURING = datetime(2026, 3, 2, 2, 0)  # 09:00 in Đà Nẵng, the session 08:00–10:00
AFTER = datetime(2026, 3, 2, 4, 0)  # 11:00


@pytest.fixture
def scene(world, db, assets_dir, freeze):
    freeze(date(2026, 2, 20))
    quiz = quizzes.quiz_of(make_test_course())  # pass mark 50 %, three attempts
    klass = make_class(
        make_in_person_course("VHCV01"),
        starts_on=DAY,
        ends_on=DAY,
        capacity=4,
        min_attendance_percent=100,
        final_quiz_id=quiz.id,
    )
    session = make_session(klass, DAY, "08:00", "10:00")
    people = {
        "learner": db.session.scalar(select(Official).where(Official.employee_code == "T-LEARN"))
    }
    for code, name in (
        ("DN01", "Nguyễn Thị Hoa"),
        ("DN02", "Trần Văn Bình"),
        ("DN03", "Lê Văn Cường"),
        ("DN04", "Phạm Thị Mai"),
    ):
        people[code] = make_official(code, name)
    members = {
        who: enrolment.enrol(klass, official, source="hr", by_user=None)
        for who, official in people.items()
    }
    assert members["DN04"].status == MemberStatus.WAITLISTED  # four places, the fifth waits
    db.session.commit()
    return {"class": klass, "session": session, "quiz": quiz, "members": members}


def take(klass, member, right: bool) -> Attempt:
    attempt = final_test.start(klass, member)
    attempts.save_responses(attempt, form_for(attempt, right=right))
    attempts.submit(attempt)
    return attempt


def decide(client, class_id):
    page = f"/classes/{class_id}/results"
    return client.post(f"{page}/decide", data={"csrf_token": csrf_token(client, page)})


def test_the_manager_attaches_an_online_test_on_the_class_form(scene, login_as):
    page = login_as("manager").get(f"/classes/{scene['class'].id}/edit").get_data(as_text=True)
    assert f'<option selected value="{scene["quiz"].id}">TX01' in page


def test_results_need_attendance_and_the_final_test_passed(scene, db, freeze, login_as):
    klass, members = scene["class"], scene["members"]
    freeze(DURING)
    client = login_as("learner")
    page = client.get(f"/me/classes/{klass.id}").get_data(as_text=True)
    assert "Take the final test" in page and "pass mark 50%" in page
    started = client.post(
        f"/me/classes/{klass.id}/final-test",
        data={"csrf_token": csrf_token(client, f"/me/classes/{klass.id}")},
    )
    assert started.status_code == 302 and "/attempts/" in started.headers["Location"]
    attempt = db.session.scalar(
        select(Attempt).where(Attempt.official_id == members["learner"].official_id)
    )
    attempts.save_responses(attempt, form_for(attempt, right=True))
    attempts.submit(attempt)
    take(klass, members["DN01"], right=False)  # present, test failed
    take(klass, members["DN02"], right=True)  # test passed, absent
    # DN03: present, test not taken yet → left undecided
    marks = {m.id: "present" for m in (members["learner"], members["DN01"], members["DN03"])}
    attendance.record_marks(scene["session"], {**marks, members["DN02"].id: "absent"}, None)
    db.session.commit()
    assert final_test.standing(klass, members["learner"].official_id).state == "passed"

    freeze(AFTER)
    manager = login_as("manager")
    sheet = manager.get(f"/classes/{klass.id}/results").get_data(as_text=True)
    assert "Test passed · 100%" in sheet and "Test not taken" in sheet
    # the final test's cell sits under its heading (the phone's card labels come from them)
    headings = re.findall(r'<th scope="col">(.*?)</th>', sheet)
    row = sheet.split("<tbody>")[1].split("</tr>")[0]
    cells = re.findall(r"<td( class=\"final-test\")?>", row)
    assert headings.index("Final test") - 1 == [bool(c) for c in cells].index(True)
    response = decide(manager, klass.id)
    assert response.status_code == 302
    shown = manager.get(f"/classes/{klass.id}/results").get_data(as_text=True)
    assert "1 passed" in shown and "2 failed" in shown
    assert "left undecided: Lê Văn Cường" in shown
    db.session.expire_all()
    result = {who: db.session.get(ClassMember, m.id).result for who, m in members.items()}
    assert result == {
        "learner": "passed",
        "DN01": "failed",  # the test failed
        "DN02": "failed",  # attendance
        "DN03": None,
        "DN04": None,  # waiting list
    }
    passed = db.session.get(ClassMember, members["learner"].id)
    assert passed.score == 100
    completion = db.session.get(Completion, passed.completion_id)
    assert completion.source == "in_person" and completion.certificate_state != CERT_NONE
    credits = select(func.count()).select_from(LedgerEntry)
    before = db.session.scalar(credits)
    assert before >= 1

    # DN03 takes the test now and passes; deciding again decides only them, once.
    take(klass, db.session.get(ClassMember, members["DN03"].id), right=True)
    db.session.commit()
    assert decide(manager, klass.id).status_code == 302
    again = results.decide_results(db.session.get(TrainingClass, klass.id), None)
    assert (again.passed, again.failed, again.counts) == (0, 0, {})
    assert db.session.get(ClassMember, members["DN03"].id).result == "passed"
    assert db.session.scalar(select(func.count()).select_from(Completion)) == 2
    assert db.session.scalar(credits) == before + 1


def test_an_official_on_the_waiting_list_cannot_take_the_final_test(scene, db, freeze, app):
    freeze(DURING)
    klass, waiting = scene["class"], scene["members"]["DN04"]
    make_login(waiting.official)
    client = app.test_client()
    assert login(client, "dn04").status_code == 302
    page = client.get(f"/me/classes/{klass.id}").get_data(as_text=True)
    assert "Take the final test" not in page
    assert "Only officials holding a place in the class take its final test." in page
    response = client.post(
        f"/me/classes/{klass.id}/final-test",
        data={"csrf_token": csrf_token(client, f"/me/classes/{klass.id}")},
    )
    assert response.status_code == 302 and "/attempts/" not in response.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0
    with pytest.raises(RuleViolation):
        final_test.start(klass, waiting)


def test_the_final_test_opens_on_the_class_s_first_day(scene, db, freeze):
    freeze(date(2026, 3, 1))
    with pytest.raises(RuleViolation, match="opens on the class's first day, 02/03/2026"):
        final_test.start(scene["class"], scene["members"]["learner"])
