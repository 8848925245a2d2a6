"""The candidates import: the dry run reports every bad row (unknown position, bad date, bad
identity number, duplicates in the file and already registered, formula in a name, unknown
priority) and then nothing is written; a clean file registers every row with a number and an
account."""

from datetime import date

import pytest
from sqlalchemy import func, select

from lms.auth.models import User
from lms.common.tabular import read_table
from lms.extensions import db
from lms.recruitment import importer
from lms.recruitment.models import Candidate
from tests.factories import make_candidate, make_recruitment, make_units

HEADER = "Vị trí dự tuyển,Họ và tên,Ngày sinh,Số CCCD,Đối tượng ưu tiên\n"


@pytest.fixture
def recruitment(app, db):
    make_units()
    item = make_recruitment()
    make_candidate(item, "Đã Đăng Ký", id_number="048090000001")
    db.session.commit()
    return item


def _plan(item, body: str):
    table = read_table("ds.csv", (HEADER + body).encode(), 10**6)
    return importer.plan(table, item)


def _count():
    return db.session.scalar(select(func.count(Candidate.id)))


def test_every_bad_row_is_reported_and_nothing_is_written(recruitment):
    body = (
        "VT09,Nguyễn Văn A,01/01/1998,048098000001,\n"  # unknown position
        "VT01,Trần Thị B,31/02/1998,048098000002,\n"  # no such day
        "VT01,Lê Văn C,01/01/1998,04809800,\n"  # identity number too short
        "VT01,Phạm D,01/01/1998,048098000004,\n"
        "VT02,Phạm E,01/01/1998,048098000004,\n"  # the same number again
        "VT01,Hồ F,01/01/1998,048090000001,\n"  # already registered
        'VT01,"=HYPERLINK(""http://x"")",01/01/1998,048098000007,\n'  # a formula
        "VT01,Võ G,01/01/1998,048098000008,UT9\n"  # unknown priority
        "VT01,Đỗ H,01/01/2015,048098000009,\n"  # not 18
    )
    result = _plan(recruitment, body)
    bad = {row.line: [column for column, _m in row.errors] for row in result.rows if row.errors}
    assert bad == {
        2: ["position"],
        3: ["born_on"],
        4: ["id_number"],
        6: ["id_number"],
        7: ["id_number"],
        8: ["full_name"],
        9: ["priority"],
        10: ["born_on"],
    }
    assert result.has_errors
    before = _count()
    with pytest.raises(ValueError):
        importer.apply(result, recruitment, None)
    assert _count() == before
    lines = importer.report_rows(result)
    assert any("dòng 5" in message for *_rest, message in lines)


def test_a_clean_file_registers_each_candidate_with_number_account_and_nfc_name(recruitment):
    nfd = "Nguye\u0302\u0303n Va\u0306n An"  # NFD, as some old files have it
    result = _plan(recruitment, f"VT01,{nfd},17/05/1998,048098000101,UT2\n"
                                "vt02,Lê Thị Bình,1999-01-02,048098000102,\n")  # fmt: skip
    assert not result.has_errors
    assert importer.apply(result, recruitment, None) == {"created": 2}
    db.session.commit()
    an = db.session.scalar(select(Candidate).where(Candidate.id_number == "048098000101"))
    assert an.full_name == "Nguyễn Văn An" and an.number == "TD2026-0002"
    assert an.born_on == date(1998, 5, 17) and str(an.priority_points) == "5.00"
    assert db.session.get(User, an.user_id).roles() == {"candidate"}
    assert an.access_code  # printed on the admission card


def test_a_header_without_the_required_columns_is_refused_whole(recruitment):
    table = read_table("ds.csv", "Họ và tên\nAn\n".encode(), 10**6)
    result = importer.plan(table, recruitment)
    assert result.file_errors and not result.rows
