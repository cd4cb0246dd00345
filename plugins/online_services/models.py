"""Models of 网上办事 (SPEC §6): service guides with every element of a government service item, the shared
places where items are handled, the hotline directory (便民电话) and the forms library (表格下载).

A guide (`ServiceGuidePage`) lives in a police type's 办事指南 column and passes the review chain like any
item; it can be submitted for review only when complete (`completeness.py`) and can be withdrawn with a
notice (`withdrawal.py`), staying visible as withdrawn.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.api import APIField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.models import Department, DepartmentKind, Portal
from pages.models import ContentPage
from pages.serializers import DepartmentField

from .choices import GuideStatus, ItemType, MaterialForm
from .forms import ServiceGuideForm
from .phones import normalise_number, tel_href, validate_number

POLICE_TYPE = {"kind": DepartmentKind.POLICE_TYPE}
#: Hotlines by police type, then the city bureau's numbers before the counties', then their order.
HOTLINE_ORDER = (
    "police_type__sort_order",
    "police_type__code",
    models.F("county__sort_order").asc(nulls_first=True),
    "sort_order",
    "pk",
)
COUNTY = {"kind": DepartmentKind.COUNTY}


class WithMaterialDocument(models.Manager):
    """Children read with their document (API listings read them for many guides at once)."""

    def get_queryset(self):
        return super().get_queryset().select_related("document")


class WithCounty(models.Manager):
    """Locations read with their county."""

    def get_queryset(self):
        return super().get_queryset().select_related("county")


class ServiceLocation(models.Model):
    """A place where service items are handled, with its opening hours (办理地点和时间), shared by guides."""

    portal = models.ForeignKey(Portal, verbose_name=_("portal"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=128, help_text=_("e.g. 安康市政务服务中心公安综合窗口"))
    address = models.CharField(_("address"), max_length=255)
    hours = models.CharField(
        _("opening hours"), max_length=255, help_text=_("e.g. 周一至周五 8:30-12:00，14:30-17:30（法定节假日除外）")
    )
    county = models.ForeignKey(
        Department,
        verbose_name=_("county"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to=COUNTY,
        help_text=_("Leave empty for a place of the city bureau."),
    )
    directions = models.CharField(_("directions"), max_length=255, blank=True, help_text=_("How to get there."))
    history = HistoricalRecords()

    objects = WithCounty()

    panels = [
        FieldPanel("portal"),
        FieldPanel("name"),
        FieldPanel("address"),
        FieldPanel("hours"),
        FieldRowPanel([FieldPanel("county"), FieldPanel("directions")]),
    ]

    class Meta:
        verbose_name = _("service location")
        verbose_name_plural = _("service locations")
        ordering = ["portal", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The county belongs to the same portal."""
        if self.county_id and self.portal_id and self.county.portal_id != self.portal_id:
            raise ValidationError({"county": _("Choose a county of the same portal.")})


class Hotline(models.Model):
    """One number of the hotline directory (便民电话): who answers, for which police type and county, when."""

    portal = models.ForeignKey(
        Portal, verbose_name=_("portal"), on_delete=models.CASCADE, related_name="+", editable=False
    )
    police_type = models.ForeignKey(
        Department,
        verbose_name=_("police type"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=POLICE_TYPE,
    )
    county = models.ForeignKey(
        Department,
        verbose_name=_("county"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=COUNTY,
        help_text=_("Leave empty for a number of the city bureau."),
    )
    department = models.CharField(
        _("answering unit"), max_length=128, help_text=_("e.g. 汉滨分局户政大队, 市局出入境管理支队接待大厅")
    )
    name = models.CharField(_("name"), max_length=128, help_text=_("e.g. 户籍业务咨询电话"))
    number = models.CharField(
        _("phone number"),
        max_length=32,
        validators=[validate_number],
        help_text=_("A landline with its area code (0915-3268110), a public service number or a 400/800 line."),
    )
    hours = models.CharField(_("hours"), max_length=128, blank=True, help_text=_("e.g. 工作日 8:30-17:30, 24小时"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    panels = [
        FieldRowPanel([FieldPanel("police_type"), FieldPanel("county")]),
        FieldPanel("department"),
        FieldRowPanel([FieldPanel("name"), FieldPanel("number")]),
        FieldRowPanel([FieldPanel("hours"), FieldPanel("sort_order")]),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = _("hotline")
        verbose_name_plural = _("hotlines")
        ordering = HOTLINE_ORDER
        indexes = [
            models.Index(fields=["portal", "police_type"], name="hotline_portal_type"),
            models.Index(fields=["portal", "county"], name="hotline_portal_county"),
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.name} {self.number}"

    def save(self, *args, **kwargs):
        """The portal is the police type's."""
        if self.police_type_id and not self.portal_id:
            self.portal_id = self.police_type.portal_id
        return super().save(*args, **kwargs)

    def clean(self) -> None:
        """Write the number in its one form; the county belongs to the police type's portal."""
        if self.number:
            try:
                self.number = normalise_number(self.number)
            except ValidationError as exc:
                raise ValidationError({"number": exc.messages}) from None
        if self.county_id and self.police_type_id and self.county.portal_id != self.police_type.portal_id:
            raise ValidationError({"county": _("Choose a county of the same portal as the police type.")})

    @property
    def tel_href(self) -> str:
        """The number as a `tel:` address to dial from a phone ('' when it cannot be dialled)."""
        return tel_href(self.number)


class ServiceGuidePage(ContentPage):
    """A service guide (办事指南): every element of a government service item (seed 000 §一; SPEC §6).

    Every element may be left empty in a draft; `completeness.missing_elements` lists the required ones
    still missing, and a guide missing any cannot be submitted for review nor go live. A withdrawn guide
    (`withdrawn_at`) stays online marked withdrawn, with its reason and date; the withdrawal fields belong
    to the page, not to a revision, so publishing a later revision keeps them.
    """

    item_code = models.CharField(
        _("item code"),
        max_length=64,
        blank=True,
        help_text=_("As in the catalogue of government service items, e.g. 610900-GA-XK-0401."),
    )
    item_type = models.CharField(_("type of item"), max_length=32, choices=ItemType.choices, blank=True)
    implementing_organ = models.CharField(
        _("implementing organ"), max_length=128, blank=True, help_text=_("e.g. 安康市公安局出入境管理支队")
    )
    police_type = models.ForeignKey(
        Department,
        verbose_name=_("police type"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The police type whose column holds the guide."),
    )
    scope = models.TextField(_("scope"), blank=True, help_text=_("Who may apply and in which cases (受理范围)."))
    flow_chart = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("flow chart"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    statutory_days = models.PositiveSmallIntegerField(
        _("statutory time limit (working days)"),
        null=True,
        blank=True,
        help_text=_("Working days the law allows; 0 for on the spot."),
    )
    promised_days = models.PositiveSmallIntegerField(
        _("promised time limit (working days)"),
        null=True,
        blank=True,
        help_text=_("Working days the bureau promises; 0 for on the spot."),
    )
    time_limit_note = models.CharField(
        _("time limit note"), max_length=255, blank=True, help_text=_("e.g. 不含公示、专家评审时间")
    )
    is_free = models.BooleanField(_("free of charge"), default=False)
    fee_standard = models.TextField(_("fee standard"), blank=True)
    fee_basis = models.TextField(_("basis of the fee"), blank=True)
    locations = ParentalManyToManyField(
        ServiceLocation, verbose_name=_("places and hours"), blank=True, related_name="guides"
    )
    consultation_phone = models.ForeignKey(
        Hotline,
        verbose_name=_("consultation phone"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    complaint_phone = models.ForeignKey(
        Hotline,
        verbose_name=_("complaint phone"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    online_url = models.URLField(_("online application"), max_length=500, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    replaced_by = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    #: Fields about the page as a whole, kept when a revision is restored or published (with_content_json).
    PAGE_WIDE_FIELDS = ("withdrawn_at", "withdrawal_reason", "withdrawn_by_id", "replaced_by_id")

    base_form_class = ServiceGuideForm
    subpage_types: list[str] = []
    search_fields = [
        *ContentPage.search_fields,
        index.SearchField("item_code"),
        index.SearchField("implementing_organ"),
        index.SearchField("scope"),
        index.FilterField("item_type"),
    ]

    class Meta:
        verbose_name = _("service guide")
        verbose_name_plural = _("service guides")

    @classmethod
    def can_exist_under(cls, parent: Page) -> bool:
        """Under a column whose accepted types allow it (name it, or are empty), or a police type's 办事指南
        column: the plugin declares those, so profiles need not name the type (police_types.takes_guides)."""
        from pages.models import ColumnPage, accepts

        from .police_types import takes_guides

        if not Page.can_exist_under.__func__(cls, parent):
            return False
        column = parent.specific
        return isinstance(column, ColumnPage) and (accepts(column, cls) or takes_guides(column))

    @property
    def status(self) -> str:
        """GuideStatus: withdrawn once a withdrawal was recorded."""
        return GuideStatus.WITHDRAWN if self.withdrawn_at else GuideStatus.IN_FORCE

    @property
    def is_withdrawn(self) -> bool:
        """True once the guide was withdrawn."""
        return self.withdrawn_at is not None

    def with_content_json(self, content):
        """A revision's content on this page, keeping the withdrawal (a fact about the page, not a draft)."""
        obj = super().with_content_json(content)
        for name in self.PAGE_WIDE_FIELDS:
            setattr(obj, name, getattr(self, name))
        return obj

    def clean(self) -> None:
        """The promised time limit cannot exceed the statutory one; a free item states no fee."""
        super().clean()
        errors = {}
        if self.statutory_days is not None and self.promised_days is not None:
            if self.promised_days > self.statutory_days:
                errors["promised_days"] = _("The promised time limit cannot exceed the statutory one.")
        if self.is_free and self.fee_standard.strip():
            errors["fee_standard"] = _("A free item has no fee standard: clear it or untick 'free of charge'.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        """The police type is the one whose column holds the guide (read again on every full save)."""
        if self.path and kwargs.get("update_fields") is None:
            from .police_types import police_type_of

            self.police_type = police_type_of(self) or self.police_type
        return super().save(*args, **kwargs)

    def missing_elements(self) -> list[str]:
        """The required elements still missing, in Chinese (empty when complete)."""
        from .completeness import missing_elements

        return missing_elements(self)

    def extra_publication_blockers(self) -> list[tuple[str, str]]:
        """An incomplete guide never goes live (the publication gate asks on every path)."""
        from .completeness import incompleteness_message

        missing = self.missing_elements()
        return [("incomplete", incompleteness_message(missing))] if missing else []

    @property
    def text(self) -> str:
        """The guide as plain text, element by element (outlets show it as the item's body)."""
        from .rendering import guide_text

        return guide_text(self)

    def get_context(self, request, *args, **kwargs):
        """Add the consultation link (the mailbox's form when installed, else the 业务咨询 column) and the
        guide's elements, each read once (site.guide_context)."""
        from .consultation import consultation_url_for
        from .site import guide_context

        context = super().get_context(request, *args, **kwargs)
        context["consultation_url"] = consultation_url_for(self, request)
        context.update(guide_context(self))
        return context


class LegalBasis(Orderable):
    """A law or regulation an item is based on (设定依据), with its provisions."""

    page = ParentalKey(ServiceGuidePage, on_delete=models.CASCADE, related_name="legal_bases")
    name = models.CharField(_("law or regulation"), max_length=255, help_text=_("e.g. 《中华人民共和国护照法》"))
    provisions = models.TextField(_("provisions"), blank=True, help_text=_("The articles, quoted or cited."))

    panels = [FieldPanel("name"), FieldPanel("provisions")]

    class Meta(Orderable.Meta):
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")

    def __str__(self) -> str:
        return self.name


class Condition(Orderable):
    """One numbered condition of an item (办理条件)."""

    page = ParentalKey(ServiceGuidePage, on_delete=models.CASCADE, related_name="conditions")
    text = models.TextField(_("condition"))

    panels = [FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")

    def __str__(self) -> str:
        return self.text[:50]


class Material(Orderable):
    """One application material (申请材料): its form, copies, whether required, and a sample or blank form."""

    page = ParentalKey(ServiceGuidePage, on_delete=models.CASCADE, related_name="materials")
    name = models.CharField(_("material"), max_length=255)
    form = models.CharField(_("form"), max_length=32, choices=MaterialForm.choices, blank=True)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    required = models.BooleanField(_("necessary"), default=True)
    note = models.CharField(_("requirements"), max_length=255, blank=True, help_text=_("e.g. 加盖单位公章"))
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("sample or blank form"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = WithMaterialDocument()

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("form"), FieldPanel("copies"), FieldPanel("required")]),
        FieldPanel("note"),
        FieldPanel("document"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.name


class Step(Orderable):
    """One step of the procedure (办理流程)."""

    page = ParentalKey(ServiceGuidePage, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(_("step"), max_length=64, help_text=_("e.g. 申请, 受理, 审核, 决定, 送达"))
    description = models.TextField(_("description"), blank=True)
    time_limit = models.CharField(_("time limit"), max_length=64, blank=True, help_text=_("e.g. 1个工作日"))

    panels = [FieldRowPanel([FieldPanel("title"), FieldPanel("time_limit")]), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self) -> str:
        return self.title


class Question(Orderable):
    """A frequently asked question and its answer (常见问题)."""

    page = ParentalKey(ServiceGuidePage, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(_("question"), max_length=255)
    answer = models.TextField(_("the answer"))

    panels = [FieldPanel("question"), FieldPanel("answer")]

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("frequently asked questions")

    def __str__(self) -> str:
        return self.question


class ServiceForm(ClusterableModel):
    """A downloadable form of the forms library (表格下载): a Wagtail document, its police type and the
    guides it serves."""

    portal = models.ForeignKey(
        Portal, verbose_name=_("portal"), on_delete=models.CASCADE, related_name="+", editable=False
    )
    title = models.CharField(_("title"), max_length=255)
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("file"), on_delete=models.PROTECT, related_name="+"
    )
    police_type = models.ForeignKey(
        Department,
        verbose_name=_("police type"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=POLICE_TYPE,
    )
    description = models.TextField(_("how to fill it in"), blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("police_type"), FieldPanel("sort_order")]),
        FieldPanel("document"),
        FieldPanel("description"),
        InlinePanel("guide_links", label=_("service guides")),
    ]

    class Meta:
        verbose_name = _("form")
        verbose_name_plural = _("forms library")
        ordering = ["police_type__sort_order", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        """The portal is the police type's."""
        if self.police_type_id and not self.portal_id:
            self.portal_id = self.police_type.portal_id
        return super().save(*args, **kwargs)


class WithForm(models.Manager):
    """Links read with their form and its file."""

    def get_queryset(self):
        return super().get_queryset().select_related("form__document", "form__police_type")


class ServiceFormGuide(Orderable):
    """A form serves a guide."""

    form = ParentalKey(ServiceForm, on_delete=models.CASCADE, related_name="guide_links")
    guide = models.ForeignKey(
        ServiceGuidePage, verbose_name=_("service guide"), on_delete=models.CASCADE, related_name="form_links"
    )

    objects = WithForm()

    panels = [PageChooserPanel("guide", page_type="online_services.ServiceGuidePage")]

    class Meta(Orderable.Meta):
        verbose_name = _("service guide")
        verbose_name_plural = _("service guides")
        constraints = [models.UniqueConstraint(fields=["form", "guide"], name="one_link_per_form_and_guide")]

    def __str__(self) -> str:
        return f"{self.form_id} → {self.guide_id}"


def _guide_panels():
    from .panels import CompletenessPanel

    return [
        CompletenessPanel(heading=_("Completeness")),
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("item_code"), FieldPanel("item_type")]),
                FieldRowPanel(
                    [
                        FieldPanel("implementing_organ"),
                        FieldPanel("author_department", permission="cms.change_department"),
                    ]
                ),
                FieldPanel("date"),
                FieldPanel("summary"),
                FieldPanel("scope"),
            ],
            heading=_("The item"),
        ),
        InlinePanel("legal_bases", label=_("legal basis"), heading=_("Legal basis")),
        InlinePanel("conditions", label=_("condition"), heading=_("Conditions")),
        InlinePanel("materials", label=_("material"), heading=_("Materials")),
        InlinePanel("steps", label=_("step"), heading=_("Procedure")),
        FieldPanel("flow_chart"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("statutory_days"), FieldPanel("promised_days")]),
                FieldPanel("time_limit_note"),
            ],
            heading=_("Time limits"),
        ),
        MultiFieldPanel(
            [FieldPanel("is_free"), FieldPanel("fee_standard"), FieldPanel("fee_basis")], heading=_("Fees")
        ),
        FieldPanel("locations", heading=_("Places and hours"), widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("consultation_phone"), FieldPanel("complaint_phone")]),
                FieldPanel("online_url"),
            ],
            heading=_("Phones and online application"),
        ),
        InlinePanel("faqs", label=_("question"), heading=_("Frequently asked questions")),
    ]


ServiceGuidePage.content_panels = _guide_panels()


def _api_fields():
    from . import serializers as s

    return [
        APIField("date"),
        APIField("summary"),
        APIField("item_code"),
        APIField("item_type", serializer=s.ChoiceField(ItemType)),
        APIField("implementing_organ"),
        APIField("police_type", serializer=DepartmentField()),
        APIField("author_department", serializer=DepartmentField()),
        APIField("scope"),
        APIField("legal_basis", serializer=s.LegalBasisField(source="legal_bases")),
        APIField("conditions", serializer=s.ConditionsField()),
        APIField("materials", serializer=s.MaterialsField()),
        APIField("steps", serializer=s.StepsField()),
        APIField("flow_chart"),
        APIField("flow_chart_image", serializer=ImageRenditionField("max-1600x1600", source="flow_chart")),
        APIField("statutory_days"),
        APIField("promised_days"),
        APIField("time_limit_note"),
        APIField("is_free"),
        APIField("fee_standard"),
        APIField("fee_basis"),
        APIField("locations", serializer=s.LocationsField()),
        APIField("consultation_phone", serializer=s.HotlineRefField()),
        APIField("complaint_phone", serializer=s.HotlineRefField()),
        APIField("online_url"),
        APIField("faqs", serializer=s.QuestionsField()),
        APIField("forms", serializer=s.GuideFormsField(source="form_links")),
        APIField("status", serializer=s.StatusField(source="*")),
        APIField("withdrawal", serializer=s.WithdrawalField(source="*")),
        APIField("replaced_by", serializer=s.PageRefField()),
        APIField("consultation_url", serializer=s.ConsultationUrlField(source="*")),
    ]


ServiceGuidePage.api_fields = _api_fields()
