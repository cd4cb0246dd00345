"""Outlet API tokens and the outlet feed: keys shown once and kept only as hashes, Bearer access to one
outlet's feed, revocation and expiry, read-only tokens without staff rights, payloads rendered per outlet
kind, a constant number of queries per feed page, `manage.py api_token` and the admin views."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.auth import INVALID_MESSAGE
from api.models import ApiToken
from cms.review.gate import chain_bypass
from pages.models import ArticlePage

pytestmark = pytest.mark.django_db

FEED = "/api/outlets/feed/"


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def publish_article(parent, title: str, summary: str = "摘要", body: str = "<p>正文</p>") -> ArticlePage:
    """Create and publish an article below `parent` (the review chain is tested elsewhere)."""
    article = ArticlePage(title=title, summary=summary, body=body, live=False)
    parent.add_child(instance=article)
    article.save_revision()
    with chain_bypass("测试"):
        article.get_latest_revision().publish()
    article.refresh_from_db()
    return article


@pytest.fixture
def weibo_key(outlet):
    """The plain key of a fresh token of the Weibo outlet."""
    return ApiToken.issue(outlet("weibo"), "微博桥接")[1]


@pytest.fixture
def app_key(outlet):
    """The plain key of a fresh token of the app outlet."""
    return ApiToken.issue(outlet("app"), "客户端服务器")[1]


def test_key_is_returned_once_and_only_its_hash_is_stored(outlet):
    token, key = ApiToken.issue(outlet("app"), "客户端")
    assert key.startswith(f"slt_{token.prefix}_") and len(token.prefix) == 8
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert row["key_hash"] == hashlib.sha256(key.encode()).hexdigest()
    assert not any(key in str(value) or key.split("_", 2)[2] in str(value) for value in row.values())
    # Nothing gives the key back later.
    assert key not in str(ApiToken.objects.get(pk=token.pk).__dict__)


def test_bearer_token_reads_its_outlets_feed_privately(client, column, weibo_key):
    article = publish_article(column("xxgk/jwyw"), "令牌测试警务要闻")
    response = client.get(FEED, **bearer(weibo_key))
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "private, no-store"
    assert "Authorization" in response["Vary"]
    data = response.json()
    first = data["results"][0]
    assert first["id"] == article.pk
    assert first["revision_id"] == article.live_revision_id
    assert first["type"] == "pages.articlepage"
    assert first["url"] == article.get_full_url()
    assert "令牌测试警务要闻" in first["payload"]["text"]
    # "Token <key>" works as well, and so does one item.
    response = client.get(f"{FEED}{article.pk}/", HTTP_AUTHORIZATION=f"Token {weibo_key}")
    assert response.status_code == 200
    assert response.json()["payload"]["text"].startswith("【令牌测试警务要闻】")


def test_token_does_not_open_another_outlets_item(client, column, weibo_key, app_key):
    # 网上办事 (wsbs) goes to the app but not to Weibo.
    guide_column = column("wsbs/huzheng/bszn")
    article = publish_article(guide_column, "户政办事指南测试")
    assert client.get(f"{FEED}{article.pk}/", **bearer(app_key)).status_code == 200
    response = client.get(f"{FEED}{article.pk}/", **bearer(weibo_key))
    assert response.status_code == 404
    assert response["Cache-Control"] == "private, no-store"
    ids = {item["id"] for item in client.get(FEED + "?limit=50", **bearer(weibo_key)).json()["results"]}
    assert article.pk not in ids


def test_unpublished_and_container_pages_are_not_items(client, column, app_key):
    article = publish_article(column("xxgk/jwyw"), "将撤下的稿件")
    article.unpublish()
    assert client.get(f"{FEED}{article.pk}/", **bearer(app_key)).status_code == 404
    assert client.get(f"{FEED}{column('xxgk/jwyw').pk}/", **bearer(app_key)).status_code == 404


@pytest.mark.parametrize("state", ["revoked", "expired", "unknown", "missing", "malformed"])
def test_invalid_tokens_are_refused_with_401(client, outlet, state):
    token, key = ApiToken.issue(outlet("weibo"), "测试")
    if state == "revoked":
        token.revoke()
    elif state == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif state == "unknown":
        key = key[:-4] + ("aaaa" if not key.endswith("aaaa") else "bbbb")
    headers = {
        "missing": {},
        "malformed": {"HTTP_AUTHORIZATION": f"Bearer {key} extra"},
    }.get(state, bearer(key))
    response = client.get(FEED, **headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response["Cache-Control"] == "private, no-store"
    if state in {"revoked", "expired", "unknown"}:
        assert response.json()["detail"] == str(INVALID_MESSAGE)  # "The API token is invalid, revoked or expired."


def test_tokens_are_read_only(client, weibo_key):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(FEED, data={}, content_type="application/json", **bearer(weibo_key))
        assert response.status_code == 403, method
    assert client.options(FEED, **bearer(weibo_key)).status_code == 200
    assert client.head(FEED, **bearer(weibo_key)).status_code == 200


def test_token_holder_has_no_staff_rights(client, column, weibo_key):
    assert client.get("/api/outlets/deliveries/", **bearer(weibo_key)).status_code in (401, 403)
    assert client.get("/api/clocks/", **bearer(weibo_key)).status_code in (401, 403)
    page = column("xxgk/jwyw")
    response = client.post("/api/preview/", {"page": page.pk}, content_type="application/json", **bearer(weibo_key))
    assert response.status_code in (401, 403)
    admin = client.get("/admin/", **bearer(weibo_key))
    assert admin.status_code == 302 and "/login/" in admin["Location"]


def test_payload_is_rendered_by_the_outlets_kind(client, column, weibo_key, app_key):
    article = publish_article(
        column("xxgk/jwyw"), "渲染测试标题", summary="一段摘要。" * 60, body="<p>正文<b>加粗</b></p>"
    )
    weibo = client.get(f"{FEED}{article.pk}/", **bearer(weibo_key)).json()["payload"]
    app = client.get(f"{FEED}{article.pk}/", **bearer(app_key)).json()["payload"]
    # Weibo: one post text within the platform's limit, with the link; no HTML.
    assert set(weibo) >= {"text", "url"}
    assert weibo["text"].startswith("【渲染测试标题】") and weibo["text"].endswith(weibo["url"])
    assert len(weibo["text"]) < len("一段摘要。" * 60) and "<" not in weibo["text"]
    # App: the whole item as JSON with its rich text.
    assert app["title"] == "渲染测试标题"
    assert "<b>加粗</b>" in app["body_html"] or "<strong>加粗</strong>" in app["body_html"]
    assert app["column"] == column("xxgk/jwyw").title


def test_feed_is_newest_first_paginated_and_incremental(client, column, app_key):
    older = publish_article(column("xxgk/jwyw"), "较早的稿件")
    ArticlePage.objects.filter(pk=older.pk).update(last_published_at=timezone.now() - timedelta(days=400))
    newer = publish_article(column("xxgk/jwyw"), "较新的稿件")
    data = client.get(FEED + "?limit=2", **bearer(app_key)).json()
    assert data["results"][0]["id"] == newer.pk
    assert len(data["results"]) == 2 and data["next"]
    assert client.get(FEED + "?limit=500", **bearer(app_key)).json()["results"].__len__() <= 50
    since = (newer.last_published_at - timedelta(seconds=1)).isoformat()
    response = client.get(FEED, {"since": since}, **bearer(app_key))
    assert [item["id"] for item in response.json()["results"]] == [newer.pk]
    bad = client.get(FEED, {"since": "yesterday"}, **bearer(app_key))
    assert bad.status_code == 400 and "since" in bad.json()


def test_feed_shows_the_new_revision_after_a_republish(client, column, app_key):
    article = publish_article(column("xxgk/jwyw"), "第一版标题")
    first = client.get(f"{FEED}{article.pk}/", **bearer(app_key)).json()
    article.title = "第二版标题"
    article.save_revision()
    with chain_bypass("测试"):
        article.get_latest_revision().publish()
    second = client.get(f"{FEED}{article.pk}/", **bearer(app_key)).json()
    assert first["payload"]["title"] == "第一版标题"
    assert second["payload"]["title"] == "第二版标题"
    assert second["revision_id"] != first["revision_id"]


def test_feed_queries_do_not_grow_with_the_page_size(client, column, app_key):
    for i in range(8):
        publish_article(column("xxgk/jwyw"), f"查询计数{i}")
    counts = {}
    for limit in (2, 8):
        url = f"{FEED}?limit={limit}"
        client.get(url, **bearer(app_key))  # items are rendered once per revision, then served from the cache
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, **bearer(app_key))
        assert len(response.json()["results"]) == limit
        counts[limit] = len(queries)
    assert counts[2] == counts[8], counts


def test_last_used_is_written_at_most_once_a_minute(client, outlet):
    token, key = ApiToken.issue(outlet("app"), "计时")
    client.get(FEED, **bearer(key))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get(FEED, **bearer(key))
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    client.get(FEED, **bearer(key))
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(minutes=1)


def _command(*args: str) -> str:
    out = io.StringIO()
    call_command("api_token", *args, stdout=out)
    return out.getvalue()


def test_management_command_creates_lists_and_revokes(client, outlet):
    app = outlet("app")
    output = _command("create", "--outlet", app.name, "--name", "客户端服务器", "--expires-days", "30")
    key = output.strip().splitlines()[-1]
    token = ApiToken.objects.get(key_hash=hashlib.sha256(key.encode()).hexdigest())
    assert token.outlet == app and token.expires_at > timezone.now() + timedelta(days=29)
    assert client.get(FEED, **bearer(key)).status_code == 200
    by_id = _command("create", "--outlet", str(outlet("weibo").pk), "--name", "微博")
    assert "slt_" in by_id

    listing = _command("list")
    assert f"slt_{token.prefix}" in listing and "客户端服务器" in listing and "active" in listing
    assert key not in listing

    assert "Revoked" in _command("revoke", f"slt_{token.prefix}")
    assert "revoked" in _command("list")
    assert client.get(FEED, **bearer(key)).status_code == 401
    assert "already revoked" in _command("revoke", token.prefix)


def test_management_command_explains_a_wrong_outlet():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No outlet"):
        _command("create", "--outlet", "没有这个渠道", "--name", "x")


def test_admin_creates_shows_key_once_and_revokes(client, django_user_model, outlet):
    admin = django_user_model.objects.create_superuser("token_admin", password="pw-123456")
    client.force_login(admin)
    app = outlet("app")
    assert client.get("/admin/api-tokens/").status_code == 200
    assert client.get("/admin/api-tokens/new/").status_code == 200
    response = client.post("/admin/api-tokens/new/", {"outlet": app.pk, "name": "管理后台创建", "expires_days": ""})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(name="管理后台创建")
    assert token.created_by == admin
    html = response.content.decode()
    key = html.split("data-api-key", 1)[1].split(">", 1)[1].split("<", 1)[0].strip()
    assert key.startswith(f"slt_{token.prefix}_")
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()

    listing = client.get("/admin/api-tokens/").content.decode()
    assert f"slt_{token.prefix}" in listing and "管理后台创建" in listing and key not in listing
    assert client.get(FEED, **bearer(key)).status_code == 200

    assert client.get(f"/admin/api-tokens/{token.pk}/revoke/").status_code == 405
    response = client.post(f"/admin/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get(FEED, **bearer(key)).status_code == 401


def test_admin_token_views_need_the_model_permissions(client, member, outlet):
    editor = member("xuanchuan")
    token, _key = ApiToken.issue(outlet("app"), "不可撤销")
    client.force_login(editor)
    assert client.get("/admin/api-tokens/").status_code in (302, 403)
    assert client.post("/admin/api-tokens/new/", {"outlet": outlet("app").pk, "name": "x"}).status_code in (302, 403)
    assert client.post(f"/admin/api-tokens/{token.pk}/revoke/").status_code in (302, 403)
    token.refresh_from_db()
    assert token.revoked_at is None and not ApiToken.objects.filter(name="x").exists()


def test_admin_revoke_needs_csrf(django_user_model, outlet):
    from django.test import Client

    admin = django_user_model.objects.create_superuser("csrf_admin", password="pw-123456")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(admin)
    token, _key = ApiToken.issue(outlet("app"), "跨站")
    assert strict.post(f"/admin/api-tokens/{token.pk}/revoke/").status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None
