"""Withdrawing a service guide (废止): it stays online, marked withdrawn with the reason and the date.

A withdrawal is a fact about the page, not a draft: it is written on the page row (kept by every later
revision, see `ServiceGuidePage.with_content_json`) and in the page's history as a Wagtail log entry
(`online_services.withdraw`: who, when, why, the replacing guide). Outlets that were sent the guide are told
through the outbox (a withdrawal delivery carrying the reason), in the same transaction.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Page

from cms import cache
from cms.privacy import find_personal_data
from cms.review.models import portal_of
from cms.sanitize import clean_plain
from search.signals import enqueue_update

from .models import ServiceGuidePage

LOG_ACTION = "online_services.withdraw"
MAX_REASON = 1000


def can_withdraw(guide: ServiceGuidePage, user) -> bool:
    """True when `user` may withdraw `guide`: a live guide in force, and the right to publish it."""
    if not guide.live or guide.withdrawn_at is not None or user is None or not user.is_authenticated:
        return False
    return guide.permissions_for_user(user).can_publish()


def clean_reason(guide: ServiceGuidePage, reason: str) -> str:
    """The reason as plain text; required, at most MAX_REASON characters, without personal data (it is shown
    publicly and passes no review)."""
    text = clean_plain(reason or "").strip()
    if not text:
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")})
    if len(text) > MAX_REASON:
        raise ValidationError({"reason": _("The reason has at most %(n)d characters.") % {"n": MAX_REASON}})
    portal = portal_of(guide)
    if find_personal_data(text, public_numbers=portal.public_numbers if portal else ()):
        raise ValidationError(
            {"reason": _("The reason is shown publicly: remove the ID numbers and phone numbers from it.")}
        )
    return text


def clean_replacement(guide: ServiceGuidePage, replaced_by) -> ServiceGuidePage | None:
    """The live guide of the same portal that replaces `guide`, or None."""
    if replaced_by is None:
        return None
    if isinstance(replaced_by, int):
        replaced_by = ServiceGuidePage.objects.filter(pk=replaced_by).first()
    home = guide.path[: 2 * Page.steplen]
    if (
        not isinstance(replaced_by, ServiceGuidePage)
        or replaced_by.pk == guide.pk
        or not replaced_by.live
        or replaced_by.withdrawn_at is not None
        or not replaced_by.path.startswith(home)
    ):
        raise ValidationError({"replaced_by": _("Choose another live guide of this portal, in force.")})
    return replaced_by


def withdraw(guide: ServiceGuidePage, user, reason: str, replaced_by=None) -> ServiceGuidePage:
    """Withdraw a live guide with a public notice; returns the guide as now stored.

    `user` None is a script (no permission check); otherwise the user must be allowed to publish it."""
    guide = ServiceGuidePage.objects.get(pk=guide.pk)
    if not guide.live:
        raise ValidationError(_("Only a live guide can be withdrawn; a draft can simply be deleted."))
    if guide.withdrawn_at is not None:
        raise ValidationError(_("This guide was already withdrawn."))
    if user is not None and not can_withdraw(guide, user):
        raise PermissionDenied(_("You may not withdraw this guide."))
    text = clean_reason(guide, reason)
    replacement = clean_replacement(guide, replaced_by)
    now = timezone.now()
    with transaction.atomic():
        ServiceGuidePage.objects.filter(pk=guide.pk).update(
            withdrawn_at=now,
            withdrawal_reason=text,
            withdrawn_by=user if user is not None else None,
            replaced_by=replacement,
        )
        guide.refresh_from_db()
        log(
            instance=guide,
            action=LOG_ACTION,
            user=user,
            data={
                "reason": text,
                "withdrawn_at": now.isoformat(),
                "replaced_by": replacement.pk if replacement else None,
            },
        )
        cache.bump()  # the public page and its API show the withdrawal (an update() sends no signal)
        enqueue_update([f"page:{guide.pk}"])  # the search entry: no longer in force
        tell_outlets(guide, text)
    return guide


def tell_outlets(guide: ServiceGuidePage, reason: str) -> list:
    """Write a withdrawal delivery, with the reason, to each outlet the guide is shown on."""
    from cms.outlets.models import Delivery, DeliveryAction, Outlet
    from cms.outlets.outbox import SHOWN, record_item
    from cms.outlets.render import item_for_page

    item_type, item_id = guide._meta.label_lower, str(guide.pk)
    sent = Outlet.objects.filter(deliveries__item_type=item_type, deliveries__item_id=item_id).distinct()
    shown = []
    for outlet in sent:
        last = (
            Delivery.objects.filter(outlet=outlet, item_type=item_type, item_id=item_id)
            .order_by("-pk")
            .values_list("action", flat=True)
            .first()
        )
        if last in SHOWN:
            shown.append(outlet)
    if not shown:
        return []
    return record_item(item_for_page(guide), shown, DeliveryAction.WITHDRAW, reason)
