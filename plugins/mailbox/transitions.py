"""Every change of a letter: intake, triage, routing to departments, their answers, the reply through the
review chain, extension, closing without a reply, and publication with masking.

Each function locks the letter's row, checks that the change is allowed from the current state, applies it
with the clocks (`cms.deadlines`: the reply clock from receipt, a department clock per routing), and saves with
the actor and a reason in the letter's history (django-simple-history). A refused change raises
`TransitionError` (a ValidationError with a Chinese message and a `code`) and changes nothing.

    received ─► triaged ─► routed ─► answered ─► drafting ─► approving ─► replied ─► (published)
                   │          ▲ └──── routed again ─┘           │
                   └──────────┴── drafting (answered on the spot) ◄──┘ (changes requested)
    any open state ─► closed (without reply)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.deadlines.calendar import CHINA_TZ, local_today
from cms.deadlines.models import Clock
from cms.history import acting_user, clock_change, lock_row, save_with_reason
from cms.models import Department, Portal
from cms.sanitize import clean_plain

from .choices import OPEN_STATES, CloseReason, Complexity, State
from .emergency import reports_emergency
from .models import (
    DEPARTMENT_CLOCK,
    REPLY_CLOCK,
    Box,
    Letter,
    LetterKind,
    Reply,
    Routing,
    issue_serial,
    rules_for,
)

#: Fields a submission may set (everything else is the system's).
INTAKE_FIELDS = ("name", "phone", "id_number", "subject", "content", "public_allowed")
TEXT_FIELDS = ("name", "phone", "id_number", "subject", "content")
#: States in which a reply may be drafted (on the spot from triaged, or after a department's answer).
DRAFT_STATES = frozenset({State.TRIAGED, State.ROUTED, State.ANSWERED, State.DRAFTING})
ROUTE_STATES = frozenset({State.RECEIVED, State.TRIAGED, State.ROUTED, State.ANSWERED, State.DRAFTING})


class TransitionError(ValidationError):
    """A change the letter's state or the rules do not allow; the message says why, in Chinese."""


_save = save_with_reason
_lock = lock_row
_user = acting_user


def _require(letter: Letter, *states: str) -> None:
    if letter.state not in states:
        raise TransitionError(
            _("Not possible while the letter is “%(state)s”.") % {"state": letter.get_state_display()},
            code="wrong_state",
        )


def _text(value: Any) -> str:
    return clean_plain(str(value or "")).strip()


def _on_clock(clock: Clock | None, method: str, *args: Any) -> None:
    """Call a change method of a clock; its refusal becomes a TransitionError."""
    clock_change(clock, method, *args, error=TransitionError)


def _open_department_clock(letter: Letter) -> Clock | None:
    clock = letter.clock_of(DEPARTMENT_CLOCK)
    return clock if clock is not None and clock.stopped_on is None else None


# --- intake ------------------------------------------------------------------------------------------------


def box_problem(box: Box | None, kind: LetterKind | None) -> str | None:
    """None when `kind` may be sent to `box`, else the (translated) problem."""
    if box is None or not box.active:
        return _("Choose one of the letter boxes.")
    if kind is None or not box.kinds.filter(pk=kind.pk).exists():
        return _("This box does not take letters of this kind.")
    return None


@transaction.atomic
def submit(
    portal: Portal,
    box: Box,
    kind: LetterKind,
    data: dict[str, Any],
    *,
    user: Any = None,
    idempotency_key: str | None = None,
    submitted_at: datetime | None = None,
    attachments: Sequence[Any] = (),
) -> tuple[Letter, str | None, bool]:
    """Register a letter: number, query code, reply clock and attachments, all at once or not at all.

    `data` holds the INTAKE_FIELDS (validated by the caller; text is cleaned of HTML here too); `attachments`
    are checked uploads (`attachments.CheckedFile`). Returns (letter, query code, created). With an
    `idempotency_key` already used on this portal the earlier letter is returned with no code and
    created=False: a resubmission never makes a second letter.
    """
    if idempotency_key:
        existing = Letter.objects.filter(portal=portal, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, None, False
    problem = box_problem(box if box.portal_id == portal.pk else None, kind)
    if problem:
        raise TransitionError(problem, code="bad_box")
    submitted_at = submitted_at or timezone.now()
    received = submitted_at.astimezone(CHINA_TZ).date()
    values = {k: data[k] for k in INTAKE_FIELDS if k in data and data[k] is not None}
    for key in TEXT_FIELDS:
        if key in values:
            values[key] = _text(values[key])
    rules = rules_for(portal)
    year = received.year
    serial = issue_serial(portal, year)
    letter = Letter(
        portal=portal,
        box=box,
        kind=kind,
        complexity=kind.default_complexity,
        year=year,
        serial=serial,
        number=f"{rules.number_prefix}{year}-{serial:04d}",
        submitted_at=submitted_at,
        received_on=received,
        idempotency_key=idempotency_key or None,
        **values,
    )
    letter.is_emergency = reports_emergency(letter.subject, letter.content)
    code = letter.set_query_code()
    letter.full_clean(exclude=["number", "year", "serial", "query_code_hash", "idempotency_key"])
    _save(letter, user, "received")
    Clock.start_for(
        letter,
        kind=REPLY_CLOCK,
        start_date=received,
        limit_days=kind.limit_for(letter.complexity),
        max_extension_days=rules.max_extension_days,
    )
    from .attachments import store

    stored = []
    try:
        for upload in attachments:
            stored.append(store(letter, upload))
    except Exception:
        for attachment in stored:  # the rows roll back with the transaction; the files must go too
            attachment.file.delete(save=False)
        raise
    return letter, code, True


def mark_read(letter: Letter, user: Any) -> bool:
    """Record the first time staff opened the letter (the unread alert of seed 000 §四.3); True if it was unread."""
    if letter.read_at is not None or _user(user) is None:
        return False
    updated = Letter.objects.filter(pk=letter.pk, read_at__isnull=True).update(read_at=timezone.now(), read_by=user)
    if updated:
        letter.refresh_from_db(fields=["read_at", "read_by"])
    return bool(updated)


# --- triage and routing ------------------------------------------------------------------------------------


@transaction.atomic
def triage(letter: Letter, user: Any, complexity: str, kind: LetterKind | None = None) -> Letter:
    """Set the letter's kind (within its box) and complexity; the reply clock's limit follows them."""
    _lock(letter)
    _require(letter, State.RECEIVED, State.TRIAGED, State.ROUTED, State.ANSWERED)
    kind = kind or letter.kind
    if kind.pk != letter.kind_id:
        problem = box_problem(letter.box, kind)
        if problem:
            raise TransitionError(problem, code="bad_kind")
    if complexity not in Complexity.values:
        raise TransitionError(_("Choose the complexity."), code="bad_complexity")
    if complexity not in kind.complexities:
        raise TransitionError(
            _("Letters of the kind “%(kind)s” have no limit for this complexity.") % {"kind": kind.name},
            code="bad_complexity",
        )
    letter.kind, letter.complexity = kind, complexity
    _on_clock(letter.reply_clock, "change_limit", kind.limit_for(complexity), f"triaged: {kind.key}/{complexity}")
    if letter.state == State.RECEIVED:
        letter.state = State.TRIAGED
    _save(letter, user, f"triaged: {kind.key}, {complexity}")
    return letter


@transaction.atomic
def route(letter: Letter, user: Any, department: Department, note: str = "", on: date | None = None) -> Routing:
    """Transfer the letter (转办) to `department`, with a note; a department clock starts when the kind sets one.
    A letter may be routed to several departments in turn: the previous department's clock stops."""
    _lock(letter)
    _require(letter, *ROUTE_STATES)
    if department.portal_id != letter.portal_id:
        raise TransitionError(_("Choose a department of this bureau."), code="bad_department")
    on = on or local_today()
    if on < letter.received_on:
        raise TransitionError(_("A letter cannot be routed before it was received."), code="before_receipt")
    if letter.state == State.RECEIVED:
        letter.state = State.TRIAGED  # routing implies the triage by default
    _on_clock(_open_department_clock(letter), "stop", on)
    routing = Routing.objects.create(
        letter=letter, department=department, routed_on=on, routed_by=_user(user), note=_text(note)
    )
    if letter.kind.department_days:
        Clock.start_for(letter, kind=DEPARTMENT_CLOCK, start_date=on, limit_days=letter.kind.department_days)
    letter.department = department
    letter.state = State.ROUTED
    _save(letter, user, f"routed to {department.code}")
    return routing


@transaction.atomic
def answer_routing(letter: Letter, user: Any, text: str, on: date | None = None) -> Routing:
    """The department the letter is with gives its answer (部门答复); its clock stops."""
    _lock(letter)
    _require(letter, State.ROUTED)
    text = _text(text)
    if not text:
        raise TransitionError(_("Write the department's answer."), code="text_required")
    on = on or local_today()
    routing = letter.routings.order_by("-routed_on", "-pk").first()
    if routing is None:
        raise TransitionError(_("The letter has not been routed."), code="not_routed")
    if on < routing.routed_on:
        raise TransitionError(_("The answer cannot precede the routing."), code="before_routing")
    routing.answer, routing.answered_on, routing.answered_by = text, on, _user(user)
    routing.save()
    _on_clock(_open_department_clock(letter), "stop", on)
    letter.department_answer, letter.department_answered_on = text, on
    letter.state = State.ANSWERED
    _save(letter, user, f"answered by {routing.department.code}")
    return routing


# --- the reply ---------------------------------------------------------------------------------------------


@transaction.atomic
def draft_reply(letter: Letter, user: Any, body: str, needs_legal_review: bool | None = None) -> Reply:
    """Create or update the reply draft as a new revision; the letter is then `drafting`."""
    _lock(letter)
    _require(letter, *DRAFT_STATES)
    body = _text(body)
    if not body:
        raise TransitionError(_("Write the reply."), code="body_required")
    reply = Reply.objects.filter(letter=letter).first() or Reply(letter=letter, live=False)
    reply.body = body
    if needs_legal_review is not None:
        reply.needs_legal_review = needs_legal_review
    if reply.drafted_by_id is None and _user(user) is not None:
        reply.drafted_by = user
    reply.save()
    reply.save_revision(user=_user(user))
    if letter.state != State.DRAFTING:
        letter.state = State.DRAFTING
        _save(letter, user, "reply drafted")
    return reply


@transaction.atomic
def submit_reply(letter: Letter, user: Any) -> Reply:
    """Send the latest reply draft into the portal's reply chain; the letter is `approving`."""
    _lock(letter)
    _require(letter, State.DRAFTING)
    reply = Reply.objects.filter(letter=letter).first()
    if reply is None or not reply.body.strip():
        raise TransitionError(_("Draft the reply first."), code="no_reply")
    workflow = reply.get_workflow()
    if workflow is None:
        raise TransitionError(
            _("This bureau has no reply approval chain; load its profile's mailbox section."), code="no_chain"
        )
    if reply.latest_revision is None:
        reply.save_revision(user=_user(user))
    letter.state = State.APPROVING
    _save(letter, user, "reply submitted for approval")
    current = reply.current_workflow_state
    if current is not None and current.status == current.STATUS_NEEDS_CHANGES:
        current.resume(user)  # back to the step that asked for changes
    else:
        workflow.start(reply, user)
    return reply


def review_reply(letter: Letter, user: Any, decision: str, comment: str = "") -> Reply:
    """Decide the reply's current review step as its approver: `approve` or `reject` (changes requested)."""
    _require(letter, State.APPROVING)
    reply = Reply.objects.get(letter=letter)
    task_state = reply.current_workflow_task_state
    if task_state is None:
        raise TransitionError(_("The reply is not under review."), code="not_in_review")
    if decision not in ("approve", "reject"):
        raise TransitionError(_("Decide approve or reject."), code="bad_decision")
    try:
        task_state.task.specific.on_action(task_state, user, decision, comment=_text(comment))
    except PermissionDenied as exc:
        raise TransitionError(_("You do not decide this review step."), code="forbidden") from exc
    return reply


def reply_approved(reply: Reply, user: Any = None) -> None:
    """Called when the chain's last step approves (the reply goes live): the letter is replied, its clocks stop."""
    letter = _lock(reply.letter)
    if letter.state != State.APPROVING:
        return
    on = max(local_today(), letter.received_on)
    _on_clock(_open_department_clock(letter), "stop", on)
    clock = letter.reply_clock
    if clock is not None and clock.stopped_on is None:
        _on_clock(clock, "stop", on)
    letter.state = State.REPLIED
    letter.replied_on = on
    _save(letter, user, "replied")


def reply_rejected(reply: Reply, user: Any = None) -> None:
    """Called when a step requests changes or the chain is cancelled: the letter returns to `drafting`."""
    letter = _lock(reply.letter)
    if letter.state == State.APPROVING:
        letter.state = State.DRAFTING
        _save(letter, user, "reply returned for changes")


# --- extension and closing ---------------------------------------------------------------------------------


def may_approve_extension(letter: Letter, user: Any) -> bool:
    """True for the bureau's leaders (heads of a leadership department), the supervisor of the department
    handling the letter, and superusers (seed 000 §三.6: "经请示分管领导同意")."""
    if _user(user) is None or not user.is_active:
        return False
    if user.is_superuser:
        return True
    department = letter.handling_department
    if department.supervisor_id == user.pk:
        return True
    leaders = Department.objects.filter(portal_id=letter.portal_id, kind="leadership").values_list(
        "heads_group_id", flat=True
    )
    return user.groups.filter(pk__in=[g for g in leaders if g]).exists()


@transaction.atomic
def extend(letter: Letter, user: Any, days: int, reason: str) -> Letter:
    """Extend the reply limit once, by at most the rule's working days, with a leader's consent; the extension
    and its reason appear in the status lookup (the writer is told)."""
    _lock(letter)
    _require(letter, *OPEN_STATES)
    if not may_approve_extension(letter, user):
        raise TransitionError(_("Only a bureau leader may consent to an extension."), code="forbidden")
    _on_clock(letter.reply_clock, "extend", days, user, _text(reason))
    _save(letter, user, f"extended by {days} working days")
    return letter


@transaction.atomic
def close_without_reply(letter: Letter, user: Any, reason: str, note: str = "", on: date | None = None) -> Letter:
    """Close an open letter without a reply (abusive, an emergency pointed to 110, not a police matter, a
    duplicate, withdrawn); `note` is what the writer reads in the status lookup."""
    _lock(letter)
    _require(letter, *OPEN_STATES)
    if reason not in CloseReason.values:
        raise TransitionError(_("Choose why the letter is closed."), code="bad_reason")
    note = _text(note)
    if reason in (CloseReason.OUT_OF_SCOPE, CloseReason.DUPLICATE) and not note:
        raise TransitionError(_("Tell the writer where to turn (or which letter this repeats)."), code="note_required")
    on = on or local_today()
    if on < letter.received_on:
        raise TransitionError(_("A letter cannot close before it was received."), code="before_receipt")
    _on_clock(_open_department_clock(letter), "stop", on)
    clock = letter.reply_clock
    if clock is not None and clock.stopped_on is None:
        _on_clock(clock, "stop", on)
    reply = Reply.objects.filter(letter=letter).first()
    if reply is not None and reply.current_workflow_state is not None:
        reply.current_workflow_state.cancel(user=_user(user))  # the reply chain stops (signals: back to drafting)
        _lock(letter)
    letter.state = State.CLOSED
    letter.close_reason, letter.close_note, letter.closed_on = reason, note, on
    _save(letter, user, f"closed without reply: {reason}")
    return letter


# --- publication (masked) ----------------------------------------------------------------------------------


def _terms(values: Iterable[Any]) -> list[str]:
    seen: list[str] = []
    for value in values or ():
        text = _text(value)[:64]
        if text and text not in seen:
            seen.append(text)
    return seen[:100]


def masked(letter: Letter, add: Iterable[str] | None = None, keep: Iterable[str] | None = None) -> dict[str, Any]:
    """The masked subject, content and reply of `letter` (with its mask edits, or `add`/`keep` given here):
    {"subject": MaskedText, "content": MaskedText, "reply": MaskedText}. The writer's own name and ID number
    are always masked; the bureau's published numbers never are."""
    from cms.privacy import mask_text

    add = _terms(letter.mask_add if add is None else add)
    keep = _terms(letter.mask_keep if keep is None else keep)
    known = [n for n in (letter.name,) if n]
    extra = [*add, *([letter.id_number] if letter.id_number else [])]
    public_numbers = list(letter.portal.public_numbers or [])
    reply = Reply.objects.filter(letter=letter, live=True).first()
    texts = {"subject": letter.subject, "content": letter.content, "reply": reply.body if reply else ""}
    return {
        key: mask_text(text, add=extra, keep=keep, public_numbers=public_numbers, known_names=known)
        for key, text in texts.items()
    }


@transaction.atomic
def edit_masks(letter: Letter, user: Any, add: Iterable[str], keep: Iterable[str]) -> Letter:
    """Set what staff add to the masks and what they leave unmasked; recorded in the history. A published
    letter's public snapshot follows at once."""
    _lock(letter)
    add, keep = _terms(add), _terms(keep)
    if add == list(letter.mask_add) and keep == list(letter.mask_keep):
        return letter
    added = sorted(set(add) - set(letter.mask_add)) + [f"-{t}" for t in sorted(set(letter.mask_add) - set(add))]
    kept = sorted(set(keep) - set(letter.mask_keep)) + [f"-{t}" for t in sorted(set(letter.mask_keep) - set(keep))]
    letter.mask_add, letter.mask_keep = add, keep
    if letter.is_published:
        _snapshot(letter)
    _save(letter, user, f"masks edited: add {added} keep {kept}"[:100])
    return letter


def _snapshot(letter: Letter) -> None:
    from cms import cache

    texts = masked(letter)
    letter.public_subject = texts["subject"].text[:100]
    letter.public_content = texts["content"].text
    letter.public_reply = texts["reply"].text
    cache.bump()


@transaction.atomic
def publish(letter: Letter, user: Any) -> Letter:
    """Show a replied letter publicly: its masked subject, content and reply (never the unmasked text), unless
    the writer asked that it not be shown."""
    _lock(letter)
    _require(letter, State.REPLIED)
    if not letter.public_allowed:
        raise TransitionError(_("The writer asked that the letter not be shown publicly."), code="not_public")
    if not Reply.objects.filter(letter=letter, live=True).exists():
        raise TransitionError(_("The letter has no approved reply."), code="no_reply")
    _snapshot(letter)
    letter.published_at = letter.published_at or timezone.now()
    _save(letter, user, "published")
    return letter


@transaction.atomic
def unpublish(letter: Letter, user: Any) -> Letter:
    """Stop showing the letter publicly; its public snapshot is emptied."""
    from cms import cache

    _lock(letter)
    if letter.published_at is None:
        raise TransitionError(_("The letter is not published."), code="not_published")
    letter.published_at = None
    letter.public_subject = letter.public_content = letter.public_reply = ""
    cache.bump()
    _save(letter, user, "unpublished")
    return letter
