"""API tokens of outlets: read-only credentials an app, a Weibo/WeChat bridge or a mirror uses to pull its feed.

A key looks like `slt_<prefix>_<secret>`. Only its SHA-256 hash is stored; the plain key is returned once, when
the token is issued, and cannot be recovered later (issue a new token and revoke the old one instead).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import ClassVar

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


class TokenQuerySet(models.QuerySet):
    """Queries of hashed tokens."""

    def usable(self, now: datetime | None = None) -> TokenQuerySet:
        """Tokens neither revoked nor expired."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )

    @staticmethod
    def matching(key: str, candidates: models.QuerySet):
        """The candidate whose hash is the key's, or None; every candidate is compared in constant time."""
        digest = hash_key(key)
        found = None
        for token in candidates:
            if hmac.compare_digest(token.key_hash, digest):
                found = token
        return found


class ApiTokenQuerySet(TokenQuerySet):
    """Queries of API tokens."""

    def find(self, key: str) -> ApiToken | None:
        """The usable token of a plain key, or None. Hashes are compared in constant time."""
        prefix = prefix_of(key)
        if prefix is None:
            return None
        return self.matching(key, self.usable().filter(prefix=prefix).select_related("outlet"))


class HashedToken(models.Model):
    """What outlet and personal tokens share: the public prefix, the key's hash, creation, last use, expiry and
    revocation. Subclasses set `scheme` (the key's first part)."""

    scheme: ClassVar[str] = KEY_SCHEME
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, db_index=True, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.display_prefix} · {self.name}"

    @classmethod
    def new_key(cls) -> tuple[str, str]:
        """A fresh (prefix, plain key) pair of this token type."""
        prefix = secrets.token_hex(PREFIX_LENGTH // 2)
        return prefix, f"{cls.scheme}_{prefix}_{secrets.token_urlsafe(32)}"

    @property
    def display_prefix(self) -> str:
        """The public start of the key, e.g. `slt_1a2b3c4d…`."""
        return f"{self.scheme}_{self.prefix}…"

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


class ApiToken(HashedToken):
    """A read-only credential of one outlet (`Authorization: Bearer slt_…`): hashed at rest, revocable, and
    optionally expiring. It unlocks that outlet's feed and grants no staff rights."""

    outlet = models.ForeignKey(
        "outlets.Outlet", verbose_name=_("outlet"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        _("name"), max_length=128, help_text=_("Who or what uses the token, e.g. the app's server.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    @classmethod
    def issue(cls, outlet, name: str, created_by=None, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
        """Create a token for `outlet`; returns it and its plain key, which is never available again."""
        prefix, key = cls.new_key()
        token = cls.objects.create(
            outlet=outlet,
            name=name,
            prefix=prefix,
            key_hash=hash_key(key),
            created_by=created_by,
            expires_at=expires_at,
        )
        return token, key


#: Personal staff keys start with this (`sls_<prefix>_<secret>`), distinct from the outlets' `slt_` keys.
USER_KEY_SCHEME = "sls"


def user_prefix_of(key: str) -> str | None:
    """The prefix of a well-formed personal key `sls_<prefix>_<secret>`, else None."""
    if not key.startswith(f"{USER_KEY_SCHEME}_"):
        return None
    return prefix_of(KEY_SCHEME + key[len(USER_KEY_SCHEME) :])


class UserTokenQuerySet(TokenQuerySet):
    """Queries of personal staff tokens."""

    def find(self, key: str) -> UserToken | None:
        """The usable token of a plain key `sls_…` whose user is active, or None (constant-time compare)."""
        prefix = user_prefix_of(key)
        if prefix is None:
            return None
        candidates = self.usable().filter(prefix=prefix, user__is_active=True).select_related("user")
        return self.matching(key, candidates)


class UserToken(HashedToken):
    """A personal staff token (`Authorization: Bearer sls_…`): it acts as its user, with the user's
    permissions, on the staff API routes that accept it. Hashed at rest, revocable, optionally expiring."""

    scheme = USER_KEY_SCHEME
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_user_tokens"
    )
    name = models.CharField(_("name"), max_length=128, help_text=_("What the token is for, e.g. a script."))

    objects = UserTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal API token")
        verbose_name_plural = _("personal API tokens")
        ordering = ["-created_at", "-pk"]

    @classmethod
    def issue(cls, user, name: str, expires_at: datetime | None = None) -> tuple[UserToken, str]:
        """Create a token for `user`; returns it and its plain key, which is never available again."""
        prefix, key = cls.new_key()
        token = cls.objects.create(user=user, name=name, prefix=prefix, key_hash=hash_key(key), expires_at=expires_at)
        return token, key
