"""Models of disclosure requests (依申请公开): the portal's rules, requests with their numbers and clocks,
consultations, answers (approved through the review chain), letter templates and legal remedies.

Every change of a request goes through `transitions.py`, which validates it, moves the clock and records the
actor and reason in the request's history (django-simple-history).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin

from cms.models import Department, NumberedCase, Portal, next_serial

from .choices import (
    CLOSED_STATES,
    AnswerType,
    ApplicantType,
    Channel,
    ConsultationParty,
    DeliveryForm,
    FeeState,
    OrganisationKind,
    ReceiptWay,
    RemedyKind,
    RemedyOutcome,
    State,
    reason_choices,
    reason_label,
)

#: The 2019 regulation's numbers (arts. 30–33), used when a portal's profile sets none.
DEFAULT_RULES = {
    "limit_days": 20,
    "max_extension_days": 20,
    "correction_days": 7,
    "consultation_days": 15,
    "fee_payment_days": 20,
    "number_prefix": "依申",
}


class RequestRules(models.Model):
    """A portal's deadline rules and office for disclosure requests, loaded from its profile's
    `disclosure_requests` section (defaults: the 2019 regulation; ningxia: 15 + 15 days)."""

    portal = models.OneToOneField(
        Portal, verbose_name=_("portal"), on_delete=models.CASCADE, related_name="disclosure_rules"
    )
    office = models.ForeignKey(
        Department,
        verbose_name=_("disclosure office"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Registers and routes requests; its heads approve extensions."),
    )
    limit_days = models.PositiveSmallIntegerField(
        _("answer limit (working days)"), default=20, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    max_extension_days = models.PositiveSmallIntegerField(
        _("longest extension (working days)"), default=20, validators=[MaxValueValidator(60)]
    )
    correction_days = models.PositiveSmallIntegerField(
        _("correction notice within (working days)"), default=7, validators=[MaxValueValidator(30)]
    )
    consultation_days = models.PositiveSmallIntegerField(
        _("third-party answer within (working days)"), default=15, validators=[MaxValueValidator(60)]
    )
    fee_payment_days = models.PositiveSmallIntegerField(
        _("fee payment within (working days)"), default=20, validators=[MaxValueValidator(60)]
    )
    number_prefix = models.CharField(_("number prefix"), max_length=8, default="依申")
    fee_payment = models.CharField(
        _("how to pay a fee"),
        max_length=255,
        blank=True,
        help_text=_("Printed on the fee notice, e.g. the bank account or the payment counter."),
    )
    answer_workflow = models.ForeignKey(
        "wagtailcore.Workflow",
        verbose_name=_("answer approval chain"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disclosure request rules")
        verbose_name_plural = _("disclosure request rules")

    def __str__(self) -> str:
        return f"{self.portal} · {self.limit_days}+{self.max_extension_days}"


def rules_for(portal: Portal | None) -> RequestRules:
    """The portal's rules, or an unsaved object with the 2019 defaults when its profile sets none."""
    if portal is not None:
        found = RequestRules.objects.filter(portal=portal).select_related("office").first()
        if found is not None:
            return found
    return RequestRules(portal=portal, **DEFAULT_RULES)


class RequestSerial(models.Model):
    """The last request serial of a portal in a year; locked while a number is issued, so numbers are unique
    and without gaps under concurrent submissions (a rolled-back submission spends none)."""

    portal = models.ForeignKey(Portal, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["portal", "year"], name="one_request_serial_per_portal_year")]

    def __str__(self) -> str:
        return f"{self.portal_id}/{self.year}: {self.last}"


def issue_serial(portal: Portal, year: int) -> int:
    """The next serial of `portal` in `year`. Call inside the transaction that saves the request."""
    return next_serial(RequestSerial, portal=portal, year=year)


class DisclosureRequestQuerySet(models.QuerySet):
    """Queries over requests."""

    def open(self) -> DisclosureRequestQuerySet:
        """Requests not closed yet."""
        return self.exclude(state__in=list(CLOSED_STATES))

    def for_portal(self, portal: Portal) -> DisclosureRequestQuerySet:
        """Requests of `portal`."""
        return self.filter(portal=portal)


class DisclosureRequest(NumberedCase):
    """A request for government information (政府信息公开申请) with its applicant, the information asked for,
    its state, department, correction, fee and result. Its clock (`cms.deadlines.Clock`, kind
    `disclosure_request`) counts the answer limit from the date of receipt."""

    portal = models.ForeignKey(Portal, verbose_name=_("portal"), on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.ONLINE)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    received_on = models.DateField(
        _("date of receipt"), help_text=_("Day zero of the answer limit, set by the channel's rule.")
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Applicant (personal data: never in a public response)
    applicant_type = models.CharField(
        _("applicant type"), max_length=16, choices=ApplicantType.choices, default=ApplicantType.PERSON
    )
    organisation_kind = models.CharField(
        _("organisation kind"), max_length=16, choices=OrganisationKind.choices, blank=True
    )
    applicant_name = models.CharField(_("name or organisation"), max_length=128)
    legal_representative = models.CharField(_("legal representative"), max_length=64, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=64, blank=True)
    id_type = models.CharField(_("identity document"), max_length=32, default="居民身份证")
    id_number = models.CharField(_("identity document number"), max_length=32)
    phone = models.CharField(_("phone"), max_length=32)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("postal address"), max_length=255, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)

    # The information asked for
    info_title = models.CharField(_("title of the information"), max_length=255)
    info_document_number = models.CharField(_("document number"), max_length=128, blank=True)
    info_description = models.TextField(_("description of the information"))
    purpose = models.TextField(_("purpose"), blank=True)
    delivery_form = models.CharField(
        _("form of delivery"), max_length=16, choices=DeliveryForm.choices, default=DeliveryForm.PAPER
    )
    receipt_way = models.CharField(
        _("way of receipt"), max_length=16, choices=ReceiptWay.choices, default=ReceiptWay.POST
    )

    # Handling
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.RECEIVED, db_index=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("handling department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    transfer_note = models.TextField(_("transfer slip (转办单) note"), blank=True)
    transferred_on = models.DateField(_("transferred on"), null=True, blank=True)
    correction_note = models.TextField(_("what the applicant must correct"), blank=True)
    correction_requested_on = models.DateField(_("correction requested on"), null=True, blank=True)
    correction_due = models.DateField(_("correction due"), null=True, blank=True)
    corrected_on = models.DateField(_("corrected on"), null=True, blank=True)
    corrected_text = models.TextField(_("corrected description"), blank=True)

    fee_state = models.CharField(_("fee"), max_length=16, choices=FeeState.choices, default=FeeState.NONE)
    fee_amount = models.DecimalField(_("fee amount (yuan)"), max_digits=10, decimal_places=2, default=Decimal("0"))
    fee_basis = models.CharField(_("fee basis"), max_length=255, blank=True)
    fee_notified_on = models.DateField(_("fee notice sent on"), null=True, blank=True)
    fee_due = models.DateField(_("fee due"), null=True, blank=True)
    fee_paid_on = models.DateField(_("fee paid on"), null=True, blank=True)

    # Result (what the annual report counts; set when the request closes)
    result_type = models.CharField(_("result"), max_length=16, choices=AnswerType.choices, blank=True)
    result_reason = models.CharField(_("reason"), max_length=32, choices=reason_choices(), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, db_index=True)
    public_reply = models.TextField(
        _("public part of the answer"),
        blank=True,
        help_text=_("Shown to whoever looks the request up with its number and query code."),
    )

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    clocks = GenericRelation("deadlines.Clock")
    history = HistoricalRecords(excluded_fields=["query_code_hash"])

    objects = DisclosureRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("disclosure request")
        verbose_name_plural = _("disclosure requests")
        ordering = ["-received_on", "-serial"]
        constraints = [
            models.UniqueConstraint(fields=["portal", "year", "serial"], name="one_request_per_serial"),
            models.UniqueConstraint(
                fields=["portal", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="one_request_per_idempotency_key",
            ),
        ]
        permissions = [
            ("register_disclosurerequest", "Can register disclosure requests received offline"),
            ("handle_disclosurerequest", "Can handle disclosure requests"),
            ("approve_extension_disclosurerequest", "Can approve extensions of disclosure requests"),
            ("view_annual_report", "Can view the annual disclosure report"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.info_title}"

    @property
    def is_closed(self) -> bool:
        """True once answered, abandoned or withdrawn."""
        return self.state in CLOSED_STATES

    @property
    def result_reason_label(self) -> str:
        """The report's wording of the reason ('' when none)."""
        return reason_label(self.result_type, self.result_reason)

    @property
    def clock(self):
        """The answer clock (or None before it starts)."""
        from cms.deadlines.models import Clock

        return Clock.objects.for_object(self).filter(kind=CLOCK_KIND).order_by("-pk").first()


#: The `Clock.kind` of a request's answer limit.
CLOCK_KIND = "disclosure_request"


class Consultation(models.Model):
    """A consultation of a third party or co-producing organ (征求意见); the request's clock pauses from
    `sent_on` until `answered_on` (art. 32–33)."""

    request = models.ForeignKey(
        DisclosureRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="consultations"
    )
    party = models.CharField(_("party"), max_length=16, choices=ConsultationParty.choices)
    party_name = models.CharField(_("consulted party"), max_length=128)
    sent_on = models.DateField(_("sent on"))
    due_on = models.DateField(_("answer due"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    consents = models.BooleanField(_("agrees to disclosure"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["sent_on", "pk"]

    def __str__(self) -> str:
        return f"{self.request.number} · {self.party_name}"


class Remedy(models.Model):
    """An administrative reconsideration or lawsuit against an answer, with its outcome (table four)."""

    request = models.ForeignKey(
        DisclosureRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="remedies"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RemedyKind.choices)
    filed_on = models.DateField(_("filed on"))
    authority = models.CharField(_("reconsideration organ or court"), max_length=128, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=RemedyOutcome.choices, default=RemedyOutcome.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reconsideration or lawsuit")
        verbose_name_plural = _("reconsiderations and lawsuits")
        ordering = ["filed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.request.number} · {self.get_kind_display()}"


class Answer(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, models.Model):
    """The answer (答复书) to a request, drafted by the handling department and approved through the portal's
    answer chain (department head, office proof-reading, leader sign-off; secrecy and legal review when
    flagged). Approval publishes the answer (`live`); the request is answered when the letter is sent."""

    request = models.OneToOneField(
        DisclosureRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="answer"
    )
    answer_type = models.CharField(_("answer type"), max_length=16, choices=AnswerType.choices)
    reason = models.CharField(_("reason"), max_length=32, choices=reason_choices(), blank=True)
    body = models.TextField(_("answer text"), help_text=_("The substance of the answer, cited in the letter."))
    already_public_at = models.CharField(
        _("where it is already public"),
        max_length=255,
        blank=True,
        help_text=_("For information already published: where and how the applicant can read it."),
    )
    right_organ = models.CharField(
        _("the competent organ"),
        max_length=255,
        blank=True,
        help_text=_("When the information is not this bureau's: the organ that holds it and how to reach it."),
    )
    public_summary = models.TextField(
        _("public summary"),
        blank=True,
        help_text=_("What the status lookup shows; never personal data."),
    )
    needs_secrecy_review = models.BooleanField(_("needs secrecy review"), default=False)
    needs_legal_review = models.BooleanField(_("needs legal review"), default=False)
    template = models.ForeignKey(
        "LetterTemplate",
        verbose_name=_("letter template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
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

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="disclosure_answer")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="disclosure_answer",
        for_concrete_model=False,
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.request.number} · {self.get_answer_type_display()}"

    @property
    def revisions(self):
        """Wagtail revisions of this answer (its approval trail)."""
        return self._revisions

    @property
    def author_department(self) -> Department | None:
        """The handling department (the disclosure office for an answer on the spot): the review chain
        resolves the department head from it."""
        return self.request.department or rules_for(self.request.portal).office

    @property
    def review_portal(self) -> Portal:
        """The portal, for the review ledger."""
        return self.request.portal

    def review_step_needed(self, task: Any) -> bool:
        """Secrecy and legal review run only when the answer is flagged for them (seed 002 art. 20)."""
        from cms.review.models import LegalReviewTask, SecrecyReviewTask

        if isinstance(task, SecrecyReviewTask):
            return self.needs_secrecy_review
        if isinstance(task, LegalReviewTask):
            return self.needs_legal_review
        return True

    @property
    def reason_label(self) -> str:
        """The report's wording of the reason."""
        return reason_label(self.answer_type, self.reason)

    def get_workflow(self):
        """The portal's answer chain from its rules (None: no chain configured)."""
        workflow = rules_for(self.request.portal).answer_workflow
        return workflow if workflow is not None and workflow.active else None


class LetterTemplate(models.Model):
    """An editable template of an answer letter (答复书) for one answer type (and optionally one reason).

    `body` is Django template text; the context holds `request`, `answer`, `bureau`, `today` and the labels
    (see docs/disclosure_requests.md). Each paragraph of the rendered text becomes a paragraph of the DOCX.
    """

    portal = models.ForeignKey(
        Portal,
        verbose_name=_("portal"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: used by every portal without its own template."),
    )
    answer_type = models.CharField(_("answer type"), max_length=16, choices=AnswerType.choices)
    reason = models.CharField(
        _("reason"), max_length=32, choices=reason_choices(), blank=True, help_text=_("Empty: any reason.")
    )
    name = models.CharField(_("name"), max_length=128)
    title = models.CharField(_("letter heading"), max_length=128, default="政府信息公开申请答复书")
    body = models.TextField(_("letter text"))
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("answer letter template")
        verbose_name_plural = _("answer letter templates")
        ordering = ["answer_type", "reason", "name"]

    def __str__(self) -> str:
        return self.name


def today_in_china() -> date:
    """Today's date in Asia/Shanghai (the bureau's calendar day)."""
    from cms.deadlines.calendar import local_today

    return local_today()
