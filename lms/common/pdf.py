"""PDF rendering with xhtml2pdf: Vietnamese text in an embedded font shipped with the app, and
no fetching of outside URLs (only files under lms/static and data: URIs are allowed); QR codes
as data: URIs for the documents that print a link."""

import base64
import io
from pathlib import Path

import qrcode
from qrcode.image.pil import PilImage
from xhtml2pdf import pisa

STATIC = Path(__file__).resolve().parents[1] / "static"
FONTS = STATIC / "fonts"
FONT_CSS = f"""
@font-face {{ font-family: "DejaVu Sans"; src: url("{FONTS / "DejaVuSans.ttf"}"); }}
@font-face {{ font-family: "DejaVu Sans"; font-weight: bold;
             src: url("{FONTS / "DejaVuSans-Bold.ttf"}"); }}
body, p, td, th, li, h1, h2, h3 {{ font-family: "DejaVu Sans"; }}
"""


class PdfError(Exception):
    """The document could not be rendered."""


def _link_callback(uri: str, _rel: str) -> str:
    """Resolve only local static files; anything else (http:, file:, ../) is refused."""
    if uri.startswith("data:"):
        return uri
    path = Path(uri).resolve() if uri.startswith("/") else (STATIC / uri).resolve()
    if path.is_file() and STATIC in path.parents:
        return str(path)
    raise PdfError(f"refused resource: {uri[:80]}")


def render_pdf(html: str) -> bytes:
    """Render an HTML document (a template's output) to PDF bytes with the embedded font."""
    document = html.replace("</head>", f"<style>{FONT_CSS}</style></head>", 1)
    output = io.BytesIO()
    result = pisa.CreatePDF(document, dest=output, encoding="utf-8", link_callback=_link_callback)
    if result.err:
        raise PdfError("the PDF could not be rendered")
    return output.getvalue()


def qr_data_uri(text: str) -> str:
    """A QR code of `text` as a PNG data: URI (the PDF link callback accepts data: URIs and
    nothing outside lms/static). Error correction M survives a worn or stamped print; the mask
    is fixed instead of scored eight ways, which takes two thirds of the time off (a valid
    choice by the standard; the tests decode the printed code)."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=4, border=2, mask_pattern=2
    )
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(image_factory=PilImage).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
