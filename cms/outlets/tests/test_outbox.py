"""The delivery outbox in the publishing process: rows written with the publication (and not on rollback),
signed POSTs to a real local receiver that is down and then up, backoff, 4xx, retry from the staff API and the
admin, and who may do what."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.outlets import outbox
from cms.outlets.delivery import encode, sign, verify
from cms.outlets.models import Delivery, Outlet
from cms.outlets.registry import OutletItem
from cms.review.gate import chain_bypass
from pages.models import ArticlePage

from .delivery_receiver import Receiver, free_port

pytestmark = pytest.mark.django_db

SECRET = "test-outlet-secret"
FAST = {
    "SUNLIGHT_OUTLET_BACKOFF_BASE": 0.2,
    "SUNLIGHT_OUTLET_BACKOFF_CAP": 5.0,
    "SUNLIGHT_OUTLET_MAX_ATTEMPTS": 10,
    "SUNLIGHT_OUTLET_INLINE_TIMEOUT": (0.5, 2.0),
    "SUNLIGHT_OUTLET_TIMEOUT": (0.5, 2.0),
}


@pytest.fixture(autouse=True)
def fast_backoff(settings):
    """Backoff in fractions of a second."""
    for name, value in FAST.items():
        setattr(settings, name, value)


@pytest.fixture
def receiver():
    """A running receiver on a free port."""
    running = Receiver(SECRET).start()
    yield running
    running.stop()


@pytest.fixture
def admin_user(django_user_model):
    """A superuser (publishes, sees and retries deliveries)."""
    return django_user_model.objects.create_superuser("outbox_admin", "a@example.com", "pw-123456")


@pytest.fixture
def make_outlets(ankang, column):
    """Return a function creating outlets of the ankang portal for 警务要闻, posting to `url`."""

    def make(url: str, kinds=("web", "weibo")) -> list[Outlet]:
        outlets = []
        for kind in kinds:
            outlet = Outlet.objects.create(
                portal=ankang, kind=kind, name=f"test {kind}", endpoint_url=url, secret=SECRET
            )
            outlet.columns.add(column("xxgk/jwyw"))
            outlets.append(outlet)
        return outlets

    return make


def articles(column, count: int) -> list[ArticlePage]:
    """Live demo articles of 警务要闻."""
    pages = list(ArticlePage.objects.live().child_of(column("xxgk/jwyw")).order_by("pk")[:count])
    assert len(pages) == count
    return pages


def publish(page: ArticlePage, user) -> None:
    """Publish a new revision of `page` as `user` (outside the review chain, as imports do)."""
    page = ArticlePage.objects.get(pk=page.pk)
    revision = page.save_revision(user=user)
    with chain_bypass("test: outlet delivery"):
        revision.publish(user=user)


def wait_until_due() -> None:
    """Sleep until every waiting delivery is due (fractions of a second with the test backoff)."""
    latest = max(Delivery.objects.values_list("next_attempt_at", flat=True))
    pause = (latest - timezone.now()).total_seconds()
    if pause > 0:
        time.sleep(pause + 0.02)


def test_publishing_while_the_receiver_is_down_retries_with_backoff_until_it_is_up(
    column, make_outlets, admin_user, django_capture_on_commit_callbacks
):
    port = free_port()
    outlets = make_outlets(f"http://127.0.0.1:{port}/hook")
    pages = articles(column, 3)
    with django_capture_on_commit_callbacks(execute=True):  # the request's commit: the first attempt runs
        for page in pages:
            publish(page, admin_user)
    after_first = timezone.now()
    rows = list(Delivery.objects.order_by("pk"))
    assert len(rows) == len(pages) * len(outlets)
    assert {(r.item_id, r.outlet_id) for r in rows} == {(str(p.pk), o.pk) for p in pages for o in outlets}
    assert {r.action for r in rows} == {"publish"}
    assert {r.state for r in rows} == {"retrying"}
    assert all(r.attempts == 1 and "Connection" in r.last_error and r.last_status is None for r in rows)
    assert len({r.idempotency_key for r in rows}) == len(rows)

    # the worker tries again when they are due: the wait grows (0.2 s, then 0.4 s, ±10 %)
    first = [(r.next_attempt_at - after_first).total_seconds() for r in rows]  # at most the first wait
    wait_until_due()
    before = timezone.now()
    call_command("deliver_outbox", "--once", stdout=open("/dev/null", "w"))
    rows = list(Delivery.objects.order_by("pk"))
    assert all(r.state == "retrying" and r.attempts == 2 for r in rows)
    second = [(r.next_attempt_at - before).total_seconds() for r in rows]  # at least the second wait
    assert max(first) < 0.2 * 1.1 + 0.01 and min(second) > 0.4 * 0.9 - 0.01

    # the receiver comes up on that port; the next pass delivers everything, each key once
    up = Receiver(SECRET, port=port).start()
    try:
        wait_until_due()
        call_command("deliver_outbox", "--once", stdout=open("/dev/null", "w"))
        call_command("deliver_outbox", "--once", stdout=open("/dev/null", "w"))  # nothing left: no resend
    finally:
        up.stop()
    rows = list(Delivery.objects.order_by("pk"))
    assert {r.state for r in rows} == {"delivered"}
    assert all(r.delivered_at and r.last_status == 200 and r.last_error == "" for r in rows)
    assert sorted(up.keys_on_the_wire()) == sorted(r.idempotency_key for r in rows)
    assert all(s.signature_ok for s in up.seen)
    document = up.applied[rows[0].idempotency_key]
    assert document["event"] == "publish" and document["item"]["id"] == rows[0].item_id
    assert document["outlet"] == {"kind": rows[0].outlet.kind, "name": rows[0].outlet.name}
    assert document["payload"] == rows[0].payload and document["payload"]


def test_delivery_is_signed_and_carries_its_envelope(
    column, make_outlets, admin_user, receiver, django_capture_on_commit_callbacks
):
    make_outlets(receiver.url, kinds=("web",))
    (page,) = articles(column, 1)
    with django_capture_on_commit_callbacks(execute=True):
        publish(page, admin_user)
    row = Delivery.objects.get()
    assert row.state == "delivered" and row.attempts == 1
    (seen,) = receiver.seen
    assert seen.signature_ok
    assert seen.headers["Content-Type"] == "application/json; charset=utf-8"
    assert seen.headers["Idempotency-Key"] == row.idempotency_key == seen.document["idempotency_key"]
    assert seen.headers["X-Sunlight-Event"] == "publish"
    assert seen.document["item"] == {"type": "pages.articlepage", "id": str(page.pk), "revision": row.revision_id}
    assert seen.document["created_at"].startswith(str(row.created_at.year))
    # a receiver with another secret, or a changed body, does not verify
    body, stamp = encode(seen.document), seen.headers["X-Sunlight-Timestamp"]
    assert verify(SECRET, stamp, body, seen.headers["X-Sunlight-Signature"])
    assert verify(SECRET, stamp, body, sign(SECRET, stamp, body))
    assert not verify("another secret", stamp, body, seen.headers["X-Sunlight-Signature"])
    assert not verify(SECRET, stamp, body.replace(b"publish", b"unpublish"), seen.headers["X-Sunlight-Signature"])


def test_republish_is_an_update_unpublish_and_delete_take_the_page_down(
    column, make_outlets, admin_user, receiver, django_capture_on_commit_callbacks
):
    make_outlets(receiver.url, kinds=("wechat",))
    first, second = articles(column, 2)
    with django_capture_on_commit_callbacks(execute=True):
        publish(first, admin_user)
        publish(first, admin_user)
        ArticlePage.objects.get(pk=first.pk).unpublish(user=admin_user)
        publish(second, admin_user)
        ArticlePage.objects.get(pk=second.pk).delete()
    events = [(s.document["item"]["id"], s.document["event"]) for s in receiver.seen]
    assert events == [
        (str(first.pk), "publish"),
        (str(first.pk), "update"),
        (str(first.pk), "unpublish"),
        (str(second.pk), "publish"),
        (str(second.pk), "unpublish"),
    ]
    assert set(Delivery.objects.values_list("state", flat=True)) == {"delivered"}
    withdrawal = receiver.seen[2].document["payload"]
    assert withdrawal["item_id"] == str(first.pk)


def test_publishing_an_old_revision_again_after_unpublishing_is_a_new_delivery(
    column, make_outlets, admin_user, receiver, django_capture_on_commit_callbacks
):
    make_outlets(receiver.url, kinds=("app",))
    (page,) = articles(column, 1)
    page = ArticlePage.objects.get(pk=page.pk)
    revision = page.save_revision(user=admin_user)
    with django_capture_on_commit_callbacks(execute=True), chain_bypass("test"):
        revision.publish(user=admin_user)
        ArticlePage.objects.get(pk=page.pk).unpublish(user=admin_user)
        revision.publish(user=admin_user)
    rows = list(Delivery.objects.order_by("pk"))
    assert [r.action for r in rows] == ["publish", "unpublish", "publish"]
    assert rows[0].revision_id == rows[2].revision_id == revision.pk
    assert rows[0].idempotency_key != rows[2].idempotency_key
    assert len(receiver.applied) == 3


def test_a_rolled_back_publication_writes_and_sends_nothing(
    column, make_outlets, admin_user, receiver, django_capture_on_commit_callbacks
):
    make_outlets(receiver.url)
    (page,) = articles(column, 1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            publish(page, admin_user)
            assert Delivery.objects.count() == 2  # written in the publishing transaction
            raise RuntimeError("the request fails after publishing")
    assert Delivery.objects.count() == 0
    assert not [c for c in callbacks if "enqueue" in getattr(c, "__qualname__", "")]
    assert receiver.seen == []


def test_a_publication_whose_deliveries_cannot_be_written_does_not_go_live(
    column, make_outlets, admin_user, receiver, monkeypatch
):
    """Outside a request too (a script, scheduled publishing), the page and its deliveries are one transaction."""
    from cms.outlets.registry import get_kind

    make_outlets(receiver.url)
    draft = ArticlePage(title="渲染失败时不得上线的稿件", body="<p>正文</p>", live=False)
    column("xxgk/jwyw").add_child(instance=draft)

    def broken(item):
        raise RuntimeError("renderer failed")

    monkeypatch.setattr(get_kind("weibo"), "render", broken)
    with pytest.raises(RuntimeError):
        publish(draft, admin_user)
    draft.refresh_from_db()
    assert not draft.live and draft.live_revision_id is None
    assert Delivery.objects.count() == 0


def test_a_page_outside_the_outlets_columns_writes_nothing(column, make_outlets, admin_user, receiver):
    make_outlets(receiver.url)
    other = ArticlePage.objects.live().exclude(path__startswith=column("xxgk/jwyw").path).first()
    publish(other, admin_user)
    assert Delivery.objects.count() == 0


@pytest.fixture
def failed(column, make_outlets, admin_user, receiver, django_capture_on_commit_callbacks):
    """A delivery the receiver refused with 422 (failed for good), the receiver then fixed."""
    make_outlets(receiver.url, kinds=("web",))
    (page,) = articles(column, 1)
    receiver.status = 422
    with django_capture_on_commit_callbacks(execute=True):
        publish(page, admin_user)
    row = Delivery.objects.get()
    assert (row.state, row.attempts, row.last_status, row.last_error) == (
        "failed",
        1,
        422,
        "HTTP 422 Unprocessable Entity",
    )
    receiver.status = 200
    return row


def test_a_4xx_fails_for_good_and_a_retry_from_the_staff_api_delivers_it(
    client, failed, admin_user, receiver, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    listing = client.get("/api/outlets/deliveries/?state=failed").json()
    assert listing["count"] == 1
    (entry,) = listing["results"]
    assert entry["id"] == failed.pk and entry["retryable"] and entry["last_status"] == 422
    assert entry["outlet"]["kind"] == "web" and entry["item"]["id"] == failed.item_id
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/outlets/deliveries/{failed.pk}/retry/")
    assert response.status_code == 200
    failed.refresh_from_db()
    assert failed.state == "delivered" and failed.attempts == 1
    assert len(receiver.seen) == 2 and len(receiver.applied) == 1
    assert client.post(f"/api/outlets/deliveries/{failed.pk}/retry/").status_code == 409
    assert client.get("/api/outlets/deliveries/?state=delivered").json()["count"] == 1
    assert client.get("/api/outlets/deliveries/?state=lost").status_code == 400


def test_the_admin_lists_deliveries_counts_failures_and_retries(
    client, failed, admin_user, receiver, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    page = client.get("/admin/outlets/deliveries/").content.decode()
    assert 'data-failed-deliveries="1"' in page
    assert 'data-delivery-state="failed"' in page and failed.title in page
    retry_url = f"/admin/outlets/deliveries/retry/{failed.pk}/"
    assert f'action="{retry_url}"' in page
    assert client.get("/admin/outlets/deliveries/?state=delivered").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry_url, {"next": "/admin/outlets/deliveries/"})
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.state == "delivered"
    page = client.get("/admin/outlets/deliveries/").content.decode()
    assert "data-failed-deliveries" not in page and f'action="{retry_url}"' not in page


def test_without_permission_nobody_lists_or_retries(client, failed, django_user_model):
    url, retry_url = "/api/outlets/deliveries/", f"/api/outlets/deliveries/{failed.pk}/retry/"
    assert client.get(url).status_code in (401, 403)
    assert client.post(retry_url).status_code in (401, 403)
    staff = django_user_model.objects.create_user("outbox_staff", password="pw-123456")
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    assert client.get(url).status_code == 403
    assert client.post(retry_url).status_code == 403
    refused = client.post(f"/admin/outlets/deliveries/retry/{failed.pk}/")  # Wagtail: back home, with a message
    assert (refused.status_code, refused.url) == (302, "/admin/")
    staff.user_permissions.add(Permission.objects.get(codename="view_delivery"))
    staff = django_user_model.objects.get(pk=staff.pk)
    client.force_login(staff)
    assert client.get(url).json()["count"] == 1
    assert client.post(retry_url).status_code == 403
    assert client.get("/admin/outlets/deliveries/").status_code == 200
    refused = client.post(f"/admin/outlets/deliveries/retry/{failed.pk}/")
    assert (refused.status_code, refused.url) == (302, "/admin/")
    failed.refresh_from_db()
    assert failed.state == "failed"


def test_the_staff_list_takes_the_same_queries_for_many_rows(client, admin_user, ankang):
    outlet = Outlet.objects.create(portal=ankang, kind="web", name="q", endpoint_url="http://127.0.0.1:9/")
    client.force_login(admin_user)

    def queries() -> int:
        with CaptureQueriesContext(transaction.get_connection()) as captured:
            assert client.get("/api/outlets/deliveries/").status_code == 200
        return len(captured)

    item = OutletItem(item_type="tests.thing", item_id="1", revision_id=None, title="x", url="http://x/")
    outbox.record_item(item, [outlet], "publish")
    few = queries()
    for n in range(2, 12):
        outbox.record_item(
            OutletItem(item_type="tests.thing", item_id=str(n), revision_id=None, title="x", url="http://x/"),
            [outlet],
            "withdraw",
            reason="closed",
        )
    assert queries() == few


def test_with_a_deferring_backend_a_retry_is_enqueued_for_its_due_time(settings, ankang):
    from django_tasks_db.models import DBTaskResult

    from cms.outlets.tasks import deliver_due

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    outlet = Outlet.objects.create(
        portal=ankang, kind="web", name="down", endpoint_url=f"http://127.0.0.1:{free_port()}/", secret=SECRET
    )
    item = OutletItem(item_type="tests.thing", item_id="7", revision_id=3, title="x", url="http://x/")
    (row,) = outbox.record_item(item, [outlet], "publish")
    result = deliver_due.call([row.pk])
    assert result == {"attempted": 1, "delivered": 0, "retrying": 1, "failed": 0, "deferred": 1}
    row.refresh_from_db()
    task = DBTaskResult.objects.get(task_path="cms.outlets.tasks.deliver_due", run_after=row.next_attempt_at)
    assert task.args_kwargs["args"] == [[row.pk]]


def test_a_claimed_row_is_not_claimed_twice_until_its_lease_expires(settings, ankang):
    settings.SUNLIGHT_OUTLET_LEASE = 0.3
    outlet = Outlet.objects.create(portal=ankang, kind="web", name="c", endpoint_url="http://127.0.0.1:9/")
    first, later = (
        outbox.record_item(
            OutletItem(item_type="tests.thing", item_id="1", revision_id=n, title="x", url="http://x/"),
            [outlet],
            "publish",
        )[0]
        for n in (1, 2)
    )
    assert outbox.claim(first.pk) is not None
    assert outbox.claim(first.pk) is None  # held by its lease
    assert outbox.claim(later.pk) is None  # waits for the earlier delivery of the same item
    time.sleep(0.35)
    assert outbox.claim(first.pk) is not None  # the lease expired: a dead worker's row is taken again
    first.refresh_from_db()
    assert first.state == "delivering" and first.attempts == 2
