"""In-person classes on the web, issue 24: the class form's places and joining rules, the
timetable with trainers and venues (clashes shown on the form), a trainer's schedule limited to
the viewer's units."""

from datetime import date

import pytest
from sqlalchemy import select

from lms.curricula.classes.models import TrainingClass
from lms.organisation.models import OrgUnit
from tests.conftest import csrf_token
from tests.factories import (
    make_class,
    make_in_person_course,
    make_official,
    make_session,
    make_trainer,
    make_venue,
)

pytestmark = pytest.mark.usefixtures("english")
JUNE = dict(starts_on=date(2026, 6, 8), ends_on=date(2026, 6, 10))


@pytest.fixture
def setting(world, db, freeze):
    freeze(date(2026, 5, 20))
    make_official("DN000001", "Nguyễn Thị Hoa")
    course = make_in_person_course("VHCV01")
    klass = make_class(course, capacity=20, **JUNE)
    trainer, venue = make_trainer(), make_venue("Hội trường A", capacity=40)
    db.session.commit()
    return {"class": klass.id, "course": course, "trainer": trainer.id, "venue": venue.id}


def post(client, url, page, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, page), **data})


def test_the_class_form_says_full_attendance_is_the_default_by_circular_01_2018(setting, login_as):
    page = login_as("manager").get("/classes/new").get_data(as_text=True)
    assert "Circular 01/2018/TT-BNV asks for full attendance" in page
    assert 'value="100"' in page


def test_a_manager_sets_places_and_open_sign_up(setting, login_as, db):
    client = login_as("manager")
    url = f"/classes/{setting['class']}/edit"
    unit = db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == "P-HAICHAU"))
    response = post(
        client,
        url,
        url,
        course="VHCV01",
        unit=str(db.session.get(TrainingClass, setting["class"]).unit_id),
        title="Lớp mở",
        starts_on="2026-06-08",
        ends_on="2026-06-10",
        sessions="1",
        min_attendance_percent="100",
        capacity="25",
        join_mode="open",
        enrol_closes_on="2026-06-01",
        units=str(unit),
    )
    assert response.status_code == 302
    page = client.get(f"/classes/{setting['class']}").get_data(as_text=True)
    assert "0 / 25" in page and "Open sign-up" in page and "Hải Châu" in page


def test_a_session_with_a_busy_trainer_is_refused_on_the_form(setting, login_as, db):
    other = make_class(setting["course"], title="Lớp kỹ năng số", **JUNE)
    make_session(other, date(2026, 6, 8), trainer_id=setting["trainer"])
    db.session.commit()
    client = login_as("manager")
    url = f"/classes/{setting['class']}/sessions"
    data = dict(day="2026-06-08", starts="09:00", ends="11:00", trainer=str(setting["trainer"]))
    response = post(client, url, url, **data)
    assert response.status_code == 422
    assert "TS. Phạm Minh Đức already teaches at that time (Lớp kỹ năng số" in response.get_data(
        as_text=True
    )
    data |= {"day": "2026-06-09", "venue": str(setting["venue"]), "topic": "Đạo đức công vụ"}
    assert post(client, url, url, **data).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "09:00–11:00" in page and "Hội trường A" in page and "Đạo đức công vụ" in page


def test_a_trainer_s_schedule_shows_only_classes_of_the_viewer_s_units(setting, login_as, db):
    klass = db.session.get(TrainingClass, setting["class"])
    make_session(klass, date(2026, 6, 8), trainer_id=setting["trainer"])
    make_official("XX01", "Lê Ngoài Phạm Vi")
    from lms.organisation import services as org

    org.upsert_unit("XX", "Xã Xa Xôi", "ubnd_xa", "xa", None)
    db.session.flush()
    far = make_class(setting["course"], unit="XX", title="Lớp Xa Xôi", **JUNE)
    make_session(far, date(2026, 6, 9), trainer_id=setting["trainer"])
    db.session.commit()
    page = login_as("manager").get(f"/classes/trainers/{setting['trainer']}/schedule")
    text = page.get_data(as_text=True)
    assert "Lớp bồi dưỡng văn hóa công vụ 2026" in text and "Xa Xôi" not in text


def test_the_sign_in_sheet_and_the_class_list_print_in_the_administrative_layout(
    setting, login_as, db
):
    from lms.curricula.classes import enrolment
    from lms.organisation.models import Official
    from tests.services.test_certificates_pdf import run, text_of, tool

    klass = db.session.get(TrainingClass, setting["class"])
    session = make_session(klass, date(2026, 6, 8), topic="Đạo đức công vụ")
    hoa = db.session.scalar(select(Official).where(Official.employee_code == "DN000001"))
    enrolment.enrol(klass, hoa, source="hr", by_user=None)
    db.session.commit()
    client = login_as("manager")
    sheet = client.get(f"/classes/{klass.id}/sessions/{session.id}/signin.pdf")
    listing = client.get(f"/classes/{klass.id}/list.pdf")
    assert sheet.mimetype == listing.mimetype == "application/pdf"
    for pdf in (sheet.data, listing.data):
        text = " ".join(text_of(pdf).split())
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        assert "Độc lập - Tự do - Hạnh phúc" in text
        assert "SỞ NỘI VỤ THÀNH PHỐ ĐÀ NẴNG" in text and "Nguyễn Thị Hoa" in text
        assert "Đà Nẵng, ngày 20 tháng 05 năm 2026" in text
        fonts = run(tool("pdffonts"), "-", data=pdf).splitlines()
        dejavu = [line.split() for line in fonts if "DejaVu" in line]
        assert dejavu and all(row[-5] == "yes" for row in dejavu)  # embedded
    assert "SIGN-IN SHEET" in " ".join(text_of(sheet.data).split())
