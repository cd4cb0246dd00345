"""The core's four outlet kinds (两微一端 and the web): how each renders an item for its platform."""

from __future__ import annotations

import math
import re
import unicodedata
from html.parser import HTMLParser
from typing import Any, ClassVar

from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cms.sanitize import clean_app_html, clean_plain, clean_wechat_html

from .registry import OutletItem, OutletKind

ELLIPSIS = "…"
_URL_RE = re.compile(r"https?://[^\s\u3000-\u303f\uff00-\uffef]+")


def _portal_language() -> translation.override:
    """Render outlet text in the site's language, whatever the current request's language is."""
    return translation.override(settings.LANGUAGE_CODE)


def _iso(item: OutletItem) -> str | None:
    return item.published_at.isoformat() if item.published_at else None


def _image_urls(item: OutletItem, limit: int | None = None) -> list[str]:
    urls = [image["url"] for image in item.images if image.get("url")]
    return urls[:limit] if limit is not None else urls


def _is_regional(char: str) -> bool:
    return "\U0001f1e6" <= char <= "\U0001f1ff"


def _safe_cut(text: str, end: int) -> str:
    """`text[:end]` without splitting a surrogate pair, a ZWJ emoji sequence or a combining mark."""
    end = max(0, min(end, len(text)))
    # Move the cut left while it would separate a character from what modifies or joins it.
    while 0 < end < len(text):
        following, preceding = text[end], text[end - 1]
        if (
            "\udc00" <= following <= "\udfff"  # low surrogate: its high half is before the cut
            or preceding == "\u200d"  # zero-width joiner: the joined emoji follows
            or following == "\u200d"
            or unicodedata.category(following) in {"Mn", "Me"}  # combining marks, incl. keycap
            or "\ufe00" <= following <= "\ufe0f"  # variation selectors
            or "\U0001f3fb" <= following <= "\U0001f3ff"  # skin-tone modifiers
            or "\U000e0020" <= following <= "\U000e007f"  # tag characters of flag sequences
        ):
            end -= 1
            continue
        break
    # Regional indicators pair into flags: never keep an odd one that belongs with the next.
    if 0 < end < len(text) and _is_regional(text[end]):
        run = 0
        while run < end and _is_regional(text[end - 1 - run]):
            run += 1
        end -= run % 2
    cut = text[:end]
    if cut and "\ud800" <= cut[-1] <= "\udbff":
        cut = cut[:-1]
    return cut


def shorten(text: str, max_chars: int) -> str:
    """`text` in at most `max_chars` characters, ending in "…" when it was cut."""
    text = (text or "").strip()
    if len(text) <= max_chars:
        return text
    return _safe_cut(text, max_chars - 1).rstrip() + ELLIPSIS


def weibo_length(text: str) -> int:
    """The length of `text` as Weibo counts it: CJK, full-width and other non-ASCII characters 1, ASCII
    characters ½ each (the total rounded up), and every URL 12 (it becomes a short link)."""
    halves = 0
    position = 0
    for match in _URL_RE.finditer(text):
        halves += _halves(text[position : match.start()]) + 24
        position = match.end()
    halves += _halves(text[position:])
    return math.ceil(halves / 2)


def _halves(text: str) -> int:
    return sum(1 if ord(char) < 128 else 2 for char in text)


# --- web -------------------------------------------------------------------------------------------------


class WebKind(OutletKind):
    """A web mirror or CDN: told which URL to (re)fetch and what it is."""

    code = "web"
    label = _("Web site / mirror")
    withdrawal_action = "purge"

    def render(self, item: OutletItem) -> dict[str, Any]:
        """A warm-up hint: the page URL, its title, date and summary."""
        return {"url": item.url, "title": item.title, "published_at": _iso(item), "summary": item.summary}


# --- Weibo -----------------------------------------------------------------------------------------------


class WeiboKind(OutletKind):
    """A Weibo (微博) account: a post of 【title】summary and the link, within Weibo's length limit."""

    code = "weibo"
    label = _("Weibo")
    #: A real Weibo client would delete the original post; keeping its id is out of scope, so a notice is posted.
    withdrawal_action = "post"
    #: Weibo's limit for a post, in Weibo characters (see `weibo_length`).
    limit: ClassVar[int] = 140
    #: A post carries at most this many pictures.
    max_images: ClassVar[int] = 9

    def compose(self, title: str, summary: str, url: str) -> str:
        """【title】summary and the link within `limit`: the summary is cut first, then the title; the link
        always stays whole."""
        title, summary = " ".join(title.split()), " ".join(summary.split())

        def text(t: str, s: str) -> str:
            return f"【{t}】{s} {url}" if url else f"【{t}】{s}"

        if weibo_length(text(title, summary)) <= self.limit:
            return text(title, summary)
        if weibo_length(text(title, ELLIPSIS)) <= self.limit:
            keep = self._longest(lambda n: text(title, _safe_cut(summary, n).rstrip() + ELLIPSIS), len(summary))
            return text(title, _safe_cut(summary, keep).rstrip() + ELLIPSIS)
        keep = self._longest(lambda n: text(_safe_cut(title, n).rstrip() + ELLIPSIS, ""), len(title))
        return text(_safe_cut(title, keep).rstrip() + ELLIPSIS, "")

    def _longest(self, build, upper: int) -> int:
        """The largest n in [0, upper] whose `build(n)` fits the limit (lengths grow with n)."""
        low, high = 0, upper
        while low < high:
            middle = (low + high + 1) // 2
            if weibo_length(build(middle)) <= self.limit:
                low = middle
            else:
                high = middle - 1
        return low

    def render(self, item: OutletItem) -> dict[str, Any]:
        """{text, url, images}: the post, the link and the first pictures."""
        return {
            "text": self.compose(item.title, item.summary, item.url),
            "url": item.url,
            "images": _image_urls(item, self.max_images),
        }

    def render_withdrawal(self, item: OutletItem, reason: str = "") -> dict[str, Any]:
        """A 【撤回】 post naming the withdrawn item, besides the common withdrawal fields."""
        payload = super().render_withdrawal(item, reason)
        with _portal_language():
            prefix = gettext("Withdrawn")
        payload["text"] = self.compose(prefix, item.title, item.url)
        return payload


# --- WeChat ----------------------------------------------------------------------------------------------


class _Blocks(HTMLParser):
    """Offsets in an HTML fragment where a top-level element ends (safe places to cut)."""

    VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "col", "area", "source"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.ends: list[int] = []
        self._line_starts: list[int] = []

    def feed_text(self, text: str) -> list[int]:
        """Parse `text` and return the end offsets of its top-level elements."""
        self._line_starts = [0]
        for line in text.splitlines(keepends=True):
            self._line_starts.append(self._line_starts[-1] + len(line))
        self.feed(text)
        self.close()
        return self.ends

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.VOID:
            if self.depth == 0:
                self.ends.append(self._offset() + len(self.get_starttag_text() or ""))
            return
        self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        self.depth = max(0, self.depth - 1)
        if self.depth == 0:
            start = self._offset()
            self.ends.append(self.rawdata.index(">", start) + 1)


class WechatKind(OutletKind):
    """A WeChat official account (公众号): an article (图文) in WeChat's HTML subset and field limits."""

    code = "wechat"
    label = _("WeChat official account")
    max_title: ClassVar[int] = 64
    max_author: ClassVar[int] = 8
    max_digest: ClassVar[int] = 120
    #: WeChat refuses article content of 20,000 characters or more.
    max_content: ClassVar[int] = 20_000

    def author(self, item: OutletItem) -> str:
        """The department's name or short name, whichever fits WeChat's 8 characters; else empty."""
        for name in (item.department, item.extra.get("department_short", "")):
            if name and len(name) <= self.max_author:
                return name
        return ""

    def content(self, item: OutletItem) -> str:
        """The body in WeChat's subset, cut at a block boundary with a note pointing to the original."""
        html = clean_wechat_html(item.body_html)
        if len(html) < self.max_content:
            return html
        with _portal_language():
            note = "<p>" + escape(gettext("Read the full text at: %(url)s") % {"url": item.url}) + "</p>"
        room = self.max_content - 1 - len(note)
        ends = [end for end in _Blocks().feed_text(html) if end <= room]
        if ends:
            return html[: ends[-1]] + note
        # One giant block: fall back to its plain text.
        text = _safe_cut(clean_plain(html), room - len("<p></p>") - len(ELLIPSIS))
        while len(escape(text)) > room - len("<p></p>") - len(ELLIPSIS):
            text = _safe_cut(text, len(text) - 50)
        return f"<p>{escape(text)}{ELLIPSIS}</p>{note}"

    def render(self, item: OutletItem) -> dict[str, Any]:
        """{title, author, digest, content, content_source_url, thumb_url}."""
        digest_source = item.summary or clean_plain(item.body_html)
        images = _image_urls(item, 1)
        return {
            "title": shorten(item.title, self.max_title),
            "author": self.author(item),
            "digest": shorten(" ".join(digest_source.split()), self.max_digest),
            "content": self.content(item),
            "content_source_url": item.url,
            "thumb_url": images[0] if images else None,
        }


# --- app -------------------------------------------------------------------------------------------------


class AppKind(OutletKind):
    """The mobile client (客户端): the whole item as JSON with its rich text."""

    code = "app"
    label = _("Mobile app")

    def render(self, item: OutletItem) -> dict[str, Any]:
        """{id, type, title, summary, body_html, images, url, column, department, published_at, tags}."""
        return {
            "id": item.item_id,
            "type": item.item_type,
            "title": item.title,
            "summary": item.summary,
            "body_html": clean_app_html(item.body_html),
            "images": item.images,
            "url": item.url,
            "column": item.column,
            "department": item.department,
            "published_at": _iso(item),
            "tags": list(item.extra.get("tags", [])),
        }


CORE_KINDS: tuple[type[OutletKind], ...] = (WebKind, WeiboKind, WechatKind, AppKind)
