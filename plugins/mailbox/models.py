"""Models of the mailbox (局长信箱 and the other letter boxes): a portal's rules, its letter kinds with their
time limits, its boxes, letters with their routings, attachments and reply, and quick-reply templates.

Every change of a letter goes through `transitions.py`, which checks it, moves its clocks and records actor and
reason in the letter's history (django-simple-history). A letter's writer is personal data: only staff who may
see the letter read it; the public sees a letter only once published, and then only its masked snapshot
(`public_subject`, `public_content`, `public_reply`, written by `transitions.publish` through `cms.privacy`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin

from cms.models import Department, NumberedCase, Portal, next_serial
from cms.storage import private_storage

from .choices import CLOSED_STATES, COMPLEXITY_ORDER, CloseReason, Complexity, State

#: `Clock.kind` of a letter's reply limit (the citizen gets the reply by then).
REPLY_CLOCK = "letter_reply"
#: `Clock.kind` of a routed department's answer limit.
DEPARTMENT_CLOCK = "letter_department"

DEFAULT_RULES = {"number_prefix": "信", "max_extension_days": 15, "unread_alert_hours": 24}


class MailboxRules(models.Model):
    """A portal's rules for letters, from its profile's `mailbox:` section: the office that registers and
    triages, the number prefix, the longest extension, when an unread letter raises the alert, and the reply
    chain (a Wagtail workflow)."""

    portal = models.OneToOneField(
        Portal, verbose_name=_("portal"), on_delete=models.CASCADE, related_name="mailbox_rules"
    )
    office = models.ForeignKey(
        Department,
        verbose_name=_("letters office"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Registers, triages and routes letters of every box."),
    )
    number_prefix = models.CharField(_("number prefix"), max_length=8, default="信")
    max_extension_days = models.PositiveSmallIntegerField(
        _("longest extension (working days)"), default=15, validators=[MaxValueValidator(60)]
    )
    unread_alert_hours = models.PositiveSmallIntegerField(
        _("alert on letters unread for (hours)"), default=24, validators=[MinValueValidator(1)]
    )
    reply_workflow = models.ForeignKey(
        "wagtailcore.Workflow",
        verbose_name=_("reply approval chain"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mailbox rules")
        verbose_name_plural = _("mailbox rules")

    def __str__(self) -> str:
        return f"{self.portal} · {self.number_prefix}"


def rules_for(portal: Portal | None) -> MailboxRules:
    """The portal's rules, or unsaved defaults when its profile sets none."""
    if portal is not None:
        found = MailboxRules.objects.filter(portal=portal).select_related("office").first()
        if found is not None:
            return found
    return MailboxRules(portal=portal, **DEFAULT_RULES)


class LetterKind(models.Model):
    """A kind of letter (咨询, 建议, 求助, 投诉举报 …) with its reply limit per complexity, in working days, and the
    routed department's answer limit (ankang: 3 days, seed 000 §三.6)."""

    portal = models.ForeignKey(Portal, verbose_name=_("portal"), on_delete=models.CASCADE, related_name="+")
    key = models.SlugField(_("key"), max_length=32)
    name = models.CharField(_("name"), max_length=64)
    limits = models.JSONField(
        _("reply limits (working days)"),
        default=dict,
        help_text=_('By complexity, e.g. {"simple": 1, "complex": 3, "major": 7}.'),
    )
    department_days = models.PositiveSmallIntegerField(
        _("department answer within (working days)"), null=True, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("letter kind")
        verbose_name_plural = _("letter kinds")
        ordering = ["portal", "sort_order", "key"]
        constraints = [models.UniqueConstraint(fields=["portal", "key"], name="one_letter_kind_per_key")]

    def __str__(self) -> str:
        return self.name

    @property
    def complexities(self) -> list[str]:
        """The complexities this kind has a limit for, simplest first."""
        return [c for c in COMPLEXITY_ORDER if c in (self.limits or {})]

    @property
    def default_complexity(self) -> str:
        """The complexity a new letter starts with (the simplest this kind knows)."""
        return (self.complexities or [Complexity.SIMPLE])[0]

    def limit_for(self, complexity: str) -> int:
        """The reply limit for `complexity` (the default complexity's when this kind has none for it)."""
        limits = self.limits or {}
        return int(limits.get(complexity) or limits.get(self.default_complexity) or 7)

    def clean(self) -> None:
        """Limits: known complexities, whole numbers of working days from 1 to 60."""
        for key, value in (self.limits or {}).items():
            if key not in COMPLEXITY_ORDER or not isinstance(value, int) or not 1 <= value <= 60:
                raise ValidationError(gettext("Reply limits are whole working days from 1 to 60 per complexity."))


class Box(models.Model):
    """A letter box (局长信箱, 信件反馈, 请您帮助, 举报投诉 …): the department that handles its letters, the kinds it
    takes and the column whose administrators reply and publish (and where published letters are listed)."""

    portal = models.ForeignKey(Portal, verbose_name=_("portal"), on_delete=models.CASCADE, related_name="+")
    key = models.SlugField(_("key"), max_length=32)
    name = models.CharField(_("name"), max_length=64)
    department = models.ForeignKey(
        Department, verbose_name=_("handling department"), on_delete=models.PROTECT, related_name="+"
    )
    column = models.ForeignKey(
        "pages.ColumnPage",
        verbose_name=_("column"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kinds = models.ManyToManyField(LetterKind, verbose_name=_("kinds of letter"), related_name="boxes")
    intro = models.TextField(_("introduction"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("letter box")
        verbose_name_plural = _("letter boxes")
        ordering = ["portal", "sort_order", "key"]
        constraints = [models.UniqueConstraint(fields=["portal", "key"], name="one_box_per_key")]

    def __str__(self) -> str:
        return self.name


class LetterSerial(models.Model):
    """The last letter serial of a portal in a year (locked while a number is issued: no gaps, no repeats)."""

    portal = models.ForeignKey(Portal, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["portal", "year"], name="one_letter_serial_per_portal_year")]

    def __str__(self) -> str:
        return f"{self.portal_id}/{self.year}: {self.last}"


def issue_serial(portal: Portal, year: int) -> int:
    """The next letter serial of `portal` in `year`. Call inside the transaction that saves the letter."""
    return next_serial(LetterSerial, portal=portal, year=year)


class LetterQuerySet(models.QuerySet):
    """Queries over letters."""

    def open(self) -> LetterQuerySet:
        """Letters not replied to nor closed."""
        return self.exclude(state__in=list(CLOSED_STATES))

    def published(self) -> LetterQuerySet:
        """Letters shown publicly (their masked snapshot)."""
        return self.filter(published_at__isnull=False, state=State.REPLIED)


class Letter(NumberedCase):
    """A citizen's letter to a box: its writer (personal data), subject and content, the writer's choice on
    publication, its kind and complexity (which set the reply clock), the department it is with, the
    department's answer, how it was closed, and the masked snapshot shown once published."""

    portal = models.ForeignKey(Portal, verbose_name=_("portal"), on_delete=models.PROTECT, related_name="+")
    box = models.ForeignKey(Box, verbose_name=_("box"), on_delete=models.PROTECT, related_name="letters")
    kind = models.ForeignKey(LetterKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="+")
    complexity = models.CharField(_("complexity"), max_length=16, choices=Complexity.choices, default=Complexity.SIMPLE)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    received_on = models.DateField(_("date of receipt"))

    # The writer (personal data: never in a public response)
    name = models.CharField(_("writer's name"), max_length=64)
    phone = models.CharField(_("phone"), max_length=32)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)

    subject = models.CharField(_("subject"), max_length=100)
    content = models.TextField(_("content"))
    public_allowed = models.BooleanField(
        _("the reply may be shown publicly"),
        default=True,
        help_text=_("The writer's choice (seed 002 art. 32: public unless the writer asks otherwise)."),
    )
    is_emergency = models.BooleanField(
        _("reports an emergency"), default=False, help_text=_("The writer was pointed to 110 at once.")
    )

    # Handling
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.RECEIVED, db_index=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department handling it"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    read_at = models.DateTimeField(_("first read at"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("first read by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    department_answer = models.TextField(_("department's answer"), blank=True)
    department_answered_on = models.DateField(_("department answered on"), null=True, blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True, db_index=True)
    close_reason = models.CharField(_("closed because"), max_length=16, choices=CloseReason.choices, blank=True)
    close_note = models.TextField(_("note to the writer"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    # Publication (masked on the server; staff may add or remove masks, recorded in the history)
    mask_add = models.JSONField(_("also masked"), default=list, blank=True)
    mask_keep = models.JSONField(_("not masked"), default=list, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    public_subject = models.CharField(_("public subject"), max_length=100, blank=True)
    public_content = models.TextField(_("public content"), blank=True)
    public_reply = models.TextField(_("public reply"), blank=True)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    clocks = GenericRelation("deadlines.Clock")
    history = HistoricalRecords(excluded_fields=["query_code_hash"])

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-received_on", "-serial"]
        constraints = [
            models.UniqueConstraint(fields=["portal", "year", "serial"], name="one_letter_per_serial"),
            models.UniqueConstraint(
                fields=["portal", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="one_letter_per_idempotency_key",
            ),
        ]
        permissions = [
            ("handle_letter", "Can handle letters of every box"),
            ("view_letter_statistics", "Can view the letter statistics"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def is_closed(self) -> bool:
        """True once replied to or closed without a reply."""
        return self.state in CLOSED_STATES

    @property
    def is_published(self) -> bool:
        """True while shown publicly."""
        return self.published_at is not None and self.state == State.REPLIED

    def clock_of(self, kind: str):
        """The letter's newest clock of `kind` (REPLY_CLOCK or DEPARTMENT_CLOCK), or None."""
        from cms.deadlines.models import Clock

        return Clock.objects.for_object(self).filter(kind=kind).order_by("-pk").first()

    @property
    def reply_clock(self):
        """The reply clock."""
        return self.clock_of(REPLY_CLOCK)

    @property
    def handling_department(self) -> Department:
        """The department with the letter now, else the box's."""
        return self.department or self.box.department


class Routing(models.Model):
    """One transfer of a letter to a department (转办), with that department's answer. A letter may go to several
    departments in turn."""

    letter = models.ForeignKey(Letter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="routings")
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+")
    routed_on = models.DateField(_("routed on"))
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("routed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("transfer note"), blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("routing")
        verbose_name_plural = _("routings")
        ordering = ["routed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.letter.number} → {self.department}"


def attachment_path(instance: LetterAttachment, filename: str) -> str:
    """Where an attachment is kept: by portal and year, under a random name (the original name is a field)."""
    import uuid

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"mailbox/{instance.letter.portal_id}/{instance.letter.year}/{uuid.uuid4().hex}.{suffix}"


class LetterAttachment(models.Model):
    """A file sent with a letter (image or PDF), kept in private storage: staff download it after a permission
    check, the public never."""

    letter = models.ForeignKey(Letter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, storage=private_storage, max_length=255)
    name = models.CharField(_("original name"), max_length=128)
    content_type = models.CharField(_("type"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Reply(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, models.Model):
    """The reply to a letter, drafted by the department handling it and approved through the portal's reply
    chain (ankang: department head, bureau leader, the box column's administrator, seed 000 §三.6). The chain's
    last approval publishes the reply (`live`) and the letter is replied."""

    letter = models.OneToOneField(Letter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="reply")
    body = models.TextField(_("reply"), help_text=_("What the writer reads; shown publicly (masked) if published."))
    needs_legal_review = models.BooleanField(
        _("needs legal review"), default=False, help_text=_("The reply cites laws or policies (seed 002 art. 29).")
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="mailbox_reply")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="mailbox_reply",
        for_concrete_model=False,
    )

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return f"{self.letter.number} · {gettext('reply')}"

    @property
    def revisions(self):
        """Wagtail revisions of this reply (its approval trail)."""
        return self._revisions

    @property
    def author_department(self) -> Department:
        """The department handling the letter: the chain's department head comes from it."""
        return self.letter.handling_department

    @property
    def review_portal(self) -> Portal:
        """The portal, for the review ledger."""
        return self.letter.portal

    @property
    def review_column(self) -> Any:
        """The box's column: its administrators decide the column administrator's step."""
        return self.letter.box.column

    def review_step_needed(self, task: Any) -> bool:
        """Legal review runs only for replies flagged for it."""
        from cms.review.models import LegalReviewTask

        if isinstance(task, LegalReviewTask):
            return self.needs_legal_review
        return True

    def get_workflow(self):
        """The portal's reply chain (None: no chain configured)."""
        workflow = rules_for(self.letter.portal).reply_workflow
        return workflow if workflow is not None and workflow.active else None


class ReplyTemplate(models.Model):
    """A quick reply (快捷回复) of a box: a text staff insert into a reply and adapt."""

    box = models.ForeignKey(Box, verbose_name=_("box"), on_delete=models.CASCADE, related_name="templates")
    title = models.CharField(_("title"), max_length=64)
    body = models.TextField(_("text"))
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quick reply")
        verbose_name_plural = _("quick replies")
        ordering = ["box", "sort_order", "title"]
        constraints = [models.UniqueConstraint(fields=["box", "title"], name="one_quick_reply_per_title")]

    def __str__(self) -> str:
        return f"{self.box} · {self.title}"
