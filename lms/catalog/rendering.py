"""Lesson Markdown → safe HTML: CommonMark (with tables) rendered by markdown-it-py, then
sanitised by nh3 (Ammonia) with an allow-list. Pure: no Flask, no database.

Authors may write raw HTML; whatever it is, only the allowed tags and attributes survive, links
get rel="noopener noreferrer" and only http(s)/mailto/tel schemes. No <iframe> written by an
author survives: a top-level paragraph holding nothing but a link to a YouTube or Vimeo video (or
a pasted YouTube/Vimeo embed code) becomes a player that this module builds itself from the
video's id, inserted after sanitising. Relative links to `assets/…` (or `../assets/…`, which also
previews right in a Git web view) point at the course's asset route.
"""

import re
from urllib.parse import parse_qs, urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "kbd", "li", "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "style", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com",
                  "www.youtube-nocookie.com"}  # fmt: skip
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
_PASTED_IFRAME = re.compile(r"\s*<iframe\b([^>]*)>\s*</iframe>\s*", re.I)
_PASTED_ATTRIBUTE = re.compile(r'\s(src|title)="([^"<>]*)"', re.I)
_ASSET_PREFIX = re.compile(r"^(?:\.\./|\./)?assets/")
# The player: no access to this site's origin beyond what a video player needs.
_PLAYER = (
    '<figure class="video"><iframe src="{src}" title="{title}" loading="lazy" '
    'sandbox="allow-scripts allow-same-origin allow-presentation allow-popups" '
    'allow="encrypted-media; picture-in-picture; fullscreen" allowfullscreen '
    'referrerpolicy="strict-origin-when-cross-origin"></iframe>'
    '<figcaption><a href="{href}" rel="noopener noreferrer">{title}</a></figcaption></figure>\n'
)


def video_embed_url(url: str) -> str | None:
    """The player address for a YouTube or Vimeo video link, else None.

    Accepts http(s) youtube.com/watch?v=ID, youtu.be/ID, youtube.com/embed|shorts|live/ID,
    vimeo.com/DIGITS and player.vimeo.com/video/DIGITS; the answer is built from the id alone
    (youtube-nocookie.com/embed/ID or player.vimeo.com/video/DIGITS?dnt=1).
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http"):
        return None
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    video_id = None
    if host == "youtu.be" and len(segments) == 1:
        video_id = segments[0]
    elif host in _YOUTUBE_HOSTS:
        if segments == ["watch"]:
            video_id = (parse_qs(parts.query).get("v") or [""])[0]
        elif len(segments) == 2 and segments[0] in ("embed", "shorts", "live"):
            video_id = segments[1]
    elif host in _VIMEO_HOSTS:
        number = segments[-1] if segments else ""
        if number.isdigit() and len(number) <= 12 and segments in ([number], ["video", number]):
            return f"https://player.vimeo.com/video/{number}?dnt=1"
        return None
    if video_id and _YOUTUBE_ID.fullmatch(video_id):
        return f"https://www.youtube-nocookie.com/embed/{video_id}"
    return None


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _player(href: str, title: str) -> str | None:
    src = video_embed_url(href)
    if src is None:
        return None
    return _PLAYER.format(src=_escape(src), href=_escape(href), title=_escape(title or href))


def _video_paragraph(inline: Token) -> str | None:
    """A player when an inline token is one link (and nothing else) to a known video."""
    children = inline.children or []
    if len(children) < 2 or children[0].type != "link_open" or children[-1].type != "link_close":
        return None
    if any(child.type in ("link_open", "link_close") for child in children[1:-1]):
        return None
    title = "".join(child.content for child in children[1:-1]).strip()
    return _player(str(children[0].attrGet("href") or ""), title)


def _players(tokens: list[Token]) -> dict[int, tuple[int, str]]:
    """{first token index: (token count, player HTML)} for top-level video blocks."""
    found = {}
    for i, token in enumerate(tokens):
        if token.level != 0:
            continue
        if token.type == "html_block":
            pasted = _PASTED_IFRAME.fullmatch(token.content)
            if pasted:
                attrs = {k.lower(): v for k, v in _PASTED_ATTRIBUTE.findall(pasted.group(1))}
                html = _player(attrs.get("src", ""), attrs.get("title", ""))
                if html:
                    found[i] = (1, html)
        elif (
            token.type == "paragraph_open"
            and i + 2 < len(tokens)
            and tokens[i + 1].type == "inline"
            and tokens[i + 2].type == "paragraph_close"
        ):
            html = _video_paragraph(tokens[i + 1])
            if html:
                found[i] = (3, html)
    return found


def _rewrite_asset_urls(tokens: list[Token], asset_base: str) -> None:
    """Point relative `assets/…` links and images at `asset_base` (which ends with "/")."""
    for token in tokens:
        for child in [token, *(token.children or [])]:
            for attr in ("href", "src"):
                value = child.attrGet(attr)
                if isinstance(value, str) and _ASSET_PREFIX.match(value):
                    child.attrSet(attr, asset_base + _ASSET_PREFIX.sub("", value, count=1))


def sanitise(html: str) -> str:
    """Clean an HTML fragment with the lesson allow-list: no script, style, iframe, form or
    event attribute; links only http(s)/mailto/tel, with rel="noopener noreferrer"."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        filter_style_properties={"text-align"},
    )


def render_markdown(text: str, asset_base: str = "assets/") -> str:
    """Lesson Markdown as sanitised HTML.

    Args:
        text: The lesson body (CommonMark with tables and ~~strikethrough~~; raw HTML allowed
            but sanitised).
        asset_base: URL prefix, ending in "/", for relative `assets/…` references.

    Returns:
        HTML safe to insert into a page.
    """
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    env: dict = {}
    tokens = md.parse(text or "", env)
    _rewrite_asset_urls(tokens, asset_base)
    players = _players(tokens)
    parts, start, i = [], 0, 0
    while i < len(tokens):
        if i in players:
            count, html = players[i]
            parts.append(sanitise(md.renderer.render(tokens[start:i], md.options, env)))
            parts.append(html)
            i = start = i + count
        else:
            i += 1
    parts.append(sanitise(md.renderer.render(tokens[start:], md.options, env)))
    return "".join(parts)
