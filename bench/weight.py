"""Page weight of the learner pages: the bytes of the HTML and of every CSS, JS, image and
font it references, on a first load and on a repeat (what the static files' caching headers
let a browser skip or revalidate). Body bytes as the app sends them, and gzip-compressed, which
is what a reverse proxy with compression on would transfer."""

import gzip
import re
from urllib.parse import urljoin

from sqlalchemy import select

from bench.courses import LOAD_TEST
from lms.catalog.models import Course, Lesson
from lms.extensions import db

TARGET = 150_000
REFERENCES = re.compile(r'<(?:link|script|img)\b[^>]*?\b(?:href|src)="([^"]+)"', re.I)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def _assets(client, url: str, html: str) -> list[tuple[str, object]]:
    """(url, response) of every same-site file the page references, CSS imports included."""
    seen, found = set(), []
    queue = [urljoin(url, ref) for ref in REFERENCES.findall(html)]
    while queue:
        ref = queue.pop(0)
        if ref in seen or ref.startswith(("http:", "https:", "data:", "//")):
            continue
        seen.add(ref)
        reply = client.get(ref)
        found.append((ref, reply))
        if reply.mimetype == "text/css":
            css = reply.get_data(as_text=True)
            queue += [urljoin(ref, u) for u in CSS_URL.findall(css) if not u.startswith("data:")]
    return found


def _cached(reply) -> bool:
    control = reply.headers.get("Cache-Control", "")
    match = re.search(r"max-age=(\d+)", control)
    return bool(match and int(match.group(1)) > 0) and "no-cache" not in control


def measure(client, url: str) -> dict:
    page = client.get(url)
    html = page.get_data()
    assets = _assets(client, url, page.get_data(as_text=True))
    first = len(html) + sum(len(r.get_data()) for _u, r in assets)
    first_gz = len(gzip.compress(html)) + sum(len(gzip.compress(r.get_data())) for _u, r in assets)
    repeat_requests, repeat_bytes = 1, len(html)
    headers = []
    for ref, reply in assets:
        etag = "yes" if reply.headers.get("ETag") else "no"
        control = reply.headers.get("Cache-Control", "—")
        headers.append(
            f"{ref}: {len(reply.get_data()):,} B, Cache-Control: {control}, ETag: {etag}"
        )
        if _cached(reply):
            continue
        repeat_requests += 1
        etag = reply.headers.get("ETag")
        again = client.get(ref, headers={"If-None-Match": etag} if etag else {})
        repeat_bytes += len(again.get_data())
    return {
        "url": url,
        "status": page.status_code,
        "html": len(html),
        "files": len(assets),
        "first": first,
        "first_gz": first_gz,
        "repeat": repeat_bytes,
        "repeat_gz": len(gzip.compress(html)),
        "repeat_requests": repeat_requests,
        "headers": headers,
    }


def _running_test(world) -> str | None:
    if not world.has("/attempts/<int:attempt_id>"):
        return None
    from bench.operations import _start

    client = world.client("dn000003")
    attempt_id, *_rest = _start(client, LOAD_TEST)
    return f"/attempts/{attempt_id}"


def report(world) -> None:
    """Print the weight of /me, a lesson and a running test for a learner."""
    with world.context():
        lesson = db.session.execute(
            select(Course.code, Lesson.slug)
            .join(Lesson, Lesson.course_id == Course.id)
            .where(Course.code == "BB01")
            .order_by(Lesson.position)
            .limit(1)
        ).first()
    pages = [("dn000001", "/me"), ("dn000001", f"/courses/{lesson.code}/lessons/{lesson.slug}")]
    running = _running_test(world)
    if running:
        pages.append(("dn000003", running))
    else:
        print("no running test page yet (lms.assessments attempt routes missing)")
    print(
        f"{'page':<34} {'HTML':>9} {'files':>5} {'first load':>11} {'gzip':>9} "
        f"{'repeat':>9} {'gzip':>9} {'requests':>8}  target ≤ 150 KB first load"
    )
    notes = set()
    for username, url in pages:
        m = measure(world.client(username), url)
        verdict = "ok" if m["first"] <= TARGET else "MISSED"
        print(
            f"{url[:34]:<34} {_kb(m['html'])} {m['files']:>5} {_kb(m['first']):>11} "
            f"{_kb(m['first_gz'])} {_kb(m['repeat'])} {_kb(m['repeat_gz'])} "
            f"{m['repeat_requests']:>8}  {verdict} (HTTP {m['status']})"
        )
        notes.update(m["headers"])
    for line in sorted(notes):
        print(f"  {line}")


def _kb(size: int) -> str:
    return f"{size / 1000:>6.1f} KB"
