"""The candidate's exam page writes the session window as Vietnamese read it (Babel's vi forms,
Vietnam time): one day, whole days (the demo's year-long session), several days; and in
English for an English reader."""

from datetime import date, datetime

import pytest
from flask_babel import force_locale

from lms.common import clock
from lms.extensions import db
from lms.recruitment.window import exam_window
from tests.conftest import login
from tests.factories import PASSWORD, make_candidate, make_exam_session, make_recruitment


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "vi", "en"),
    [
        (  # 08:00–10:00 in Vietnam (01:00–03:00 UTC)
            datetime(2026, 12, 5, 1, 0),
            datetime(2026, 12, 5, 3, 0),
            "từ 08:00 đến 10:00, thứ Bảy 05/12/2026",
            "from 8:00\u202fAM to 10:00\u202fAM, Saturday, 5 December 2026",
        ),
        (  # the demo's session: from the day it is loaded, for 366 days, midnight to midnight
            clock.start_of_day(date(2026, 12, 5)),
            clock.start_of_day(date(2027, 12, 6)),
            "từ thứ Bảy 05/12/2026 đến hết Chủ nhật 05/12/2027",
            "from Saturday, 5 December 2026 to the end of Sunday, 5 December 2027",
        ),
        (
            clock.start_of_day(date(2026, 12, 6)),
            clock.start_of_day(date(2026, 12, 7)),
            "cả ngày Chủ nhật 06/12/2026",
            "all day, Sunday, 6 December 2026",
        ),
        (  # across midnight
            datetime(2026, 12, 5, 14, 0),
            datetime(2026, 12, 5, 18, 30),
            "từ 21:00 thứ Bảy 05/12/2026 đến 01:30 Chủ nhật 06/12/2026",
            "from 9:00\u202fPM on Saturday, 5 December 2026 to 1:30\u202fAM on Sunday, "
            "6 December 2026",
        ),
    ],
)
def test_the_window_reads_as_people_write_it(app, starts_at, ends_at, vi, en):
    with app.test_request_context("/"):
        with force_locale("vi"):
            assert exam_window(starts_at, ends_at) == vi
        with force_locale("en"):
            # Babel's space before AM/PM: a narrow no-break space in recent CLDR, a space before
            assert exam_window(starts_at, ends_at).replace("\u202f", " ") == en.replace(
                "\u202f", " "
            )


def test_the_exam_page_shows_the_window_in_vietnamese(app, world, assets_dir, freeze):
    recruitment = make_recruitment()
    person = make_candidate(recruitment, "Trương Thị Thí Sinh", password=PASSWORD)
    db.session.commit()
    make_exam_session(recruitment, seat=[person])  # 08:00–11:00 UTC on 15/06/2026
    freeze(datetime(2026, 6, 15, 7, 0))
    client = app.test_client()
    assert login(client, person.user.username).status_code == 302
    page = client.get("/exam/").get_data(as_text=True)
    assert '<dd id="session-window">Từ 15:00 đến 18:00, thứ Hai 15/06/2026</dd>' in page
