"""The bare Django template view of the site benchmark: the ceiling the home page is compared with.

One query over `.values()` of the latest live items and one small template (`bench/templates/bench/bare_home.html`)
listing them under the section titles; no layout, no panels, no caching, no QR codes or breadcrumbs. A lower
bound of the work, not a competitor in features.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import engines
from wagtail.models import Page

TEMPLATE = engines["django"].from_string(
    """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ site }}</title></head><body>
<h1>{{ site }}</h1>{% for section in sections %}<h2>{{ section.title }}</h2>{% endfor %}
<ul>{% for item in items %}<li><a href="/{{ item.url_path }}">{{ item.title }}</a>
{{ item.first_published_at|date:"Y-m-d" }}</li>{% endfor %}</ul>
</body></html>"""
)


def ping(request: HttpRequest) -> HttpResponse:
    """The readiness probe of the benchmark's servers."""
    return HttpResponse("ok")


def home(request: HttpRequest) -> HttpResponse:
    """The latest 60 live items and the sections, in a bare template."""
    sections = list(Page.objects.filter(depth=3).live().values("title"))
    items = list(
        Page.objects.filter(depth__gte=4)
        .live()
        .order_by("-first_published_at")
        .values("title", "url_path", "first_published_at")[:60]
    )
    return HttpResponse(TEMPLATE.render({"site": "安康市公安局门户网站", "sections": sections, "items": items}))
