"""The sensitive-term list (敏感词库) that the secrecy scanner checks content against."""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

#: Cache key of the active (term, category) pairs; bump the suffix when the cached shape changes.
TERMS_CACHE_KEY = "secrecy:active-terms:v1"
#: Safety net for changes that bypass the signals (queryset.update(), raw SQL): at most this stale.
TERMS_CACHE_TIMEOUT = 600
#: Shortest term accepted in the admin: a single character would match almost every text.
MIN_TERM_LENGTH = 2


class TermCategory(models.TextChoices):
    """What kind of sensitive content a term stands for."""

    CLASSIFICATION = "classification", _("Classification and secrecy")
    POLITICAL = "political", _("Political")
    POLICE_TACTICS = "police_tactics", _("Police tactics and methods")
    OTHER = "other", _("Other")


class SensitiveTerm(models.Model):
    """A word or phrase that must not go online without a secrecy review; matched as a plain substring
    (case-insensitive) in every text the scanner checks. Only active terms are used."""

    term = models.CharField(_("term"), max_length=100, unique=True)
    category = models.CharField(_("category"), max_length=32, choices=TermCategory.choices, default=TermCategory.OTHER)
    note = models.TextField(_("note"), blank=True, help_text=_("Why the term is sensitive, or where it comes from."))
    active = models.BooleanField(_("active"), default=True, help_text=_("Inactive terms are kept but not checked."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["term"]
        verbose_name = _("sensitive term")
        verbose_name_plural = _("sensitive terms")

    def __str__(self) -> str:
        return self.term

    def save(self, *args, **kwargs):
        """Save with surrounding whitespace stripped from the term."""
        self.term = (self.term or "").strip()
        return super().save(*args, **kwargs)

    def clean(self) -> None:
        """Strip the term; reject terms that are too short or differ from an existing one only in case."""
        super().clean()
        self.term = (self.term or "").strip()
        if len(self.term) < MIN_TERM_LENGTH:
            raise ValidationError(
                {"term": _("A term needs at least %(count)d characters.") % {"count": MIN_TERM_LENGTH}}
            )
        duplicate = SensitiveTerm.objects.filter(term__iexact=self.term).exclude(pk=self.pk)
        if duplicate.exists():
            raise ValidationError({"term": _("This term is already in the list.")})


def active_terms() -> tuple[tuple[str, str], ...]:
    """The active (term, category) pairs, from the cache when possible (shared by all processes)."""
    terms = cache.get(TERMS_CACHE_KEY)
    if terms is None:
        terms = tuple(
            (term, category)
            for term, category in SensitiveTerm.objects.filter(active=True).values_list("term", "category")
            if term
        )
        cache.set(TERMS_CACHE_KEY, terms, TERMS_CACHE_TIMEOUT)
    return tuple((str(term), str(category)) for term, category in terms)


def invalidate_terms_cache() -> None:
    """Forget the cached term list; the next scan reloads it from the database."""
    cache.delete(TERMS_CACHE_KEY)


@receiver(post_save, sender=SensitiveTerm, dispatch_uid="secrecy_term_saved")
@receiver(post_delete, sender=SensitiveTerm, dispatch_uid="secrecy_term_deleted")
def _terms_changed(sender, **kwargs) -> None:
    """Invalidate at once (this process sees its own change) and again on commit (so no other process
    caches the old list while the transaction is open)."""
    invalidate_terms_cache()
    transaction.on_commit(invalidate_terms_cache)
