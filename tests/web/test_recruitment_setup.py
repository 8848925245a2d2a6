"""HR's set-up pages of a recruitment (routes_setup.py): create and edit a recruitment, its
positions (units of the manager's scope), rooms and sessions, and name invigilators — each form's
happy path with its audit entry, each refusal with its Vietnamese reason and nothing saved,
objects of another recruitment or unit answer 404, a candidate's account opens none of it, and
every form needs its CSRF token. The command line keeps the same rules (one service)."""

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.extensions import db
from lms.organisation import services as org
from lms.recruitment import rooms, services
from lms.recruitment.models import (
    ExamAttempt,
    ExamRoom,
    ExamSession,
    Invigilator,
    Recruitment,
    RecruitmentPosition,
)
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, make_candidate, make_exam_session, make_recruitment

BASE = "/manage/recruitment"


@pytest.fixture
def scene(world, assets_dir):
    """TD2026 (DN; positions VT01 with a candidate, VT02 without) with one session on
    15/06/2026 08:00–11:00 UTC in a 30-seat room, the candidate seated."""
    item = make_recruitment()
    a = make_candidate(item, "Nguyễn Văn An", password=PASSWORD, username="thisinh.an")
    db.session.commit()
    session = make_exam_session(item, seat=[a])
    return item, session, a


@pytest.fixture
def outside(world):
    """XX2026, organised by unit XX, outside hr's units."""
    org.upsert_unit("XX", "Ủy ban nhân dân tỉnh Xa Xôi", "UBND", "tinh", None)
    item = services.create_recruitment("XX2026", "Tuyển dụng Xa Xôi", 2026, "XX", None)
    position = services.add_position(item, "VT01", "Chuyên viên", "XX", 1, None)
    room = rooms.add_room(item, "Phòng XX", 10, None)
    db.session.commit()
    return item, position, room


def _post(client, url, data, page=None):
    token = csrf_token(client, page or url)
    return client.post(url, data={**data, "csrf_token": token})


def _audited(action: str) -> AuditEntry | None:
    return db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id.desc())
    )


def _text(response) -> str:
    return response.get_data(as_text=True)


RECRUITMENT = {
    "code": "td2027",
    "name": "Kỳ thi tuyển công chức năm 2027",
    "year": "2027",
    "unit": "SNV",
    "opens_on": "01/03/2027",
    "closes_on": "31/03/2027",
    "appeal_days": "15",
    "status": "applications",
}


# --- recruitments ---------------------------------------------------------------------------


def test_hr_creates_a_recruitment_from_the_list_page(login_as):
    hr = login_as("hr")
    assert f'href="{BASE}/new"' in _text(hr.get(f"{BASE}/"))
    response = _post(hr, f"{BASE}/new", RECRUITMENT)
    assert response.status_code == 302 and response.location.endswith(f"{BASE}/TD2027")
    item = db.session.scalar(select(Recruitment).where(Recruitment.code == "TD2027"))
    assert (item.name, item.unit.code, item.applications_close_on) == (
        "Kỳ thi tuyển công chức năm 2027",
        "SNV",
        date(2027, 3, 31),
    )
    assert _audited("recruitment.created").object_id == "TD2027"
    page = _text(hr.get(f"{BASE}/TD2027"))
    assert "Sửa kỳ tuyển dụng" in page and "Thêm vị trí" in page and "Thêm phòng thi" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"code": "TD2026"}, "Mã kỳ tuyển dụng này đã được dùng"),
        ({"code": "TD 2027!"}, "Mã gồm tối đa 16 chữ cái"),
        ({"closes_on": "01/02/2027"}, "Ngày kết thúc nhận hồ sơ phải bằng hoặc sau ngày bắt đầu"),
        ({"closes_on": ""}, "hoặc để trống cả hai"),
        ({"unit": "XX"}, "Not a valid choice"),
    ],
)
def test_a_recruitment_is_refused_with_its_reason(login_as, scene, outside, change, message):
    hr = login_as("hr")
    before = db.session.scalar(select(func.count(Recruitment.id)))
    response = _post(hr, f"{BASE}/new", {**RECRUITMENT, **change})
    assert response.status_code == 200
    if message == "Not a valid choice":  # a unit outside hr's units is not offered
        assert 'value="XX"' not in _text(hr.get(f"{BASE}/new"))
        message = "Lựa chọn không hợp lệ"
    assert message in _text(response)
    assert db.session.scalar(select(func.count(Recruitment.id))) == before


def test_hr_edits_a_recruitment_and_the_change_is_audited(login_as, scene):
    item, _session, _a = scene
    hr = login_as("hr")
    data = {**RECRUITMENT, "name": "Đợt tuyển đã đổi tên", "unit": "DN", "appeal_days": "20"}
    response = _post(hr, f"{BASE}/{item.code}/edit", data)
    assert response.status_code == 302
    db.session.refresh(item)
    assert (item.code, item.name, item.appeal_days) == ("TD2026", "Đợt tuyển đã đổi tên", 20)
    entry = _audited("recruitment.changed")
    assert entry.before["appeal_days"] == 15 and entry.after["appeal_days"] == 20


# --- positions ------------------------------------------------------------------------------


def test_hr_adds_edits_and_removes_a_position(login_as, scene):
    item, _session, _a = scene
    hr = login_as("hr")
    data = {"code": "vt03", "title": "Chuyên viên tin học", "unit": "P-HAICHAU", "quota": "3"}
    assert _post(hr, f"{BASE}/{item.code}/positions/new", data).status_code == 302
    position = services.position_by_code(item, "VT03")
    assert (position.quota, position.unit.code) == (3, "P-HAICHAU")
    assert _audited("recruitment.position_added").after["quota"] == 3
    url = f"{BASE}/{item.code}/positions/{position.id}"
    assert 'value="Chuyên viên tin học"' in _text(hr.get(url))
    assert _post(hr, url, {**data, "quota": "5"}).status_code == 302
    db.session.refresh(position)
    assert position.quota == 5 and _audited("recruitment.position_changed").after["quota"] == 5
    response = _post(hr, url + "/remove", {}, page=f"{BASE}/{item.code}")
    assert response.status_code == 302
    assert services.position_by_code(item, "VT03") is None
    assert _audited("recruitment.position_removed").before == {"position": "VT03"}


def test_position_refusals(login_as, scene):
    item, _session, _a = scene
    hr = login_as("hr")
    url = f"{BASE}/{item.code}/positions/new"
    base = {"code": "VT09", "title": "Chuyên viên", "unit": "SNV", "quota": "1"}
    for change, message in (
        ({"code": "VT01"}, "Kỳ tuyển dụng đã có vị trí mang mã này"),
        ({"quota": "0"}, "Nhập một số từ 1 đến 10000"),
        ({"unit": "XX"}, "Lựa chọn không hợp lệ"),
    ):
        response = _post(hr, url, {**base, **change})
        assert response.status_code == 200 and message in _text(response), change
    assert services.position_by_code(item, "VT09") is None
    vt01 = services.position_by_code(item, "VT01")  # a candidate applied for it
    page = f"{BASE}/{item.code}"
    response = _post(hr, f"{page}/positions/{vt01.id}/remove", {}, page=page)
    assert response.status_code == 302
    assert "Đã có thí sinh đăng ký vị trí này" in _text(hr.get(page))
    assert services.position_by_code(item, "VT01") is not None


# --- rooms ----------------------------------------------------------------------------------


def test_hr_adds_edits_and_removes_a_room(login_as, scene):
    item, _session, _a = scene
    hr = login_as("hr")
    data = {"name": "Phòng 202", "seats": "25", "location": "Tầng 2"}
    assert _post(hr, f"{BASE}/{item.code}/rooms/new", data).status_code == 302
    room = db.session.scalar(select(ExamRoom).where(ExamRoom.name == "Phòng 202"))
    assert (room.seats, room.location) == (25, "Tầng 2")
    assert _audited("recruitment.room_added").after == {"room": "Phòng 202", "seats": 25}
    url = f"{BASE}/{item.code}/rooms/{room.id}"
    assert _post(hr, url, {**data, "seats": "20"}).status_code == 302
    db.session.refresh(room)
    assert room.seats == 20 and _audited("recruitment.room_changed").before["seats"] == 25
    assert _post(hr, url + "/remove", {}, page=f"{BASE}/{item.code}").status_code == 302
    room_id = room.id
    db.session.expire_all()
    assert db.session.get(ExamRoom, room_id) is None
    assert _audited("recruitment.room_removed").before == {"room": "Phòng 202"}


def test_room_refusals(login_as, scene):
    item, session, _a = scene
    hr = login_as("hr")
    used = session.room  # the session's room, where seat 1 is held
    rooms.add_room(item, "Phòng 303", 5, None)
    db.session.commit()
    response = _post(hr, f"{BASE}/{item.code}/rooms/new", {"name": "Phòng 303", "seats": "9"})
    assert "Kỳ tuyển dụng đã có phòng thi mang tên này" in _text(response)
    seats = services.seat_candidates  # seat a second candidate: seat 2 is held
    seats(session, [make_candidate(item, "Lê Thị Bình", position="VT02")], None)
    db.session.commit()
    url = f"{BASE}/{item.code}/rooms/{used.id}"
    response = _post(hr, url, {"name": used.name, "seats": "1"})
    assert "Đã có thí sinh được xếp ở chỗ số 2 của phòng này" in _text(response)
    response = _post(hr, url + "/remove", {}, page=f"{BASE}/{item.code}")
    assert response.status_code == 302
    assert "Phòng này đang có ca thi" in _text(hr.get(f"{BASE}/{item.code}"))
    db.session.refresh(used)
    assert used.seats == 30


# --- sessions -------------------------------------------------------------------------------

SESSION = {
    "title": "Vòng 1 — Tin học",
    "round": "1",
    "subject": "it",
    "starts_at": "2026-07-01T07:30",  # Vietnam time: 00:30 UTC
    "ends_at": "01/07/2026 09:30",
    "duration_minutes": "60",
    "blueprint": "TDX/Tin học:easy:1\nTDX/Luật::2",
    "allowed_networks": "10.20.0.0/16",
    "code": "tin2026",
}


def _session_form(session: ExamSession, **change) -> dict:
    return {**SESSION, "room": str(session.room_id), "bank": str(session.bank_course_id), **change}


def test_hr_adds_a_session_in_vietnam_time_with_its_paper(login_as, scene, freeze):
    item, session, _a = scene
    freeze(datetime(2026, 6, 1, 3, 0))
    hr = login_as("hr")
    room = rooms.add_room(item, "Phòng tin học", 30, None)
    db.session.commit()
    data = _session_form(session, room=str(room.id), blueprint="TDX/Tin học:easy:5")
    response = _post(hr, f"{BASE}/{item.code}/sessions/new", data)
    assert response.status_code == 302
    new = db.session.scalar(select(ExamSession).where(ExamSession.room_id == room.id))
    assert (new.starts_at, new.ends_at) == (
        datetime(2026, 7, 1, 0, 30),
        datetime(2026, 7, 1, 2, 30),
    )
    assert (new.code, new.subject, new.allowed_networks) == ("TIN2026", "it", "10.20.0.0/16")
    assert new.blueprint == [{"category": "TDX/Tin học", "difficulty": "easy", "count": 5}]
    assert _audited("recruitment.session_created").object_id == str(new.id)
    page = _text(hr.get(response.location))
    assert "TIN2026" in page and "ngân hàng chỉ có 1 câu" in page  # the bank's shortfall


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ends_at": "2026-07-01T07:00"}, "Giờ kết thúc ca thi phải sau giờ bắt đầu"),
        ({"starts_at": "2026-06-15T16:00", "ends_at": "2026-06-15T19:00"}, "đã có ca thi trùng"),
        ({"blueprint": "TDX:khó lắm:3"}, "dòng này không đúng: TDX:khó lắm:3"),
        ({"allowed_networks": "10.0.0.0/99"}, "Có dải địa chỉ IP không hợp lệ"),
        ({"starts_at": "31/02/2026 07:00"}, "Nhập thời điểm theo dạng dd/mm/yyyy hh:mm"),
    ],
)
def test_a_session_is_refused_with_its_reason(login_as, scene, freeze, change, message):
    item, session, _a = scene
    freeze(datetime(2026, 6, 1, 3, 0))
    hr = login_as("hr")
    # 15/06/2026 16:00–19:00 Vietnam time overlaps the scene's session (08:00–11:00 UTC)
    response = _post(hr, f"{BASE}/{item.code}/sessions/new", _session_form(session, **change))
    assert response.status_code == 200 and message in _text(response)
    assert db.session.scalar(select(func.count(ExamSession.id))) == 1


def test_a_session_cannot_move_to_a_room_with_fewer_seats_than_seated(login_as, scene, freeze):
    item, session, _a = scene
    freeze(datetime(2026, 6, 1, 3, 0))
    services.seat_candidates(session, [make_candidate(item, "Lê Thị Bình", position="VT02")], None)
    small = rooms.add_room(item, "Phòng nhỏ", 1, None)
    db.session.commit()
    response = _post(
        hr := login_as("hr"),
        f"{BASE}/sessions/{session.id}/edit",
        _session_form(session, room=str(small.id)),
    )
    assert "Ca thi đã xếp chỗ cho 2 thí sinh (đến chỗ số 2); phòng Phòng nhỏ chỉ có 1" in _text(
        response
    )
    assert hr.get(f"{BASE}/sessions/{session.id}").status_code == 200
    db.session.refresh(session)
    assert session.room_id != small.id


def test_a_started_session_keeps_its_times_and_paper(login_as, scene, freeze):
    item, session, _a = scene
    freeze(datetime(2026, 6, 15, 8, 5))  # five minutes after its start
    hr = login_as("hr")
    url = f"{BASE}/sessions/{session.id}/edit"
    page = _text(hr.get(url))
    assert "không thể sửa thời gian, phòng thi, vòng thi, môn thi và đề thi nữa" in page
    keep = {
        "title": "Vòng 1 — đổi tên",
        "round": "1",
        "subject": "general",
        "room": str(session.room_id),
        "bank": str(session.bank_course_id),
        "starts_at": "2026-06-15T15:00",  # 08:00 UTC, unchanged
        "ends_at": "2026-06-15T18:00",
        "duration_minutes": "30",
        "blueprint": "TDX::6",
        "allowed_networks": "",
        "code": "",
    }
    response = _post(hr, url, {**keep, "ends_at": "2026-06-15T19:00"})
    assert response.status_code == 200
    assert "Ca thi đã bắt đầu hoặc đã có thí sinh làm bài" in _text(response)
    db.session.refresh(session)
    assert session.ends_at == datetime(2026, 6, 15, 11, 0)
    assert _post(hr, url, keep).status_code == 302  # the title may still change
    db.session.refresh(session)
    assert session.title == "Vòng 1 — đổi tên" and session.code == "AB12CD"
    assert _audited("recruitment.session_changed").after["title"] == "Vòng 1 — đổi tên"
    response = _post(hr, f"{BASE}/sessions/{session.id}/remove", {}, page=url)
    assert response.status_code == 302
    assert db.session.get(ExamSession, session.id) is not None


def test_a_session_with_a_paper_cannot_change_or_go_even_before_its_start(scene, freeze):
    item, session, a = scene
    freeze(datetime(2026, 6, 1, 3, 0))
    db.session.add(
        ExamAttempt(session_id=session.id, candidate_id=a.id, deadline_at=session.ends_at)
    )
    db.session.commit()
    assert rooms.is_locked(session)
    with pytest.raises(services.ValidationFailed):
        rooms.remove_session(session, None)


def test_hr_removes_a_session_before_it_starts(login_as, scene, freeze):
    item, session, _a = scene
    freeze(datetime(2026, 6, 1, 3, 0))
    hr = login_as("hr")
    page = f"{BASE}/sessions/{session.id}"
    assert "Gỡ bỏ ca thi" in _text(hr.get(page))
    assert _post(hr, f"{page}/remove", {}, page=page).location.endswith(f"{BASE}/{item.code}")
    session_id = session.id
    db.session.expire_all()
    assert db.session.get(ExamSession, session_id) is None
    assert _audited("recruitment.session_removed").object_id == str(session_id)


# --- invigilators ---------------------------------------------------------------------------


def test_hr_finds_an_official_without_diacritics_and_names_them(login_as, scene):
    _item, session, _a = scene
    hr = login_as("hr")
    url = f"{BASE}/sessions/{session.id}/invigilators"
    page = _text(hr.get(url, query_string={"q": "nguoi dung manager"}))
    assert "Người Dùng Manager" in page and 'value="manager"' in page
    response = _post(hr, url, {"username": "manager"})
    assert response.status_code == 302
    manager = db.session.scalar(select(Invigilator).where(Invigilator.session_id == session.id))
    assert manager.user.username == "manager"
    assert _audited("recruitment.invigilator_added").after == {"invigilator": "manager"}
    page = _text(hr.get(url))
    assert "<td>manager</td>" in page and "Thôi phân công: Manager" in page
    remove = f"{url}/{manager.user_id}/remove"
    assert _post(hr, remove, {}, page=url).status_code == 302
    assert db.session.scalar(select(Invigilator.id)) is None
    assert _audited("recruitment.invigilator_removed").before == {"invigilator": "manager"}
    assert _post(hr, remove, {}, page=url).status_code == 404  # no longer named


def test_a_candidate_or_unknown_account_cannot_invigilate(login_as, scene):
    _item, session, _a = scene
    hr = login_as("hr")
    url = f"{BASE}/sessions/{session.id}/invigilators"
    response = _post(hr, url, {"username": "thisinh.an"})
    assert "Tài khoản thí sinh không thể làm giám thị" in _text(response)
    response = _post(hr, url, {"username": "khong.co.ai"})
    assert "Không có tài khoản nào có tên đăng nhập này" in _text(response)
    assert db.session.scalar(select(Invigilator.id)) is None


# --- scope, candidates, CSRF ----------------------------------------------------------------


def test_objects_outside_hr_units_answer_404(login_as, scene, outside):
    item, session, _a = scene
    out, out_position, out_room = outside
    hr = login_as("hr")
    for url in (
        f"{BASE}/{out.code}/edit",
        f"{BASE}/{out.code}/positions/new",
        f"{BASE}/{out.code}/rooms/{out_room.id}",
        f"{BASE}/{item.code}/positions/{out_position.id}",  # another recruitment's position
        f"{BASE}/{item.code}/rooms/{out_room.id}",
        f"{BASE}/{out.code}/sessions/new",
    ):
        assert hr.get(url).status_code == 404, url
    response = _post(
        hr, f"{BASE}/{item.code}/positions/{out_position.id}/remove", {}, page=f"{BASE}/"
    )
    assert response.status_code == 404
    assert db.session.get(RecruitmentPosition, out_position.id) is not None
    assert login_as("admin").get(f"{BASE}/{out.code}/rooms/{out_room.id}").status_code == 200


def test_a_candidate_account_opens_none_of_the_setup_pages(app, scene):
    item, session, _a = scene
    client = app.test_client()
    assert login(client, "thisinh.an").status_code == 302
    for url in (
        f"{BASE}/new",
        f"{BASE}/{item.code}/edit",
        f"{BASE}/{item.code}/rooms/new",
        f"{BASE}/sessions/{session.id}/edit",
        f"{BASE}/sessions/{session.id}/invigilators",
    ):
        assert client.get(url).status_code == 404, url
    token = csrf_token(client, "/exam/")
    response = client.post(f"{BASE}/new", data={**RECRUITMENT, "csrf_token": token})
    assert response.status_code == 404
    assert db.session.scalar(select(Recruitment.id).where(Recruitment.code == "TD2027")) is None


def test_a_learner_is_refused(login_as, scene):
    item, _session, _a = scene
    assert login_as("learner").get(f"{BASE}/{item.code}/edit").status_code == 403


@pytest.mark.parametrize(
    "path",
    ["/new", "/TD2026/positions/new", "/TD2026/rooms/new", "/TD2026/sessions/new"],
)
def test_every_setup_form_needs_its_csrf_token(login_as, scene, path):
    hr = login_as("hr")
    response = hr.post(BASE + path, data={**RECRUITMENT, "name": "Không có mã", "seats": "3"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Recruitment.id))) == 1
    assert db.session.scalar(select(func.count(ExamRoom.id))) == 1


# --- the command line keeps the same rules ----------------------------------------------------


def test_the_command_line_refuses_an_overlapping_session(app, scene):
    item, session, _a = scene
    result = app.test_cli_runner().invoke(
        args=[
            "recruitment", "add-session", item.code, "--room", session.room.name,
            "--starts", "15/06/2026 16:00", "--ends", "15/06/2026 17:00",
            "--bank", "TDX", "--blueprint", "TDX::2",
        ]
    )  # fmt: skip
    assert result.exit_code != 0 and "đã có ca thi trùng" in result.output
    assert db.session.scalar(select(func.count(ExamSession.id))) == 1
