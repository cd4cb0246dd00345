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


#: Expanded rich text (`expand_db_html` output) as the public site shows it: the editor's tags, with embeds
#: already turned into images and links.
WEB_TAGS = (RICH_TEXT_TAGS - {"embed"}) | {"img"}
WEB_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "class"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}

#: Content of these tags is dropped with the tag (not kept as text) by the outlet profiles.
_DROP_CONTENT_TAGS = {"script", "style", "iframe", "object", "noscript", "template", "textarea", "select"}


def clean_web_html(html: str) -> str:
    """Expanded rich text for the web and for outlets: images and links kept, embeds and scripts dropped."""
    return nh3.clean(
        html or "",
        tags=WEB_TAGS,
        attributes=WEB_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
        clean_content_tags=_DROP_CONTENT_TAGS,
    )


#: The subset of HTML a WeChat official-account article (公众号图文) accepts. WeChat drops external links,
#: so <a> is unwrapped (its text stays); there are no style attributes, classes or event handlers.
WECHAT_TAGS = {
    "p",
    "br",
    "span",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "img",
    "section",
    "hr",
    "sub",
    "sup",
}
WECHAT_ATTRIBUTES = {
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}


def clean_wechat_html(html: str) -> str:
    """HTML in WeChat's article subset: no links (their text kept), scripts, frames, styles or handlers."""
    return nh3.clean(
        html or "",
        tags=WECHAT_TAGS,
        attributes=WECHAT_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel=None,
        clean_content_tags=_DROP_CONTENT_TAGS,
    )


#: Rich text for the mobile client: the web's tags with links and images, without classes.
APP_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}


def clean_app_html(html: str) -> str:
    """Rich text the mobile client renders: paragraphs, headings, lists, tables, links and images."""
    return nh3.clean(
        html or "",
        tags=WEB_TAGS,
        attributes=APP_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
        clean_content_tags=_DROP_CONTENT_TAGS,
    )
