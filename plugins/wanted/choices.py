"""Choices of wanted notices and tips: levels, lifecycle states, sex, the states of a tip."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeLevel(models.TextChoices):
    """Who issues the notice and how far it reaches (公安部 A级 / B级, provincial, city, county)."""

    A = "a", _("Class A")
    B = "b", _("Class B")
    PROVINCE = "province", _("Provincial")
    CITY = "city", _("City")
    COUNTY = "county", _("County")


class NoticeStatus(models.TextChoices):
    """Where a notice stands: open (wanted, updated) or closed for good."""

    WANTED = "wanted", _("Wanted")
    UPDATED = "updated", _("Updated")
    CAPTURED = "captured", _("Captured")
    SURRENDERED = "surrendered", _("Surrendered")
    DECEASED = "deceased", _("Deceased")
    REVOKED = "revoked", _("Revoked by the issuing organ")


#: States in which the notice is public and the person is sought.
OPEN_STATES = (NoticeStatus.WANTED, NoticeStatus.UPDATED)
#: Closing states: the notice is unpublished and its personal data deleted.
CLOSED_STATES = (NoticeStatus.CAPTURED, NoticeStatus.SURRENDERED, NoticeStatus.DECEASED, NoticeStatus.REVOKED)


class Sex(models.TextChoices):
    """The sex of the person sought."""

    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    UNKNOWN = "unknown", _("Unknown")


class TipState(models.TextChoices):
    """How staff judged a tip."""

    NEW = "new", _("Not checked yet")
    CHECKED = "checked", _("Checked")
    USEFUL = "useful", _("Useful")
    NOT_USEFUL = "not_useful", _("Not useful")
