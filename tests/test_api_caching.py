"""HTTP caching of the public API as clients and CDNs meet it: validators, 304, Cache-Control, the server-side
response cache and its invalidation on publish and unpublish, and the CDN purge of API URLs."""

from __future__ import annotations

import datetime
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

import pytest
from django.utils.http import http_date

from cms.review.gate import chain_bypass
from pages.models import ArticlePage

pytestmark = pytest.mark.django_db

PUBLIC = [
    ("/api/", "public, max-age=300"),
    ("/api/v2/pages/", "public, max-age=60"),
    ("/api/v2/pages/?type=pages.ArticlePage&fields=title,tags", "public, max-age=60"),
    ("/api/v2/images/", "public, max-age=300"),
    ("/api/v2/documents/", "public, max-age=300"),
    ("/api/catalogue/", "public, max-age=300"),
    ("/api/search/?q=户籍", "public, max-age=60"),
    ("/api/search/catalogue/?q=户籍", "public, max-age=60"),
    ("/api/search/suggest/?q=户籍", "public, max-age=60"),
]


def publish(page) -> None:
    """Publish the latest revision, bypassing the review chain (tested elsewhere)."""
    with chain_bypass("测试"):
        page.get_latest_revision().publish()


@pytest.fixture
def new_article(column, django_capture_on_commit_callbacks):
    """Create and publish an article in 警务要闻."""

    def create(title: str) -> ArticlePage:
        page = ArticlePage(title=title, body="<p>正文</p>", live=False)
        column("xxgk/jwyw").add_child(instance=page)
        page.save_revision()
        with django_capture_on_commit_callbacks(execute=True):
            publish(page)
        page.refresh_from_db()
        return page

    return create


@pytest.mark.parametrize(("url", "cache_control"), PUBLIC)
def test_public_reads_carry_validators_and_revalidate_with_304(client, url, cache_control):
    first = client.get(url)
    assert first.status_code == 200
    assert first["Cache-Control"] == cache_control
    assert first["ETag"].startswith('"') and first.has_header("Last-Modified")

    by_etag = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert by_etag["ETag"] == first["ETag"] and by_etag["Cache-Control"] == cache_control

    by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 304
    older = client.get(url, HTTP_IF_MODIFIED_SINCE=http_date(0))
    assert older.status_code == 200
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_listing_is_served_from_the_cache_until_a_publish_changes_it(client, new_article):
    url = "/api/v2/pages/?type=pages.ArticlePage&order=-id&fields=title"
    first = client.get(url)
    assert first["X-Cache"] == "miss"
    again = client.get(url)
    assert again["X-Cache"] == "hit"
    assert again.json() == first.json() and again["ETag"] == first["ETag"]

    page = new_article("缓存失效测试：新发布的稿件")
    fresh = client.get(url)
    assert fresh["X-Cache"] == "miss"
    assert fresh.json()["meta"]["total_count"] == first.json()["meta"]["total_count"] + 1
    assert fresh.json()["items"][0]["title"] == page.title
    assert fresh["ETag"] != first["ETag"]
    # A client revalidating with the old ETag gets the new listing, not a 304.
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_unpublish_invalidates_a_cached_detail(client, new_article, django_capture_on_commit_callbacks):
    page = new_article("缓存失效测试：将要撤下的稿件")
    url = f"/api/v2/pages/{page.pk}/"
    assert client.get(url).status_code == 200
    assert client.get(url)["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert client.get(url).status_code == 404


def test_search_revalidates_after_running_so_its_rate_limit_holds(client):
    first = client.get("/api/search/", {"q": "户籍"})
    assert not first.has_header("X-Cache") or first["X-Cache"] == "miss"
    second = client.get("/api/search/", {"q": "户籍"})
    assert second["X-Cache"] == "miss"  # never served from the server cache: the throttle sees every request
    assert client.get("/api/search/", {"q": "户籍"}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_validity_is_judged_by_the_day_so_the_etag_changes_at_midnight(client, monkeypatch):
    today = client.get("/api/catalogue/")["ETag"]
    from api import caching

    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    monkeypatch.setattr(caching.timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert client.get("/api/catalogue/")["ETag"] != today


def test_errors_and_token_requests_are_not_cached(client):
    bad = client.get("/api/v2/pages/?type=pages.NoSuchPage")
    assert bad.status_code == 400
    assert not bad.has_header("ETag") and not bad.has_header("X-Cache")
    with_token = client.get("/api/v2/pages/", HTTP_AUTHORIZATION="Bearer slt_unknown_token")
    assert not with_token.has_header("X-Cache")
    assert "public" not in with_token.get("Cache-Control", "")


def test_endpoints_without_a_policy_are_private_with_a_body_etag(client):
    """A plugin endpoint that did not declare a policy is never shared by caches, yet revalidates."""
    first = client.get("/api/sample/records/")
    assert first.status_code == 200
    assert first["Cache-Control"] == "private, no-cache"
    assert client.get("/api/sample/records/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_server_cache_can_be_switched_off(client, settings):
    settings.SUNLIGHT_API_CACHE = False
    client.get("/api/v2/pages/")
    response = client.get("/api/v2/pages/")
    assert response["X-Cache"] == "miss" and response.has_header("ETag")


class _PurgeReceiver(BaseHTTPRequestHandler):
    seen: list[tuple[str, str, str]] = []

    def do_PURGE(self):
        self.seen.append((self.command, self.headers.get("Host", ""), self.path))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_publish_purges_page_and_api_urls_from_a_cdn(settings, new_article, ankang):
    """With a frontend cache configured, publishing sends HTTP PURGE for the page and its API URLs."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PurgeReceiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _PurgeReceiver.seen = []
    try:
        settings.WAGTAILFRONTENDCACHE = {
            "default": {
                "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                "LOCATION": f"http://127.0.0.1:{server.server_port}",
            }
        }
        page = new_article("内容分发网络清除测试")
    finally:
        server.shutdown()
        server.server_close()
    paths = {path for method, _host, path in _PurgeReceiver.seen if method == "PURGE"}
    assert f"/api/v2/pages/{page.pk}/" in paths
    assert "/api/v2/pages/" in paths
    assert any(unquote(path).rstrip("/").endswith(page.slug) for path in paths), paths  # Wagtail's own purge
