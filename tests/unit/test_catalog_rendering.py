"""Lesson Markdown is rendered safely: hostile HTML is neutralised, only YouTube/Vimeo players
are embedded (built by us), links are safe, and asset references point at the course."""

import re

import pytest

from lms.catalog.rendering import render_markdown, video_embed_url

BASE = "/courses/BB01/assets/"
YOUTUBE = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
VIMEO = "https://player.vimeo.com/video/123456?dnt=1"


def render(text: str) -> str:
    return render_markdown(text, BASE)


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert('xss')</script>",
        "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
        '<img src="x" onerror="alert(1)">',
        '<a href="#" onclick="alert(1)">bấm</a>',
        '<svg onload="alert(1)"><circle r="1"/></svg>',
        '<body onload="alert(1)">',
        '<div style="background:url(javascript:alert(1))">x</div>',
        "<style>body { display:none }</style>",
        '<meta http-equiv="refresh" content="0;url=https://evil.example">',
        '<object data="https://evil.example/x.swf"></object>',
        '<embed src="https://evil.example/x.swf">',
        '<form action="https://evil.example"><input name="password"><button>Gửi</button></form>',
        '<base href="https://evil.example/">',
        '<link rel="stylesheet" href="https://evil.example/x.css">',
    ],
)
def test_hostile_html_is_neutralised(hostile):
    html = render(f"Đoạn văn trước.\n\n{hostile}\n\nĐoạn văn sau.")
    lowered = html.lower()
    for marker in ("<script", "onerror", "onclick", "onload", "<svg", "<style", "<meta", "<object",
                   "<embed", "<form", "<input", "<base", "<link", "javascript:", "evil.example",
                   "display:none"):  # fmt: skip
        assert marker not in lowered, (marker, html)
    assert "Đoạn văn trước." in html and "Đoạn văn sau." in html


@pytest.mark.parametrize(
    "link",
    [
        "[bấm vào đây](javascript:alert(1))",
        "[bấm](JaVaScRiPt:alert(1))",
        "<a href='javascript:alert(1)'>bấm</a>",
        '<a href="&#106;avascript:alert(1)">bấm</a>',
        '<a href="java\tscript:alert(1)">bấm</a>',
        "[bấm](vbscript:msgbox(1))",
        "[bấm](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![ảnh](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    ],
)
def test_dangerous_url_schemes_are_dropped(link):
    html = render(link)
    assert not re.search(r'(href|src)="\s*(java|vb)?\s*script|(href|src)="data:', html, re.I), html


def test_iframes_from_other_hosts_disappear_entirely():
    html = render('<iframe src="https://evil.example/phish"></iframe>\n\nSau khung.')
    assert "<iframe" not in html and "evil.example" not in html
    assert "Sau khung." in html


def test_an_iframe_inside_other_html_is_not_kept_even_for_youtube():
    html = render('<div><iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe></div>')
    assert "<iframe" not in html


def test_links_get_noopener_and_keep_safe_schemes():
    html = render("[Cổng dịch vụ công](https://dichvucong.gov.vn) · [thư](mailto:a@b.vn)")
    assert '<a href="https://dichvucong.gov.vn" rel="noopener noreferrer">' in html
    assert 'href="mailto:a@b.vn"' in html


def test_a_youtube_link_alone_in_a_paragraph_becomes_a_privacy_friendly_player():
    html = render("Xem video:\n\n[Bài giảng về văn hóa công vụ](https://youtu.be/dQw4w9WgXcQ)")
    assert '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert 'title="Bài giảng về văn hóa công vụ"' in html
    assert "sandbox=" in html and 'loading="lazy"' in html
    # the original link stays as a caption, for phones that block embedded players
    assert '<a href="https://youtu.be/dQw4w9WgXcQ" rel="noopener noreferrer">' in html


def test_a_vimeo_autolink_becomes_a_player_and_a_pasted_youtube_embed_code_is_rebuilt():
    html = render(
        "<https://vimeo.com/76979871>\n\n"
        '<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ?si=x" '
        'title="YouTube video player" frameborder="0" allowfullscreen onload="alert(1)"></iframe>'
    )
    assert 'src="https://player.vimeo.com/video/76979871?dnt=1"' in html
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert 'title="YouTube video player"' in html
    assert "onload" not in html and "frameborder" not in html


def test_a_video_link_within_text_or_a_list_stays_a_plain_link():
    html = render(
        "Xem [video](https://youtu.be/dQw4w9WgXcQ) trước buổi học.\n\n"
        "- [video](https://youtu.be/dQw4w9WgXcQ)\n"
    )
    assert "<iframe" not in html
    assert html.count('href="https://youtu.be/dQw4w9WgXcQ"') == 2


def test_a_title_with_quotes_cannot_break_out_of_the_player():
    html = render('[a" onload="alert(1)](https://youtu.be/dQw4w9WgXcQ)')
    assert 'onload="alert' not in html
    assert 'title="a&quot; onload=&quot;alert(1)"' in html


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", YOUTUBE),
        ("https://m.youtube.com/watch?v=dQw4w9WgXcQ&t=30", YOUTUBE),
        ("https://youtu.be/dQw4w9WgXcQ", YOUTUBE),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", YOUTUBE),
        ("http://vimeo.com/123456", VIMEO),
        ("https://player.vimeo.com/video/123456", VIMEO),
        ("https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ", None),
        ("https://evil.example/www.youtube.com/watch?v=dQw4w9WgXcQ", None),
        ("https://www.youtube.com/watch?v=short", None),
        ('https://www.youtube.com/watch?v=dQw4w9WgXc"', None),
        ("javascript://youtube.com/watch?v=dQw4w9WgXcQ", None),
        ("https://vimeo.com/channels/staffpicks", None),
        ("https://vimeo.com/123456/../evil", None),
    ],
)
def test_only_youtube_and_vimeo_addresses_give_a_player(url, expected):
    assert video_embed_url(url) == expected


def test_relative_asset_references_point_at_the_course_asset_route():
    html = render(
        "![Sơ đồ tổ chức](../assets/so-do.png)\n\n[Tải văn bản](assets/tai-lieu/qd.pdf)\n\n"
        "[Trang ngoài](https://example.vn/assets/x.png)"
    )
    assert '<img src="/courses/BB01/assets/so-do.png" alt="Sơ đồ tổ chức">' in html
    assert 'href="/courses/BB01/assets/tai-lieu/qd.pdf"' in html
    assert 'href="https://example.vn/assets/x.png"' in html


def test_tables_lists_and_vietnamese_text_render():
    html = render(
        "## Mục tiêu\n\n- trình bày được **khái niệm**;\n\n| Ngạch | Mã |\n|:--|--:|\n"
        "| Chuyên viên | 01.003 |\n"
    )
    assert "<h2>Mục tiêu</h2>" in html
    assert "<strong>khái niệm</strong>" in html
    assert '<th style="text-align:left">Ngạch</th>' in html
    assert '<td style="text-align:right">01.003</td>' in html
