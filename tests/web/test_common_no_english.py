"""No English in the Vietnamese UI: a crawler logs in as each role, opens every page of the
access matrix the role may open (and the pages they link to) with a Vietnamese browser, and
fails on English in the visible text — a catalog msgid shown untranslated, or a common English
UI word. The world holds more than the matrix needs: an audit entry of every action, a run of
every job kind in every state, a notification of every kind. The same crawl in English fails
on a Vietnamese interface string (data such as names and course titles stay as they are).

Text that is data, not interface — JSON values, error details, command lines — is marked
`translate="no"` in the templates, and text in another language carries its `lang`; the
crawler skips both, as a translator or a screen reader would."""

import re
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from babel.messages.pofile import read_po

from tests.factories import ROLES
from tests.web import routes
from tests.web.routes.expect import OK
from tests.web.test_access_matrix import MATRIX

CATALOGS = Path(__file__).resolve().parents[2] / "lms" / "translations"

ENGLISH_WORDS = (
    "True False Yes No Next Previous Page Pages of Submit Save Cancel Delete Remove Edit Search "
    "Filter Apply Reset Back Status Date Name Total Actions Action Details View Show Download "
    "Upload Export Import Open Close Closed Done Error Warning None null Loading Active Inactive "
    "queued running finished failed pending sent skipped approved rejected submitted revoked "
    "expired valid Passed Failed Score Course Courses Lesson Certificate Official Unit Credits "
    "Cycle Mandatory Elective Overdue Due Login Logout Password Username Role Settings Home "
    "Dashboard Inbox Welcome Job Jobs the and with from for by at"
).split()
WORD_RE = re.compile(r"(?<![\w-])(" + "|".join(ENGLISH_WORDS) + r")(?![\w-])")
KEPT_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
SKIPPED_TAGS = {"script", "style", "noscript", "template"}
VOID_TAGS = {
    *("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"),
    *("track", "wbr"),
}
BUTTON_TYPES = ("submit", "button", "reset")
SKIP_LINKS = re.compile(
    r"/auth/logout|/locale/|/static/|\.(pdf|zip|csv|xlsx|json|gift|xml|txt)(\?|$)"
)
SAME_SHAPE_LIMIT = 3  # pages of one URL shape (digits aside) opened per crawl


class VisibleText(HTMLParser):
    """The text a reader sees or hears: element text and the attributes read out (title,
    placeholder, aria-label, alt, a button's value), without scripts and styles, and without
    what is marked as another language (`lang`) or as data not to translate (`translate=no`)."""

    def __init__(self, locale: str):
        super().__init__(convert_charrefs=True)
        self.locale = locale
        self.parts: list[str] = []
        self.skips: list[bool] = []  # per open element: is its content skipped?

    @property
    def skipping(self) -> bool:
        return bool(self.skips) and self.skips[-1]

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        lang = (attributes.get("lang") or self.locale).split("-")[0].lower()
        skip = (
            self.skipping
            or tag in SKIPPED_TAGS
            or attributes.get("translate") == "no"
            or (tag != "html" and lang != self.locale)
        )
        if not skip:
            self.parts += [attributes[name] for name in KEPT_ATTRIBUTES if name in attributes]
            if tag in ("input", "button") and attributes.get("type") in BUTTON_TYPES:
                self.parts.append(attributes.get("value", ""))
        if tag not in VOID_TAGS:
            self.skips.append(skip)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.skips.pop()

    def handle_endtag(self, tag):
        if tag not in VOID_TAGS and self.skips:
            self.skips.pop()

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)

    def text(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.parts)).strip()


def visible_text(html: str, locale: str = "vi") -> str:
    """The visible text of a page in `locale` (see VisibleText)."""
    parser = VisibleText(locale)
    parser.feed(html)
    parser.close()
    return parser.text()


def _pieces(text: str) -> list[str]:
    """The fixed parts of a message (placeholders cut out) worth searching: two words or more."""
    found = []
    for piece in re.split(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|%%", text):
        piece = re.sub(r"\s+", " ", piece).strip(" .,:;()·—-–…\"'")
        if len(piece.split()) >= 2 and len(piece) >= 8:
            found.append(piece)
    return found


def catalog_fragments(shown: str) -> list[str]:
    """Pieces of the vi catalog that must not show in the `shown` language: the English msgids
    (when Vietnamese is shown) or the Vietnamese translations (when English is shown), where the
    two differ."""
    with open(CATALOGS / "vi" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        messages = [m for m in read_po(handle) if m.id]
    fragments = set()
    for message in messages:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in ids if shown == "vi" else strings:
            if text not in (strings if shown == "vi" else ids):
                fragments.update(_pieces(text))
    # Words of the other language that the shown one quotes (file column names, "Đúng/Sai")
    quoted = "\n".join(
        str(part) for m in messages for part in _all(m.string if shown == "vi" else m.id)
    )
    return sorted((f for f in fragments if f not in quoted), key=len, reverse=True)


def _all(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


def english_in(text: str, fragments: list[str]) -> list[str]:
    """The English found in a page's Vietnamese text: untranslated msgids and common words."""
    return [f for f in fragments if f in text] + sorted(set(WORD_RE.findall(text)))


def _links(html: str, base: str) -> list[str]:
    found = []
    for href in re.findall(r'<a\b[^>]*\bhref="([^"#]+)', html):
        parts = urlsplit(urljoin(base, href.replace("&amp;", "&")))
        if parts.netloc in ("", "localhost") and not SKIP_LINKS.search(parts.path):
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def crawl(client, start: list[str], language: str, limit: int = 300) -> dict[str, str]:
    """GET each page of `start` and the local pages they link to → {url: html} of the HTML
    pages answered 200. At most SAME_SHAPE_LIMIT pages of one shape (/jobs/1, /jobs/2…), so
    the crawl covers kinds of page rather than every row."""
    queue, seen, pages, shapes = list(start), set(start), {}, {}
    while queue and len(pages) < limit:
        url = queue.pop(0)
        shape = re.sub(r"\d+", "N", url.split("?")[0])
        if shapes.get(shape, 0) >= SAME_SHAPE_LIMIT and url not in start:
            continue
        response = client.get(url, headers={"Accept-Language": language})
        if response.status_code == 200 and response.mimetype == "text/html":
            shapes[shape] = shapes.get(shape, 0) + 1
            html = response.get_data(as_text=True)
            pages[url] = html
            for link in _links(html, url):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
        response.close()
    return pages


# --- a world with something of every kind to show ----------------------------------------------

PEOPLE = {
    "learner": "Nguyễn Thị Lan",
    "manager": "Lê Văn Quân",
    "hr": "Trần Thị Hoa",
    "reviewer": "Phạm Văn Bình",
    "admin": "Đỗ Quản Trị",
}
SAMPLE_OBJECTS = {
    "user": "1",
    "official": "T-LEARN",
    "certificate": "DN-2026-000001",
    "course": "MXE",
    "curriculum": "CM-CCVC",
    "cycle": "2026",
    "registry": "officials",
    "completions": "import",
    "unit": "SNV",
    "position": "CM-CCVC",
    "rank": "01.003",
}


def _audit_every_action(world):
    from lms.audit import actions
    from lms.audit.services import record

    for code, action in sorted(actions.ACTIONS.items()) * 2:  # two pages at any page size
        record(
            world["hr"] if code != "login.locked" else None,
            code,
            action.object_type,
            SAMPLE_OBJECTS.get(action.object_type, "7"),
            before={"status": "submitted"},
            after={"status": "approved", "credits": "0.5"},
        )


def _jobs_of_every_kind(world):
    from lms.extensions import db
    from lms.jobs.forms import STARTABLE
    from lms.jobs.models import RUN_STATUSES, JobRun
    from lms.jobs.queue import enqueue
    from lms.jobs.registry import load_all

    for name in STARTABLE:  # run for real: the queue is immediate under test
        enqueue(name, actor=world["admin"])
    samples = {
        "certificates.issue": {"issued": "DN-2026-000001"},
        "certificates.issue_requested": {"issued": 2, "skipped": [12]},
        "certificates.bulk_zip": {"certificates": 3, "size": 20480},
        "organisation.import": {"state": "imported"},
        "curricula.completions_import": {"state": "ready"},
    }
    for index, name in enumerate(sorted(load_all()) * 3):  # the list has two pages
        status = RUN_STATUSES[index % len(RUN_STATUSES)]
        db.session.add(
            JobRun(
                name=name,
                user_id=world["learner" if index % 2 else "admin"].id,
                status=status,
                done=1,
                total=2,
                result=samples.get(name) if status == "done" else None,
                error="RuntimeError: the worker stopped" if status == "failed" else None,
            )
        )


def _notify_every_kind(world):
    from lms.jobs.notifications import KINDS, notify

    context = {
        "course_code": "MXM",
        "course_title": "Văn hóa công vụ",
        "course_title_en": "Public service culture",
        "title": "Hội thảo cải cách hành chính",
        "serial": "DN-2026-000001",
        "credits": "0,5",
        "due_on": date(2026, 6, 30),
        "expires_on": date(2026, 6, 30),
        "week_start": date(2026, 6, 22),
        "week_end": date(2026, 6, 28),
        "units": ["SNV"],
        "days_left": 7,
        "score": 80,
        "reason": "Thiếu minh chứng",
        "link": "/me",
        "failures": 5,
        "at": datetime(2026, 6, 1, 3, 0),
        "address": "10.0.0.1",
        "step": "password",
    }
    counts = ("officials", "overdue", "due_soon", "completions", "external_waiting")
    context |= dict.fromkeys(counts, 3)
    for kind in KINDS:
        user = world["hr" if kind == "weekly_digest" else "learner"]
        notify(user.id, kind, f"crawl:{kind}", context)


def _true_false_attempt():
    """A submitted attempt of the learner's at a test with a true/false question (TX01)."""
    from lms.assessments import attempts, quizzes
    from tests.factories import make_test_course
    from tests.services.test_assessments_attempts import official_id

    source = "::TF1::Công chức phải báo cáo khi quyết định trái pháp luật.{T}\n"
    course = make_test_course(source=source, settings={"questions": 1, "pass_mark": 50})
    attempts.submit(attempts.start_attempt(quizzes.quiz_of(course), official_id()))


def _world_to_show(scene, role: str) -> list[str]:
    """Fill the world and return the start pages of `role`: the GET rows of the access matrix
    it may open (the JSON API aside)."""
    from lms.extensions import db

    for name, person in PEOPLE.items():
        scene.world[name].display_name = person
    start = [
        scene.url(template)
        for (_endpoint, method), (template, expected) in sorted(MATRIX.items())
        if method == "GET" and expected[role] == OK and not template.startswith("/api/")
    ]
    _audit_every_action(scene.world)
    _jobs_of_every_kind(scene.world)
    _notify_every_kind(scene.world)
    _true_false_attempt()
    db.session.commit()
    return start + ["/courses/TX01/test"]


def _report(problems: dict) -> str:
    return "\n".join(f"{url}: {found}" for url, found in sorted(problems.items()))


@pytest.mark.parametrize("role", ROLES)
def test_no_english_on_any_page_a_role_can_open(role, app, world, login_as, tmp_path, monkeypatch):
    scene = routes.Scene(app, world, tmp_path, monkeypatch)
    start = _world_to_show(scene, role)
    pages = crawl(login_as(role), start, "vi")
    assert len(pages) >= len(start) // 2, sorted(pages)  # the crawl did open the pages
    fragments = catalog_fragments("vi")
    problems = {}
    for url, html in pages.items():
        assert '<html lang="vi">' in html, url
        if found := english_in(visible_text(html, "vi"), fragments):
            problems[url] = found
    assert not problems, _report(problems)


def _data_texts() -> str:
    """The Vietnamese the data holds (names, titles, lessons, notifications stored in their
    reader's language), so that the English crawl does not count it as interface text."""
    from sqlalchemy import select

    from lms.assessments.models import BankQuestion
    from lms.catalog.models import Course, Lesson
    from lms.extensions import db
    from lms.jobs.models import Notification
    from lms.organisation.models import Official, OrgUnit, Position, Rank
    from lms.programmes.models import Programme, ProgrammeSet
    from lms.recruitment.models import (
        Candidate,
        ExamRoom,
        ExamSession,
        Recruitment,
        RecruitmentPosition,
    )

    columns = (
        OrgUnit.name,
        Position.name,
        Rank.name,
        Official.full_name,
        Course.title,
        Course.summary,
        Lesson.title,
        Lesson.body_markdown,
        BankQuestion.text,
        Notification.subject,
        Notification.body,
        Programme.title,
        Programme.description,
        ProgrammeSet.title,
        Recruitment.name,
        RecruitmentPosition.title,
        Candidate.full_name,
        ExamRoom.name,
        ExamRoom.location,
        ExamSession.title,
    )
    return "\n".join(
        text or "" for column in columns for text in db.session.scalars(select(column))
    )


@pytest.mark.parametrize("role", ("learner", "admin"))
def test_no_vietnamese_interface_text_in_english(role, app, world, login_as, tmp_path, monkeypatch):
    scene = routes.Scene(app, world, tmp_path, monkeypatch)
    start = _world_to_show(scene, role)
    pages = crawl(login_as(role), start, "en")
    data = _data_texts()
    fragments = [f for f in catalog_fragments("en") if f not in data]
    problems = {}
    for url, html in pages.items():
        text = visible_text(html, "en")
        if found := [f for f in fragments if f in text]:
            problems[url] = found
    assert not problems, _report(problems)


def test_the_crawler_sees_what_a_reader_sees():
    html = (
        '<html lang="vi"><head><title>Trang</title><style>.x{}</style></head><body>'
        '<script>var Next = 1;</script><p title="Page title">Xin chào</p>'
        '<input type="submit" value="Save"><input type="text" value="dữ liệu">'
        '<code translate="no">{"status": "done"}</code><button lang="en">English</button>'
        '<img alt="Previous"><br></body></html>'
    )
    text = visible_text(html)
    assert text == "Trang Page title Xin chào Save Previous"
    assert english_in(text, []) == ["Page", "Previous", "Save"]
    assert english_in("Trang 1/2 · Page 1 of 2", ["Page 1 of 2"])[:1] == ["Page 1 of 2"]
