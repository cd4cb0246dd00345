"""Every public listing of the API reads a constant number of SQL queries, however many items it shows.

Each listing is fetched with 2 and with 6 items (all fields where it has a `fields` parameter); the query
counts must be equal. A listing route added later without a case here fails `test_every_listing_is_covered`.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from cms.review.gate import chain_bypass
from pages.models import ArticlePage, GovernmentDocumentPage, VideoPage
from plugins.wanted.models import NoticeBulletin, NoticePhoto, WantedNotice
from tests.sample_plugin.models import SampleRecord

pytestmark = pytest.mark.django_db

FEW, MANY = 2, 6


def _publish(page):
    page.save_revision()
    with chain_bypass("测试"):
        page.get_latest_revision().publish()


@pytest.fixture
def items(column, department, settings, django_capture_on_commit_callbacks):
    """At least MANY items of every listed kind, each with its own tags, department, image and attachment."""
    settings.SUNLIGHT_API_CACHE = False
    from django.core.files.base import ContentFile

    Image, Document = get_image_model(), get_document_model()
    images = [Image.objects.create(title=f"图{i}", file=get_test_image_file(f"q{i}.png")) for i in range(MANY)]
    for i in range(MANY):
        Document.objects.create(title=f"附件{i}", file=ContentFile(b"%PDF-1.4 test", name=f"q{i}.pdf"))
    departments = ["mishu", "xuanchuan", "fazhi", "huzheng", "jiaojing", "xingjing"]
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(MANY):
            dept = department(departments[i % len(departments)]) if i < 3 else department("mishu")
            article = ArticlePage(
                title=f"查询计数测试稿件{i}",
                summary="摘要",
                body="<p>正文</p>",
                author_department=dept,
                cover_image=images[i],
                live=False,
            )
            column("xxgk/jwyw").add_child(instance=article)
            article.tags.add(f"标签{i}", f"共用{i % 2}")
            _publish(article)
            video = VideoPage(
                title=f"查询计数视频{i}",
                video_url="https://video.example.cn/v.mp4",
                cover_image=images[i],
                author_department=dept,
                live=False,
            )
            column("xxgk/jwyw").add_child(instance=video)
            video.tags.add(f"视频标签{i}")
            _publish(video)
        first = GovernmentDocumentPage.objects.live().first()
        for i in range(MANY):
            document = GovernmentDocumentPage(
                title=f"查询计数测试文件{i}",
                summary="摘要",
                body="<p>正文</p>",
                topic=first.topic,
                genre=first.genre,
                author_department=department(departments[i]),
                live=False,
            )
            first.get_parent().add_child(instance=document)
            _publish(document)
        for i in range(MANY):
            SampleRecord.objects.create(title=f"样例记录{i}")
        for i in range(MANY):  # wanted notices (plugin `wanted`), each with a photo and a bulletin
            notice = WantedNotice(
                number=f"查询计数缉字〔2026〕{i}号", subject_name=f"查询计数人{i}", charge="盗窃罪", live=False
            )
            notice.photos = [NoticePhoto(image=images[i])]
            notice.bulletins = [NoticeBulletin(number=f"补{i}", text="补发通报")]
            column("xxgk/wstj").add_child(instance=notice)
            _publish(notice)
        _published_letters(department)
        _online_services(column, department)
    assert GovernmentDocumentPage.objects.live().count() >= MANY
    assert ArticlePage.objects.live().count() >= MANY


def _published_letters(department) -> None:
    """MANY published letters of the mailbox (their masked snapshot set directly: the flow has its own tests)."""
    from django.utils import timezone

    from plugins.mailbox import transitions as mailbox
    from plugins.mailbox.models import Box, Letter, LetterKind

    box = Box.objects.get(key="juzhang", portal__profile="ankang")
    kind = LetterKind.objects.get(key="consultation", portal=box.portal)
    for i in range(MANY):
        writer = {"name": "测试", "phone": "13900000000", "subject": f"咨询{i}", "content": "内容"}
        letter, _code, _ = mailbox.submit(box.portal, box, kind, writer)
        Letter.objects.filter(pk=letter.pk).update(
            state="replied",
            replied_on=letter.received_on,
            department=department(["huzheng", "jiaojing", "xinfang"][i % 3]),
            published_at=timezone.now(),
            public_subject=f"咨询{i}",
            public_content="内容",
            public_reply="答复",
        )


def _online_services(column, department) -> None:
    """MANY live service guides (each with its own places, phones, flow chart and form) and the 180 demo hotlines
    of 网上办事 (plugin `online_services`)."""
    from plugins.online_services.tests import factories as online_services

    ankang = department("huzheng").portal
    online_services.query_count_items(column, department, ankang, MANY)
    online_services.demo_hotlines(ankang)


def count_queries(client, url: str) -> tuple[int, dict]:
    """Queries of one GET (status 200 asserted) and its JSON."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:500])
    return len(ctx.captured_queries), response.json()


def shown(data) -> int:
    """How many items a listing response shows."""
    for key in ("items", "results"):
        if key in data:
            return len(data[key])
    raise AssertionError(f"not a listing: {list(data)}")


#: (route name, URL with {n} for the number of items)
LISTINGS = [
    ("wagtailapi:pages:listing", "/api/v2/pages/?limit={n}"),
    ("wagtailapi:pages:listing", "/api/v2/pages/?type=pages.ArticlePage&fields=*&order=-id&limit={n}"),
    ("wagtailapi:pages:listing", "/api/v2/pages/?type=pages.VideoPage&fields=*&order=-id&limit={n}"),
    ("wagtailapi:pages:listing", "/api/v2/pages/?type=pages.GovernmentDocumentPage&fields=*&order=-id&limit={n}"),
    ("wagtailapi:pages:listing", "/api/v2/pages/?type=pages.ColumnPage&fields=*&order=-id&limit={n}"),
    ("wagtailapi:pages:listing", "/api/v2/pages/?type=pages.ArticlePage,pages.VideoPage&limit={n}"),
    ("wagtailapi:pages:listing", "/api/v2/pages/?type=online_services.ServiceGuidePage&fields=*&order=-id&limit={n}"),
    ("wagtailapi:images:listing", "/api/v2/images/?fields=*&order=-id&limit={n}"),
    ("wagtailapi:documents:listing", "/api/v2/documents/?fields=*&order=-id&limit={n}"),
    ("catalogue-list", "/api/catalogue/?limit={n}"),
    ("search-site", "/api/search/?q=查询计数&page_size={n}"),
    ("search-site", "/api/search/?page_size={n}"),
    ("search-catalogue", "/api/search/catalogue/?page_size={n}"),
    ("sample_plugin:record-list", "/api/sample/records/?limit={n}"),
    ("online_services:hotline-list", "/api/online_services/hotlines/?limit={n}"),
    ("online_services:form-list", "/api/online_services/forms/?limit={n}"),
    ("online_services:police-type-list", "/api/online_services/police-types/?limit={n}"),
    ("wanted:notice-list", "/api/wanted/?page_size={n}"),
    ("wagtailapi:pages:listing", "/api/v2/pages/?type=wanted.WantedNotice&fields=*&order=-id&limit={n}"),
    ("mailbox:published-list", "/api/mailbox/published/?limit={n}"),
]

#: Listings that are not public (staff or token only): their own tests assert their query counts.
NOT_PUBLIC = {
    "clocks-list",
    "outlet-deliveries-list",
    # Disclosure requests: a submission and a lookup by number and query code, no listing (tests in the plugin).
    "disclosure_requests:public-submit",
    "disclosure_requests:public-status",
    # Staff list of requests (session or personal token): query counts in test_staff_api.py.
    "disclosure_requests:staff-list",
    # Letters: a submission and a lookup by number and query code (tests in the plugin).
    "mailbox:public-submit",
    "mailbox:public-status",
}


def test_listing_queries_do_not_grow_with_items(client, items):
    """One test for all listings (the fixture is costly); every mismatch is reported."""
    problems = []
    for _name, url in LISTINGS:
        client.get(url.format(n=MANY))  # first reads create image renditions once; measure the steady state
        few, few_data = count_queries(client, url.format(n=FEW))
        many, many_data = count_queries(client, url.format(n=MANY))
        assert (shown(few_data), shown(many_data)) == (FEW, MANY), url
        if many != few:
            problems.append(f"{url}: {few} queries for {FEW} items, {many} for {MANY}")
    assert problems == []


def _route_names(resolver, prefix: str = "", namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = (
                f"{namespace}:{pattern.namespace}"
                if namespace and pattern.namespace
                else pattern.namespace or namespace
            )
            names |= _route_names(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add((f"{namespace}:{pattern.name}" if namespace else pattern.name, prefix + str(pattern.pattern)))
    return names


def test_every_listing_is_covered():
    """Each listing route under /api/ has a case above (or is declared not public)."""
    routes = _route_names(get_resolver())
    listings = {
        name
        for name, route in routes
        if route.startswith("api/")
        and (name.endswith(("-list", ":listing")) or name in {"search-site", "search-catalogue"})
    }
    covered = {name for name, _ in LISTINGS} | NOT_PUBLIC
    assert listings - covered == set(), "listings without a query-count case"
