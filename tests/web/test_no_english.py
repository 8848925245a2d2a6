"""No English in the Vietnamese UI: a crawler logs in as each role, opens every page of the
access matrix it may open (and the pages those link to) with a Vietnamese browser, and fails on
English in the visible text — a catalog msgid shown untranslated, or a common English UI word."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from babel.messages.pofile import read_po

from tests.conftest import ROLES
from tests.web import routes
from tests.web.test_access_matrix import MATRIX
from tests.web.routes.expect import OK

CATALOG = Path(__file__).resolve().parents[2] / "lms" / "translations" / "vi" / "LC_MESSAGES"

ENGLISH_WORDS = (
    "True False Yes No Next Previous Page Pages of Submit Save Cancel Delete Remove Edit Search "
    "Filter Apply Reset Back Status Date Name Total Actions Action Details View Show Download "
    "Upload Export Import Open Close Closed Done Error Warning None null Loading Active Inactive "
    "queued running finished failed pending sent skipped approved rejected submitted revoked "
    "expired valid Passed Failed Score Course Courses Lesson Certificate Official Unit Credits "
    "Cycle Mandatory Elective Overdue Due Login Logout Password Username Role Settings Home "
    "Dashboard Inbox Welcome the and with from to for by at"
).split()
WORD_RE = re.compile(r"(?<![\w-])(" + "|".join(ENGLISH_WORDS) + r")(?![\w-])")
KEPT_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
SKIPPED = {"script", "style", "noscript", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class VisibleText(HTMLParser):
    """The text a reader sees or hears: element text and the attributes read out (title,
    placeholder, aria-label, alt, a button's value), without scripts and styles and without
    what is marked as another language (`lang`) or as data not to translate (`translate=no`)."""

    def __init__(self, locale: str):
        super().__init__(convert_charrefs=True)
        self.locale = locale
        self.parts: list[str] = []
        self.stack: list[bool] = []  # per open element: is its content skipped?

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        lang = (attributes.get("lang") or self.locale).split("-")[0]
        skip = (
            self.skipping
            or tag in SKIPPED
            or attributes.get("translate") == "no"
            or (tag != "html" and lang != self.locale)
        )
        if not skip:
            for name in KEPT_ATTRIBUTES & set(attributes):
                self.parts.append(attributes[name] or "")
            if tag in ("input", "button") and attributes.get("type") in ("submit", "button", "reset"):
                self.parts.append(attributes.get("value") or "")
        if tag not in VOID:
            self.stack.append(skip)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)

    def text(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.parts)).strip()


def visible_text(html: str, locale: str = "vi") -> str:
    parser = VisibleText(locale)
    parser.feed(html)
    parser.close()
    return parser.text()


def _untranslated_fragments() -> list[str]:
    """Pieces of English msgids (split at placeholders) of two words or more whose Vietnamese
    differs: if one shows on a page, a string escaped translation."""
    with open(CATALOG / "messages.po", "rb") as handle:
        messages = [m for m in read_po(handle) if m.id]
    fragments = set()
    for message in messages:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for source in ids:
            if source in strings:
                continue
            for piece in re.split(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|%%", source):
                piece = re.sub(r"\s+", " ", piece).strip(" .,:;()·—-")
                if len(piece.split()) >= 2 and re.search(r"[a-z]{3}", piece):
                    fragments.add(piece)
    return sorted(fragments, key=len, reverse=True)


def english_in(text: str, fragments) -> list[str]:
    """The English found in a page's visible text: msgids and common words."""
    found = [f for f in fragments if f in text]
    found += sorted(set(WORD_RE.findall(text)))
    return found


SKIP_LINKS = re.compile(r"/auth/logout|/locale/|/static/|\.(pdf|zip|csv|xlsx|json|gift|xml)(\?|$)")


def _links(html: str, base: str) -> list[str]:
    found = []
    for href in re.findall(r'<a\b[^>]*\bhref="([^"#]+)', html):
        url = urljoin(base, href.replace("&amp;", "&"))
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost") or SKIP_LINKS.search(parts.path):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def crawl(client, start: list[str], limit: int = 400) -> dict[str, str]:
    """GET each page of `start` and the local pages they link to (HTML only) → url: html."""
    queue, seen, pages = list(start), set(start), {}
    while queue and len(pages) < limit:
        url = queue.pop(0)
        response = client.get(url, headers={"Accept-Language": "vi"})
        kind = response.headers.get("Content-Type", "")
        if response.status_code == 200 and kind.startswith("text/html"):
            html = response.get_data(as_text=True)
            pages[url] = html
            for link in _links(html, url):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
        response.close()
    return pages


@pytest.mark.parametrize("role", ROLES)
def test_no_english_on_any_page_a_role_can_open(role, app, world, login_as, tmp_path, monkeypatch):
    scene = routes.Scene(app, world, tmp_path, monkeypatch)
    client = login_as(role)
    start = [
        scene.url(template)
        for (endpoint, method), (template, expected) in sorted(MATRIX.items())
        if method == "GET" and expected[role] == OK and not template.startswith("/api/")
    ]
    fragments = _untranslated_fragments()
    problems = {}
    pages = crawl(client, start)
    print(role, len(pages), "pages")
    open(f"/tmp/g4/crawl-{role}.txt", "w").write("\n".join(pages))
    for url, html in pages.items():
        found = english_in(visible_text(html), fragments)
        if found:
            problems[url] = found
    assert not problems, "\n".join(f"{url}: {found}" for url, found in problems.items())
