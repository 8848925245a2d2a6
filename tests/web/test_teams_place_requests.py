"""An official asks their head for a place in a class (issue 23). The learner (P-HAICHAU, whose
head is "head") asks for a place in the May class filled by nomination; the head is told, sees
it on the team page, approves: the learner is nominated (on the roster with the head as the
one who sent them, HR sees it) and told. A decline needs a reason the official reads. An open
class, a class begun, a second request and an official with no head are refused; the official
may withdraw while it waits."""

import html as html_lib
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.curricula.classes.models import ClassMember
from lms.errors import RuleViolation
from lms.extensions import db
from lms.jobs.models import Notification
from lms.organisation.models import Official
from lms.teams import places
from lms.teams.models import PlaceRequest
from tests.conftest import count_queries, csrf_token
from tests.factories import make_class, make_course, make_head, unit_id

MINE = "/me/place-requests"


def text_of(answer) -> str:
    body = answer if isinstance(answer, str) else answer.get_data(as_text=True)
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", body)))


def official(code: str) -> Official:
    return db.session.scalar(select(Official).where(Official.employee_code == code))


@pytest.fixture
def scene(world, freeze):
    freeze(date(2026, 4, 20))
    make_head()
    course = make_course("BB03")
    nominated = make_class(course, title="Lớp kỹ năng số tháng 5", join_mode="nominated")
    opened = make_class(
        course,
        title="Lớp mở đăng ký",
        join_mode="open",
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 6, 2),
    )
    db.session.commit()
    return nominated, opened


def ask(client, klass, reason="Phục vụ công tác chuyển đổi số của phường"):
    data = {"csrf_token": csrf_token(client, MINE), "klass": str(klass.id), "reason": reason}
    return client.post(MINE, data=data)


def _status(row) -> str:
    db.session.expire_all()
    return db.session.get(PlaceRequest, row.id).status


def kinds(user) -> list[str]:
    return [
        n.kind
        for n in db.session.scalars(select(Notification).where(Notification.user_id == user.id))
    ]


def test_the_head_approves_and_the_official_is_nominated(scene, login_as, world):
    klass, opened = scene
    learner = login_as("learner")
    page = text_of(learner.get(MINE))
    assert "Lớp kỹ năng số tháng 5" in page and "Lớp mở đăng ký" not in page  # open: sign up
    assert ask(learner, klass).status_code == 302
    assert "Chờ thủ trưởng quyết định" in text_of(learner.get(MINE))
    row = db.session.scalar(select(PlaceRequest))
    head_user = db.session.scalar(
        select(Notification.user_id).where(Notification.kind == "place_requested")
    )
    assert head_user is not None

    head = login_as("head")
    team = text_of(head.get("/team/"))
    assert "xin được cử đi học Lớp kỹ năng số tháng 5" in team
    url = f"/team/places/{row.id}"
    assert "Phục vụ công tác chuyển đổi số" in text_of(head.get(url))
    answer = head.post(f"{url}/approve", data={"csrf_token": csrf_token(head, url), "reason": ""})
    assert answer.status_code == 302
    member = db.session.scalar(select(ClassMember).where(ClassMember.class_id == klass.id))
    assert member.official_id == official("T-LEARN").id and member.source == "nominated"
    assert "place_decision" in kinds(world["learner"])
    assert "Thủ trưởng đã đồng ý" in text_of(learner.get(MINE))
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"place.requested", "place.approved"} <= actions
    # HR sees the head's nomination on the roster
    roster = text_of(login_as("manager").get(f"/classes/{klass.id}/roster"))
    assert "Người Dùng Learner" in roster and "Do thủ trưởng đơn vị cử" in roster
    # decided once
    answer = head.post(f"{url}/decline", data={"csrf_token": csrf_token(head, url), "reason": "x"})
    assert _status(row) == "approved"


def test_a_decline_needs_a_reason_the_official_reads(scene, login_as):
    klass, _opened = scene
    learner = login_as("learner")
    ask(learner, klass)
    row = db.session.scalar(select(PlaceRequest))
    head = login_as("head")
    url = f"/team/places/{row.id}"
    assert (
        head.post(f"{url}/decline", data={"csrf_token": csrf_token(head, url)}).status_code == 422
    )
    assert _status(row) == "awaiting"
    data = {"csrf_token": csrf_token(head, url), "reason": "Đã cử cán bộ khác"}
    assert head.post(f"{url}/decline", data=data).status_code == 302
    assert "Đã cử cán bộ khác" in text_of(learner.get(MINE))
    assert db.session.scalar(select(func.count()).select_from(ClassMember)) == 0


def test_refusals_and_withdrawal(scene, login_as, world, freeze):
    klass, opened = scene
    learner = login_as("learner")
    # an open class is not in the list, and the service refuses it
    with pytest.raises(RuleViolation):
        places.request_place(official("T-LEARN"), opened, "Lý do", world["learner"])
    db.session.rollback()
    assert ask(learner, opened).status_code == 200
    ask(learner, klass)
    answer = ask(learner, klass)  # twice: the class is still listed? it is refused
    assert db.session.scalar(select(func.count()).select_from(PlaceRequest)) == 1
    assert answer.status_code == 200
    assert "đang chờ thủ trưởng" in text_of(answer)
    assert ask(learner, klass, reason="").status_code == 200  # a reason is needed
    row = db.session.scalar(select(PlaceRequest))
    data = {"csrf_token": csrf_token(learner, MINE)}
    assert learner.post(f"{MINE}/{row.id}/withdraw", data=data).status_code == 302
    assert _status(row) == "withdrawn"
    # T-MAN (SNV-CCVC) has no head on the system: told to ask HR
    with pytest.raises(RuleViolation, match="thủ trưởng|head"):
        places.request_place(official("T-MAN"), klass, "Lý do", world["manager"])
    db.session.rollback()
    # the class has begun: refused
    freeze(date(2026, 5, 4))
    with pytest.raises(RuleViolation):
        places.request_place(official("T-LEARN"), klass, "Lý do", world["learner"])


def _restricted_classes(course, n: int) -> None:
    """`n` more nominated classes in June, half open to the learner's unit, half to SNV only."""
    for i in range(n):
        unit = "P-HAICHAU" if i % 2 == 0 else "SNV"
        make_class(
            course,
            title=f"Lớp {unit} số {i + 1}",
            join_mode="nominated",
            starts_on=date(2026, 6, 10 + i),
            ends_on=date(2026, 6, 10 + i),
            sessions=1,
            unit_ids=(unit_id(unit),),
        )
    db.session.commit()


def test_the_request_form_lists_the_classes_open_to_the_post_in_the_same_queries(scene, login_as):
    """The form offers the nominated classes not begun that the learner's post may join (a
    class open only to SNV is not offered), and the page reads them in as many queries for 12
    classes as for 2."""
    nominated, _opened = scene
    client = login_as("learner")
    _restricted_classes(nominated.course, 2)
    client.get(MINE)
    with count_queries() as few:
        page = text_of(client.get(MINE))
    assert "Lớp P-HAICHAU số 1" in page and "Lớp SNV số 2" not in page
    _restricted_classes(nominated.course, 10)
    with count_queries() as many:
        page = text_of(client.get(MINE))
    assert "Lớp P-HAICHAU số 9" in page and "Lớp SNV số 10" not in page
    assert "Lớp kỹ năng số tháng 5" in page
    assert many[0] == few[0]
