"""The lifecycle of a notice: wanted → updated (bulletins, reward or photo changes, through the review chain
again) → captured / surrendered / deceased / revoked.

`close_notice` is one transaction; if any step fails nothing has changed. It

1. cancels a review in progress;
2. writes a withdrawal delivery (`withdraw`, with the closing as reason) for every outlet that was sent the
   notice, through the outbox (`cms.outlets.outbox.record_item`), so the unpublishing writes no second one;
3. unpublishes the page (Wagtail's action: the search entry leaves the index, the content version moves, a
   CDN is purged, the sitemap and the outlet feeds no longer list it);
4. deletes the personal and descriptive fields, the photos and the bulletins from the page, and replaces the
   content of **every revision** (drafts and scheduled ones included) with the minimal record;
5. deletes the photos' images with their renditions (the files go when the transaction commits), and the
   tips' attachments;
6. redacts the person's name, aliases, ID number and addresses wherever staff may have quoted them: review
   ledger opinions and secrecy clearances (and their history rows), review comments, log entries, delivery
   payloads already written, the tips' text; deletes the page's editor comments;
7. re-indexes the page for the admin search from what is left, and logs `wanted.close`.

What stays is the minimal record (`models.RECORD_FIELDS`), answered by the public API with 410 Gone. The
review ledger keeps every decision with its revision id and content hash (of the content as it was judged)
and the notice's title, which is its level and number.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import Comment, ModelLogEntry, Page, PageLogEntry, Revision, TaskState

from .choices import CLOSED_STATES, NoticeStatus
from .models import (
    CHILD_RELATIONS,
    QUOTABLE_FIELDS,
    Tip,
    TipAttachment,
    WantedNotice,
    descriptive_fields,
    empty_value,
)

#: What replaces a redacted text.
REDACTED = "〔已删除〕"
#: Longest closing text.
MAX_CLOSING_TEXT = 2000
CLOSE_ACTION = "wanted.close"


class TransitionError(Exception):
    """A lifecycle change that is not allowed now (the message is for people)."""


# --- redaction -------------------------------------------------------------------------------------------------


class Redactor:
    """Replaces known personal strings (longest first) in texts and JSON values."""

    def __init__(self, secrets: Iterable[str]) -> None:
        """Keep the strings of 2 or more characters."""
        found = {s.strip() for s in secrets if isinstance(s, str) and len(s.strip()) >= 2}
        self.secrets = sorted(found, key=len, reverse=True)

    def __bool__(self) -> bool:
        return bool(self.secrets)

    def text(self, value: Any) -> Any:
        """`value` with every secret replaced (non-strings unchanged)."""
        if not isinstance(value, str) or not self.secrets:
            return value
        for secret in self.secrets:
            if secret in value:
                value = value.replace(secret, REDACTED)
            if secret.upper() != secret and secret.upper() in value:
                value = value.replace(secret.upper(), REDACTED)
            if secret.lower() != secret and secret.lower() in value:
                value = value.replace(secret.lower(), REDACTED)
        return value

    def json(self, value: Any) -> Any:
        """A JSON value with every string (keys excepted) redacted."""
        if isinstance(value, dict):
            return {k: self.json(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.json(v) for v in value]
        return self.text(value)


def _quotable(values: dict[str, Any]) -> list[str]:
    """The strings of a notice's (or revision content's) quotable fields, aliases split."""
    found = []
    for name in QUOTABLE_FIELDS:
        value = values.get(name)
        if not isinstance(value, str) or not value.strip():
            continue
        found.append(value.strip())
        if name == "other_names":
            text = value.replace("，", ",").replace("、", ",").replace(";", ",").replace("；", ",")
            found.extend(part.strip() for part in text.split(","))
    return found


# --- what the notice touched ----------------------------------------------------------------------------------


def revisions_of(notice: WantedNotice):
    """Every revision of the notice (drafts, scheduled and superseded ones)."""
    return Revision.objects.page_revisions().filter(object_id=str(notice.pk))


def _image_ids(content: dict[str, Any]) -> set[int]:
    ids = set()
    if content.get("cover_image"):
        ids.add(int(content["cover_image"]))
    for photo in content.get("photos") or []:
        if isinstance(photo, dict) and photo.get("image"):
            ids.add(int(photo["image"]))
    return ids


def traces(notice: WantedNotice) -> tuple[list[str], set[int]]:
    """The quotable personal strings and the photo image ids of the notice and of all its revisions."""
    secrets = _quotable({name: getattr(notice, name) for name in QUOTABLE_FIELDS})
    images = {p.image_id for p in notice.photos.all()}
    if notice.cover_image_id:
        images.add(notice.cover_image_id)
    for content in revisions_of(notice).values_list("content", flat=True):
        if isinstance(content, dict):
            secrets += _quotable(content)
            images |= _image_ids(content)
    return secrets, images


# --- closing ---------------------------------------------------------------------------------------------------


def closing_reason(status: str, closed_on: datetime.date) -> str:
    """The reason sent to outlets, in the site's language, e.g. 已抓获（2026-05-02）."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("%(status)s (%(date)s)") % {"status": NoticeStatus(status).label, "date": closed_on.isoformat()}


def check_close(notice: WantedNotice, status: str, closed_on: datetime.date, text: str) -> None:
    """Raise TransitionError unless the notice is open and the closing is well formed."""
    if status not in CLOSED_STATES:
        raise TransitionError(_("Choose how the notice ends: captured, surrendered, deceased or revoked."))
    if not notice.is_open:
        raise TransitionError(_("This wanted notice is already closed."))
    if closed_on > timezone.localdate():
        raise TransitionError(_("The closing date cannot be in the future."))
    if notice.date and closed_on < notice.date:
        raise TransitionError(_("The closing date cannot be before the issue date."))
    if len(text or "") > MAX_CLOSING_TEXT:
        raise TransitionError(_("The closing text may have at most %(n)d characters.") % {"n": MAX_CLOSING_TEXT})
    if status == NoticeStatus.REVOKED and not (text or "").strip():
        raise TransitionError(_("A revocation needs its text (the reason and the revoking document)."))


def close_notice(
    notice: WantedNotice, status: str, closed_on: datetime.date, text: str = "", user: Any = None
) -> WantedNotice:
    """Close `notice` (see the module docstring); returns the notice as it now stands (the minimal record)."""
    from cms.sanitize import clean_plain

    text = clean_plain(text or "").strip()
    with transaction.atomic():
        notice = WantedNotice.objects.select_for_update().get(pk=notice.pk)
        check_close(notice, status, closed_on, text)
        secrets, image_ids = traces(notice)
        image_titles = _image_titles(image_ids)
        redactor = Redactor([*secrets, *image_titles])
        _cancel_review(notice, user)
        _withdraw_from_outlets(notice, closing_reason(status, closed_on))
        if notice.live:
            from wagtail.actions.unpublish_page import UnpublishPageAction

            UnpublishPageAction(notice, user=user, log_action=True).execute(skip_permission_checks=True)
        Comment.objects.filter(page=notice).delete()
        _scrub_page(notice, status, closed_on, text, user)
        revisions_of(notice).update(
            content=notice.serializable_data(), object_str=notice.title, approved_go_live_at=None
        )
        forget(notice, redactor, image_ids)
        _reindex(notice)
        log(
            instance=notice,
            action=CLOSE_ACTION,
            user=user,
            data={"status": status, "closed_on": closed_on.isoformat()},
        )
        from cms.cache import bump

        bump()
    return notice


def _image_titles(ids: set[int]) -> list[str]:
    from wagtail.images import get_image_model

    return list(get_image_model().objects.filter(pk__in=ids).values_list("title", flat=True))


def _cancel_review(notice: WantedNotice, user: Any) -> None:
    """Cancel a review in progress (its task states keep their decisions)."""
    state = notice.current_workflow_state
    if state is not None:
        state.cancel(user=user)


def _withdraw_from_outlets(notice: WantedNotice, reason: str) -> list[int]:
    """Write a withdrawal for each outlet whose latest delivery of the notice showed it; their ids."""
    from cms.outlets.models import Delivery, Outlet
    from cms.outlets.outbox import SHOWN, record_item
    from cms.outlets.registry import OutletItem

    item_type, item_id = notice._meta.label_lower, str(notice.pk)
    latest: dict[int, str] = {}
    for outlet_id, action in (
        Delivery.objects.filter(item_type=item_type, item_id=item_id).order_by("pk").values_list("outlet_id", "action")
    ):
        latest[outlet_id] = action
    shown = list(Outlet.objects.filter(pk__in=[pk for pk, action in latest.items() if action in SHOWN]))
    if not shown:
        return []
    try:
        url = notice.get_full_url() or ""
    except Exception:  # no site serves it any more
        url = ""
    item = OutletItem(
        item_type=item_type,
        item_id=item_id,
        revision_id=notice.live_revision_id or notice.latest_revision_id,
        title=notice.title,
        url=url,
    )
    return [row.pk for row in record_item(item, shown, "withdraw", reason)]


def _scrub_page(notice: WantedNotice, status: str, closed_on: datetime.date, text: str, user: Any) -> None:
    """Delete the descriptive fields and the child objects; record the closing."""
    for field in descriptive_fields():
        setattr(notice, field.attname, empty_value(field))
    for relation in CHILD_RELATIONS:
        setattr(notice, relation, [])
    notice.status = status
    notice.closed_on = closed_on
    notice.closing_text = text
    notice.closed_at = timezone.now()
    notice.closed_by = user if getattr(user, "pk", None) else None
    notice.title = notice.draft_title = notice.make_title()
    notice.has_unpublished_changes = False
    notice.go_live_at = notice.expire_at = None
    notice.locked, notice.locked_by, notice.locked_at = False, None, None
    notice.save(clean=False)


def forget(notice: WantedNotice, redactor: Redactor, image_ids: set[int]) -> None:
    """Remove the person's data from everything around the notice (closing, and deleting a notice): quotes in
    the ledger, clearances, comments and logs; delivery payloads; the photos' images; the tips' text and files."""
    _redact_rows(notice, redactor)
    _scrub_deliveries(notice, redactor)
    _delete_images(image_ids, redactor)
    _close_tips(notice, redactor)


def _redact_rows(notice: WantedNotice, redactor: Redactor) -> None:
    """Redact quoted personal data in the ledger, secrecy clearances, review comments and log entries."""
    from cms.review.models import ReviewLedgerEntry, SecrecyClearance

    if not redactor:
        return
    for entry in PageLogEntry.objects.filter(page_id=notice.pk):
        label, data = redactor.text(entry.label), redactor.json(entry.data)
        if (label, data) != (entry.label, entry.data):
            PageLogEntry.objects.filter(pk=entry.pk).update(label=label, data=data)
    states = TaskState.objects.filter(
        workflow_state__object_id=str(notice.pk),
        workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
    ).exclude(comment="")
    for state in states:
        comment = redactor.text(state.comment)
        if comment != state.comment:
            TaskState.objects.filter(pk=state.pk).update(comment=comment)
    for model in (ReviewLedgerEntry, ReviewLedgerEntry.history.model):
        for pk, opinion, title in model.objects.filter(page_id=notice.pk).values_list("pk", "opinion", "page_title"):
            values = {"opinion": redactor.text(opinion), "page_title": redactor.text(title)}
            if values != {"opinion": opinion, "page_title": title}:
                model.objects.filter(pk=pk).update(**values)
    for model in (SecrecyClearance, SecrecyClearance.history.model):
        for pk, opinion, findings in model.objects.filter(page_id=notice.pk).values_list("pk", "opinion", "findings"):
            values = {"opinion": redactor.text(opinion), "findings": redactor.json(findings)}
            if values != {"opinion": opinion, "findings": findings}:
                model.objects.filter(pk=pk).update(**values)


def _scrub_deliveries(notice: WantedNotice, redactor: Redactor) -> None:
    """Empty the payloads of the notice's publications and updates (withdrawals carry no personal data and
    stay as they are); those not sent yet are never sent."""
    from cms.outlets.models import Delivery, DeliveryState
    from cms.outlets.outbox import SHOWN

    item_type, item_id = notice._meta.label_lower, str(notice.pk)
    shown = Delivery.objects.filter(item_type=item_type, item_id=item_id, action__in=SHOWN)
    with translation.override(settings.LANGUAGE_CODE):
        message = gettext("The wanted notice was closed: not delivered, its personal data were deleted.")
    shown.filter(state__in=(DeliveryState.PENDING, DeliveryState.RETRYING)).update(
        state=DeliveryState.FAILED, last_error=message, locked_until=None
    )
    for pk, title in shown.values_list("pk", "title"):
        payload = {"item_type": item_type, "item_id": item_id, "redacted": True}
        Delivery.objects.filter(pk=pk).update(payload=payload, title=redactor.text(title))


def _delete_images(ids: set[int], redactor: Redactor) -> None:
    """Delete the photos' images and renditions (files removed on commit) and redact their log entries."""
    from wagtail.images import get_image_model

    if not ids:
        return
    Image = get_image_model()
    image_type = ContentType.objects.get_for_model(Image)
    for entry in ModelLogEntry.objects.filter(content_type=image_type, object_id__in=[str(pk) for pk in ids]):
        ModelLogEntry.objects.filter(pk=entry.pk).update(label=REDACTED, data=redactor.json(entry.data))
    for image in Image.objects.filter(pk__in=ids):
        image.delete()


def _delete_file_on_commit(storage: Any, name: str) -> None:
    def remove() -> None:
        if name and storage.exists(name):
            storage.delete(name)

    transaction.on_commit(remove)


def _close_tips(notice: WantedNotice, redactor: Redactor) -> None:
    """Tips stay with the department as records, without the person's data: text redacted, files deleted."""
    tips = Tip.objects.filter(notice=notice)
    for tip in tips:
        content = redactor.text(tip.content)
        if content != tip.content:
            Tip.objects.filter(pk=tip.pk).update(content=content)
    for attachment in TipAttachment.objects.filter(tip__notice=notice):
        _delete_file_on_commit(attachment.file.storage, attachment.file.name)
        attachment.delete()


def _reindex(notice: WantedNotice) -> None:
    """The admin search index (Wagtail's) holds what is left; the site search has no entry."""
    from wagtail.search import index

    from search.signals import remove_now

    index.insert_or_update_object(notice)
    remove_now([f"page:{notice.pk}"])
