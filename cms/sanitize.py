"""The one place where HTML is sanitised (nh3/Ammonia). Every profile of allowed markup lives here."""

from __future__ import annotations

import html

import nh3

_URL_SCHEMES = {"http", "https", "mailto", "tel"}

#: Rich text as Wagtail's editor produces it.
RICH_TEXT_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "h5",
    "ul",
    "ol",
    "li",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "a",
    "blockquote",
    "hr",
    "sub",
    "sup",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "embed",
}
RICH_TEXT_ATTRIBUTES = {
    "a": {"href", "title", "linktype", "id"},
    "embed": {"embedtype", "id", "format", "alt", "url"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}


def clean_rich_text(html: str) -> str:
    """Keep the markup Wagtail's rich text supports; drop scripts, styles, event handlers and bad URLs."""
    return nh3.clean(
        html or "",
        tags=RICH_TEXT_TAGS,
        attributes=RICH_TEXT_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def clean_plain(text: str) -> str:
    """Strip every tag (and the content of script/style), keeping the text; the result is plain text
    that templates escape on output."""
    return html.unescape(nh3.clean(text or "", tags=set()))
