"""Hostile input: every route that takes a POST (PUT, PATCH, DELETE) and every /api/ route gets
random and hostile values from Hypothesis (huge strings, control characters, SQL and HTML
fragments, wrong types, odd files and bodies, hostile URL parts and query strings) as an
administrator and as a learner (public routes also anonymously), and never answers 500. Adding
such a route without a URL in `URLS` fails `test_every_post_and_api_route_is_covered`. The list
pages get the same treatment through their query strings.

Each case starts from the real form (the fields, options and values of the page that shows it),
so most requests pass the CSRF check and part of the validation and reach the services with one
or two hostile fields. A fixed battery (no token, a forged one, each nasty value in every field
at once, nasty uploads) runs before Hypothesis, so most problems show up on every run.

500s already found and not fixed yet are listed in KNOWN_500: the fuzzing tests let them pass
(so they keep finding new ones) and `test_known_500_is_still_there` reproduces each as a strict
xfail, which fails once the bug is fixed, to remove the entry. HOSTILE_INPUT_SCALE=10 searches
ten times longer."""

import csv
import html
import io
import os
import re
import traceback
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlsplit

import pytest
from flask.testing import EnvironBuilder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config import Config
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD
from tests.web import routes
from tests.web.routes import Scene

MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ANON = "anonymous"

# endpoint → URL template; {names} are filled by PROVIDERS from the test's data.
URLS = {
    "auth.login": "/auth/login",
    "auth.logout": "/auth/logout",
    "auth.change_password": "/auth/password",
    "auth.set_locale": "/locale/en",
    "auth.two_factor": "/auth/2fa",
    "auth.two_factor_setup": "/auth/2fa/setup",
    "auth.user_reset_two_factor": "/manage/users/{learner_id}/2fa/reset",
    "auth.user_new": "/manage/users/new",
    "auth.user_grant": "/manage/users/{learner_id}/grants",
    "auth.user_revoke": "/manage/users/{hr_id}/grants/{hr_grant_id}/revoke",
    "auth.user_reset_password": "/manage/users/{learner_id}/password",
    "auth.user_set_enabled": "/manage/users/{learner_id}/enabled",
    "organisation.official_new": "/officials/new",
    "organisation.official_edit": "/officials/T-MAN/edit",
    "organisation.concurrent_new": "/officials/T-MAN/concurrent",
    "organisation.position_change": "/officials/T-MAN/position",
    "organisation.assignment_end": "/officials/T-MAN/assignments/{man_concurrent_id}/end",
    "organisation.import_upload": "/officials/import",
    "organisation.import_preview": "/officials/import/{import_token}",
    "organisation.registry_export": "/officials/export",
    "catalog.enrol": "/courses/{mxe}/enrol",
    "catalog.lesson_done": "/courses/{mxm}/lessons/mot/done",
    "catalog.course_new": "/courses/manage/new",
    "catalog.course_upload": "/courses/manage/upload",
    "catalog.course_edit": "/courses/manage/{mxe}/edit",
    "catalog.course_status": "/courses/manage/{mxe}/status",
    "catalog.lesson_new": "/courses/manage/{mxe}/lessons/new",
    "catalog.lesson_edit": "/courses/manage/{mxe}/lessons/{mxe_lesson}/edit",
    "catalog.lesson_move": "/courses/manage/{mxe}/lessons/{mxe_lesson}/move",
    "catalog.lesson_remove": "/courses/manage/{mxe}/lessons/{mxe_lesson}/remove",
}
URLS.update(routes.collect("URLS"))

# Routes without a GET of their own: the page whose form posts to them (its fields are used).
FORM_PAGES = {
    "auth.logout": "/",
    "auth.set_locale": "/",
    "auth.user_grant": "/manage/users/{learner_id}",
    "auth.user_revoke": "/manage/users/{hr_id}",
    "auth.user_reset_password": "/manage/users/{learner_id}",
    "auth.user_set_enabled": "/manage/users/{learner_id}",
    "auth.user_reset_two_factor": "/manage/users/{learner_id}",
    "organisation.assignment_end": "/officials/T-MAN",
    "catalog.enrol": "/courses/{mxe}",
    "catalog.lesson_done": "/courses/{mxm}/lessons/mot",
    "catalog.course_status": "/courses/manage/{mxe}",
    "catalog.lesson_move": "/courses/manage/{mxe}",
    "catalog.lesson_remove": "/courses/manage/{mxe}",
}
FORM_PAGES.update(routes.collect("FORM_PAGES"))

REGISTRY_FILTERS = ("q", "unit_code", "position_code", "rank_code", "gender", "category", "status")

# GET pages whose query string is a form (search filters) or a page number: endpoint → URL and
# the query arguments read besides those of the page's GET forms.
AUDIT_FILTERS = ("action", "actor", "object_type", "object_id", "date_from", "date_to")
QUERY_PAGES = {
    "main.home": ("/", ()),
    "auth.users": ("/manage/users", ("page",)),
    "auth.audit_log": ("/manage/audit", ("page", *AUDIT_FILTERS)),
    "auth.audit_export": ("/manage/audit/export.csv", AUDIT_FILTERS),
    "organisation.registry": ("/officials/", ("page", *REGISTRY_FILTERS)),
    "organisation.registry_export": ("/officials/export", REGISTRY_FILTERS),
    "catalog.catalog": ("/courses/", ("page",)),
    "catalog.manage_courses": ("/courses/manage/", ("page", "q", "status")),
}
QUERY_PAGES.update(routes.collect("QUERY_PAGES"))

# Who posts: the administrator (every right) and a learner; PUBLIC routes also an anonymous
# visitor, and /auth/2fa someone who gave the right password and still owes the code.
PUBLIC = {"auth.login", "auth.set_locale", "auth.activate"}
PENDING_2FA = "2fa-pending"
EXTRA_ROLES = {"auth.two_factor": (ANON, PENDING_2FA)}


# A plausible value for an empty field of that name, so that examples get past validation.
HINTS = {
    "username": "hx.nguoidung",
    "display_name": "Người Dùng Mới",
    "email": "hx@danang.gov.vn",
    "password": "Secret123x",
    "current_password": "not-the-password",  # the password never actually changes
    "new_password": "Secret123x",
    "confirm": "Secret123x",
    "employee_code": "HX-0001",
    "full_name": "Nguyễn Văn Hòa",
    "date_of_birth": "1988-03-15",
    "phone": "0905000001",
    "started_on": "2024-01-01",
    "ended_on": "2025-06-01",
    "decision_no": "QĐ-01",
    "code": "HX01",
    "title": "Bài học mới",
    "title_en": "New lesson",
    "summary": "Tóm tắt.",
    "credits": "2",
    "periods": "30",
    "validity_months": "36",
    "slug": "bai-moi",
    "body_markdown": "# Bài mới\n\nNội dung.",
    "reason": "Báo cáo định kỳ",
}
HINTS.update(routes.collect("HINTS"))
ENDPOINT_HINTS = {
    "auth.login": {"username": "learner", "password": PASSWORD},
    "auth.user_new": {"employee_code": ""},
}
COMMON_FIELDS = (
    "username",
    "password",
    "full_name",
    "employee_code",
    "unit",
    "position",
    "rank",
    "started_on",
    "ended_on",
    "role",
    "enabled",
    "email",
    "phone",
    "q",
    "code",
    "title",
    "reason",
    "file",
    "valid_only",
    "status",
    "direction",
    "next",
    "page",
    "preview",
    "save",
    "archive",
    "owner_unit",
)
QUERY_KEYS = ("next", "page", "token", "code", "format", *REGISTRY_FILTERS)

# --- hostile values ---------------------------------------------------------------------------

_VI = "Nguyễn Văn Đức, phường Hải Châu"
SMALL = [
    "",
    " ",
    "0",
    "-1",
    "-0",
    "1e309",
    "NaN",
    "Infinity",
    "99999999999999999999",
    "9" * 400,
    "0x1A",
    "1,5",
    "1.000.000",
    "²",
    "٣",
    "１２３",
    "31/02/2025",
    "0000-00-00",
    "00/00/0000",
    "31/12/9999",
    "01/01/0001",
    "9999-12-31",
    "0001-01-01",
    "2025-13-01",
    "1/1/1",
    "10000-01-01",
    "' OR 1=1 --",
    "'; DROP TABLE officials; --",
    '" OR ""="',
    "%' OR '%'='",
    "%_%",
    "\\",
    "1 UNION SELECT NULL--",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "</textarea><svg onload=alert(1)>",
    "{{7*7}}",
    "{% raw %}",
    "${7*7}",
    '=HYPERLINK("http://evil.example")',
    "@SUM(1+1)",
    "../../etc/passwd",
    "..\\..\\win.ini",
    "/etc/passwd",
    "//evil.example/",
    "https://evil.example/",
    "/\\evil.example",
    "\x00",
    "a\x00b",
    "\x00\x01\x1b\r\n",
    "/\r\nSet-Cookie: x=1",
    "\t\v\f",
    "\x7f\x85\u2028\u2029",
    unicodedata.normalize("NFD", _VI),
    "\u00d0\u0110\u0111",  # Icelandic eth beside Vietnamese Đ/đ
    "\u202egpj.exe",  # right-to-left override
    "a\u200b\u200c\u200db\ufeff",  # zero-width characters and a BOM
    "e" + "\u0301" * 200,
    "👩‍💻🇻🇳",
    "\U0010ffff",
    "İıß",
    "%s%n%x" * 10,
]
HUGE = ["A" * 100_000, "Ư" * 30_000, "<b>" * 20_000, "\x00" * 1000]
# The values sent in every field at once before Hypothesis starts.
BATTERY = [
    "\x00",
    "/\r\nSet-Cookie: x=1",
    "²",
    "99999999999999999999",
    "' OR 1=1 --",
    '"><img src=x onerror=alert(1)>',
    "31/12/9999",
    "1e309",
    "A" * 100_000,
    unicodedata.normalize("NFD", _VI),
]

hostile_text = st.one_of(
    st.sampled_from(SMALL + HUGE),
    st.text(max_size=30),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=1, max_size=300),
    st.builds(str.__add__, st.sampled_from(SMALL), st.text(max_size=8)),
)
# "Wrong types" in a form: one value, several values for one name, or none.
field_value = st.one_of(hostile_text, st.lists(hostile_text, max_size=3))
json_value = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.integers(min_value=2**63),
        st.floats(),
        hostile_text,
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=8,
)
path_text = st.one_of(st.sampled_from(SMALL), st.text(min_size=1, max_size=40))
FILE_NAMES = [
    "../../x.csv",
    "a\x00.xlsx",
    "/etc/passwd",
    "..\\..\\x.zip",
    "",
    ".zip",
    "x.csv",
    "x.xlsx",
    "x.zip",
    "x.exe",
    "con.csv",
    "<script>.csv",
    "danh sách cán bộ.xlsx",
    "a" * 300 + ".zip",
    "x.CSV",
    "x.csv.zip",
]
CONTENT_TYPES = [
    "application/octet-stream",
    "text/csv",
    "application/zip",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "text/html",
]
RAW_CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "multipart/form-data; boundary=x",
    "application/json",
    "text/plain",
    "application/xml",
    "application/x-www-form-urlencoded; charset=utf-7",
]
ACCEPT_LANGUAGES = [
    None,
    "vi",
    "en-US,en;q=0.9",
    "*",
    "xx;q=abc",
    "vi;q=1e309",
    ",,,;;;",
    "e" * 300,
]


def _zip(entries: dict[str, bytes], symlinks=(), encrypted=()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            if name in symlinks:
                info.external_attr = 0o120777 << 16
            if name in encrypted:
                info.flag_bits |= 0x1
            archive.writestr(info, data)
    return buffer.getvalue()


@cache
def fixed_files() -> tuple[tuple[bytes, str], ...]:
    """Nasty uploads built once, with the name they would naturally have: broken zips, path
    traversal, a symbolic link, an encrypted entry, a bomb, too many files, odd tables."""
    from tests.factories import course_tree

    good = _zip(course_tree("HX1"))
    return (
        (b"", "x.csv"),
        (b"\x00" * 64, "x.xlsx"),
        (b"PK\x03\x04" + b"\xff" * 60, "x.xlsx"),
        (good[: len(good) // 2], "x.zip"),
        (good, "x.zip"),
        (_zip({"../../evil/course.toml": b"code = 'X'"}), "x.zip"),
        (_zip({"/etc/course.toml": b"x"}), "x.zip"),
        (_zip({"HX2\\course.toml": b"x"}), "x.zip"),
        (_zip({"HX3/course.toml": b"/etc/passwd"}, symlinks=("HX3/course.toml",)), "x.zip"),
        (_zip({"HX4/course.toml": b"x"}, encrypted=("HX4/course.toml",)), "x.zip"),
        (_zip({"HX5/big.bin": b"\x00" * (11 * 1024 * 1024)}), "x.zip"),
        (_zip({f"HX6/assets/{n}.txt": b"x" for n in range(2001)}), "x.zip"),
        (_zip({"a/" * 60 + "course.toml": b"x"}), "x.zip"),
        (_zip({"HX7/course.toml": b'code = "HX7"\n', "HX7/course.toml/": b""}), "x.zip"),
        (_zip({"inner.zip": good}), "x.zip"),
        (good, "x.xlsx"),
        ("Mã cán bộ,Họ và tên\n".encode("cp1258", "replace"), "x.csv"),
        ("\ufeffMã cán bộ;Họ và tên\r\n;;;\r\n".encode(), "x.csv"),
        (b"=cmd|' /C calc'!A0,@SUM(1+1)\n", "x.csv"),
        (b"\xff\xfe" + "Mã cán bộ".encode("utf-16-le"), "x.csv"),
    )


def _officials_row(changes: list[tuple[int, str]]) -> list[str]:
    """A valid row of the officials file with some cells replaced."""
    from tests.services.test_organisation_officials_import import person

    row = person(7)
    for index, value in changes:
        row[index % len(row)] = value
    return row


def _csv_file(changes: list[tuple[int, str]]) -> tuple[bytes, str]:
    from tests.services.test_organisation_officials_import import HEADER

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerow(_officials_row(changes))
    return out.getvalue().encode(), "danh-sach.csv"


def _xlsx_file(changes: list[tuple[int, str]]) -> tuple[bytes, str]:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from tests.services.test_organisation_officials_import import to_xlsx

    row = [ILLEGAL_CHARACTERS_RE.sub("", cell)[:32_000] for cell in _officials_row(changes)]
    return to_xlsx([row]), "danh-sach.xlsx"


def _course_zip(value: str, where: str) -> tuple[bytes, str]:
    """A course folder with one hostile value in course.toml, a lesson name or a lesson body."""
    import json

    from tests.factories import course_toml, course_tree

    files = course_tree("HX9", lessons=2, assets=True)
    if where == "raw":
        files["HX9/course.toml"] = value.encode("utf-8", "replace")
    elif where == "lesson_name":
        files[f"HX9/lessons/03-{value[:100]}.md"] = b"# X\n"
    elif where == "lesson_body":
        files["HX9/lessons/01-khai-niem.md"] = value.encode("utf-8", "replace")
    elif where == "asset_name":
        files[f"HX9/assets/{value[:100]}.png"] = b"\x89PNG\r\n\x1a\n"
    elif where in ("credits", "kind", "content_area"):  # unquoted: any TOML value, or none
        files["HX9/course.toml"] = course_toml("HX9", **{where: value[:200]}).encode()
    else:  # a string field as a TOML basic string (JSON escapes are valid TOML escapes)
        lines = course_toml("HX9").splitlines()
        quoted = json.dumps(value, ensure_ascii=False)
        lines = [
            f"{where} = {quoted}" if line.startswith(f"{where} = ") else line for line in lines
        ]
        files["HX9/course.toml"] = "\n".join(lines).encode("utf-8", "replace")
    return _zip(files), "khoa-hoc.zip"


cell_changes = st.lists(st.tuples(st.integers(0, 10), hostile_text), min_size=1, max_size=3)
file_content = st.one_of(
    st.binary(max_size=300).map(lambda data: (data, "x.csv")),
    st.deferred(lambda: st.sampled_from(fixed_files())),
    cell_changes.map(_csv_file),
    st.lists(st.tuples(st.integers(0, 10), st.sampled_from(SMALL)), max_size=3).map(_xlsx_file),
    st.builds(
        _course_zip,
        hostile_text,
        st.sampled_from(
            (
                "code",
                "title",
                "summary",
                "credits",
                "kind",
                "content_area",
                "raw",
                "lesson_name",
                "lesson_body",
                "asset_name",
            )
        ),
    ),
)


@st.composite
def file_part(draw) -> tuple[bytes, str, str]:
    """(content, file name, content type): mostly the name the content would have."""
    content, natural = draw(file_content)
    name = draw(st.sampled_from(("natural", "natural", "hostile", "random")))
    if name == "natural":
        name = natural
    elif name == "hostile":
        name = draw(st.sampled_from(FILE_NAMES))
    else:
        name = draw(st.text(max_size=20)) + natural[-4:]
    return content, name, draw(st.sampled_from(CONTENT_TYPES))


# --- the forms of a page ----------------------------------------------------------------------

_FORM_RE = r"<form\b([^>]*)>(.*?)</form>"
_ATTR_RE = r"""([\w:-]+)\s*=\s*"([^"]*)\""""


def _attrs(text: str) -> dict[str, str]:
    attrs = {k.lower(): html.unescape(v) for k, v in re.findall(_ATTR_RE, text)}
    for flag in ("checked", "selected", "multiple"):
        if re.search(rf"\s{flag}(\s|$|=|/)", " " + text + " "):
            attrs.setdefault(flag, flag)
    return attrs


@dataclass
class FormShape:
    """What a real browser could send: field values, the options of each field, buttons, files."""

    baseline: dict[str, str] = field(default_factory=dict)
    options: dict[str, list[str]] = field(default_factory=dict)
    buttons: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def names(self) -> list[str]:
        return sorted({*self.baseline, *self.options, *self.buttons, *self.files})


def parse_form(page: str, page_path: str, target_path: str) -> FormShape:
    """The fields of every form on `page` that posts to `target_path` (empty when none)."""
    shape = FormShape()
    for form_match in re.finditer(_FORM_RE, page, re.S | re.I):
        attrs, body = _attrs(form_match.group(1)), form_match.group(2)
        if (attrs.get("method") or "get").lower() != "post":
            continue
        buttons = [_attrs(b) for b in re.findall(r"<button\b([^>]*)>", body, re.I)]
        actions = {b["formaction"] for b in buttons if "formaction" in b}
        if not actions or any("formaction" not in b for b in buttons):
            actions.add(attrs.get("action") or page_path)
        if target_path not in {urlsplit(action).path for action in actions}:
            continue
        for select_attrs, options in re.findall(r"<select\b([^>]*)>(.*?)</select>", body, re.S):
            name = _attrs(select_attrs).get("name")
            values = [_attrs(o) for o in re.findall(r"<option\b([^>]*)>", options)]
            if name:
                shape.options.setdefault(name, []).extend(v.get("value", "") for v in values)
                chosen = [v["value"] for v in values if "selected" in v and "value" in v]
                filled = [v["value"] for v in values if v.get("value")]
                shape.baseline.setdefault(name, (chosen or filled or [""])[0])
        for area_attrs, text in re.findall(r"<textarea\b([^>]*)>(.*?)</textarea>", body, re.S):
            if name := _attrs(area_attrs).get("name"):
                shape.baseline.setdefault(name, html.unescape(text).lstrip("\n"))
        for tag, tag_attrs in re.findall(r"<(input|button)\b([^>]*)>", body, re.I):
            attrs = _attrs(tag_attrs)
            name, kind = attrs.get("name"), attrs.get("type", "text").lower()
            if not name or name == "csrf_token":
                continue
            if tag.lower() == "button" or kind in ("submit", "button", "image", "reset"):
                shape.buttons.append(name)
            elif kind == "file":
                shape.files.append(name)
            elif kind in ("checkbox", "radio"):
                shape.options.setdefault(name, []).append(attrs.get("value", "on"))
                if "checked" in attrs:
                    shape.baseline.setdefault(name, attrs.get("value", "on"))
            else:  # several hidden inputs may share a name (one form per status button)
                shape.baseline.setdefault(name, attrs.get("value", ""))
                shape.options.setdefault(name, []).append(attrs.get("value", ""))
    return shape


# --- test data behind the URL placeholders ----------------------------------------------------


class Visitor:
    """A test client logged in as `role` (or anonymous, or half-way through a 2FA login), with
    its CSRF token; logged in afresh after `forget()`."""

    def __init__(self, app, role: str, scene: "Scene"):
        self.app, self.role = app, role
        self._client, self.token = None, ""
        if role == PENDING_2FA:
            scene.value("_reviewer_2fa")

    @property
    def client(self):
        if self._client is None:
            client = self.app.test_client()
            if self.role == PENDING_2FA:
                response = login(client, "reviewer")
                assert response.location.endswith("/auth/2fa"), "no second login step"
            elif self.role != ANON:
                response = login(client, self.role)
                assert response.status_code == 302, f"{self.role} cannot log in"
            page = "/auth/password" if self.role in ("admin", "learner") else "/auth/login"
            self.token = csrf_token(client, page)
            self._client = client
        return self._client

    def forget(self) -> None:
        self._client = None

    def check_session(self) -> None:
        """Start again with a fresh login when the last request changed who the session is
        (logged out, logged in, rotated: the CSRF token went with it)."""
        cookie = self._client.get_cookie("session") if self._client else None
        serializer = self.app.session_interface.get_signing_serializer(self.app)
        data = serializer.loads(cookie.value) if cookie else {}
        expected = {ANON: False, PENDING_2FA: False}.get(self.role, True)
        pending = self.role != PENDING_2FA or "2fa_pending" in data
        if "csrf_token" not in data or ("_user_id" in data) != expected or not pending:
            self.forget()


# --- requests ---------------------------------------------------------------------------------


def _short(value, limit: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"


@dataclass
class Hostile:
    """One request: the method, URL, where the values go and whether the CSRF token is valid."""

    method: str
    url: str
    kind: str  # form, multipart, json, raw or query
    fields: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    files: dict = field(default_factory=dict)
    body: object = None
    content_type: str = ""
    csrf: str = "valid"  # valid, missing or forged
    accept_language: str | None = None

    def __repr__(self) -> str:
        parts = [f"{self.method} {_short(self.url, 200)} as {self.kind}", f"csrf={self.csrf}"]
        for name in ("fields", "query", "files", "body", "content_type", "accept_language"):
            value = getattr(self, name)
            if value:
                if name == "files":
                    value = {k: (_short(v[0], 80), v[1], v[2]) for k, v in value.items()}
                parts.append(f"{name}={_short(value, 600)}")
        return "Hostile(" + ", ".join(parts) + ")"

    def _repr_pretty_(self, printer, _cycle) -> None:  # Hypothesis prints examples with this
        printer.text(repr(self))


@dataclass
class Target:
    """An endpoint under test as one role sees it."""

    endpoint: str
    methods: list[str]
    url: str
    shape: FormShape
    string_params: list[str]
    is_api: bool
    adapter: object = None  # the URL map bound to localhost, to rebuild the URL


def send(visitor: Visitor, target: Target, request: Hostile) -> int | str:
    """Send `request`; fail with the details when the app answers 500 or raises, unless the
    error is one of KNOWN_500. Returns the status, or the name of the known bug."""
    client = visitor.client
    token = {"valid": visitor.token, "missing": None, "forged": visitor.token[:-4] + "AAAA"}[
        request.csrf
    ]
    kwargs: dict = {"method": request.method, "query_string": dict(request.query), "headers": {}}
    if request.accept_language is not None:
        kwargs["headers"]["Accept-Language"] = request.accept_language
    if request.kind == "query":
        kwargs["query_string"].update(request.fields)
    elif request.kind == "json":
        kwargs["json"] = request.body
        if token:
            kwargs["headers"]["X-CSRFToken"] = token
    elif request.kind == "raw":
        kwargs["data"] = request.body
        kwargs["content_type"] = request.content_type
        if token:
            kwargs["headers"]["X-CSRFToken"] = token
    else:
        data = {**request.fields}
        if token:
            data["csrf_token"] = token
        if request.kind == "multipart":
            for name, (content, filename, content_type) in request.files.items():
                data[name] = (io.BytesIO(content), filename, content_type)
            kwargs["content_type"] = "multipart/form-data"
        kwargs["data"] = data
    builder = EnvironBuilder(visitor.app, request.url, **kwargs)
    try:
        prepared = builder.get_request()
    finally:
        builder.close()
    try:
        response = client.open(prepared)
    except Exception:  # the testing app propagates what production turns into a 500
        error = traceback.format_exc()
        bug = known_bug(target, request, error)
        if bug:
            visitor.forget()
            return bug
        raise AssertionError(
            f"{target.endpoint} as {visitor.role} raised (a 500 in production)\n"
            f"request: {request!r}\n{traceback.format_exc(limit=-8)}"
        ) from None
    finally:  # no response to close when the app raised: the spooled body would leak
        prepared.environ["wsgi.input"].close()
    status = response.status_code
    response.close()
    visitor.check_session()
    assert status < 500, f"{target.endpoint} as {visitor.role} answered {status}: {request!r}"
    return status


@st.composite
def hostile_requests(draw, target: Target) -> Hostile:
    """Mostly the real form with some fields hostile, dropped, multiplied or from another field;
    sometimes JSON, a raw body, a missing or forged token, hostile URL parts."""
    method = draw(st.sampled_from(target.methods))
    shape = target.shape
    fields: dict = {}
    for name in shape.names():
        if name in shape.files or (name in shape.buttons and name not in shape.baseline):
            continue
        action = draw(st.sampled_from(("keep", "hostile", "keep", "option", "drop", "many")))
        if action == "keep" and name in shape.baseline:
            fields[name] = shape.baseline[name]
        elif action == "option" and shape.options.get(name):
            fields[name] = draw(st.sampled_from(shape.options[name]))
        elif action == "many":
            fields[name] = draw(st.lists(hostile_text, min_size=2, max_size=4))
        elif action != "drop":
            fields[name] = draw(field_value)
    if shape.buttons and draw(st.booleans()):
        fields[draw(st.sampled_from(shape.buttons))] = draw(st.sampled_from(("y", "")))
    extra_names = st.one_of(st.sampled_from(COMMON_FIELDS), st.text(max_size=20))
    for name in draw(st.lists(extra_names, max_size=2)):
        fields.setdefault(name, draw(field_value))

    url = target.url
    if target.string_params and draw(st.integers(0, 4)) == 0:
        url = _fuzz_path(target, {p: draw(path_text) for p in target.string_params})

    if method == "GET":
        kind = "query"
    elif target.is_api:
        kind = draw(st.sampled_from(("json", "form", "multipart", "raw")))
    elif shape.files:
        kind = draw(st.sampled_from(("multipart", "multipart", "form", "json", "raw")))
    else:
        kind = draw(st.sampled_from(("form", "form", "multipart", "json", "raw")))
    files, body, content_type = {}, None, ""
    if kind == "multipart":
        for name in shape.files or ["file"]:
            if draw(st.integers(0, 5)):
                files[name] = draw(file_part())
    elif kind == "json":
        body = draw(st.one_of(st.just(fields), json_value))
    elif kind == "raw":
        body = draw(st.one_of(st.binary(max_size=300), file_content.map(lambda pair: pair[0])))
        content_type = draw(st.sampled_from(RAW_CONTENT_TYPES))
    return Hostile(
        method=method,
        url=url,
        kind=kind,
        fields=fields,
        query=draw(st.dictionaries(st.sampled_from(QUERY_KEYS), hostile_text, max_size=2)),
        files=files,
        body=body,
        content_type=content_type,
        csrf=draw(st.sampled_from(("valid", "valid", "valid", "missing", "forged"))),
        accept_language=draw(st.sampled_from(ACCEPT_LANGUAGES)),
    )


def _fuzz_path(target: Target, values: dict[str, str]) -> str:
    """The target's URL with its string parts (codes, slugs, tokens) replaced."""
    adapter = target.adapter
    _endpoint, args = adapter.match(target.url, method=target.methods[0])
    return adapter.build(target.endpoint, {**args, **values}, method=target.methods[0])


@pytest.fixture(autouse=True)
def _no_rate_limits(monkeypatch):
    """Rate limits count per address for the whole test session: off here (the views are the
    target, and a 429 would hide them), and reset afterwards so no later test meets limits
    used up here."""
    from lms.extensions import limiter

    monkeypatch.setattr(limiter, "enabled", False)
    yield
    limiter.reset()


# --- coverage ---------------------------------------------------------------------------------


def _targets(app) -> dict[str, list]:
    """endpoint → its rules, for every rule taking a POST-like method or under /api/."""
    found: dict[str, list] = {}
    for rule in app.url_map.iter_rules():
        if rule.methods & MUTATING or rule.rule.startswith("/api/"):
            found.setdefault(rule.endpoint, []).append(rule)
    return found


def test_every_post_and_api_route_is_covered(app):
    targets = set(_targets(app))
    missing = targets - set(URLS)
    stale = set(URLS) - targets
    assert not missing, f"POST/API routes without a URL in URLS (hostile input): {sorted(missing)}"
    assert not stale, f"URLS entries for routes that no longer exist: {sorted(stale)}"
    assert set(FORM_PAGES) <= set(URLS), sorted(set(FORM_PAGES) - set(URLS))


# --- known 500s -------------------------------------------------------------------------------


@dataclass(frozen=True)
class KnownBug:
    """A 500 found by this module and not fixed yet. The fuzzing tests let an error that
    `matches` pass (so they go on finding other bugs); `test_known_500_is_still_there` sends
    `example` and is a strict xfail: once the bug is fixed it fails, and the entry goes."""

    reason: str
    endpoint: str
    role: str
    example: Callable[[str], Hostile]  # the target's URL → a request that answers 500
    matches: Callable[[Target, Hostile, str], bool]  # (target, request, traceback text)
    dialect: str | None = None  # only on this database

    def applies(self) -> bool:
        from lms.extensions import db

        return self.dialect in (None, db.engine.dialect.name)


def _is_json(request: Hostile) -> bool:
    return request.kind == "json" or (
        request.kind == "raw" and request.content_type.startswith("application/json")
    )


def _raised_in(*parts: str) -> Callable[[Target, Hostile, str], bool]:
    """An error whose traceback text holds every one of `parts`."""
    return lambda _target, _request, error: all(part in error for part in parts)


def _values(mapping: dict, name: str) -> list[str]:
    """The text values sent under `name` (one value or several)."""
    value = mapping.get(name)
    return [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]


NAMELESS_PART = b"--x\r\nContent-Disposition: form-data\r\n\r\nvalue\r\n--x--\r\n"

# 500s this test found and that are fixed now: each example is kept as a regression test.
FIXED_500: dict[str, KnownBug] = {
    "json-body-reaches-wtforms": KnownBug(
        "Flask-WTF reads a JSON body as the form: a body that is not an object (a list, a "
        "string, invalid JSON) raises TypeError/ValueError/BadRequest in wrap_formdata, even on "
        "the CSRF error page (lms/web.py builds a ButtonForm for every template); an object "
        "with a number where a text field is expected raises TypeError in Length",
        "auth.logout",
        "admin",
        lambda url: Hostile("POST", url, "json", body=[1]),
        lambda target, request, _error: not target.is_api and _is_json(request),
    ),
    "body-over-max-content-length": KnownBug(
        "a body over MAX_CONTENT_LENGTH: the 413 handler renders a page, the context processor "
        "(lms/web.py globals_for_templates) builds a ButtonForm, which reads request.form and "
        "raises RequestEntityTooLarge again inside the error handler",
        "auth.logout",
        "admin",
        lambda url: Hostile("POST", url, "form", {"x": "A" * (Config.MAX_CONTENT_LENGTH + 1)}),
        _raised_in("RequestEntityTooLarge"),
    ),
    "multipart-part-without-name": KnownBug(
        "a multipart body with a part whose Content-Disposition has no usable name (none, or a "
        "name with CR/LF/backslash): Werkzeug files it under the key None, and Flask-WTF's "
        "CSRFProtect (before every POST; the token is looked up in the form first) calls "
        "None.endswith -> AttributeError, on every POST route, logged in or not",
        "auth.login",
        ANON,
        lambda url: Hostile(
            "POST",
            url,
            "raw",
            body=NAMELESS_PART,
            content_type="multipart/form-data; boundary=x",
            csrf="missing",
        ),
        _raised_in("_get_csrf_token", "AttributeError"),
    ),
    "newline-in-next": KnownBug(
        "safe_next() accepts '/\\r\\nX' as a local path; redirect() then raises ValueError "
        "'Header values must not contain newline characters' (set_locale's form field next; "
        "login's and /auth/2fa's ?next= after a successful login)",
        "auth.set_locale",
        "learner",
        lambda url: Hostile("POST", url, "form", {"next": "/\r\nSet-Cookie: x=1"}),
        _raised_in("Header values must not contain newline characters"),
    ),
    "page-number-non-ascii-digit": KnownBug(
        "page_number() trusts str.isdigit(): ?page=² (superscript two) passes it and int('²') "
        "raises ValueError on every paginated list (users, audit, registry, catalog, manage)",
        "auth.users",
        "admin",
        lambda url: Hostile("GET", url, "query", query={"page": "²"}),
        _raised_in("in page_number", "ValueError"),
    ),
    "huge-whole-number": KnownBug(
        "a whole-number field given hundreds of digits: WTForms' NumberRange calls math.isnan "
        "on the int, which raises OverflowError 'int too large to convert to float' (the cycle "
        "form, class sessions, test settings)",
        "curricula.cycle_new",
        "admin",
        lambda url: Hostile(
            "POST",
            url,
            "form",
            {
                "year": "9" * 400,
                "starts_on": "01/01/2030",
                "ends_on": "31/12/2030",
                "due_days": "9" * 400,
                "notice_days": "30",
                "renewal_window_days": "60",
                "at_risk_days": "30",
                "pace_slack": "1",
            },
        ),
        _raised_in("int too large to convert to float"),
    ),
    "page-number-overflow": KnownBug(
        "page_number() has no upper bound: ?page=99999999999999999999 makes paginate()'s OFFSET "
        "overflow (SQLite: OverflowError 'Python int too large to convert to SQLite INTEGER'; "
        "PostgreSQL: DataError 'bigint out of range') on every paginated list",
        "auth.audit_log",
        "admin",
        lambda url: Hostile("GET", url, "query", query={"page": "99999999999999999999"}),
        lambda _target, request, error: (
            ("too large to convert to SQLite INTEGER" in error or "bigint out of range" in error)
            and any(
                len(v) > 18 for d in (request.fields, request.query) for v in _values(d, "page")
            )
        ),
    ),
    "sqlite-like-pattern-too-complex": KnownBug(
        "SQLite only: a search q of more than 50,000 bytes makes the LIKE pattern too complex "
        "(sqlite3.OperationalError) in the registry and its export",
        "organisation.registry",
        "admin",
        lambda url: Hostile("GET", url, "query", {"q": "a" * 60_000}),
        _raised_in("LIKE or GLOB pattern too complex"),
        dialect="sqlite",
    ),
    "postgresql-nul-character": KnownBug(
        "PostgreSQL only: a NUL character (\\x00) in a value that reaches a query raises "
        "psycopg.DataError 'PostgreSQL text fields cannot contain NUL (0x00) bytes' (search "
        "boxes of the registry, catalog and course list; the login username; ...)",
        "catalog.catalog",
        "learner",
        lambda url: Hostile("GET", url, "query", {"q": "a\x00b"}),
        _raised_in("cannot contain NUL (0x00)"),
        dialect="postgresql",
    ),
}
# 500s found and not fixed yet (none at the moment): the fuzzing tests let them pass, and
# test_known_500_is_still_there turns green the day one is fixed.
KNOWN_500: dict[str, KnownBug] = {}


def known_bug(target: Target, request: Hostile, error: str) -> str | None:
    """The name of the known 500 that this error is, if any."""
    return next(
        (
            name
            for name, bug in KNOWN_500.items()
            if bug.applies() and bug.matches(target, request, error)
        ),
        None,
    )


# --- the hostile-input tests ------------------------------------------------------------------

# Examples per case; HOSTILE_INPUT_SCALE=10 searches ten times longer (e.g. before a release).
SCALE = float(os.environ.get("HOSTILE_INPUT_SCALE", "1"))
EXAMPLES = {"admin": 12, ANON: 12, PENDING_2FA: 12, "learner": 5}
HYPOTHESIS = settings(
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)


def _cases(endpoints, roles_of) -> list:
    return [
        pytest.param(endpoint, role, id=f"{endpoint}-{role}")
        for endpoint in sorted(endpoints)
        for role in roles_of(endpoint)
    ]


def _roles(endpoint: str) -> tuple[str, ...]:
    extra = EXTRA_ROLES.get(endpoint, (ANON,) if endpoint in PUBLIC else ())
    return ("admin", "learner", *extra)


def _target(app, scene: Scene, visitor: Visitor, endpoint: str) -> Target:
    rules = _targets(app).get(endpoint) or pytest.fail(f"{endpoint} is no longer a POST/API route")
    methods = sorted({m for rule in rules for m in rule.methods} - {"HEAD", "OPTIONS"})
    is_api = any(rule.rule.startswith("/api/") for rule in rules)
    mutating = [m for m in methods if m in MUTATING]
    url = scene.url(URLS[endpoint])
    adapter = app.url_map.bind("localhost")
    method = (mutating or methods)[0]
    assert adapter.match(url, method=method)[0] == endpoint, f"URLS[{endpoint!r}] routes elsewhere"
    string_params = sorted(
        {
            name
            for rule in rules
            for name, converter in rule._converters.items()
            if type(converter).__name__ in ("UnicodeConverter", "PathConverter", "AnyConverter")
        }
    )
    page = scene.url(FORM_PAGES.get(endpoint, URLS[endpoint]))
    shape = FormShape()
    # The form as this role sees it, or else as the administrator does (a learner refused the
    # page still gets to post its fields).
    for viewer in (visitor, Visitor(app, "admin", scene)):
        response = viewer.client.get(page)
        text = response.get_data(as_text=True) if response.status_code == 200 else ""
        response.close()
        shape = parse_form(text, urlsplit(page).path, urlsplit(url).path)
        if shape.names() or viewer.role == "admin":
            break
    hints = {**HINTS, **ENDPOINT_HINTS.get(endpoint, {})}
    for name, value in shape.baseline.items():
        if not value and hints.get(name):
            shape.baseline[name] = hints[name]
    methods = mutating if not is_api else methods
    return Target(endpoint, methods, url, shape, string_params, is_api, adapter)


def _battery(target: Target) -> list[Hostile]:
    """Fixed requests run before Hypothesis: no token, a forged one, the real form, then each
    BATTERY value in every field and in the query string at once."""
    method = target.methods[0]
    kind = "multipart" if target.shape.files else ("query" if method == "GET" else "form")
    baseline = dict(target.shape.baseline)
    requests = [
        Hostile(method, target.url, kind, baseline, csrf="missing"),
        Hostile(method, target.url, kind, baseline, csrf="forged"),
        Hostile(method, target.url, kind, baseline),
    ]
    for value in BATTERY:
        fields = {name: value for name in target.shape.names() if name not in target.shape.files}
        query = {"next": value, "page": value}
        requests.append(Hostile(method, target.url, kind, fields or {"q": value}, query))
    uploads = [
        *fixed_files(),
        _csv_file([(1, "<script>alert(1)</script>"), (3, "31/02/2025"), (5, "../../etc")]),
        _xlsx_file([(0, "' OR 1=1 --"), (8, "0000-00-00")]),
        _course_zip("'; DROP TABLE courses; --", "title"),
        _course_zip("nan", "credits"),
    ]
    for content, name in uploads if target.shape.files else ():
        files = {field: (content, name, "application/octet-stream") for field in target.shape.files}
        requests.append(Hostile(method, target.url, "multipart", baseline, files=files))
    return requests


def _fuzz(visitor: Visitor, target: Target, max_examples: int) -> None:
    """The battery, then Hypothesis."""
    for request in _battery(target):
        send(visitor, target, request)

    @settings(HYPOTHESIS, max_examples=max(1, round(max_examples * SCALE)))
    @given(request=hostile_requests(target))
    def never_500(request):
        send(visitor, target, request)

    never_500()


@pytest.mark.parametrize(("endpoint", "role"), _cases(URLS, _roles))
def test_hostile_input_never_gives_500(endpoint, role, app, world, tmp_path, monkeypatch):
    scene = Scene(app, world, tmp_path, monkeypatch)
    visitor = Visitor(app, role, scene)
    _fuzz(visitor, _target(app, scene, visitor, endpoint), EXAMPLES[role])


# --- GET pages with a query-string form -------------------------------------------------------


def _query_target(app, scene, visitor, endpoint) -> Target:
    """A list page: the fields of its GET forms (search filters) and `page`."""
    template, arguments = QUERY_PAGES[endpoint]
    url = scene.url(template)
    response = visitor.client.get(url)
    text = response.get_data(as_text=True) if response.status_code == 200 else ""
    response.close()
    shape = FormShape()
    for form_match in re.finditer(_FORM_RE, text, re.S | re.I):
        if (_attrs(form_match.group(1)).get("method") or "get").lower() == "get":
            found = parse_form(f'<form method="post">{form_match.group(2)}</form>', url, url)
            shape.baseline |= found.baseline
            shape.options |= found.options
    for name in arguments:
        shape.options.setdefault(name, ["1", "2"] if name == "page" else [""])
    return Target(endpoint, ["GET"], url, shape, [], False, app.url_map.bind("localhost"))


def test_query_pages_exist(app):
    registered = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert set(QUERY_PAGES) <= registered, sorted(set(QUERY_PAGES) - registered)


@pytest.mark.parametrize(("endpoint", "role"), _cases(QUERY_PAGES, lambda _e: ("admin", "learner")))
def test_hostile_query_strings_never_give_500(endpoint, role, app, world, tmp_path, monkeypatch):
    scene = Scene(app, world, tmp_path, monkeypatch)
    visitor = Visitor(app, role, scene)
    _fuzz(visitor, _query_target(app, scene, visitor, endpoint), 5)


# --- the known 500s, one strict xfail each -----------------------------------------------------


def _reproduce(name: str, bugs: dict, app, world, tmp_path, monkeypatch):
    bug = bugs[name]
    if not bug.applies():
        pytest.skip(f"only on {bug.dialect}")
    scene = Scene(app, world, tmp_path, monkeypatch)
    visitor = Visitor(app, bug.role, scene)
    if bug.endpoint in URLS:
        target = _target(app, scene, visitor, bug.endpoint)
    else:
        target = _query_target(app, scene, visitor, bug.endpoint)
    return send(visitor, target, bug.example(target.url))


@pytest.mark.parametrize("name", sorted(FIXED_500))
def test_a_fixed_500_stays_fixed(name, app, world, tmp_path, monkeypatch):
    outcome = _reproduce(name, FIXED_500, app, world, tmp_path, monkeypatch)
    assert isinstance(outcome, int) and outcome < 500, (name, outcome)


class StillBroken(Exception):
    """The example of a known bug still answers 500."""


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            name, marks=pytest.mark.xfail(raises=StillBroken, strict=True, reason=bug.reason)
        )
        for name, bug in sorted(KNOWN_500.items())
    ]
    or [pytest.param("none", marks=pytest.mark.skip(reason="no known 500 left"))],
)
def test_known_500_is_still_there(name, app, world, tmp_path, monkeypatch):
    outcome = _reproduce(name, KNOWN_500, app, world, tmp_path, monkeypatch)
    if outcome == name:
        raise StillBroken(KNOWN_500[name].reason)
    assert isinstance(outcome, int), f"the example now hits another known bug: {outcome}"
