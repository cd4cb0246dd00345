"""Purge the API URLs of a published or unpublished page from a CDN in front of the portal.

Wagtail's frontend cache app purges the page's own URLs; this adds the API URLs that show it: its detail,
the pages listing root and, for government information, the catalogue detail and listing root. Listings with
query strings cannot be enumerated: their `max-age` (api.caching) bounds how long a CDN keeps them.
Purging happens after the commit and only when a frontend cache is configured (SUNLIGHT_FRONTEND_CACHE_URL).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction

logger = logging.getLogger("sunlight.api")


def api_urls_of(page) -> list[str]:
    """Absolute API URLs that show `page`, on its site's root URL."""
    site = page.get_site()
    if site is None:
        return []
    root = site.root_url.rstrip("/")
    urls = [f"{root}/api/v2/pages/{page.pk}/", f"{root}/api/v2/pages/"]
    if page.specific_class is not None and page.specific_class._meta.label == "pages.GovernmentDocumentPage":
        urls += [f"{root}/api/catalogue/{page.pk}/", f"{root}/api/catalogue/"]
    return urls


def _purge(sender, instance, **kwargs) -> None:
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    urls = api_urls_of(instance)
    if not urls:
        return

    def purge() -> None:
        from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

        try:
            purge_urls_from_cache(urls)
        except Exception:  # a CDN outage must not break publishing
            logger.exception("could not purge %s from the frontend cache", urls)

    transaction.on_commit(purge)


def connect() -> None:
    """Connect the purge to Wagtail's publish and unpublish signals."""
    from wagtail.signals import page_published, page_unpublished

    page_published.connect(_purge, dispatch_uid="sunlight-api-purge-published", weak=False)
    page_unpublished.connect(_purge, dispatch_uid="sunlight-api-purge-unpublished", weak=False)
