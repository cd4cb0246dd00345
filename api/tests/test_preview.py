"""Draft previews for headless front ends: an editor who may preview a page in the admin gets a signed,
expiring token; anyone holding it reads that revision (never-published drafts too) like the v2 page detail;
expired tokens are 410, forged ones and deleted pages 404; answers are private and unindexed."""

from __future__ import annotations

import time

import pytest
from django.core import signing
from django.test import Client, override_settings
from django.utils.translation import gettext_lazy

from api.preview import SALT
from pages.models import ArticlePage

pytestmark = pytest.mark.django_db

PREVIEW = "/api/preview/"


@pytest.fixture
def draft(column, member):
    """A never-published article in 警务要闻 (maintained by 宣传), written by a 宣传 editor."""
    editor = member("xuanchuan")
    article = ArticlePage(title="尚未发布的草稿标题", summary="草稿摘要", body="<p>草稿正文</p>", live=False)
    column("xxgk/jwyw").add_child(instance=article)
    article.tags.add("预览标签")
    revision = article.save_revision(user=editor)
    article.refresh_from_db()
    return article, revision, editor


def issue(client: Client, page_id: int, revision_id: int | None = None):
    body = {"page": page_id} if revision_id is None else {"page": page_id, "revision": revision_id}
    return client.post(PREVIEW, body, content_type="application/json")


def assert_private(response) -> None:
    assert response["Cache-Control"] == "private, no-store"
    assert "noindex" in response["X-Robots-Tag"]


def test_editor_gets_a_token_and_anyone_with_it_sees_the_draft(client, draft):
    article, revision, editor = draft
    client.force_login(editor)
    response = issue(client, article.pk)
    assert response.status_code == 201, response.content
    assert_private(response)
    data = response.json()
    assert set(data) == {"token", "expires_at", "url"}
    assert data["url"].endswith(f"/api/preview/{data['token']}/")

    anonymous = Client()
    shown = anonymous.get(data["url"])
    assert shown.status_code == 200, shown.content
    assert_private(shown)
    page = shown.json()
    assert page["title"] == "尚未发布的草稿标题"
    assert page["id"] == article.pk
    assert page["meta"]["type"] == "pages.ArticlePage"
    assert page["summary"] == "草稿摘要" and "草稿正文" in page["body"]
    assert page["tags"] == ["预览标签"]
    assert page["preview"]["revision_id"] == revision.pk
    assert page["preview"]["expires_at"] and page["preview"]["created_at"]
    # The public API does not show the draft.
    assert anonymous.get(f"/api/v2/pages/{article.pk}/").status_code == 404


def test_preview_shows_the_chosen_revision_not_the_live_page(client, draft):
    article, first, editor = draft
    article.title = "第二稿标题"
    second = article.save_revision(user=editor)
    client.force_login(editor)
    older = issue(client, article.pk, first.pk).json()
    latest = issue(client, article.pk).json()
    assert Client().get(older["url"]).json()["title"] == "尚未发布的草稿标题"
    newest = Client().get(latest["url"]).json()
    assert newest["title"] == "第二稿标题" and newest["preview"]["revision_id"] == second.pk


def test_user_without_edit_rights_is_refused(client, draft, member):
    article, _revision, _editor = draft
    client.force_login(member("xingjing"))  # 刑警支队 does not maintain 警务要闻
    response = issue(client, article.pk)
    assert response.status_code == 403
    assert_private(response)


def test_anonymous_post_is_refused(client, draft):
    article, _revision, _editor = draft
    assert issue(client, article.pk).status_code == 403


def test_post_needs_the_csrf_token(draft):
    article, _revision, editor = draft
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert issue(strict, article.pk).status_code == 403


def test_unknown_page_and_foreign_revision(client, draft, column):
    article, _revision, editor = draft
    client.force_login(editor)
    assert issue(client, 99_999_999).status_code == 404
    other = column("xxgk/jwyw").get_latest_revision()
    foreign = other.pk if other is not None else 99_999_999
    response = issue(client, article.pk, foreign)
    assert response.status_code == 400 and "revision" in response.json()
    assert issue(client, "abc").status_code == 400


def test_expired_token_is_gone(client, draft):
    article, _revision, editor = draft
    client.force_login(editor)
    url = issue(client, article.pk).json()["url"]
    with override_settings(SUNLIGHT_PREVIEW_TTL=-1):
        response = Client().get(url)
    assert response.status_code == 410
    assert_private(response)
    assert response.json()["detail"] == str(gettext_lazy("The preview link has expired."))


def test_token_signed_two_hours_ago_has_expired(draft):
    article, revision, _editor = draft

    class TwoHoursAgo(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - 7200)

    token = TwoHoursAgo(salt=SALT).sign_object({"p": article.pk, "r": revision.pk})
    response = Client().get(f"{PREVIEW}{token}/")
    assert response.status_code == 410
    with override_settings(SUNLIGHT_PREVIEW_TTL=3 * 3600):
        assert Client().get(f"{PREVIEW}{token}/").status_code == 200


def test_tampered_or_foreign_tokens_reveal_nothing(client, draft):
    article, revision, editor = draft
    client.force_login(editor)
    token = issue(client, article.pk).json()["token"]
    last = token[-1]
    tampered = token[:-1] + ("A" if last != "A" else "B")
    other_salt = signing.TimestampSigner(salt="something.else").sign_object({"p": article.pk, "r": revision.pk})
    other_revision = signing.TimestampSigner(salt=SALT).sign_object({"p": article.pk, "r": revision.pk + 1})
    swapped = other_revision.split(":", 1)[0] + ":" + token.split(":", 1)[1]
    for bad in (tampered, other_salt, swapped, "nonsense"):
        response = Client().get(f"{PREVIEW}{bad}/")
        assert response.status_code == 404, bad
        assert_private(response)
        assert "草稿" not in response.content.decode()


def test_deleted_page_gives_404(client, draft):
    article, _revision, editor = draft
    client.force_login(editor)
    url = issue(client, article.pk).json()["url"]
    assert Client().get(url).status_code == 200
    ArticlePage.objects.get(pk=article.pk).delete()
    response = Client().get(url)
    assert response.status_code == 404
    assert "草稿" not in response.content.decode()


def test_reviewer_of_the_current_task_may_preview(client, column, member, department):
    """The head of the item's department approves it (first step of the routine chain) but does not maintain
    the column: like in the admin, they may preview only while the item waits for them."""
    editor = member("xuanchuan")
    article = ArticlePage(title="待审核稿件", summary="摘要", body="<p>正文</p>", live=False)
    article.author_department = department("xingjing")
    column("xxgk/jwyw").add_child(instance=article)
    article.save_revision(user=editor)
    article.title = "待审核稿件（送审版）"
    submitted = article.save_revision(user=editor)
    head = member("xingjing", "heads")
    client.force_login(head)
    assert issue(client, article.pk).status_code == 403  # not submitted yet: nothing to review

    article.get_workflow().start(article, editor)
    response = issue(client, article.pk)
    assert response.status_code == 201, response.content
    shown = Client().get(response.json()["url"]).json()
    assert shown["title"] == "待审核稿件（送审版）" and shown["preview"]["revision_id"] == submitted.pk
    client.force_login(member("huzheng", "heads"))  # heads of another department may not act
    assert issue(client, article.pk).status_code == 403
