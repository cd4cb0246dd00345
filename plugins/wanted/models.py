"""Models of wanted notices (网上通缉): the notice page with its photos and supplementary bulletins, and the
tips citizens send about a notice.

The notice is a page type in the criminal police's column (`xxgk/wstj` in ankang): it passes the publication
gate and the review chain of routine items like any article, and Wagtail's revisions of it are the approval
trail. Its contents follow the 通缉令 of the 公安机关办理刑事案件程序规定 (and what the FBI and Interpol APIs
carry): number, level, issuing organ, issue date, scope; the person sought; the case; the reward; whom to
contact; and 补发通报 citing the original number and date.

What survives a closing (captured, surrendered, deceased, revoked) is `RECORD_FIELDS`: number, level, issuing
organ, issue date, department and the closing itself. Everything else is personal or descriptive and is
deleted by `lifecycle.close_notice` — in the page row, in every revision, and everywhere else it went.
The lifecycle fields never come from a revision (`with_content_json`), so publishing or previewing an old
revision cannot reopen a notice.

The title is generated from the level and the number (A级通缉令 公（刑）缉字〔2026〕3号): it is what the review
ledger, the log entries, the outlets and the page tree keep, so it never names the person.
"""

from __future__ import annotations

import datetime
import os
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from rest_framework import serializers
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.models import Orderable, Page, PageManager, PagePermissionTester
from wagtail.query import PageQuerySet
from wagtail.search import index

from cms.models import Department, Portal, next_serial
from cms.storage import private_storage
from pages.models import ContentPage
from pages.serializers import DepartmentField

from .choices import CLOSED_STATES, OPEN_STATES, NoticeLevel, NoticeStatus, Sex, TipState
from .fields import BulletinsField, NoticeField, PhotoRefsField
from .forms import WantedNoticeForm
from .identity import birth_date_of, is_valid_id_number, sex_of

#: Fields of the notice that stay after it closes (the minimal record), besides Wagtail's own page fields.
RECORD_FIELDS = (
    "number",
    "level",
    "issuing_organ",
    "date",
    "author_department",
    "status",
    "closed_on",
    "closing_text",
    "closed_at",
    "closed_by",
)
#: Fields set only by the lifecycle (`lifecycle.py`), never from a revision or the editor.
LIFECYCLE_FIELDS = ("status", "closed_on", "closing_text", "closed_at", "closed_by")
#: Wagtail page fields editors could write a name into (promote tab): cleared on closing too.
PAGE_TEXT_FIELDS = ("seo_title", "search_description")
#: Child relations (inline objects) of a notice, deleted on closing.
CHILD_RELATIONS = ("photos", "bulletins")
#: Texts whose occurrences are redacted in the rows that quote them (ledger opinions, comments, logs, tips).
QUOTABLE_FIELDS = ("subject_name", "other_names", "id_number", "household_address", "residence_address")

#: How many photos a notice carries at most.
MAX_PHOTOS = 6


def descriptive_fields() -> list[models.Field]:
    """The notice's fields deleted on closing: everything of its own but the minimal record, plus the
    promote-tab texts of Wagtail's page."""
    own = [
        f
        for f in WantedNotice._meta.local_concrete_fields
        if not f.primary_key and f.name not in RECORD_FIELDS and f.name != "page_ptr"
    ]
    return own + [Page._meta.get_field(name) for name in PAGE_TEXT_FIELDS]


def empty_value(field: models.Field) -> Any:
    """The value a deleted field gets: its default, else None when nullable, else ''."""
    if field.has_default():
        return field.get_default()
    return None if field.null else ""


class WantedNoticeQuerySet(PageQuerySet):
    """Queries of notices (Wagtail's page queries plus the lifecycle)."""

    def open(self) -> models.QuerySet:
        """Notices still sought (wanted or updated)."""
        return self.filter(status__in=OPEN_STATES)

    def closed(self) -> models.QuerySet:
        """Notices closed for good."""
        return self.filter(status__in=CLOSED_STATES)


class ClosedNoticePermissionTester(PagePermissionTester):
    """A closed notice is a minimal record: nobody edits, publishes, copies, moves or locks it; only a superuser
    may delete it. Its history stays visible to those who may see it."""

    def can_edit(self) -> bool:
        return False

    def can_publish(self) -> bool:
        return False

    def can_unpublish(self) -> bool:
        return False

    def can_submit_for_moderation(self) -> bool:
        return False

    def can_copy(self) -> bool:
        return False

    def can_move(self) -> bool:
        return False

    def can_lock(self) -> bool:
        return False

    def can_set_view_restrictions(self) -> bool:
        return False

    def can_delete(self, ignore_bulk: bool = False) -> bool:
        return bool(self.user.is_active and self.user.is_superuser)


class OpenNoticePermissionTester(PagePermissionTester):
    """An open notice is edited and published as usual, but never copied (a copy would duplicate the person's
    data outside the notice's lifecycle); deleting it is for superusers (closing is the way to end it)."""

    def can_copy(self) -> bool:
        return False

    def can_delete(self, ignore_bulk: bool = False) -> bool:
        return bool(self.user.is_active and self.user.is_superuser)


class WantedNotice(ContentPage):
    """A wanted notice (通缉令) in a column of the criminal police; see the module docstring."""

    # --- the notice (kept after closing) ---
    number = models.CharField(
        _("notice number"), max_length=64, help_text=_("The notice's document number, e.g. 公（刑）缉字〔2026〕3号.")
    )
    level = models.CharField(_("level"), max_length=16, choices=NoticeLevel.choices, default=NoticeLevel.CITY)
    issuing_organ = models.CharField(
        _("issuing organ"), max_length=128, blank=True, help_text=_("Defaults to the bureau.")
    )
    date = models.DateField(_("issue date"), default=datetime.date.today)
    status = models.CharField(
        _("status"), max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.WANTED, editable=False
    )
    closed_on = models.DateField(_("end date"), null=True, blank=True, editable=False)
    closing_text = models.TextField(_("closing text"), blank=True, editable=False)
    closed_at = models.DateTimeField(_("closing recorded at"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # --- descriptive (deleted on closing) ---
    scope = models.CharField(
        _("area of issue"), max_length=128, blank=True, help_text=_("Where it is issued, e.g. 全国.")
    )
    subject_name = models.CharField(_("full name"), max_length=64, blank=True)
    other_names = models.CharField(
        _("aliases"), max_length=255, blank=True, help_text=_("Other names and nicknames, separated by commas.")
    )
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    age = models.PositiveSmallIntegerField(
        _("age"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(120)],
        help_text=_("Age at the issue date, when the date of birth is not known."),
    )
    ethnicity = models.CharField(_("ethnicity"), max_length=16, blank=True, help_text=_("e.g. 汉族"))
    native_place = models.CharField(_("native place"), max_length=128, blank=True)
    household_address = models.CharField(_("household registration address"), max_length=255, blank=True)
    residence_address = models.CharField(_("residence address"), max_length=255, blank=True)
    id_number = models.CharField(
        _("ID number"),
        max_length=18,
        blank=True,
        help_text=_("Resident ID number (18 characters); the public sees it masked."),
    )
    height_cm = models.PositiveSmallIntegerField(
        _("height (cm)"), null=True, blank=True, validators=[MinValueValidator(50), MaxValueValidator(250)]
    )
    accent = models.CharField(_("accent"), max_length=64, blank=True)
    build = models.CharField(_("build"), max_length=64, blank=True, help_text=_("e.g. 体型偏瘦"))
    features = models.TextField(_("distinguishing features"), blank=True, max_length=2000)
    habits = models.TextField(_("habits"), blank=True, max_length=2000)
    clothing = models.TextField(_("clothing"), blank=True, max_length=1000)
    case_time = models.CharField(_("time of the case"), max_length=64, blank=True, help_text=_("e.g. 2026年3月12日晚"))
    case_place = models.CharField(_("place of the case"), max_length=255, blank=True)
    case_region = models.CharField(
        _("region"), max_length=64, blank=True, help_text=_("Region of the case, e.g. 陕西省安康市汉滨区.")
    )
    charge = models.CharField(_("suspected offence"), max_length=128, blank=True, help_text=_("e.g. 故意杀人罪"))
    case_summary = models.TextField(_("summary of the case"), blank=True, max_length=5000)
    reward_amount = models.PositiveIntegerField(_("reward (yuan)"), null=True, blank=True)
    reward_text = models.TextField(_("reward conditions"), blank=True, max_length=2000)
    contact_unit = models.CharField(_("contact unit"), max_length=128, blank=True)
    contact_phones = models.CharField(
        _("contact phones"), max_length=255, blank=True, help_text=_("e.g. 0915-3237000、110")
    )
    born_on = models.DateField(_("born on (for age filters)"), null=True, blank=True, editable=False)

    objects = PageManager.from_queryset(WantedNoticeQuerySet)()

    parent_page_types = ["pages.ColumnPage"]
    subpage_types: list[str] = []
    content_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("number"), FieldPanel("level")]),
                FieldRowPanel([FieldPanel("issuing_organ"), FieldPanel("date")]),
                FieldRowPanel(
                    [FieldPanel("scope"), FieldPanel("author_department", permission="cms.change_department")]
                ),
            ],
            heading=_("Notice"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("subject_name"), FieldPanel("other_names")]),
                FieldRowPanel([FieldPanel("sex"), FieldPanel("birth_date"), FieldPanel("age")]),
                FieldRowPanel([FieldPanel("ethnicity"), FieldPanel("height_cm"), FieldPanel("id_number")]),
                FieldPanel("native_place"),
                FieldPanel("household_address"),
                FieldPanel("residence_address"),
                FieldRowPanel([FieldPanel("accent"), FieldPanel("build")]),
                FieldPanel("features"),
                FieldPanel("habits"),
                FieldPanel("clothing"),
            ],
            heading=_("Person sought"),
        ),
        InlinePanel("photos", label=_("photos"), max_num=MAX_PHOTOS),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("case_time"), FieldPanel("case_region")]),
                FieldPanel("case_place"),
                FieldPanel("charge"),
                FieldPanel("case_summary"),
            ],
            heading=_("Case"),
        ),
        MultiFieldPanel([FieldPanel("reward_amount"), FieldPanel("reward_text")], heading=_("Reward")),
        MultiFieldPanel([FieldPanel("contact_unit"), FieldPanel("contact_phones")], heading=_("Contact")),
        InlinePanel("bulletins", label=_("supplementary bulletins")),
    ]
    base_form_class = WantedNoticeForm
    # No promote tab: the slug comes from the title, and SEO texts could name the person outside the lifecycle.
    promote_panels: list = []
    search_fields = [
        *Page.search_fields,
        index.SearchField("number"),
        index.SearchField("summary"),
        index.FilterField("status"),
        index.FilterField("level"),
    ]
    api_fields = [
        APIField("number"),
        APIField("level"),
        APIField("issuing_organ"),
        APIField("issued_on", serializer=serializers.DateField(source="date", read_only=True)),
        APIField("status"),
        APIField("author_department", serializer=DepartmentField()),
        APIField("notice", serializer=NoticeField()),
        APIField("photos", serializer=PhotoRefsField()),
        APIField("bulletins", serializer=BulletinsField()),
    ]

    class Meta:
        verbose_name = _("wanted notice")
        verbose_name_plural = _("wanted notices")

    # --- state ---

    @property
    def is_closed(self) -> bool:
        """True once captured, surrendered, deceased or revoked."""
        return self.status in CLOSED_STATES

    @property
    def is_open(self) -> bool:
        """True while the person is sought."""
        return self.status in OPEN_STATES

    def stored_status(self) -> str | None:
        """The status in the database (what a revision or an edited instance cannot change)."""
        if not self.pk:
            return None
        return type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()

    def alias_list(self) -> list[str]:
        """The aliases as a list (split on Chinese and Latin commas, semicolons and 、)."""
        text = (self.other_names or "").replace("，", ",").replace("、", ",").replace(";", ",").replace("；", ",")
        return [part.strip() for part in text.split(",") if part.strip()]

    # --- Wagtail ---

    def with_content_json(self, content: dict) -> WantedNotice:
        """A revision's content, with the lifecycle kept from the notice itself."""
        obj = super().with_content_json(content)
        for name in LIFECYCLE_FIELDS:
            attname = self._meta.get_field(name).attname
            setattr(obj, attname, getattr(self, attname))
        return obj

    def permissions_for_user(self, user) -> PagePermissionTester:
        """Closed notices are read-only records; open ones are never copied (see the testers)."""
        if self.is_closed or self.stored_status() in CLOSED_STATES:
            return ClosedNoticePermissionTester(user, self)
        return OpenNoticePermissionTester(user, self)

    def get_sitemap_urls(self, request=None) -> list:
        """Only open notices are in a sitemap."""
        return super().get_sitemap_urls(request) if self.is_open else []

    def save_revision(self, *args: Any, **kwargs: Any):
        """Refuse new revisions of a closed notice: nothing may bring personal data back into it."""
        if self.stored_status() in CLOSED_STATES:
            raise ValidationError(_("This wanted notice is closed and can no longer be changed."))
        return super().save_revision(*args, **kwargs)

    def full_clean(self, *args: Any, **kwargs: Any) -> None:
        """Derive the title (and from it the slug) and the other generated fields before Wagtail validates."""
        if not self.is_closed:
            self.derive()
        super().full_clean(*args, **kwargs)

    def derive(self) -> None:
        """Normalise the input and derive the title, summary, birth date for the age filters, sex from the ID
        number, the cover photo and the issuing organ (the bureau by default)."""
        self.number = (self.number or "").strip()
        self.id_number = (self.id_number or "").strip().upper()
        self.title = self.make_title()
        if not self.draft_title:
            self.draft_title = self.title
        self.born_on = self._born_on()
        if self.id_number and self.sex == Sex.UNKNOWN:
            self.sex = sex_of(self.id_number) or Sex.UNKNOWN
        self.summary = self.make_summary()
        first = next(iter(self.photos.all()), None)
        self.cover_image_id = first.image_id if first is not None else None
        if not self.issuing_organ and self.path:
            from cms.review.models import portal_of

            portal = portal_of(self)
            if portal is not None:
                self.issuing_organ = portal.name

    def make_title(self) -> str:
        """The title: level and number, in the site's language (never the person's name)."""
        with translation.override(settings.LANGUAGE_CODE):
            level = NoticeLevel(self.level).label if self.level in NoticeLevel.values else ""
            return gettext("%(level)s wanted notice %(number)s") % {"level": level, "number": self.number.strip()}

    def make_summary(self) -> str:
        """A one-line summary for lists and outlets: name, sex, year of birth, offence, reward."""
        with translation.override(settings.LANGUAGE_CODE):
            parts = [self.subject_name.strip()]
            if self.sex in (Sex.MALE, Sex.FEMALE):
                parts.append(str(Sex(self.sex).label))
            if self.born_on:
                parts.append(gettext("born %(year)s") % {"year": self.born_on.year})
            text = gettext(", ").join(p for p in parts if p)
            if self.charge:
                text += gettext("; suspected of %(charge)s") % {"charge": self.charge}
            if self.reward_amount:
                text += gettext("; reward %(amount)s yuan") % {"amount": f"{self.reward_amount:,}"}
            return text[:500]

    @property
    def notice_text(self) -> str:
        """The notice as plain text for outlets (lines; the ID number masked)."""
        from .rendering import notice_lines

        return "\n".join(notice_lines(self))

    def clean(self) -> None:
        """Check the number (unique in the portal), the ID number (checksum, agrees with sex and birth date),
        the dates and the closing fields."""
        super().clean()
        if self.is_closed:
            return
        errors: dict[str, str] = {}
        if not (self.subject_name or "").strip():
            errors["subject_name"] = _("Give the name of the person sought.")
        number = (self.number or "").strip()
        if number and self.path:
            from cms.review.models import portal_of

            portal = portal_of(self)
            same = WantedNotice.objects.filter(number=number).exclude(pk=self.pk)
            if portal is not None:
                same = same.filter(path__startswith=portal.site.root_page.path)
            if same.exists():
                errors["number"] = _("Another wanted notice has this number.")
        id_number = (self.id_number or "").strip().upper()
        if id_number:
            if not is_valid_id_number(id_number) or len(id_number) != 18:
                errors["id_number"] = _("This is not a valid 18-character resident ID number.")
            else:
                if self.sex in (Sex.MALE, Sex.FEMALE) and sex_of(id_number) != self.sex:
                    errors["sex"] = _("The sex does not agree with the ID number.")
                if self.birth_date and birth_date_of(id_number) != self.birth_date:
                    errors["birth_date"] = _("The date of birth does not agree with the ID number.")
        if self.birth_date and self.birth_date > self.date:
            errors["birth_date"] = _("The date of birth is after the issue date.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any):
        """Save with the derived fields up to date (`derive`), unless closed."""
        if not self.is_closed and kwargs.get("update_fields") is None:
            self.derive()
        return super().save(*args, **kwargs)

    def _born_on(self) -> datetime.date | None:
        """The birth date: given, else from the ID number, else estimated from the age at the issue date."""
        if self.birth_date:
            return self.birth_date
        from_id = birth_date_of(self.id_number)
        if from_id:
            return from_id
        if self.age is not None and self.date:
            try:
                return self.date.replace(year=self.date.year - self.age)
            except ValueError:  # 29 February
                return self.date.replace(year=self.date.year - self.age, day=28)
        return None

    # --- publication ---

    def extra_publication_blockers(self) -> list[tuple[str, str]]:
        """A closed notice never goes live again."""
        if self.is_closed or self.stored_status() in CLOSED_STATES:
            return [("wanted_closed", _("Publication blocked: this wanted notice is closed."))]
        return []

    def before_going_live(self) -> None:
        """A notice published again with a changed reward, bulletins or photos becomes `updated`."""
        super().before_going_live()
        if not self.pk or self.status != NoticeStatus.WANTED:
            return
        previous = type(self).objects.filter(pk=self.pk).first()
        if previous is None or previous.first_published_at is None:
            return
        if self.public_update_key() != previous.public_update_key():
            self.status = NoticeStatus.UPDATED

    def public_update_key(self) -> tuple:
        """What makes a republication an update: reward, bulletins and photos."""
        bulletins = tuple((b.number, b.issued_on, b.text) for b in self.bulletins.all())
        photos = tuple(p.image_id for p in self.photos.all())
        return (self.reward_amount, self.reward_text.strip(), bulletins, photos)

    def get_context(self, request, *args: Any, **kwargs: Any) -> dict:
        """The notice as the public sees it (ID masked), for the site's template."""
        from .rendering import public_context

        context = super().get_context(request, *args, **kwargs)
        context.update(public_context(self))
        return context


class NoticePhoto(Orderable):
    """A photo of the person sought (a Wagtail image; deleted with its renditions when the notice closes)."""

    page = ParentalKey(WantedNotice, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("caption"), max_length=128, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption or str(_("photo"))


class NoticeBulletin(Orderable):
    """A supplementary bulletin (补发通报): new information on the notice, citing its number and issue date."""

    page = ParentalKey(WantedNotice, on_delete=models.CASCADE, related_name="bulletins")
    number = models.CharField(_("bulletin number"), max_length=64, blank=True)
    issued_on = models.DateField(_("issue date"), default=datetime.date.today)
    text = models.TextField(_("text"), max_length=5000)

    panels = [FieldRowPanel([FieldPanel("number"), FieldPanel("issued_on")]), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("supplementary bulletin")
        verbose_name_plural = _("supplementary bulletins")

    def __str__(self) -> str:
        return self.number or str(_("supplementary bulletin"))

    def citation(self) -> str:
        """What the bulletin cites: the original notice's number and issue date."""
        with translation.override(settings.LANGUAGE_CODE):
            return gettext("Supplement to wanted notice %(number)s of %(date)s") % {
                "number": self.page.number,
                "date": self.page.date.isoformat() if self.page.date else "",
            }

    def clean(self) -> None:
        """A bulletin is not older than the notice it supplements."""
        super().clean()
        page = getattr(self, "page", None)
        if page is not None and page.date and self.issued_on and self.issued_on < page.date:
            raise ValidationError({"issued_on": _("A supplementary bulletin cannot predate the notice.")})


# --- tips ----------------------------------------------------------------------------------------------------

#: The prefix of tip numbers (线索2026-0001): data, not interface text.
TIP_PREFIX = "线索"


class TipSerial(models.Model):
    """The last tip serial of a portal in a year, locked while a number is issued (gap-free numbers)."""

    portal = models.ForeignKey(Portal, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["portal", "year"], name="one_tip_serial_per_portal_year")]

    def __str__(self) -> str:
        return f"{self.portal_id}/{self.year}: {self.last}"


def issue_tip_serial(portal: Portal, year: int) -> int:
    """The next tip serial of `portal` in `year`; call inside the transaction that saves the tip."""
    return next_serial(TipSerial, portal=portal, year=year)


class Tip(models.Model):
    """A citizen's tip (线索) on a notice: never public; routed to the notice's department, whose staff mark it.

    History (django-simple-history) records the state changes, not the tip's text or contact."""

    portal = models.ForeignKey(Portal, verbose_name=_("portal"), on_delete=models.CASCADE, related_name="+")
    notice = models.ForeignKey(
        WantedNotice, verbose_name=_("wanted notice"), null=True, on_delete=models.SET_NULL, related_name="tips"
    )
    notice_number = models.CharField(_("notice number"), max_length=64)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    year = models.PositiveIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    number = models.CharField(_("tip number"), max_length=32)
    content = models.TextField(_("tip"))
    contact_name = models.CharField(_("contact name"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=TipState.choices, default=TipState.NEW)
    staff_note = models.TextField(_("staff note"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("marked by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(_("marked at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["content", "contact_name", "contact_phone", "idempotency_key"])

    class Meta:
        verbose_name = _("tip")
        verbose_name_plural = _("tips")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["portal", "number"], name="tip_number_unique_per_portal"),
            models.UniqueConstraint(fields=["portal", "year", "serial"], name="tip_serial_unique_per_portal_year"),
            models.UniqueConstraint(
                fields=["portal", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="tip_idempotency_key_unique_per_portal",
            ),
        ]

    def __str__(self) -> str:
        return self.number


def tip_upload_to(instance: TipAttachment, filename: str) -> str:
    """A random name under wanted/tips/<year>/ (the sender's file name is kept apart, never in the path)."""
    ext = os.path.splitext(filename)[1].lower()
    return f"wanted/tips/{timezone.now().year}/{uuid.uuid4().hex}{ext}"


class TipAttachment(models.Model):
    """A file sent with a tip (JPEG, PNG or PDF by content): kept in private storage, never served publicly."""

    tip = models.ForeignKey(Tip, verbose_name=_("tip"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), storage=private_storage, upload_to=tip_upload_to, max_length=255)
    name = models.CharField(_("file name"), max_length=100)
    content_type = models.CharField(_("type"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("tip attachment")
        verbose_name_plural = _("tip attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name
