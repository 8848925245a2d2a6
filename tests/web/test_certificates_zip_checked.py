"""A bulk certificate .zip is read back before it is offered (issue 18: a .zip with 1,711 of
2,264 damaged PDFs was served as ready): every member's CRC, each PDF whole, the count."""

import zipfile

import pytest

from lms.certificates import bulk, documents
from lms.extensions import db
from lms.jobs.models import FAILED, JobRun
from tests.web.test_certificates_web import _post, certs  # noqa: F401 (fixture)


@pytest.fixture
def damaged_learner_pdf(certs, monkeypatch):  # noqa: F811
    """The learner's certificate renders as half a PDF (a full disk, a killed renderer)."""
    original = documents.certificate_pdf

    def render(certificate, base_url):
        pdf = original(certificate, base_url)
        return pdf[: len(pdf) // 2] if certificate.serial == certs["learner"] else pdf

    monkeypatch.setattr(documents, "certificate_pdf", render)
    return certs["learner"]


@pytest.mark.parametrize("inline", [True, False])
def test_a_zip_with_a_damaged_pdf_is_not_offered(
    app,
    certs,  # noqa: F811
    damaged_learner_pdf,
    login_as,
    monkeypatch,
    inline,  # noqa: F811
):
    if not inline:
        monkeypatch.setitem(app.config, "LMS_CERTIFICATE_BULK_INLINE", 0)
    hr = login_as("hr")
    response = _post(
        hr, "/manage/certificates/bulk", "/manage/certificates/bulk", kind="course", value="bb01"
    )
    assert response.status_code == 302
    page = hr.get(response.location).get_data(as_text=True)
    assert "Không chuẩn bị được tệp" in page
    assert (
        f"1 trên 2 giấy chứng nhận trong tệp bị hỏng (đầu tiên: BB01/{damaged_learner_pdf}" in page
    )
    assert "Tải tệp .zip" not in page
    assert hr.get(response.location + ".zip").status_code == 404
    folder = bulk.job_dir(response.location.rsplit("/", 1)[1])
    assert sorted(p.name for p in folder.iterdir()) == ["meta.json"]  # nothing half-published
    if not inline:
        run = db.session.get(JobRun, bulk.read_meta(folder)["run_id"])
        assert run.status == FAILED and "DamagedZip" in run.error


def _zip(path, members: dict[str, bytes], method=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_check_reads_every_member_and_every_pdf_whole(english, tmp_path):
    good = _zip(tmp_path / "good.zip", {"A/1.pdf": PDF, "A/2.pdf": PDF.rstrip()})
    bulk.check_zip(good, 2)  # whole PDFs, with or without a final newline

    with pytest.raises(bulk.DamagedZip, match="holds 2 certificates instead of 3"):
        bulk.check_zip(good, 3)

    truncated = _zip(tmp_path / "cut.zip", {"A/1.pdf": PDF, "A/2.pdf": PDF[:-8]})
    with pytest.raises(bulk.DamagedZip, match=r"1 of 2 certificates .* \(the first: A/2.pdf\)"):
        bulk.check_zip(truncated, 2)

    headless = _zip(tmp_path / "head.zip", {"A/1.pdf": b"<html>" + PDF})
    with pytest.raises(bulk.DamagedZip, match="1 of 1"):
        bulk.check_zip(headless, 1)

    # a byte of a member changed after it was written: its CRC no longer matches
    flipped = _zip(tmp_path / "crc.zip", {"A/1.pdf": PDF, "A/2.pdf": PDF.replace(b"obj", b"OBJ")})
    data = bytearray(flipped.read_bytes())
    at = data.index(b"OBJ")
    data[at : at + 3] = b"obj"
    flipped.write_bytes(bytes(data))
    with pytest.raises(bulk.DamagedZip, match=r"1 of 2 certificates .* A/2.pdf"):
        bulk.check_zip(flipped, 2)

    (tmp_path / "junk.zip").write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(bulk.DamagedZip, match="not a readable .zip"):
        bulk.check_zip(tmp_path / "junk.zip", 1)
