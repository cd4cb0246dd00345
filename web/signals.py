"""Profiles fill a site's settings: the footer keys of a profile's `site:` section (sponsor, site_code,
icp_number, police_record_number, address, postcode, phone, email) and its `site_name` go into the empty fields of
the site's SiteSettings; what an administrator has entered is never overwritten."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from cms.profiles.loader import profile_applied


@receiver(profile_applied)
def fill_site_settings(sender: Any, portal: Any, spec: Any, report: Any, **kwargs: Any) -> None:
    """Copy the profile's footer values into the empty settings of the portal's site."""
    from .models import SiteSettings

    settings, _created = SiteSettings.objects.get_or_create(site=portal.site)
    wanted = {"site_name": spec.site.site_name, **spec.site.footer}
    filled = [k for k, v in wanted.items() if v and not getattr(settings, k)]
    for key in filled:
        setattr(settings, key, wanted[key])
    if filled:
        settings.save()
        report.updated.append(f"site settings: {', '.join(filled)}")
