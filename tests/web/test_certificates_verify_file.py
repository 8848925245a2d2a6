"""Checking a signed PDF (issue 27): the /verify upload form and `flask --app lms certificates
verify-file FILE` give the same answer — intact and ours, changed, not a PDF, too large, a
revoked certificate — and the Vietnamese answer has no English."""

import io

import pytest

from lms.certificates import documents, services
from lms.extensions import db
from tests.conftest import csrf_token
from tests.services import test_certificates_services as base
from tests.services.test_certificates_pdf import BASE, issued
from tests.web.test_common_no_english import catalog_fragments, english_in, visible_text

setup = base.setup  # fixture
idle_worker, live_setup = base.idle_worker, base.live_setup  # fixtures of setup


def _signed(setup):
    certificate = issued(setup)
    return certificate, documents.certificate_pdf(certificate, BASE)


def _changed(data: bytes) -> bytes:
    changed = bytearray(data)
    changed[len(data) // 3] ^= 0x01
    return bytes(changed)


def _upload(client, data: bytes, name: str = "giay-chung-nhan.pdf", language: str = "vi"):
    token = csrf_token(client, "/verify")
    return client.post(
        "/verify",
        data={"csrf_token": token, "document": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        headers={"Accept-Language": language},
    )


def test_the_form_is_public_and_linked_from_the_code_page(app, setup):
    certificate = issued(setup)
    client = app.test_client()
    page = client.get("/verify")
    assert page.status_code == 200 and 'type="file"' in page.get_data(as_text=True)
    by_code = client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
    assert 'href="/verify"' in by_code


def test_an_intact_certificate_is_genuine_with_its_record(app, setup):
    certificate, data = _signed(setup)
    answer = _upload(app.test_client(), data)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert 'data-result="genuine"' in html and 'data-state="intact"' in html
    assert certificate.holder_name in html and certificate.course_title in html
    assert "Sở Nội vụ thành phố Đà Nẵng (DEMO)" in html
    assert "Giấy chứng nhận còn hiệu lực." in html or "còn hiệu lực" in html


def test_a_changed_file_cannot_be_trusted(app, setup):
    certificate, data = _signed(setup)
    html = _upload(app.test_client(), _changed(data)).get_data(as_text=True)
    assert 'data-result="not-genuine"' in html
    assert certificate.holder_name not in html  # a broken file names no record


def test_a_revoked_certificate_is_not_genuine(app, setup):
    certificate, data = _signed(setup)
    services.revoke(certificate, "fraud", "", actor=None)
    db.session.commit()
    html = _upload(app.test_client(), data).get_data(as_text=True)
    assert 'data-result="not-genuine"' in html and 'data-state="intact"' in html
    assert certificate.holder_name in html


def test_not_a_pdf_is_refused_with_a_reason(app, setup):
    client = app.test_client()
    text = _upload(client, b"Xin chao", name="ghi-chu.txt")
    assert text.status_code == 422
    assert "Chỉ kiểm tra được tệp PDF" in text.get_data(as_text=True)
    disguised = _upload(client, b"GIF89a not a pdf", name="anh.pdf")
    assert disguised.status_code == 422
    assert "không phải là PDF" in disguised.get_data(as_text=True)


def test_a_file_over_the_limit_is_refused(app, setup, monkeypatch):
    _certificate, data = _signed(setup)
    # a small limit: larger bodies are spooled to temporary files the test client leaves open
    monkeypatch.setitem(app.config, "LMS_VERIFY_FILE_MAX_BYTES", len(data) + 10)
    answer = _upload(app.test_client(), data + b"%" * 100)
    assert answer.status_code == 413
    assert "lớn hơn 1 MB" in answer.get_data(as_text=True)


def test_the_answer_in_vietnamese_has_no_english(app, setup):
    _certificate, data = _signed(setup)
    fragments = catalog_fragments("vi")
    for upload in (data, _changed(data)):
        shown = visible_text(_upload(app.test_client(), upload).get_data(as_text=True))
        assert english_in(shown, fragments) == []


def test_the_file_is_not_kept(app, setup, tmp_path):
    _certificate, data = _signed(setup)
    before = sorted(p.name for p in tmp_path.parent.rglob("*.pdf"))
    _upload(app.test_client(), data)
    assert sorted(p.name for p in tmp_path.parent.rglob("*.pdf")) == before


# --- the command ----------------------------------------------------------------------------


@pytest.fixture
def saved(tmp_path):
    def _save(data: bytes, name: str = "file.pdf"):
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    return _save


def test_the_command_exits_0_only_for_an_intact_certificate_of_ours(
    app, setup, runner, saved, english
):
    certificate, data = _signed(setup)
    good = runner.invoke(args=["certificates", "verify-file", saved(data)])
    assert good.exit_code == 0, good.output
    assert "The signature is intact" in good.output and certificate.holder_name in good.output
    assert "Result: genuine." in good.output
    changed = runner.invoke(args=["certificates", "verify-file", saved(_changed(data), "x.pdf")])
    assert changed.exit_code == 1 and "NOT genuine" in changed.output
    text = runner.invoke(args=["certificates", "verify-file", saved(b"hello", "x.txt")])
    assert text.exit_code == 1 and "not a PDF" in text.output
    services.revoke(certificate, "fraud", "", actor=None)
    db.session.commit()
    revoked = runner.invoke(args=["certificates", "verify-file", saved(data)])
    assert revoked.exit_code == 1 and "revoked" in revoked.output


def test_the_command_speaks_vietnamese_by_default(app, setup, runner, saved):
    _certificate, data = _signed(setup)
    answer = runner.invoke(args=["certificates", "verify-file", saved(data)])
    assert answer.exit_code == 0
    assert "Chữ ký" in answer.output or "chữ ký" in answer.output
