"""Site settings (per Wagtail site): what the public site's footer must show — the sponsor, 网站标识码, ICP备案号
and 公安机关备案号 with their registry links — and the contact details."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

#: The registries the footer links to (MIIT for ICP, the Ministry of Public Security for 公安备案).
ICP_REGISTRY = "https://beian.miit.gov.cn/"
POLICE_REGISTRY = "https://beian.mps.gov.cn/#/query/webSearch?code={code}"

_DIGITS = re.compile(r"\d+")


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """The footer of one site: sponsor, identification and record numbers (with their links), contact."""

    site_name = models.CharField(
        _("site name"), max_length=128, blank=True, help_text=_("Shown in the header; empty: the Wagtail site's name.")
    )
    sponsor = models.CharField(_("sponsor (主办单位)"), max_length=128, blank=True)
    site_code = models.CharField(
        _("site identification code (网站标识码)"),
        max_length=32,
        blank=True,
        help_text=_("Issued to government websites, e.g. 6109000001."),
    )
    icp_number = models.CharField(
        _("ICP record number (ICP备案号)"), max_length=64, blank=True, help_text=_("E.g. 陕ICP备05000000号-1.")
    )
    police_record_number = models.CharField(
        _("public security record number (公安机关备案号)"),
        max_length=64,
        blank=True,
        help_text=_("E.g. 陕公网安备 61090202000001号; the link to the record is made from its digits."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    email = models.EmailField(_("email"), max_length=128, blank=True)

    panels = [
        FieldPanel("site_name"),
        MultiFieldPanel(
            [
                FieldPanel("sponsor"),
                FieldPanel("site_code"),
                FieldPanel("icp_number"),
                FieldPanel("police_record_number"),
            ],
            heading=_("Identification"),
        ),
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("postcode"), FieldPanel("phone"), FieldPanel("email")],
            heading=_("Contact"),
        ),
    ]

    class Meta:
        verbose_name = _("public site settings")
        verbose_name_plural = _("public site settings")

    def __str__(self) -> str:
        return self.site_name or str(self.site)

    def clean(self) -> None:
        """A postcode has six digits."""
        super().clean()
        if self.postcode and not re.fullmatch(r"\d{6}", self.postcode):
            raise ValidationError({"postcode": _("A postcode has six digits.")})

    @property
    def icp_url(self) -> str:
        """The MIIT registry (where an ICP number is looked up)."""
        return ICP_REGISTRY if self.icp_number else ""

    @property
    def police_record_url(self) -> str:
        """The public security registry's page of this site's record (from the number's digits)."""
        digits = "".join(_DIGITS.findall(self.police_record_number or ""))
        return POLICE_REGISTRY.format(code=digits) if digits else ""
