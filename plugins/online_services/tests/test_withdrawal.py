"""Withdrawing a guide: it stays online marked withdrawn with the reason and date, who and why are in the page's
history, later revisions keep the withdrawal, outlets that showed it are told, and only publishers may do it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from wagtail.models import PageLogEntry

from cms.outlets.models import Delivery, DeliveryAction, Outlet
from plugins.online_services.models import ServiceGuidePage
from plugins.online_services.withdrawal import LOG_ACTION, withdraw

from . import factories

pytestmark = pytest.mark.django_db

REASON = "依据新修订的《机动车登记规定》，本指南自即日起废止。"


@pytest.fixture
def live_guide(column, department, ankang, settings):
    settings.SUNLIGHT_API_CACHE = False
    page = factories.guide(department, ankang, title="废止测试：机动车注册登记")
    return factories.publish(factories.add(page, column("wsbs/huzheng/bszn")))


@pytest.fixture
def publisher(member):
    return member("zhihui", "admins")  # the 网上办事 columns' reviewing department publishes


def test_a_withdrawn_guide_stays_live_with_reason_date_and_who(live_guide, publisher, client):
    guide = withdraw(live_guide, publisher, REASON)
    assert guide.live and guide.status == "withdrawn"
    assert guide.withdrawal_reason == REASON and guide.withdrawn_by == publisher
    assert timezone.localdate(guide.withdrawn_at) == timezone.localdate()
    entry = PageLogEntry.objects.get(page=guide, action=LOG_ACTION)
    assert entry.user == publisher and entry.data["reason"] == REASON
    html = client.get(guide.url).content.decode()  # the public page says so
    assert "已废止" in html and REASON in html


def test_a_later_revision_keeps_the_withdrawal(live_guide, publisher):
    withdraw(live_guide, publisher, REASON)
    guide = ServiceGuidePage.objects.get(pk=live_guide.pk)
    draft = guide.get_latest_revision_as_object()
    draft.summary = "更新摘要"
    draft.save_revision()
    factories.publish(guide)
    guide = ServiceGuidePage.objects.get(pk=live_guide.pk)
    assert guide.summary == "更新摘要"
    assert guide.withdrawn_at is not None and guide.withdrawal_reason == REASON


def test_only_publishers_withdraw_live_guides_in_force_with_a_clean_reason(live_guide, publisher, member):
    with pytest.raises(PermissionDenied):
        withdraw(live_guide, member("huzheng"), REASON)  # an editor of the police type may not
    with pytest.raises(ValidationError):
        withdraw(live_guide, publisher, "   ")
    with pytest.raises(ValidationError) as personal:
        withdraw(live_guide, publisher, "详询经办人13800138000")
    assert "reason" in personal.value.message_dict
    with pytest.raises(ValidationError):
        withdraw(live_guide, publisher, REASON, replaced_by=live_guide.pk)  # not itself
    withdraw(live_guide, publisher, REASON)
    with pytest.raises(ValidationError):
        withdraw(live_guide, publisher, REASON)  # once


def test_outlets_that_showed_the_guide_are_told_with_the_reason(live_guide, publisher, ankang, column):
    outlet = Outlet.objects.create(
        portal=ankang, kind="wechat", name="测试公众号", endpoint_url="http://127.0.0.1:9/", enabled=True
    )
    outlet.columns.add(column("wsbs/huzheng/bszn"))
    guide = ServiceGuidePage.objects.get(pk=live_guide.pk)
    guide.save_revision()
    factories.publish(guide)  # sent to the outlet
    assert Delivery.objects.filter(outlet=outlet, item_id=str(guide.pk), action__in=["publish", "update"]).exists()
    withdraw(guide, publisher, REASON)
    delivery = Delivery.objects.filter(outlet=outlet, item_id=str(guide.pk)).order_by("-pk").first()
    assert delivery.action == DeliveryAction.WITHDRAW
    assert delivery.payload["reason"] == REASON


def test_the_admin_offers_and_performs_the_withdrawal(client, live_guide, publisher, member):
    client.force_login(member("huzheng"))
    url = f"/admin/online-services/guides/{live_guide.pk}/withdraw/"
    assert client.get(url).status_code == 302  # no permission: redirected away by the admin
    client.force_login(publisher)
    edit = client.get(f"/admin/pages/{live_guide.pk}/edit/").content.decode()
    assert url in edit  # the header menu offers it
    form = client.get(url)
    assert form.status_code == 200 and "废止原因" in form.content.decode()
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    done = client.post(url, {"reason": REASON})
    assert done.status_code == 302
    assert ServiceGuidePage.objects.get(pk=live_guide.pk).withdrawal_reason == REASON
    edit = client.get(f"/admin/pages/{live_guide.pk}/edit/").content.decode()
    assert url not in edit  # withdrawn once
    history = client.get(f"/admin/pages/{live_guide.pk}/history/").content.decode()
    assert "办事指南已废止" in history
