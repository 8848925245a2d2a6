"""An in-person class on a 360 px phone (issue 24): an official signs up for a full class and
lands on the waiting list, moves into the class when another official cancels, checks in by
scanning the room's QR code during the session (the test renders the QR, decodes it with
zbarimg and opens the link, logging in first), and a code used outside its session's window is
refused."""

import shutil
import subprocess
from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import expect

from lms.curricula.classes import enrolment
from tests.e2e.test_journey import log_in
from tests.factories import (
    PASSWORD,
    make_class,
    make_in_person_course,
    make_learner,
    make_session,
    make_units,
    make_user,
)

pytestmark = pytest.mark.browser
PHONE = dict(width=360, height=740)


def local(moment: datetime) -> datetime:
    """A Vietnamese local time as the naive UTC the clock gives."""
    return moment - timedelta(hours=7)


@pytest.fixture
def full_class(db, freeze):
    """Class "Lớp kỹ năng số" with one place, open to sign-up, two sessions (8 and 9 June),
    its place taken by Võ Thị Lan; the learner Phan Văn Tâm signs up in the browser."""
    freeze(date(2026, 5, 20))
    make_units()
    make_user("manager")
    klass = make_class(
        make_in_person_course("KNS01"),
        title="Lớp kỹ năng số",
        capacity=1,
        join_mode="open",
        starts_on=date(2026, 6, 8),
        ends_on=date(2026, 6, 9),
    )
    first = make_session(klass, date(2026, 6, 8), "08:00", "11:30", topic="Chuyển đổi số")
    second = make_session(klass, date(2026, 6, 9), "08:00", "11:30", topic="An toàn thông tin")
    lan = make_learner("E2E-LAN", "Võ Thị Lan")
    make_learner("E2E-TAM", "Phan Văn Tâm")
    enrolment.enrol(klass, lan.official, source="hr", by_user=None)
    db.session.commit()
    return {"class": klass.id, "first": first.id, "second": second.id}


def decode_qr(page, tmp_path) -> str:
    """The link in the QR code on the page, read from a screenshot with zbarimg."""
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        pytest.skip("zbarimg is not installed (apt-get install zbar-tools)")
    image = tmp_path / "qr.png"
    page.locator("#checkin-qr").screenshot(path=str(image))
    done = subprocess.run(
        [zbarimg, "--quiet", "--raw", str(image)], capture_output=True, check=True, timeout=60
    )
    return done.stdout.decode().strip()


def test_waiting_list_promotion_and_qr_check_in_on_a_phone(full_class, new_page, freeze, tmp_path):
    class_url = f"/me/classes/{full_class['class']}"
    tam = new_page(**PHONE)
    log_in(tam, "e2e-tam")
    tam.goto("/me/classes/")
    tam.get_by_role("link", name="Lớp kỹ năng số").click()
    tam.get_by_role("button", name="Vào danh sách chờ").click()
    expect(tam.get_by_text("Lớp đã đủ chỗ: anh/chị đang ở danh sách chờ.")).to_be_visible()
    expect(tam.locator("#my-status")).to_contain_text("thứ 1 trong danh sách chờ")

    lan = new_page(**PHONE)
    log_in(lan, "e2e-lan")
    lan.goto(class_url)
    lan.get_by_role("button", name="Hủy đăng ký").click()
    expect(lan.get_by_text("Đã hủy đăng ký của anh/chị.")).to_be_visible()

    tam.reload()
    expect(tam.locator("#my-status")).to_contain_text("Đã ghi danh")
    expect(tam.get_by_role("link", name="Thêm vào lịch của tôi (.ics)")).to_be_visible()

    # 08:10 on 8 June, in the room: the trainer's screen shows the QR code.
    freeze(local(datetime(2026, 6, 8, 8, 10)))
    room = new_page()
    log_in(room, "manager")
    sessions = f"/classes/{full_class['class']}/sessions"
    room.goto(f"{sessions}/{full_class['first']}/qr")
    link = decode_qr(room, tmp_path)
    assert "/me/classes/checkin/" in link

    phone = new_page(**PHONE)  # the phone's browser, not logged in yet
    phone.goto(link)
    phone.get_by_label("Tên đăng nhập").fill("e2e-tam")
    phone.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    phone.get_by_role("button", name="Đăng nhập", exact=True).click()
    if "/me/classes/checkin/" not in phone.url:
        phone.goto(link)
    phone.get_by_role("button", name="Điểm danh ngay").click()
    expect(phone.locator("#checkin-result")).to_contain_text("Anh/chị đã điểm danh: Có mặt.")

    # The second session's code, used on the first day: outside its window, refused.
    room.goto(f"{sessions}/{full_class['second']}/qr")
    other = decode_qr(room, tmp_path)
    phone.goto(other)
    expect(phone.locator("#checkin-result")).to_contain_text(
        "Mã này chỉ được nhận trong giờ học (07:30–11:30 09/06/2026)"
    )
    expect(phone.get_by_role("button", name="Điểm danh ngay")).to_have_count(0)
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, width
