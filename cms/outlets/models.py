"""Outlets of a portal and the delivery outbox."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_secret() -> str:
    """A fresh HMAC signing secret for an outlet."""
    return secrets.token_urlsafe(32)


class Outlet(models.Model):
    """One place a portal's approved content goes: its web site, a Weibo or WeChat account, the app.

    `kind` names an entry of the outlet registry (`cms.outlets.registry`), which renders the content.
    `columns` are the column pages (with their subtrees) whose items go to this outlet: profile data.
    Deliveries are written only for enabled outlets with an endpoint.
    """

    portal = models.ForeignKey("cms.Portal", verbose_name=_("portal"), on_delete=models.CASCADE, related_name="outlets")
    kind = models.CharField(_("kind"), max_length=32)
    name = models.CharField(_("name"), max_length=128)
    account = models.ForeignKey(
        "cms.OfficialAccount",
        verbose_name=_("official account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outlets",
    )
    columns = models.ManyToManyField("wagtailcore.Page", verbose_name=_("columns"), blank=True, related_name="+")
    endpoint_url = models.URLField(
        _("endpoint URL"),
        max_length=500,
        blank=True,
        help_text=_("Where deliveries are posted (a webhook). Empty: nothing is delivered."),
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=128,
        default=new_secret,
        help_text=_("Deliveries carry an HMAC-SHA256 signature made with this secret."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")
        ordering = ["portal", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["portal", "name"], name="outlet_name_unique_per_portal")]

    def __str__(self) -> str:
        return self.name


class DeliveryAction(models.TextChoices):
    """What a delivery tells the outlet."""

    PUBLISH = "publish", _("publish")
    UPDATE = "update", _("update")
    UNPUBLISH = "unpublish", _("unpublish")
    WITHDRAW = "withdraw", _("withdraw")


class DeliveryState(models.TextChoices):
    """Where a delivery stands."""

    PENDING = "pending", _("pending")
    DELIVERING = "delivering", _("delivering")
    RETRYING = "retrying", _("waiting to retry")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("failed")


class Delivery(models.Model):
    """One outbox row: an item (page revision or plugin object) rendered for one outlet, and its delivery.

    Written in the transaction that publishes, unpublishes or withdraws the item; delivered after the commit
    by a task. `idempotency_key` is unique per (item, revision, outlet, action) and travels with every
    attempt, so a receiver applies each delivery once.
    """

    outlet = models.ForeignKey(Outlet, verbose_name=_("outlet"), on_delete=models.CASCADE, related_name="deliveries")
    action = models.CharField(_("action"), max_length=16, choices=DeliveryAction.choices)
    item_type = models.CharField(_("item type"), max_length=100, help_text=_("app_label.model of the item."))
    item_id = models.CharField(_("item id"), max_length=64)
    revision_id = models.BigIntegerField(_("revision"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=255)
    payload = models.JSONField(_("payload"), default=dict)
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, unique=True)
    state = models.CharField(_("state"), max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    last_status = models.PositiveIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="delivery_due"),
            models.Index(fields=["item_type", "item_id"], name="delivery_item"),
        ]

    def __str__(self) -> str:
        return f"{self.outlet} · {self.get_action_display()} · {self.title}"
