"""A candidate after the exam: the public look-up opens to them signed in (and to anyone), and
they file their own appeal (phúc khảo) on their results page — refused before publication and
after the deadline (day before, of and after it), once per part — which HR sees in the appeals
list and a different marker re-marks; the candidate is told the outcome by mail."""

from datetime import date

import pytest
import time_machine
from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.auth import services as auth
from lms.extensions import db, limiter
from lms.jobs.models import Notification
from lms.recruitment.marking import results, services
from lms.recruitment.marking.models import Appeal, Mark, MarkTurn, Paper
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, make_candidate, make_recruitment, make_written_papers

PUBLISHED = "2026-12-07 03:00:00+00:00"  # 10:00 in Vietnam; 15 days: appeals until 22/12/2026


@pytest.fixture
def scene(app, world):
    recruitment = make_recruitment(positions=(("VT01", "SNV", 1),))
    person = make_candidate(
        recruitment, "Lương Thị Phúc Khảo", born_on=date(1997, 4, 3), password=PASSWORD
    )
    person.user.email = "phuckhao@example.vn"
    other = make_candidate(recruitment, "Mai Văn Khác", born_on=date(1996, 1, 2))
    make_written_papers(recruitment, {person: "Bài làm một.", other: "Bài làm hai."})
    for name in ("gk1", "gk2", "gk3"):
        auth.create_user(auth.NewUser(name, PASSWORD, f"Giám khảo {name}", None, None, False), None)
        services.appoint_marker(recruitment, name, world["hr"])
    services.open_marking(recruitment, world["hr"])
    for mark in db.session.scalars(select(Mark)).all():
        services.submit_mark(mark, "60", "", None)
    services.close_marking(recruitment, world["hr"])
    services.reveal_codes(recruitment, world["hr"])
    db.session.commit()
    return recruitment, person


def _publish(recruitment, hr):
    with time_machine.travel(PUBLISHED, tick=False):
        results.publish(recruitment, hr)
        db.session.commit()


def _candidate(app, person):
    client = app.test_client()
    assert login(client, person.user.username).status_code == 302
    return client


def _appeal(client, paper_id, reason="Em xin phúc khảo vì bài làm đủ ý."):
    token = csrf_token(client, "/exam/results")
    return client.post(
        f"/exam/results/appeal/{paper_id}",
        data={"csrf_token": token, "reason": reason},
        follow_redirects=True,
    )


def _paper_id(person):
    from lms.recruitment.marking.appeals import paper_of

    return paper_of(person.recruitment, person).id


def test_the_lookup_opens_to_a_signed_in_candidate_and_to_anyone(app, scene, world):
    recruitment, person = scene
    _publish(recruitment, world["hr"])
    limiter.reset()
    url = f"/recruitment/{recruitment.code}/lookup"
    query = {"number": person.number, "born_on": "03/04/1997"}
    with time_machine.travel("2026-12-08 03:00:00+00:00", tick=False):
        candidate = _candidate(app, person)
        mine = candidate.get(url, query_string=query)
        assert mine.status_code == 200
        text = mine.get_data(as_text=True)
        assert "Lương Thị Phúc Khảo" in text and "main-nav" not in text  # candidate's layout
        anonymous = app.test_client().get(url, query_string=query)
        assert anonymous.status_code == 200 and "Lương Thị Phúc Khảo" in anonymous.get_data(
            as_text=True
        )
        # still fenced off the LMS
        for other in ("/me", "/courses/", "/officials/?q=a", "/manage/recruitment/"):
            assert candidate.get(other).status_code in (403, 404), other


@pytest.mark.parametrize(
    ("moment", "accepted"),
    [
        ("2026-12-21 03:00:00+00:00", True),  # the day before the deadline
        ("2026-12-22 16:59:00+00:00", True),  # the deadline's last minute in Vietnam (23:59)
        ("2026-12-22 17:00:00+00:00", False),  # 00:00 on 23/12 in Vietnam: the day after
    ],
)
def test_a_candidate_appeals_until_the_deadline_day_and_not_after(
    app, scene, world, moment, accepted
):
    recruitment, person = scene
    _publish(recruitment, world["hr"])
    with time_machine.travel(moment, tick=False):
        client = _candidate(app, person)
        page = client.get("/exam/results").get_data(as_text=True)
        assert "22/12/2026" in page
        assert ("Xin phúc khảo" in page) is accepted
        text = _appeal(client, _paper_id(person)).get_data(as_text=True)
    appeal = db.session.scalar(select(Appeal))
    if accepted:
        assert "Đơn phúc khảo của anh/chị đã được gửi" in text
        assert appeal is not None and appeal.filed_by_id == person.user_id
        assert "Em xin phúc khảo" in appeal.reason
    else:
        assert "Chỉ nhận đơn phúc khảo trong thời hạn quy định." in text
        assert appeal is None


def test_before_publication_the_candidate_cannot_appeal(app, scene):
    recruitment, person = scene
    with time_machine.travel("2026-12-06 03:00:00+00:00", tick=False):
        client = _candidate(app, person)
        page = client.get("/exam/results").get_data(as_text=True)
        assert "Kết quả thi chưa được công bố." in page and "Xin phúc khảo" not in page
        text = _appeal(client, _paper_id(person)).get_data(as_text=True)
    assert "Chỉ nhận đơn phúc khảo trong thời hạn quy định." in text
    assert db.session.scalar(select(Appeal)) is None


def test_one_appeal_per_part_a_reason_needed_and_only_ones_own_paper(app, scene, world):
    recruitment, person = scene
    _publish(recruitment, world["hr"])
    with time_machine.travel("2026-12-10 03:00:00+00:00", tick=False):
        client = _candidate(app, person)
        empty = _appeal(client, _paper_id(person), reason="").get_data(as_text=True)
        assert db.session.scalar(select(Appeal)) is None and "flash-error" in empty
        _appeal(client, _paper_id(person))
        twice = _appeal(client, _paper_id(person)).get_data(as_text=True)
        assert "Xin phúc khảo" not in twice  # the form is gone, the second one is refused
        assert db.session.query(Appeal).count() == 1
        others = db.session.scalars(select(Paper.id).where(Paper.candidate_id != person.id)).all()
        token = csrf_token(client, "/exam/results")
        for paper_id in [*others, 999999]:
            response = client.post(
                f"/exam/results/appeal/{paper_id}", data={"csrf_token": token, "reason": "x"}
            )
            assert response.status_code == 404
    assert db.session.query(Appeal).count() == 1


def test_hr_sees_the_online_appeal_a_different_marker_remarks_and_the_candidate_is_told(
    app, scene, world, login_as
):
    recruitment, person = scene
    _publish(recruitment, world["hr"])
    with time_machine.travel("2026-12-10 03:00:00+00:00", tick=False):
        _appeal(_candidate(app, person), _paper_id(person))
        page = login_as("hr").get(f"/recruitment/{recruitment.code}/marking").get_data(as_text=True)
        assert person.number in page and "thí sinh gửi trực tuyến" in page
        assert "Em xin phúc khảo" in page
        appeal = db.session.scalar(select(Appeal))
        remark = db.session.scalar(
            select(Mark).where(Mark.paper_id == appeal.paper_id, Mark.turn == MarkTurn.APPEAL)
        )
        first_two = {
            m.marker_id for m in appeal.paper.marks if m.turn in (MarkTurn.FIRST, MarkTurn.SECOND)
        }
        assert remark is not None and remark.marker_id not in first_two
        marker = app.test_client()
        login(marker, remark.marker.username)
        url = f"/marking/{remark.id}"
        done = marker.post(url, data={"csrf_token": csrf_token(marker, url), "mark": "72,5"})
        assert done.status_code == 302
    db.session.expire_all()
    filed = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "recruitment.appeal_filed")
    )
    assert filed.actor_id == person.user_id
    assert db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "recruitment.appeal_decided")
    )
    notice = db.session.scalar(
        select(Notification).where(Notification.kind == "recruitment_appeal_decided")
    )
    assert notice.user_id == person.user_id and notice.email_to == "phuckhao@example.vn"
    assert "60" in notice.body and "72,5" in notice.body
    with time_machine.travel("2026-12-12 03:00:00+00:00", tick=False):
        mine = _candidate(app, person).get("/exam/results").get_data(as_text=True)
    assert "Đã chấm phúc khảo" in mine and "72,5" in mine
