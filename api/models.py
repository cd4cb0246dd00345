"""API tokens of outlets: read-only credentials an app, a Weibo/WeChat bridge or a mirror uses to pull its feed.

A key looks like `slt_<prefix>_<secret>`. Only its SHA-256 hash is stored; the plain key is returned once, when
the token is issued, and cannot be recovered later (issue a new token and revoke the old one instead).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: Every key starts with this, so leaked keys are easy to recognise (secret scanners, logs).
KEY_SCHEME = "slt"
#: Characters of the public prefix (hex): stored in clear, shown in the admin, used to find the row.
PREFIX_LENGTH = 8
#: `last_used_at` is written at most this often per token.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_key(key: str) -> str:
    """The SHA-256 hex digest of a plain key (what the database keeps)."""
    return hashlib.sha256(key.encode()).hexdigest()


def prefix_of(key: str) -> str | None:
    """The prefix of a well-formed key `slt_<prefix>_<secret>`, else None."""
    head = f"{KEY_SCHEME}_"
    if not key.startswith(head) or len(key) <= len(head) + PREFIX_LENGTH + 1:
        return None
    prefix = key[len(head) : len(head) + PREFIX_LENGTH]
    if key[len(head) + PREFIX_LENGTH] != "_" or any(c not in "0123456789abcdef" for c in prefix):
        return None
    return prefix


class TokenState(models.TextChoices):
    """Where a token stands (computed, not stored)."""

    ACTIVE = "active", _("active")
    EXPIRED = "expired", _("expired")
    REVOKED = "revoked", _("revoked")


class ApiTokenQuerySet(models.QuerySet):
    """Queries of API tokens."""

    def usable(self, now: datetime | None = None) -> ApiTokenQuerySet:
        """Tokens neither revoked nor expired."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )

    def find(self, key: str) -> ApiToken | None:
        """The usable token of a plain key, or None. Hashes are compared in constant time."""
        prefix = prefix_of(key)
        if prefix is None:
            return None
        digest = hash_key(key)
        found = None
        for token in self.usable().filter(prefix=prefix).select_related("outlet"):
            if hmac.compare_digest(token.key_hash, digest):
                found = token
        return found


class ApiToken(models.Model):
    """A read-only credential of one outlet (`Authorization: Bearer slt_…`): hashed at rest, revocable, and
    optionally expiring. It unlocks that outlet's feed and grants no staff rights."""

    outlet = models.ForeignKey(
        "outlets.Outlet", verbose_name=_("outlet"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        _("name"), max_length=128, help_text=_("Who or what uses the token, e.g. the app's server.")
    )
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, db_index=True, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.display_prefix} · {self.name}"

    @classmethod
    def issue(cls, outlet, name: str, created_by=None, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
        """Create a token for `outlet`; returns it and its plain key, which is never available again."""
        prefix = secrets.token_hex(PREFIX_LENGTH // 2)
        key = f"{KEY_SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
        token = cls.objects.create(
            outlet=outlet,
            name=name,
            prefix=prefix,
            key_hash=hash_key(key),
            created_by=created_by,
            expires_at=expires_at,
        )
        return token, key

    @property
    def display_prefix(self) -> str:
        """The public start of the key, e.g. `slt_1a2b3c4d…`."""
        return f"{KEY_SCHEME}_{self.prefix}…"

    @property
    def state(self) -> TokenState:
        """Active, expired or revoked, now."""
        if self.revoked_at is not None:
            return TokenState.REVOKED
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return TokenState.EXPIRED
        return TokenState.ACTIVE

    def get_state_display(self) -> str:
        """The state's label."""
        return str(self.state.label)

    def revoke(self) -> bool:
        """Revoke the token now; False when it was revoked already."""
        if self.revoked_at is not None:
            return False
        self.revoked_at = timezone.now()
        type(self).objects.filter(pk=self.pk, revoked_at__isnull=True).update(revoked_at=self.revoked_at)
        return True

    def touch(self) -> None:
        """Record a use (written at most once a minute, so busy pulls do not write on every request)."""
        now = timezone.now()
        if self.last_used_at is not None and now - self.last_used_at < LAST_USED_RESOLUTION:
            return
        self.last_used_at = now
        type(self).objects.filter(pk=self.pk).update(last_used_at=now)


#: Personal staff keys start with this (`sls_<prefix>_<secret>`), distinct from the outlets' `slt_` keys.
USER_KEY_SCHEME = "sls"


def user_prefix_of(key: str) -> str | None:
    """The prefix of a well-formed personal key `sls_<prefix>_<secret>`, else None."""
    if not key.startswith(f"{USER_KEY_SCHEME}_"):
        return None
    return prefix_of(KEY_SCHEME + key[len(USER_KEY_SCHEME) :])


class UserTokenQuerySet(ApiTokenQuerySet):
    """Queries of personal staff tokens."""

    def find(self, key: str) -> UserToken | None:
        """The usable token of a plain key `sls_…` whose user is active, or None (constant-time compare)."""
        prefix = user_prefix_of(key)
        if prefix is None:
            return None
        digest = hash_key(key)
        found = None
        for token in self.usable().filter(prefix=prefix, user__is_active=True).select_related("user"):
            if hmac.compare_digest(token.key_hash, digest):
                found = token
        return found


class UserToken(models.Model):
    """A personal staff token (`Authorization: Bearer sls_…`): it acts as its user, with the user's
    permissions, on the staff API routes that accept it. Hashed at rest, revocable, optionally expiring."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_user_tokens"
    )
    name = models.CharField(_("name"), max_length=128, help_text=_("What the token is for, e.g. a script."))
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, db_index=True, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    objects = UserTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal API token")
        verbose_name_plural = _("personal API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.display_prefix} · {self.name}"

    @classmethod
    def issue(cls, user, name: str, expires_at: datetime | None = None) -> tuple[UserToken, str]:
        """Create a token for `user`; returns it and its plain key, which is never available again."""
        prefix = secrets.token_hex(PREFIX_LENGTH // 2)
        key = f"{USER_KEY_SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
        token = cls.objects.create(user=user, name=name, prefix=prefix, key_hash=hash_key(key), expires_at=expires_at)
        return token, key

    @property
    def display_prefix(self) -> str:
        """The public start of the key, e.g. `sls_1a2b3c4d…`."""
        return f"{USER_KEY_SCHEME}_{self.prefix}…"

    state = ApiToken.state
    get_state_display = ApiToken.get_state_display
    revoke = ApiToken.revoke
    touch = ApiToken.touch
