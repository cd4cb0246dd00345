"""Every change of a disclosure request: intake, first check, correction, transfer, consultation, fee,
extension, answer and closing, with their effect on the answer clock.

Each function locks the request's row, checks that the change is allowed from the current state, applies it
with the clock (`cms.deadlines`), and saves with the actor and a reason in the request's history
(django-simple-history: `history_user`, `history_change_reason`). A change that is not allowed raises
`TransitionError` (a ValidationError with a Chinese message and a `code`) and changes nothing.

    received ─► checking ─► (correction ─► checking | abandoned) ─► assigned ─► (consulting ─► assigned)
        ─► (awaiting_fee ─► assigned | abandoned) ─► drafting ─► approving ─► approved ─► answered
    any open state ─► withdrawn
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.deadlines import engine
from cms.deadlines.calendar import CHINA_TZ, WorkingCalendar, local_today
from cms.deadlines.models import Clock
from cms.history import clock_change, lock_row, save_with_reason
from cms.models import Department, Portal
from cms.sanitize import clean_plain

from .choices import CLOSED_STATES, AnswerType, Channel, FeeState, RemedyOutcome, State, validate_reason
from .models import (
    CLOCK_KIND,
    Answer,
    Consultation,
    DisclosureRequest,
    Remedy,
    issue_serial,
    rules_for,
)

#: Text fields of a request that are cleaned of HTML on intake (plain text, escaped on output).
TEXT_FIELDS = (
    "applicant_name",
    "legal_representative",
    "contact_person",
    "id_type",
    "id_number",
    "phone",
    "email",
    "address",
    "postcode",
    "info_title",
    "info_document_number",
    "info_description",
    "purpose",
)
#: Fields a submission may set (everything else is the system's).
INTAKE_FIELDS = (
    *TEXT_FIELDS,
    "applicant_type",
    "organisation_kind",
    "delivery_form",
    "receipt_way",
)


class TransitionError(ValidationError):
    """A change the request's state or the rules do not allow; the message says why, in Chinese."""


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start`, estimated Monday to Friday in a year without a holiday calendar."""
    return engine.add_working_days(start, n, WorkingCalendar.from_db(strict=False))


def receipt_date(channel: str, submitted_at: datetime | None = None, channel_date: date | None = None) -> date:
    """The date of receipt (day zero) by the channel's rule (2019 regulation art. 31, seed 002 art. 19).

    Online and in-person requests are received the day they are submitted (in China's time zone); for post,
    email and fax the staff give the channel's date (signed for, arrived in the mailbox, confirmed), which
    may not lie in the future. Raises TransitionError when a needed date is missing or wrong.
    """
    today = local_today()
    if channel in (Channel.ONLINE, Channel.IN_PERSON):
        if channel_date is not None and channel == Channel.IN_PERSON:
            received = channel_date
        else:
            received = (submitted_at or timezone.now()).astimezone(CHINA_TZ).date()
    else:
        if channel_date is None:
            raise TransitionError(
                _("Give the date of receipt of this channel (signed for, arrived in the mailbox or confirmed)."),
                code="channel_date_required",
            )
        received = channel_date
    if received > today:
        raise TransitionError(_("The date of receipt cannot be in the future."), code="receipt_in_future")
    return received


_save = save_with_reason
_lock = lock_row


def _require(req: DisclosureRequest, *states: str) -> None:
    if req.state not in states:
        raise TransitionError(
            _("Not possible while the request is “%(state)s”.") % {"state": req.get_state_display()},
            code="wrong_state",
        )


def _require_open(req: DisclosureRequest) -> None:
    if req.state in CLOSED_STATES:
        _require(req, *[s for s in State if s not in CLOSED_STATES])


def _clock(req: DisclosureRequest) -> Clock:
    clock = req.clock
    if clock is None:  # created by submit(); a missing clock is a data error worth a clear message
        raise TransitionError(_("This request has no answer clock."), code="no_clock")
    return clock


def _on_clock(req: DisclosureRequest, method: str, *args: Any) -> None:
    """Call a change method of the request's clock; its refusal becomes a TransitionError."""
    clock_change(_clock(req), method, *args, error=TransitionError)


# --- intake ------------------------------------------------------------------------------------------------


@transaction.atomic
def submit(
    portal: Portal,
    data: dict[str, Any],
    *,
    channel: str = Channel.ONLINE,
    channel_date: date | None = None,
    user: Any = None,
    idempotency_key: str | None = None,
    submitted_at: datetime | None = None,
) -> tuple[DisclosureRequest, str | None, bool]:
    """Register a request: number, query code and answer clock, all at once or not at all.

    `data` holds the INTAKE_FIELDS (validated by the caller; text is cleaned of HTML here too). Returns
    (request, query code, created). With an `idempotency_key` already used on this portal the earlier
    request is returned with no code and created=False: a resubmission never makes a second request.
    """
    if idempotency_key:
        existing = DisclosureRequest.objects.filter(portal=portal, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, None, False
    submitted_at = submitted_at or timezone.now()
    received = receipt_date(channel, submitted_at, channel_date)
    values = {k: data[k] for k in INTAKE_FIELDS if k in data and data[k] is not None}
    for key in TEXT_FIELDS:
        if key in values:
            values[key] = clean_plain(str(values[key])).strip()
    rules = rules_for(portal)
    year = received.year
    serial = issue_serial(portal, year)
    req = DisclosureRequest(
        portal=portal,
        year=year,
        serial=serial,
        number=f"{rules.number_prefix}{year}-{serial:04d}",
        channel=channel,
        submitted_at=submitted_at,
        received_on=received,
        registered_by=user if getattr(user, "is_authenticated", False) else None,
        idempotency_key=idempotency_key or None,
        **values,
    )
    code = req.set_query_code()
    req.full_clean(exclude=["number", "year", "serial", "query_code_hash", "idempotency_key"])
    _save(req, user, "received")
    Clock.start_for(
        req,
        kind=CLOCK_KIND,
        start_date=received,
        limit_days=rules.limit_days,
        max_extension_days=rules.max_extension_days,
    )
    return req, code, True


@transaction.atomic
def start_check(req: DisclosureRequest, user: Any) -> DisclosureRequest:
    """The disclosure office begins the first check (初审)."""
    _lock(req)
    _require(req, State.RECEIVED)
    req.state = State.CHECKING
    _save(req, user, "first check")
    return req


# --- correction (补正) ---------------------------------------------------------------------------------------


@transaction.atomic
def request_correction(
    req: DisclosureRequest, user: Any, note: str, on: date | None = None, reply_days: int = 15
) -> DisclosureRequest:
    """Ask the applicant, once and in writing, to correct an unclear request within the rule's working days
    of receipt; the clock waits (paused) until the corrected request arrives."""
    _lock(req)
    _require(req, State.RECEIVED, State.CHECKING)
    on = on or local_today()
    note = clean_plain(note or "").strip()
    if not note:
        raise TransitionError(_("Say what the applicant must correct."), code="note_required")
    if req.correction_requested_on is not None:
        raise TransitionError(_("A correction may be requested only once."), code="already_corrected")
    rules = rules_for(req.portal)
    latest = add_working_days(req.received_on, rules.correction_days)
    if on > latest:
        raise TransitionError(
            _("A correction must be requested within %(days)s working days of receipt (by %(date)s).")
            % {"days": rules.correction_days, "date": latest.isoformat()},
            code="correction_too_late",
        )
    req.correction_note = note
    req.correction_requested_on = on
    req.correction_due = add_working_days(on, reply_days)
    req.state = State.CORRECTION
    _on_clock(req, "pause", on, "补正")
    _save(req, user, "correction requested")
    return req


@transaction.atomic
def record_correction(req: DisclosureRequest, user: Any, text: str, on: date | None = None) -> DisclosureRequest:
    """The corrected request arrived on `on`: the clock restarts from that day with the full limit."""
    _lock(req)
    _require(req, State.CORRECTION)
    on = on or local_today()
    text = clean_plain(text or "").strip()
    if not text:
        raise TransitionError(_("Give the corrected description."), code="text_required")
    if on < req.correction_requested_on:
        raise TransitionError(_("The correction cannot arrive before it was requested."), code="before_request")
    req.corrected_on = on
    req.corrected_text = text
    req.state = State.CHECKING
    _on_clock(req, "restart", on)
    _save(req, user, "corrected")
    return req


# --- transfer, consultation, extension ---------------------------------------------------------------------


@transaction.atomic
def assign(
    req: DisclosureRequest, user: Any, department: Department, note: str = "", on: date | None = None
) -> DisclosureRequest:
    """Transfer the request to the responsible department with a transfer slip (转办单)."""
    _lock(req)
    _require(req, State.RECEIVED, State.CHECKING, State.ASSIGNED, State.DRAFTING)
    if department.portal_id != req.portal_id:
        raise TransitionError(_("Choose a department of this bureau."), code="wrong_portal")
    req.department = department
    req.transfer_note = clean_plain(note or "").strip()
    req.transferred_on = on or local_today()
    req.state = State.ASSIGNED
    _save(req, user, f"assigned to {department.code}")
    return req


@transaction.atomic
def start_consultation(
    req: DisclosureRequest, user: Any, party: str, party_name: str, on: date | None = None
) -> Consultation:
    """Consult a third party or co-producing organ; the clock pauses until the last consultation ends, and
    the party has the rule's working days to answer."""
    _lock(req)
    _require(req, State.ASSIGNED, State.CONSULTING, State.DRAFTING)
    on = on or local_today()
    party_name = clean_plain(party_name or "").strip()
    if not party_name:
        raise TransitionError(_("Name the party consulted."), code="party_required")
    rules = rules_for(req.portal)
    consultation = Consultation(
        request=req,
        party=party,
        party_name=party_name,
        sent_on=on,
        due_on=add_working_days(on, rules.consultation_days),
    )
    consultation.full_clean(exclude=["request"])
    consultation.save()
    if req.state != State.CONSULTING:
        _on_clock(req, "pause", on, f"征求意见：{party_name}")
        req.state = State.CONSULTING
    _save(req, user, "consultation started")
    return consultation


@transaction.atomic
def end_consultation(
    consultation: Consultation,
    user: Any,
    on: date | None = None,
    opinion: str = "",
    consents: bool | None = None,
) -> Consultation:
    """Record the party's answer (or that it did not answer in time); when no consultation is left open the
    clock resumes and the request returns to its department."""
    req = _lock(consultation.request)
    _require(req, State.CONSULTING)
    consultation.refresh_from_db()
    if consultation.answered_on is not None:
        raise TransitionError(_("This consultation has already ended."), code="already_ended")
    on = on or local_today()
    if on < consultation.sent_on:
        raise TransitionError(_("A consultation cannot end before it began."), code="before_start")
    consultation.answered_on = on
    consultation.opinion = clean_plain(opinion or "").strip()
    consultation.consents = consents
    consultation.save()
    if not req.consultations.filter(answered_on__isnull=True).exists():
        _on_clock(req, "resume", on)
        req.state = State.ASSIGNED
    _save(req, user, "consultation ended")
    return consultation


def may_approve_extension(req: DisclosureRequest, user: Any) -> bool:
    """True for the heads of the disclosure office, holders of the extension permission, and superusers."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.has_perm("disclosure_requests.approve_extension_disclosurerequest"):
        return True
    office = rules_for(req.portal).office
    return bool(office and office.heads_group_id and user.groups.filter(pk=office.heads_group_id).exists())


@transaction.atomic
def extend(req: DisclosureRequest, user: Any, days: int, reason: str) -> DisclosureRequest:
    """Extend the answer limit once, by at most the rule's days, with the office head's approval; the
    extension and its reason appear in the status lookup (the applicant is told)."""
    _lock(req)
    _require_open(req)
    if not may_approve_extension(req, user):
        raise TransitionError(_("Only the head of the disclosure office may approve an extension."), code="forbidden")
    reason = clean_plain(reason or "").strip()
    _on_clock(req, "extend", days, user, reason)
    _save(req, user, f"extended by {days} working days")
    return req


# --- fees (信息处理费, 2021) ----------------------------------------------------------------------------------


@transaction.atomic
def notify_fee(
    req: DisclosureRequest, user: Any, amount: Decimal, basis: str, on: date | None = None
) -> DisclosureRequest:
    """Send the fee notice: the clock pauses until payment, which is due within the rule's working days."""
    _lock(req)
    _require(req, State.ASSIGNED, State.DRAFTING)
    amount = Decimal(amount)
    if amount <= 0:
        raise TransitionError(_("A fee notice needs an amount above zero."), code="amount_required")
    on = on or local_today()
    rules = rules_for(req.portal)
    req.fee_amount = amount
    req.fee_basis = clean_plain(basis or "").strip()
    req.fee_notified_on = on
    req.fee_due = add_working_days(on, rules.fee_payment_days)
    req.fee_state = FeeState.NOTIFIED
    req.state = State.AWAITING_FEE
    _on_clock(req, "pause", on, "收费通知")
    _save(req, user, "fee notified")
    return req


@transaction.atomic
def record_fee_paid(req: DisclosureRequest, user: Any, on: date | None = None) -> DisclosureRequest:
    """The fee was paid on `on`: the clock resumes."""
    _lock(req)
    _require(req, State.AWAITING_FEE)
    on = on or local_today()
    if on < req.fee_notified_on:
        raise TransitionError(_("Payment cannot precede the fee notice."), code="before_notice")
    req.fee_paid_on = on
    req.fee_state = FeeState.PAID
    req.state = State.ASSIGNED
    _on_clock(req, "resume", on)
    _save(req, user, "fee paid")
    return req


@transaction.atomic
def waive_fee(req: DisclosureRequest, user: Any, on: date | None = None) -> DisclosureRequest:
    """Waive a notified fee: the clock resumes."""
    _lock(req)
    _require(req, State.AWAITING_FEE)
    on = on or local_today()
    req.fee_state = FeeState.WAIVED
    req.state = State.ASSIGNED
    _on_clock(req, "resume", on)
    _save(req, user, "fee waived")
    return req


# --- closing -----------------------------------------------------------------------------------------------


def _close(req: DisclosureRequest, user: Any, state: str, result_type: str, reason: str, on: date, why: str) -> None:
    req.state = state
    req.result_type = result_type
    req.result_reason = reason
    req.closed_on = on
    _on_clock(req, "stop", on)
    _save(req, user, why)


@transaction.atomic
def abandon_uncorrected(req: DisclosureRequest, user: Any, on: date | None = None) -> DisclosureRequest:
    """Close a request whose applicant did not correct it in time (其他处理 1)."""
    _lock(req)
    _require(req, State.CORRECTION)
    on = on or local_today()
    if req.correction_due and on <= req.correction_due:
        raise TransitionError(
            _("The applicant has until %(date)s to correct the request.") % {"date": req.correction_due.isoformat()},
            code="not_yet_due",
        )
    req.public_reply = "申请人逾期未补正，视为放弃申请，本机关不再处理该政府信息公开申请。"
    _close(req, user, State.ABANDONED, AnswerType.OTHER, "correction_lapsed", on, "correction lapsed")
    return req


@transaction.atomic
def close_fee_unpaid(req: DisclosureRequest, user: Any, on: date | None = None) -> DisclosureRequest:
    """Close a request whose fee was not paid in time (其他处理 2)."""
    _lock(req)
    _require(req, State.AWAITING_FEE)
    on = on or local_today()
    if req.fee_due and on <= req.fee_due:
        raise TransitionError(
            _("The applicant has until %(date)s to pay.") % {"date": req.fee_due.isoformat()}, code="not_yet_due"
        )
    req.fee_state = FeeState.UNPAID
    req.public_reply = "申请人逾期未按收费通知要求缴纳费用，视为放弃申请，本机关不再处理该政府信息公开申请。"
    _close(req, user, State.ABANDONED, AnswerType.OTHER, "fee_unpaid", on, "fee unpaid")
    return req


@transaction.atomic
def withdraw(req: DisclosureRequest, user: Any, note: str = "", on: date | None = None) -> DisclosureRequest:
    """The applicant withdrew the request (其他处理 3)."""
    _lock(req)
    _require_open(req)
    on = on or local_today()
    req.public_reply = "申请人已撤回申请。"
    _close(req, user, State.WITHDRAWN, AnswerType.OTHER, "other", on, f"withdrawn {clean_plain(note or '')}".strip())
    return req


# --- the answer --------------------------------------------------------------------------------------------


@transaction.atomic
def draft_answer(req: DisclosureRequest, user: Any, **fields: Any) -> Answer:
    """Create or update the answer draft (type, reason, body, where public, competent organ, public summary,
    review flags, template) and save it as a new revision; the request is then `drafting`.

    A request still `received` or `checking` may be answered on the spot (当场答复) by the office.
    """
    _lock(req)
    _require(req, State.RECEIVED, State.CHECKING, State.ASSIGNED, State.DRAFTING)
    answer_type = fields.get("answer_type")
    if answer_type is not None:
        problem = validate_reason(answer_type, fields.get("reason", "") or "")
        if problem:
            raise TransitionError(problem, code="bad_reason")
    answer = Answer.objects.filter(request=req).first() or Answer(request=req, live=False)
    for key in (
        "answer_type",
        "reason",
        "body",
        "already_public_at",
        "right_organ",
        "public_summary",
        "needs_secrecy_review",
        "needs_legal_review",
        "template",
    ):
        if key in fields:
            value = fields[key]
            if isinstance(value, str):
                value = clean_plain(value).strip()
            setattr(answer, key, value)
    check_answer(answer)
    if answer.drafted_by_id is None and getattr(user, "is_authenticated", False):
        answer.drafted_by = user
    answer.save()
    answer.save_revision(user=user if getattr(user, "is_authenticated", False) else None)
    if req.state != State.DRAFTING:
        req.state = State.DRAFTING
        _save(req, user, "answer drafted")
    return answer


def check_answer(answer: Answer) -> None:
    """Raise TransitionError when the answer misses what its type needs."""
    problem = validate_reason(answer.answer_type, answer.reason or "")
    if problem:
        raise TransitionError(problem, code="bad_reason")
    if not (answer.body or "").strip():
        raise TransitionError(_("Write the answer text."), code="body_required")
    if answer.answer_type == AnswerType.UNABLE and answer.reason == "not_held" and not answer.right_organ.strip():
        # "not ours": name the competent organ when it can be determined (art. 36(五)); say so otherwise.
        raise TransitionError(
            _("Name the organ that holds the information, or write that it cannot be determined."),
            code="right_organ_required",
        )


@transaction.atomic
def submit_answer(req: DisclosureRequest, user: Any) -> Answer:
    """Send the latest answer draft into the portal's answer chain; the request is `approving`."""
    _lock(req)
    _require(req, State.DRAFTING)
    answer = Answer.objects.filter(request=req).first()
    if answer is None:
        raise TransitionError(_("Draft the answer first."), code="no_answer")
    check_answer(answer)
    workflow = answer.get_workflow()
    if workflow is None:
        raise TransitionError(
            _("This bureau has no answer approval chain; load its profile's disclosure_requests section."),
            code="no_chain",
        )
    if answer.latest_revision is None:
        answer.save_revision(user=user)
    req.state = State.APPROVING
    _save(req, user, "answer submitted for approval")
    current = answer.current_workflow_state
    if current is not None and current.status == current.STATUS_NEEDS_CHANGES:
        current.resume(user)  # back to the step that asked for changes
    else:
        workflow.start(answer, user)
    return answer


def review_answer(req: DisclosureRequest, user: Any, decision: str, comment: str = "") -> Answer:
    """Decide the answer's current review step as its approver: `approve` (moves to the next step, or
    approves the answer after the last) or `reject` (changes requested: back to drafting)."""
    from django.core.exceptions import PermissionDenied

    _require(req, State.APPROVING)
    answer = Answer.objects.get(request=req)
    task_state = answer.current_workflow_task_state
    if task_state is None:
        raise TransitionError(_("The answer is not under review."), code="not_in_review")
    if decision not in ("approve", "reject"):
        raise TransitionError(_("Decide approve or reject."), code="bad_decision")
    try:
        task_state.task.specific.on_action(task_state, user, decision, comment=clean_plain(comment or "").strip())
    except PermissionDenied as exc:
        raise TransitionError(_("You do not decide this review step."), code="forbidden") from exc
    return answer


def answer_approved(answer: Answer, user: Any = None) -> None:
    """Called when the chain's last step approves (the answer goes live): the request is `approved`."""
    req = _lock(answer.request)
    if req.state == State.APPROVING:
        req.state = State.APPROVED
        _save(req, user, "answer approved")


def answer_rejected(answer: Answer, user: Any = None) -> None:
    """Called when a step requests changes: the request returns to `drafting`."""
    req = _lock(answer.request)
    if req.state == State.APPROVING:
        req.state = State.DRAFTING
        _save(req, user, "answer returned for changes")


@transaction.atomic
def send_answer(req: DisclosureRequest, user: Any, on: date | None = None) -> DisclosureRequest:
    """The approved answer letter was sent on `on`: the request is answered, the clock stops and the result
    is recorded as the annual report counts it."""
    _lock(req)
    _require(req, State.APPROVED)
    answer = Answer.objects.get(request=req)
    if not answer.live:
        raise TransitionError(_("The answer has not been approved."), code="not_approved")
    on = on or local_today()
    if on < req.received_on:
        raise TransitionError(_("The answer cannot precede the request."), code="before_receipt")
    approved = answer  # the row holds the approved (published) revision; later drafts stay in revisions
    req.public_reply = approved.public_summary
    _close(req, user, State.ANSWERED, approved.answer_type, approved.reason, on, "answered")
    return req


# --- reconsideration and lawsuits -------------------------------------------------------------------------


@transaction.atomic
def record_remedy(
    req: DisclosureRequest, user: Any, kind: str, filed_on: date, authority: str = "", note: str = ""
) -> Remedy:
    """Record an administrative reconsideration or lawsuit against the answer (pending until decided)."""
    if not req.is_closed:
        raise TransitionError(_("Only an answered request can be contested."), code="not_answered")
    remedy = Remedy(
        request=req,
        kind=kind,
        filed_on=filed_on,
        authority=clean_plain(authority or "").strip(),
        note=clean_plain(note or "").strip(),
    )
    remedy.full_clean(exclude=["request"])
    if user is not None and getattr(user, "is_authenticated", False):
        remedy._history_user = user
    remedy.save()
    return remedy


@transaction.atomic
def decide_remedy(remedy: Remedy, user: Any, outcome: str, decided_on: date | None = None) -> Remedy:
    """Record the outcome (维持, 纠正, 其他) of a reconsideration or lawsuit."""
    if outcome not in RemedyOutcome.values:
        raise TransitionError(_("Unknown outcome."), code="bad_outcome")
    remedy.outcome = outcome
    remedy.decided_on = None if outcome == RemedyOutcome.PENDING else (decided_on or local_today())
    if remedy.decided_on and remedy.decided_on < remedy.filed_on:
        raise TransitionError(_("A decision cannot precede the filing."), code="before_filing")
    if user is not None and getattr(user, "is_authenticated", False):
        remedy._history_user = user
    remedy._change_reason = f"outcome {outcome}"
    remedy.save()
    return remedy
