"""Activation letters and the links CSV: one A4 page per official (name, unit, username, the
link and its QR code) rendered in the officials' language through lms.common.pdf, and the CSV
`employee_code,full_name,username,activation_url` (through lms.common.exporter: cells escaped
against formula injection, `;` separated in Vietnamese)."""

from flask import current_app, g
from flask_babel import force_locale

from lms.common import clock, exporter
from lms.common.pdf import qr_data_uri, render_pdf
from lms.i18n import _
from lms.organisation.accounts import Letter

CSV_HEADER = ["employee_code", "full_name", "username", "activation_url"]


def csv_rows(letters: list[Letter]) -> list[list[str]]:
    """The CSV lines of the letters, in the four columns of CSV_HEADER."""
    return [[x.employee_code, x.full_name, x.username, x.url] for x in letters]


def links_export(
    letters: list[Letter], unit_code: str = "", unit_name: str = ""
) -> exporter.Export:
    """The links as an export (CSV or XLSX), named after the unit."""
    return exporter.Export(
        "activation-links",
        _("Activation links"),
        _("Activation links"),
        CSV_HEADER,
        csv_rows(letters),
        unit_code=unit_code,
        unit_name=unit_name,
    )


def links_csv(letters: list[Letter]) -> bytes:
    """The links as a UTF-8 CSV (with a BOM, for Excel)."""
    return exporter.csv_bytes(links_export(letters))


def _login_url(letter: Letter) -> str:
    return letter.url.rsplit("/activate/", 1)[0] + "/auth/login"


def letters_pdf(letters: list[Letter], language: str | None = None) -> bytes:
    """One letter per page, in `language` (default: the site's, which officials read)."""
    language = language or current_app.config["LMS_DEFAULT_LOCALE"]
    g.setdefault("_documents", True)  # flask-babel ignores force_locale while g is empty
    with force_locale(language):
        html = current_app.jinja_env.get_template("organisation/activation_letters.html").render(
            language=language,
            letters=[(x, qr_data_uri(x.url), _login_url(x)) for x in letters],
            today=clock.today(),
            place=current_app.config.get("LMS_CERTIFICATE_PLACE") or "",
            min_length=current_app.config["LMS_PASSWORD_MIN_LENGTH"],
        )
    return render_pdf(html)
