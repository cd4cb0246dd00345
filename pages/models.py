"""Page types of the column tree (SPEC §1): home → sections → columns → content items.

A column limits which page types may be added under it (`accepted_types`, set from the profile). Page
types meant to live in columns — ours and plugins' — subclass `ColumnItemPage` so the limit holds in the
admin's "add child page" list, on creation and on moves.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.models import CatalogueCategory, Department, issue_index_number
from cms.review.gate import GatedPublishMixin
from cms.review.models import ContentKind, portal_of

from .serializers import DepartmentField, DepartmentListField, TagListField

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "hr", "link", "document-link", "image", "embed"]


class ProfileManaged(models.Model):
    """A page created from a profile: `profile_key` (slug path from the home page) finds it on re-runs."""

    profile_key = models.CharField(
        _("profile key"), max_length=255, blank=True, default="", editable=False, db_index=True
    )

    class Meta:
        abstract = True


def accepts(parent: Page, model: type[Page]) -> bool:
    """True when `parent` (if it is a column with a type limit) accepts pages of `model`."""
    specific = parent.specific
    allowed = getattr(specific, "accepted_types", None)
    return not allowed or model._meta.label_lower in {label.lower() for label in allowed}


class HomePage(ProfileManaged, Page):
    """The home page of one portal; its children are the sections of the profile."""

    intro = models.TextField(_("introduction"), blank=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["pages.SectionPage", "pages.ColumnPage"]
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")


class SectionPage(ProfileManaged, Page):
    """A section of the portal (e.g. 信息公开, 网上办事, 警民互动) grouping columns."""

    description = models.TextField(_("description"), blank=True)

    parent_page_types = ["pages.HomePage", "pages.SectionPage"]
    subpage_types = ["pages.SectionPage", "pages.ColumnPage"]
    content_panels = [*Page.content_panels, FieldPanel("description")]
    api_fields = [APIField("description")]

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")


class ColumnItemPage(GatedPublishMixin, Page):
    """Base of every page type that lives in a column: honours the column's accepted types, passes the
    publication gate on every publish, and takes the review chain of its content kind from the portal."""

    parent_page_types = ["pages.ColumnPage"]

    class Meta:
        abstract = True

    def review_kind(self) -> str | None:
        """The content kind whose review chain applies (see cms.review.models.ContentKind)."""
        return getattr(self, "content_kind", None) or "routine"

    def get_workflow(self):
        """The portal's chain for this item's content kind; Wagtail's own assignment otherwise."""
        from cms.review.models import ReviewChain, portal_of

        kind = self.review_kind()
        if kind and self.path:
            chain = (
                ReviewChain.objects.filter(portal=portal_of(self), kind=kind, workflow__active=True)
                .select_related("workflow")
                .first()
            )
            if chain is not None:
                return chain.workflow
        return super().get_workflow()

    @property
    def has_workflow(self) -> bool:
        """Whether submitting for review is possible: the item has a chain (not Wagtail's assignments of workflows
        to ancestors, which the portal's chains replace)."""
        if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
            return False
        return self.get_workflow() is not None

    @classmethod
    def can_exist_under(cls, parent: Page) -> bool:
        """Allowed by the class rules and by the parent column's accepted types."""
        return super().can_exist_under(parent) and accepts(parent, cls)


class ColumnPage(ProfileManaged, ColumnItemPage):
    """A column (栏目): maintained by responsible departments, optionally reviewed by another, and
    expected to be updated every `update_days` days. Lists its live children, newest first, paginated.
    """

    description = models.TextField(_("purpose"), blank=True)
    responsible_departments = ParentalManyToManyField(
        Department, verbose_name=_("responsible departments"), blank=True, related_name="columns"
    )
    reviewing_department = models.ForeignKey(
        Department,
        verbose_name=_("reviewing department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_columns",
    )
    update_days = models.PositiveIntegerField(
        _("expected update interval (days)"),
        null=True,
        blank=True,
        help_text=_("Used by oversight to flag stale columns."),
    )
    accepted_types = models.JSONField(
        _("accepted page types"),
        default=list,
        blank=True,
        help_text=_("Model labels such as pages.ArticlePage; empty accepts every page type allowed here."),
    )
    per_page = models.PositiveSmallIntegerField(_("items per page"), default=20)

    parent_page_types = ["pages.HomePage", "pages.SectionPage", "pages.ColumnPage"]
    content_panels = [
        *Page.content_panels,
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("responsible_departments", permission="cms.change_department"),
                FieldPanel("reviewing_department", permission="cms.change_department"),
                FieldRowPanel([FieldPanel("update_days", permission="cms.change_department"), FieldPanel("per_page")]),
            ],
            heading=_("Responsibility"),
        ),
    ]
    api_fields = [
        APIField("description"),
        APIField("responsible_departments", serializer=DepartmentListField()),
        APIField("reviewing_department", serializer=DepartmentField()),
        APIField("update_days"),
    ]

    class Meta:
        verbose_name = _("column")
        verbose_name_plural = _("columns")

    def review_kind(self) -> str | None:
        """Columns are structure, managed from the profile: no review chain."""
        return None

    def get_workflow(self):
        """No workflow for columns (not even Wagtail's default one at the root)."""
        return None

    @property
    def has_workflow(self) -> bool:
        """True when items created in this column can be submitted for review: the portal has an active chain
        (Wagtail's create view asks the parent page)."""
        from cms.review.models import ReviewChain, portal_of

        if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
            return False
        return ReviewChain.objects.filter(portal=portal_of(self), workflow__active=True).exists()

    def clean(self) -> None:
        """Reject an accepted-types list naming unknown page types."""
        super().clean()
        from django.apps import apps

        unknown = []
        for label in self.accepted_types or []:
            try:
                model = apps.get_model(label)
            except (LookupError, ValueError):
                unknown.append(label)
                continue
            if not issubclass(model, Page):
                unknown.append(label)
        if unknown:
            raise ValidationError({"accepted_types": _("Unknown page types: %s") % ", ".join(unknown)})

    def sub_columns(self):
        """Live child columns, in tree order."""
        return self.get_children().live().public().type(ColumnPage).specific()

    def items(self):
        """Live content items (everything but sub-columns), newest first."""
        return (
            self.get_children().live().public().not_type(ColumnPage).specific().order_by("-first_published_at", "-path")
        )

    def get_context(self, request, *args, **kwargs):
        """Add the sub-columns and one page of items (`?page=N`)."""
        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.items(), self.per_page or 20)
        try:
            page = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            page = paginator.page(1)
        except EmptyPage:
            page = paginator.page(paginator.num_pages)
        context.update(sub_columns=self.sub_columns(), items=page, paginator=paginator)
        return context


class ContentPage(ColumnItemPage):
    """Common fields of a published item: date, summary and the author department."""

    date = models.DateField(_("date"), default=datetime.date.today)
    summary = models.TextField(_("summary"), blank=True, max_length=500)
    author_department = models.ForeignKey(
        Department,
        verbose_name=_("author department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    search_fields = [*Page.search_fields, index.SearchField("summary")]
    subpage_types: list[str] = []

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        """Default the author department to the owner's department in this portal."""
        if self.author_department_id is None and self.owner_id is not None:
            self.author_department = self.default_department(self.owner)
        return super().save(*args, **kwargs)

    def default_department(self, user) -> Department | None:
        """The department of `user` (as editor, head or column administrator) that maintains this item's
        column, else any of the user's departments in the same portal."""
        from cms.models import departments_of

        candidates = departments_of(user)
        parent = self.get_parent() if self.pk or self.path else None
        column = parent.specific if parent is not None else None
        if isinstance(column, ColumnPage):
            maintaining = candidates.filter(pk__in=column.responsible_departments.values("pk"))
            if maintaining.exists():
                return maintaining.first()
            site_root = column.get_site().root_page if column.get_site() else None
            if site_root is not None:
                candidates = candidates.filter(portal__site__root_page=site_root)
        return candidates.first()


class ArticlePageTag(TaggedItemBase):
    """Tag assignment of an article."""

    content_object = ParentalKey("pages.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class ArticlePage(ContentPage):
    """An article: rich-text body, summary, tags, cover image; a reprint names its source site, time
    and link (all three or none, SPEC §2)."""

    body = RichTextField(_("body"), features=RICH_TEXT_FEATURES, blank=True)
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True, verbose_name=_("tags"))
    content_kind = models.CharField(
        _("content kind"),
        max_length=32,
        default=ContentKind.ROUTINE,
        choices=[(k.value, k.label) for k in ContentKind if k != ContentKind.DOCUMENT],
        help_text=_("Decides the review chain: leaders' activities and important meetings need the bureau leader."),
    )
    activity_ends_at = models.DateTimeField(
        _("activity ends at"),
        null=True,
        blank=True,
        help_text=_("For a leader's activity: it is published only after this time."),
    )
    reprint_source_site = models.CharField(_("reprint source site"), max_length=128, blank=True)
    reprint_source_time = models.DateTimeField(_("reprint time"), null=True, blank=True)
    reprint_source_url = models.URLField(_("reprint source link"), blank=True, max_length=500)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("date"), FieldPanel("author_department", permission="cms.change_department")]),
        FieldRowPanel([FieldPanel("content_kind"), FieldPanel("activity_ends_at")]),
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("body"),
        FieldPanel("tags"),
        MultiFieldPanel(
            [FieldPanel("reprint_source_site"), FieldPanel("reprint_source_time"), FieldPanel("reprint_source_url")],
            heading=_("Reprint source"),
            classname="collapsed",
        ),
    ]
    search_fields = [
        *ContentPage.search_fields,
        index.SearchField("body"),
        index.FilterField("date"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]
    api_fields = [
        APIField("date"),
        APIField("summary"),
        APIField("body"),
        APIField("tags", serializer=TagListField()),
        APIField("author_department", serializer=DepartmentField()),
        APIField("cover_image"),
        APIField("cover_image_thumbnail", serializer=ImageRenditionField("fill-400x300", source="cover_image")),
        APIField("reprint_source_site"),
        APIField("reprint_source_time"),
        APIField("reprint_source_url"),
        APIField("content_kind"),
    ]

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    @property
    def is_reprint(self) -> bool:
        """True when the article names a reprint source."""
        return bool(self.reprint_source_site or self.reprint_source_time or self.reprint_source_url)

    def clean(self) -> None:
        """A reprint must give its source site, reprint time and source link together."""
        super().clean()
        fields = {
            "reprint_source_site": self.reprint_source_site,
            "reprint_source_time": self.reprint_source_time,
            "reprint_source_url": self.reprint_source_url,
        }
        given = [k for k, v in fields.items() if v]
        if given and len(given) < len(fields):
            message = _("A reprint must give the source site, the reprint time and the source link.")
            raise ValidationError({k: message for k, v in fields.items() if not v})
        if self.reprint_source_time and self.reprint_source_time > timezone.now():
            raise ValidationError({"reprint_source_time": _("The reprint time cannot be in the future.")})
        if self.content_kind == ContentKind.LEADER_ACTIVITY and not self.activity_ends_at:
            raise ValidationError({"activity_ends_at": _("A leader's activity needs its end time.")})


class VideoPageTag(TaggedItemBase):
    """Tag assignment of a video."""

    content_object = ParentalKey("pages.VideoPage", on_delete=models.CASCADE, related_name="tagged_items")


class VideoPage(ContentPage):
    """A video news item: a video file (Wagtail document) or a link to one, with its description."""

    video_file = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("video file"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    video_url = models.URLField(_("video link"), blank=True, max_length=500)
    duration = models.CharField(_("duration"), max_length=16, blank=True, help_text=_("e.g. 03:25"))
    description = RichTextField(_("description"), features=RICH_TEXT_FEATURES, blank=True)
    tags = ClusterTaggableManager(through=VideoPageTag, blank=True, verbose_name=_("tags"))

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("date"), FieldPanel("author_department", permission="cms.change_department")]),
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldRowPanel([FieldPanel("video_file"), FieldPanel("video_url")]),
        FieldPanel("duration"),
        FieldPanel("description"),
        FieldPanel("tags"),
    ]
    search_fields = [*ContentPage.search_fields, index.SearchField("description")]
    api_fields = [
        APIField("date"),
        APIField("summary"),
        APIField("description"),
        APIField("video_url"),
        APIField("video_file"),
        APIField("duration"),
        APIField("tags", serializer=TagListField()),
        APIField("author_department", serializer=DepartmentField()),
        APIField("cover_image"),
    ]

    class Meta:
        verbose_name = _("video news")
        verbose_name_plural = _("video news")

    def clean(self) -> None:
        """A video needs a file or a link."""
        super().clean()
        if not self.video_file_id and not self.video_url:
            message = _("Upload a video file or give a video link.")
            raise ValidationError({"video_file": message, "video_url": message})


class DisclosureMode(models.TextChoices):
    """How a piece of government information is disclosed (公开方式)."""

    PROACTIVE = "proactive", _("proactive disclosure")
    ON_REQUEST = "on_request", _("disclosure on request")
    NOT_DISCLOSED = "not_disclosed", _("not disclosed")


class DisclosureAttribute(models.TextChoices):
    """What a published document says of itself (SPEC §2)."""

    FULL = "full", _("published in full")
    REDACTED = "redacted", _("published with deletions")


class Validity(models.TextChoices):
    """Whether a document is in force."""

    VALID = "valid", _("in force")
    REPEALED = "repealed", _("repealed")


class GovernmentDocumentAttachment(Orderable):
    """A file attached to a government document."""

    page = ParentalKey("pages.GovernmentDocumentPage", on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("file"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=255, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    def __str__(self) -> str:
        return self.title or self.document.title


class GovernmentDocumentPage(ContentPage):
    """Government information (政府信息) in the disclosure catalogue (信息公开目录, SPEC §3).

    The index number (索引号) is issued from the portal's pattern when the document first goes live,
    unique and without gaps; the document passes the document review chain.
    """

    index_number = models.CharField(
        _("index number"), max_length=64, blank=True, default="", editable=False, db_index=True
    )
    document_number = models.CharField(
        _("document number"), max_length=64, blank=True, help_text=_("e.g. 安公发〔2026〕12号")
    )
    publishing_organ = models.CharField(
        _("publishing organ"), max_length=128, blank=True, help_text=_("Defaults to the bureau.")
    )
    created_on = models.DateField(_("date of creation"), default=datetime.date.today)
    disclosure_mode = models.CharField(
        _("disclosure mode"), max_length=16, choices=DisclosureMode.choices, default=DisclosureMode.PROACTIVE
    )
    disclosure_attribute = models.CharField(
        _("disclosure attribute"),
        max_length=16,
        choices=DisclosureAttribute.choices,
        default=DisclosureAttribute.FULL,
        blank=True,
    )
    topic = models.ForeignKey(
        CatalogueCategory,
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": "topic"},
    )
    genre = models.ForeignKey(
        CatalogueCategory,
        verbose_name=_("genre"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": "genre"},
    )
    validity = models.CharField(_("validity"), max_length=16, choices=Validity.choices, default=Validity.VALID)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    is_enforcement = models.BooleanField(
        _("enforcement information"),
        default=False,
        help_text=_("Enforcement information goes online within 20 working days instead of 5."),
    )
    body = RichTextField(_("body"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("document_number"), FieldPanel("publishing_organ")]),
        FieldRowPanel([FieldPanel("created_on"), FieldPanel("author_department", permission="cms.change_department")]),
        FieldRowPanel([FieldPanel("disclosure_mode"), FieldPanel("disclosure_attribute")]),
        FieldRowPanel([FieldPanel("topic"), FieldPanel("genre")]),
        FieldRowPanel([FieldPanel("validity"), FieldPanel("valid_until"), FieldPanel("is_enforcement")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("attachments")),
    ]
    search_fields = [
        *ContentPage.search_fields,
        index.SearchField("body"),
        index.SearchField("document_number"),
        index.SearchField("index_number"),
        index.FilterField("disclosure_mode"),
    ]
    api_fields = [
        APIField("index_number"),
        APIField("document_number"),
        APIField("publishing_organ"),
        APIField("created_on"),
        APIField("disclosure_mode"),
        APIField("disclosure_attribute"),
        APIField("validity"),
        APIField("valid_until"),
        APIField("summary"),
        APIField("body"),
        APIField("author_department", serializer=DepartmentField()),
    ]

    class Meta:
        verbose_name = _("government information")
        verbose_name_plural = _("government information")

    def review_kind(self) -> str:
        """Documents pass the document chain (drafter, head, leader, secrecy, column administrator)."""
        return ContentKind.DOCUMENT

    @property
    def published_on(self) -> datetime.date | None:
        """The date the document first went live."""
        return timezone.localdate(self.first_published_at) if self.first_published_at else None

    def is_valid_on(self, day: datetime.date | None = None) -> bool:
        """In force on `day`: not repealed and not past its expiry date."""
        day = day or timezone.localdate()
        return self.validity == Validity.VALID and (self.valid_until is None or self.valid_until >= day)

    def publication_clock(self):
        """The open publication clock (5 or 20 working days), or None once live or not marked for it."""
        from .clocks import publication_clock

        return publication_clock(self)

    @property
    def publication_limit_days(self) -> int:
        """Working days within which a document marked for publication must be live (SPEC §2)."""
        return 20 if self.is_enforcement else 5

    def clean(self) -> None:
        """A published document says whether it is published in full or with deletions."""
        super().clean()
        if self.disclosure_mode == DisclosureMode.PROACTIVE and not self.disclosure_attribute:
            raise ValidationError(
                {"disclosure_attribute": _("Say whether the document is published in full or with deletions.")}
            )
        if self.valid_until and self.valid_until < self.created_on:
            raise ValidationError({"valid_until": _("The expiry date is before the date of creation.")})

    def extra_publication_blockers(self) -> list[tuple[str, str]]:
        """Information marked 不予公开 never goes online."""
        if self.disclosure_mode == DisclosureMode.NOT_DISCLOSED:
            return [("not_disclosed", _("Publication blocked: this information is marked not for disclosure."))]
        return []

    def save(self, *args, **kwargs):
        """Default the publishing organ to the bureau."""
        if not self.publishing_organ and self.path:
            portal = portal_of(self)
            if portal is not None:
                self.publishing_organ = portal.name
        return super().save(*args, **kwargs)

    def before_going_live(self) -> None:
        """Issue the index number when the document first goes live, in the publishing transaction (so a
        refused or failed publication spends no serial); a republished document keeps its number."""
        if not self.index_number and self.pk:
            self.index_number = (
                type(self).objects.filter(pk=self.pk).values_list("index_number", flat=True).first() or ""
            )
        if not self.index_number:
            portal = portal_of(self)
            if portal is not None:
                self.index_number = issue_index_number(portal, self.created_on.year)
        from .clocks import stop_publication_clock

        stop_publication_clock(self)
