"""Tips (线索) on a notice: attachment checks, routing and gap-free numbering, for the API and the form alike.

- Attachments: at most `MAX_FILES`, each at most `MAX_FILE_BYTES`, and a JPEG, PNG or PDF by its content (the
  first bytes, and for pictures a decode by Pillow) whatever its name or declared type says. They are stored
  under random names in private storage (`cms.storage`): no URL reaches them; staff download them through an
  admin view that checks the department.
- Routing: to the notice's department (its author department, else the column's responsible department).
- Numbering: `线索<year>-<serial>` per portal and year, issued in the transaction that saves the tip, so a failed
  submission spends no number.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from cms.models import Portal
from cms.review.models import item_department
from cms.sanitize import clean_plain

from .models import TIP_PREFIX, Tip, TipAttachment, WantedNotice, issue_tip_serial

MAX_FILES = 3
MAX_FILE_BYTES = 5 * 1024 * 1024
#: Largest request body taken at all (the files and the form around them): larger ones answer 413 unread.
MAX_REQUEST_BYTES = MAX_FILES * MAX_FILE_BYTES + 512 * 1024
#: Accepted types: (content type, extension, magic prefix).
SIGNATURES = (
    ("image/jpeg", ".jpg", b"\xff\xd8\xff"),
    ("image/png", ".png", b"\x89PNG\r\n\x1a\n"),
    ("application/pdf", ".pdf", b"%PDF-"),
)
#: What the form's file input offers.
ACCEPT = ".jpg,.jpeg,.png,.pdf"


@dataclass
class CheckedFile:
    """An uploaded file whose type was established by its content."""

    upload: Any
    content_type: str
    extension: str
    name: str


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a file from its first bytes, or None when it is none of the accepted."""
    for content_type, extension, magic in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def _decodes_as_image(upload: Any) -> bool:
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload) as picture:
            picture.verify()
        return True
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False
    finally:
        upload.seek(0)


def _safe_name(name: str, extension: str) -> str:
    """The sender's file name for staff: plain text, no path, at most 100 characters, the sniffed extension."""
    stem = os.path.splitext(os.path.basename(clean_plain(name or "")))[0].strip() or "attachment"
    return stem[: 100 - len(extension)] + extension


def check_attachments(files: list) -> list[CheckedFile]:
    """Validate uploaded files (count, size, type by content); a DRF ValidationError lists every problem."""
    files = [f for f in files or [] if f]
    if len(files) > MAX_FILES:
        raise serializers.ValidationError(_("Send at most %(n)d files.") % {"n": MAX_FILES})
    checked, problems = [], []
    for upload in files:
        name = os.path.basename(getattr(upload, "name", "") or "")
        if upload.size > MAX_FILE_BYTES:
            problems.append(_("%(name)s is larger than 5 MB.") % {"name": name})
            continue
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        kind = sniff(head)
        if kind is None or (kind[0].startswith("image/") and not _decodes_as_image(upload)):
            problems.append(_("%(name)s is not a JPEG, PNG or PDF file.") % {"name": name})
            continue
        checked.append(CheckedFile(upload, kind[0], kind[1], _safe_name(name, kind[1])))
    if problems:
        raise serializers.ValidationError(problems)
    return checked


def too_large(request: Any) -> bool:
    """True when the request announces a body larger than `MAX_REQUEST_BYTES`."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_REQUEST_BYTES
    except ValueError:
        return True


def earlier_tip(portal: Portal, key: str) -> Tip | None:
    """The tip already submitted on `portal` with this idempotency key, if any."""
    if not key:
        return None
    return Tip.objects.filter(portal=portal, idempotency_key=key).first()


def submit_tip(portal: Portal, notice: WantedNotice, data: dict[str, Any], key: str = "") -> tuple[Tip, bool]:
    """Register a validated tip on an open notice (all or nothing): (tip, created). A concurrent submission with
    the same idempotency key returns the tip it created."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            return _create(portal, notice, data, key, stored), True
    except IntegrityError:
        _discard(stored)
        existing = earlier_tip(portal, key)
        if existing is None:
            raise
        return existing, False
    except BaseException:
        _discard(stored)
        raise


def _discard(names: list[str]) -> None:
    """Delete files stored by a submission that did not commit."""
    storage = TipAttachment._meta.get_field("file").storage
    for name in names:
        if storage.exists(name):
            storage.delete(name)


def _create(portal: Portal, notice: WantedNotice, data: dict[str, Any], key: str, stored: list[str]) -> Tip:
    now = timezone.now()
    year = timezone.localtime(now).year
    serial = issue_tip_serial(portal, year)
    tip = Tip.objects.create(
        portal=portal,
        notice=notice,
        notice_number=notice.number,
        department=item_department(notice),
        year=year,
        serial=serial,
        number=f"{TIP_PREFIX}{year}-{serial:04d}",
        content=data["content"],
        contact_name=data.get("contact_name", ""),
        contact_phone=data.get("contact_phone", ""),
        received_at=now,
        idempotency_key=key or None,
    )
    for checked in data.get("attachments") or []:
        stored.append(store_attachment(tip, checked).file.name)
    return tip


def store_attachment(tip: Tip, checked: CheckedFile) -> TipAttachment:
    """Save one checked file in private storage under a random name."""
    from django.core.files.base import File

    upload = checked.upload
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        digest.update(chunk)
    upload.seek(0)
    attachment = TipAttachment(
        tip=tip, name=checked.name, content_type=checked.content_type, size=upload.size, sha256=digest.hexdigest()
    )
    attachment.file.save(f"tip{checked.extension}", File(upload), save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment
