"""The rating comes back (issue 21), as HR and the official live it with a frozen clock: on
15/12/2026 HR imports the 2026 ratings (T-LEARN "Không hoàn thành nhiệm vụ" with ND5 weak,
T-MAN "Hoàn thành tốt nhiệm vụ"), previews and applies the courses they assign for 2027:
T-LEARN owes BB01 (the post's mandatory course, done in 2026) again and BB03 (ND5). The nightly
refresh of 2027 keeps them; in February 2027 T-LEARN reads why on /me, and completing BB03
meets it."""

import html as html_lib
import io
import re
from datetime import date

from sqlalchemy import select

from lms.curricula.obligations import engine
from lms.curricula.obligations.models import DONE, OPEN, RATING, Obligation
from lms.extensions import db
from lms.organisation.models import Official
from tests.conftest import csrf_token
from tests.factories import make_completion, make_course, make_curriculum, make_cycle


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", page)))


def owed(official_id: int) -> list[tuple[str, str]]:
    rows = db.session.scalars(
        select(Obligation).where(Obligation.official_id == official_id, Obligation.kind == RATING)
    )
    return sorted((o.course.code, o.status) for o in rows)


def test_import_preview_apply_and_the_official_reads_why(world, login_as, freeze):
    freeze(date(2026, 3, 1))
    bb01, bb03 = make_course("BB01"), make_course("BB03", content_area="ND5")
    make_curriculum("CM-CCVC", "3", [bb01])
    make_cycle(2026)
    make_cycle(2027)
    learner = db.session.scalar(select(Official).where(Official.employee_code == "T-LEARN"))
    make_completion(learner, bb01, date(2026, 3, 1), commit=True)

    freeze(date(2026, 12, 15))
    hr = login_as("hr")
    upload = "/compliance/ratings/2026/import"
    content = (
        "Mã cán bộ,Xếp loại,Nội dung còn yếu\n"
        "T-LEARN,Không hoàn thành nhiệm vụ,ND5\n"
        "T-MAN,Hoàn thành tốt nhiệm vụ,\n"
    )
    data = {
        "csrf_token": csrf_token(hr, upload),
        "file": (io.BytesIO(content.encode()), "xep-loai-2026.csv"),
    }
    preview_url = hr.post(upload, data=data, content_type="multipart/form-data").location
    hr.post(preview_url, data={"csrf_token": csrf_token(hr, preview_url)})

    page = "/compliance/ratings/2026/preview"
    preview = text_of(hr.get(page).get_data(as_text=True))
    assert "BB01" in preview and "BB03" in preview and "Người Dùng Manager" not in preview
    assert owed(learner.id) == []
    hr.post(page, data={"csrf_token": csrf_token(hr, page)})
    assert owed(learner.id) == [("BB01", OPEN), ("BB03", OPEN)]

    freeze(date(2027, 1, 2))
    cycle_2027 = engine.open_cycles(date(2027, 1, 2))[0]
    engine.refresh([learner.id], cycle_2027)  # the nightly refresh keeps them
    db.session.commit()
    assert owed(learner.id) == [("BB01", OPEN), ("BB03", OPEN)]

    freeze(date(2027, 2, 1))
    me = text_of(login_as("learner").get("/me").get_data(as_text=True))
    assert "Được giao do kết quả đánh giá, xếp loại năm 2026: Không hoàn thành nhiệm vụ" in me
    assert "31/12/2027" in me

    make_completion(learner, bb03, date(2027, 2, 1), commit=True)
    assert owed(learner.id) == [("BB01", OPEN), ("BB03", DONE)]
