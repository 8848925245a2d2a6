"""The marking pages as their users meet them: a marker never sees who wrote a paper (every page
they can reach is fetched and searched for each candidate's name, number, identity number and
date of birth) nor the other marker's mark; the secretary sees the candidates only after the
codes are opened; the published list PDF; the public look-up (one answer for every miss,
throttled)."""

import re
from datetime import date
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select

from lms.auth import services as auth
from lms.extensions import db, limiter
from lms.recruitment.marking import results, services
from lms.recruitment.marking.models import Mark, Paper
from tests.conftest import csrf_token, login
from tests.factories import (
    PASSWORD,
    make_candidate,
    make_computer_scores,
    make_recruitment,
    make_written_papers,
)

NAMES = ("Hoàng Thị Thu Trang", "Võ Minh Khôi", "Đặng Ngọc Ánh")


@pytest.fixture
def scene(app, world):
    recruitment = make_recruitment(positions=(("VT01", "SNV", 1),))
    people = [
        make_candidate(
            recruitment, name, born_on=date(1995 + i, 3, 9 + i), priority="UT3" * (i == 1)
        )
        for i, name in enumerate(NAMES)
    ]
    make_computer_scores(recruitment, {c: 45 for c in people})
    make_written_papers(
        recruitment, {c: f"Bài làm về cải cách hành chính, đoạn {i}." for i, c in enumerate(people)}
    )
    for name in ("gk1", "gk2"):
        auth.create_user(auth.NewUser(name, PASSWORD, f"Giám khảo {name}", None, None, False), None)
        services.appoint_marker(recruitment, name, world["hr"])
    services.open_marking(recruitment, world["hr"])
    db.session.commit()
    return recruitment, people


def _client(app, username):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def _identities(people) -> list[str]:
    out = []
    for c in people:
        out += [c.full_name, c.number, c.id_number, c.born_on.strftime("%d/%m/%Y")]
        out.append(c.born_on.isoformat())
    return out


def _crawl(client, starts, limit=150) -> dict[str, str]:
    """Every page reachable by GET links from `starts` on this site (logout and static files
    left out), with its text."""
    seen: dict[str, str] = {}
    queue = list(starts)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        body = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        response.close()  # a scan is sent from its file
        seen[url] = body
        for href in re.findall(r'href="([^"#]+)"', body):
            target = urljoin(url, href.replace("&amp;", "&"))
            parts = urlsplit(target)
            if parts.netloc or parts.path.startswith(("/static", "/auth/logout", "/locale")):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path not in seen:
                queue.append(path)
    return seen


def _marks_of(username):
    return db.session.scalars(
        select(Mark).join(Mark.marker).where(Mark.marker.has(username=username)).order_by(Mark.id)
    ).all()


def test_no_page_a_marker_can_reach_names_a_candidate(app, scene):
    recruitment, people = scene
    client = _client(app, "gk1")
    pages = _crawl(client, ["/", "/marking/"])
    papers = [p for p in pages if re.fullmatch(r"/marking/\d+", p)]
    assert len(papers) == 3  # two markers, three papers: each marks 3 (first or second)
    for url, body in pages.items():
        for identity in _identities(people):
            assert identity not in body, (url, identity)
    codes = set(db.session.scalars(select(Paper.code)))
    assert all(any(code in body for body in pages.values()) for code in codes)
    assert "Bài làm về cải cách hành chính" in pages[papers[0]]


def test_a_marker_does_not_see_the_other_marks_and_submits_once(app, scene):
    recruitment, people = scene
    first = _client(app, "gk1")
    mine = _marks_of("gk1")[0]
    url = f"/marking/{mine.id}"
    refused = first.post(url, data={"csrf_token": csrf_token(first, url), "mark": "abc"})
    assert refused.status_code == 200 and 'class="error"' in refused.get_data(as_text=True)
    done = first.post(url, data={"csrf_token": csrf_token(first, url), "mark": "73,75"})
    assert done.status_code == 302
    again = first.post(url, data={"csrf_token": csrf_token(first, url), "mark": "10"})
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(Mark, mine.id).mark == 73.75
    other = db.session.scalar(
        select(Mark).where(Mark.paper_id == mine.paper_id, Mark.id != mine.id)
    )
    second = _client(app, other.marker.username)
    for body in _crawl(second, ["/marking/"]).values():
        assert "73,75" not in body and "73.75" not in body


def test_the_secretary_sees_candidates_only_after_the_codes_are_opened(app, scene, login_as):
    recruitment, people = scene
    hr = login_as("hr")
    page = f"/recruitment/{recruitment.code}/marking"
    assert all(name not in hr.get(page).get_data(as_text=True) for name in NAMES)
    assert "Hoàng Thị" not in hr.get(f"/recruitment/{recruitment.code}/results").get_data(
        as_text=True
    )
    reveal = f"/recruitment/{recruitment.code}/marking/reveal"
    hr.post(reveal, data={"csrf_token": csrf_token(hr, page)})  # refused: marking is open
    assert all(name not in hr.get(page).get_data(as_text=True) for name in NAMES)
    for mark in db.session.scalars(select(Mark)).all():
        services.submit_mark(mark, "70", "", None)
    db.session.commit()
    hr.post(
        f"/recruitment/{recruitment.code}/marking/close", data={"csrf_token": csrf_token(hr, page)}
    )
    hr.post(reveal, data={"csrf_token": csrf_token(hr, page)})
    shown = hr.get(page).get_data(as_text=True)
    assert all(name in shown for name in NAMES)
    assert "Hoàng Thị Thu Trang" in hr.get(f"/recruitment/{recruitment.code}/results").get_data(
        as_text=True
    )


def _main(response) -> str:
    text = response.get_data(as_text=True)
    return text[text.index("<main") : text.index("</main>")]


def _published(recruitment, freeze):
    for mark in db.session.scalars(select(Mark)).all():
        services.submit_mark(mark, "70", "", None)
    services.close_marking(recruitment, None)
    from lms.auth.models import User

    hr = db.session.scalar(select(User).where(User.username == "hr"))
    services.reveal_codes(recruitment, hr)
    freeze(date(2026, 12, 7))
    results.publish(recruitment, hr)
    db.session.commit()


def test_the_published_list_is_a_pdf_with_a_notice_number(app, scene, login_as, freeze):
    recruitment, _people = scene
    _published(recruitment, freeze)
    response = login_as("hr").get(f"/recruitment/{recruitment.code}/results.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    head = results.published_letterhead(recruitment)
    assert head.number.endswith("/TB-" + head.agency_code) and head.agency


def test_the_public_lookup_answers_a_match_and_the_same_page_for_every_miss(app, scene, freeze):
    recruitment, people = scene
    limiter.reset()
    url = f"/recruitment/{recruitment.code}/lookup"
    client = app.test_client()
    khoi = people[1]
    before = client.get(url, query_string={"number": khoi.number, "born_on": "1996-03-10"})
    assert "Võ Minh Khôi" not in before.get_data(as_text=True)  # not published yet
    _published(recruitment, freeze)
    found = client.get(url, query_string={"number": khoi.number, "born_on": "10/03/1996"})
    text = found.get_data(as_text=True)
    assert "Võ Minh Khôi" in text and "72,5" in text  # 70 + 2.5 priority points
    wrong_date = client.get(url, query_string={"number": khoi.number, "born_on": "1996-03-11"})
    wrong_number = client.get(url, query_string={"number": "TD2026-9999", "born_on": "1996-03-10"})
    other_person = client.get(
        url, query_string={"number": people[0].number, "born_on": "1996-03-10"}
    )
    assert wrong_date.status_code == wrong_number.status_code == other_person.status_code == 200
    # The page's own part is the same (the header's language switch echoes the address).
    assert _main(wrong_date) == _main(wrong_number) == _main(other_person)
    assert all(name not in wrong_date.get_data(as_text=True) for name in NAMES)


def test_the_public_lookup_is_throttled_per_address(app, scene, monkeypatch):
    recruitment, people = scene
    monkeypatch.setitem(app.config, "LMS_RECRUITMENT_LOOKUP_RATE_LIMIT", "3 per minute")
    limiter.reset()
    try:
        client = app.test_client()
        url = f"/recruitment/{recruitment.code}/lookup?number=TD2026-0001&born_on=2000-01-01"
        assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    finally:
        limiter.reset()


def test_the_secretary_records_an_appeal_until_the_deadline(app, scene, login_as, freeze):
    recruitment, people = scene
    _published(recruitment, freeze)  # published 07/12/2026, 15 days: until 22/12/2026
    hr = login_as("hr")
    page = f"/recruitment/{recruitment.code}/marking"
    post = f"/recruitment/{recruitment.code}/appeals"
    freeze(date(2026, 12, 23))
    late = hr.post(
        post,
        data={"csrf_token": csrf_token(hr, page), "number": people[0].number, "reason": "Muộn"},
        follow_redirects=True,
    )
    assert "Chỉ nhận đơn phúc khảo trong thời hạn quy định." in late.get_data(as_text=True)
    freeze(date(2026, 12, 22))
    on_time = hr.post(
        post,
        data={"csrf_token": csrf_token(hr, page), "number": people[0].number, "reason": "Xin"},
        follow_redirects=True,
    )
    text = on_time.get_data(as_text=True)
    assert "Đã ghi nhận đơn phúc khảo." in text and "Chờ chấm phúc khảo" in text
    unknown = hr.post(
        post,
        data={"csrf_token": csrf_token(hr, page), "number": "<script>", "reason": ""},
        follow_redirects=True,
    )
    assert "Kỳ tuyển dụng này không có thí sinh mang số báo danh này." in unknown.get_data(
        as_text=True
    )


def test_the_menu_leads_markers_to_their_papers_and_no_one_else(app, scene, login_as):
    marker = _client(app, "gk1").get("/").get_data(as_text=True)
    assert re.search(r'<a href="/marking/"[^>]*>\s*Chấm thi\s*</a>', marker)
    assert 'href="/marking/"' not in login_as("hr").get("/").get_data(as_text=True)
