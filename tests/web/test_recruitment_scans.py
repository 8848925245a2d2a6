"""Scanned written papers (thi viết trên giấy): the clerk (HR over the recruitment's unit)
uploads each candidate's scan — its type read from the content, its size limited, a name that
points outside its folder refused — or a ZIP named by candidate number, checked first and
written only when every file is good; the paper gets its code at once, and markers see only the
scan under that code: no page they reach names a candidate or the uploaded file."""

import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.auth import services as auth
from lms.extensions import db
from lms.recruitment.marking import services
from lms.recruitment.marking.models import Mark, Paper
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, make_candidate, make_recruitment
from tests.web.test_recruitment_marking_pages import _crawl, _identities

NAMES = ("Hoàng Thị Thu Trang", "Võ Minh Khôi", "Đặng Ngọc Ánh")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(out, fmt)
    return out.getvalue()


@pytest.fixture
def scene(app, world, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    recruitment = make_recruitment(positions=(("VT01", "SNV", 3),))
    people = [
        make_candidate(recruitment, name, born_on=date(1995 + i, 3, 9 + i))
        for i, name in enumerate(NAMES)
    ]
    for name in ("gk1", "gk2"):
        auth.create_user(auth.NewUser(name, PASSWORD, f"Giám khảo {name}", None, None, False), None)
        services.appoint_marker(recruitment, name, world["hr"])
    db.session.commit()
    return recruitment, people


def _upload(client, recruitment, number, name, data):
    url = f"/recruitment/{recruitment.code}/marking/scans"
    return client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "number": number,
            "file": (io.BytesIO(data), name),
        },
        content_type="multipart/form-data",
    )


def _scan_files(app) -> list[Path]:
    folder = Path(app.instance_path) / "recruitment_scans"
    return sorted(p for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []


def test_one_scan_is_checked_by_content_and_stored_under_a_code(app, scene, login_as):
    recruitment, people = scene
    hr = login_as("hr")
    trang = people[0]
    # a PNG named .pdf is taken as what it is; the uploaded name is kept nowhere
    ok = _upload(hr, recruitment, trang.number.lower(), "Hoàng Thị Thu Trang.pdf", _image("PNG"))
    assert ok.status_code == 302
    paper = db.session.scalar(select(Paper))
    assert paper.candidate_id == trang.id and paper.scan_kind == "png" and paper.source == "scanned"
    assert re.fullmatch(r"recruitment_scans/[0-9a-f]{32}\.png", paper.scan_path)
    stored = _scan_files(app)
    assert [p.name for p in stored] == [Path(paper.scan_path).name]
    assert stored[0].stat().st_mode & 0o777 == 0o600
    page = hr.get(f"/recruitment/{recruitment.code}/marking/scans").get_data(as_text=True)
    assert "1/3 thí sinh đã có bài thi quét." in page and "Hoàng Thị Thu Trang" in page
    assert paper.code not in page  # the clerk's page never shows a code
    overview = hr.get(f"/recruitment/{recruitment.code}/marking").get_data(as_text=True)
    assert paper.code not in overview  # nor the marking page before it opens
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "recruitment.scan_uploaded")
    )
    assert entry.object_id == trang.number and paper.code not in str(entry.after)
    assert entry.actor_id is not None
    # a second scan replaces the first: the code stays, the old file goes
    code = paper.code
    assert _upload(hr, recruitment, trang.number, "x.jpg", _image("JPEG")).status_code == 302
    db.session.expire_all()
    paper = db.session.scalar(select(Paper))
    assert paper.code == code and paper.scan_kind == "jpg"
    assert [p.name for p in _scan_files(app)] == [Path(paper.scan_path).name]


@pytest.mark.parametrize(
    ("number", "name", "data", "message"),
    [
        ("", "a.pdf", PDF, "Thông tin này là bắt buộc."),
        ("TD2026-9999", "a.pdf", PDF, "Kỳ tuyển dụng này không có thí sinh mang số báo danh này."),
        ("{n}", "bai.pdf", b"<html>not a pdf</html>", "PDF, PNG hoặc JPEG"),
        ("{n}", "bai.png", b"%PDF-1.4 no end", "PDF, PNG hoặc JPEG"),
        ("{n}", "../../etc/bai.pdf", PDF, "ra ngoài thư mục"),
        ("{n}", "C:\\bai.pdf", PDF, "ra ngoài thư mục"),
        ("{n}", "rong.pdf", b"", ""),
        ("{n}", "lon.pdf", PDF + b" " * 3000, "lớn hơn"),
    ],
)
def test_bad_scans_are_refused_and_nothing_is_written(
    app, scene, login_as, monkeypatch, number, name, data, message
):
    recruitment, people = scene
    monkeypatch.setitem(app.config, "LMS_RECRUITMENT_SCAN_MAX_BYTES", 2048)
    hr = login_as("hr")
    response = _upload(hr, recruitment, number.replace("{n}", people[0].number), name, data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Paper.id))) == 0
    assert _scan_files(app) == []


def _zip(members: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _post_zip(client, recruitment, data):
    url = f"/recruitment/{recruitment.code}/marking/scans"
    return client.post(
        f"{url}/zip",
        data={"csrf_token": csrf_token(client, url), "archive": (io.BytesIO(data), "scans.zip")},
        content_type="multipart/form-data",
    )


def test_a_zip_with_a_bad_file_lists_every_problem_and_writes_nothing(app, scene, login_as):
    recruitment, people = scene
    hr = login_as("hr")
    bad = _zip(
        {
            f"{people[0].number}.pdf": PDF,
            f"{people[0].number}.png": _image("PNG"),  # the same candidate twice
            "TD2026-9999.pdf": PDF,
            "../../evil/TD2026-0002.pdf": PDF,
            f"{people[2].number}.jpg": b"not an image",
        }
    )
    response = _post_zip(hr, recruitment, bad)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "4 tệp có lỗi" in text
    assert "ra ngoài thư mục" in text and "một tệp thứ hai" in text.lower()
    assert "/scans/zip/" not in text  # no confirm button
    assert db.session.scalar(select(func.count(Paper.id))) == 0 and _scan_files(app) == []
    not_zip = _post_zip(hr, recruitment, PDF)
    assert not_zip.status_code == 200 and "không phải tệp nén ZIP" in not_zip.get_data(as_text=True)


def test_a_good_zip_is_checked_then_confirmed_and_markers_see_only_codes(app, scene, login_as):
    recruitment, people = scene
    hr = login_as("hr")
    good = _zip(
        {
            f"giay/{people[0].number}.pdf": PDF,
            f"{people[1].number.lower()}.PNG": _image("PNG"),
            f"{people[2].number}.jpeg": _image("JPEG"),
            "__MACOSX/._x.pdf": b"junk",
        }
    )
    _post_zip(hr, recruitment, good)  # checked once and left: only the last one waits
    checked = _post_zip(hr, recruitment, good)
    text = checked.get_data(as_text=True)
    pending = Path(app.instance_path) / "recruitment_scans" / "pending"
    assert len(list(pending.glob("*.zip"))) == 1
    zip_field = re.search(r'<input[^>]*name="archive"[^>]*>', text).group(0)
    assert f'data-max-bytes="{app.config["LMS_IMPORT_MAX_BYTES"]}"' in zip_field
    assert "3 tệp sẵn sàng" in text and all(name in text for name in NAMES)
    assert db.session.scalar(select(func.count(Paper.id))) == 0  # the check writes nothing
    action = re.search(r'action="(/recruitment/[^"]+/scans/zip/[^"]+)"', text).group(1)
    # another user cannot confirm it
    admin = login_as("admin")
    page = f"/recruitment/{recruitment.code}/marking/scans"
    assert admin.post(action, data={"csrf_token": csrf_token(admin, page)}).status_code == 404
    done = hr.post(action, data={"csrf_token": csrf_token(hr, page)}, follow_redirects=True)
    assert "Đã tải lên 3 bài thi đã quét." in done.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Paper.id))) == 3
    assert list(pending.glob("*")) == []  # the confirmed ZIP is gone
    services.open_marking(recruitment, None)
    db.session.commit()
    # the markers: no page names a candidate or the uploaded files
    marker = app.test_client()
    login(marker, "gk1")
    pages = _crawl(marker, ["/", "/marking/"])
    papers = [p for p in pages if re.fullmatch(r"/marking/\d+", p)]
    assert len(papers) == 3
    for url, body in pages.items():
        for identity in [*_identities(people), "giay/", ".PNG", ".jpeg", "scans.zip"]:
            assert identity not in body, (url, identity)
    for url in papers:
        mark_id = int(url.rsplit("/", 1)[1])
        code = db.session.get(Mark, mark_id).paper.code
        scan = marker.get(f"/marking/{mark_id}/scan")
        assert scan.status_code == 200 and "no-store" in scan.headers["Cache-Control"]
        data = scan.get_data()
        scan.close()
        shown = {f"inline; filename={code}{suffix}" for suffix in (".pdf", ".png", ".jpg")}
        assert scan.headers["Content-Disposition"] in shown  # the code, nothing else
        assert data in (PDF, _image("PNG"), _image("JPEG"))
    # a paper of someone else's: 404
    other = db.session.scalar(select(Mark).where(Mark.marker.has(username="gk2")))
    theirs = db.session.scalar(
        select(Mark.id).where(Mark.paper_id == other.paper_id, Mark.marker_id == other.marker_id)
    )
    mine = {int(u.rsplit("/", 1)[1]) for u in papers}
    if theirs not in mine:
        assert marker.get(f"/marking/{theirs}/scan").status_code == 404
    assert marker.get("/marking/999999/scan").status_code == 404
    # once marking is open, no more scans
    late = _upload(hr, recruitment, people[0].number, "a.pdf", PDF)
    assert "Chỉ tải bài thi đã quét lên trước khi mở chấm thi." in late.get_data(as_text=True)
