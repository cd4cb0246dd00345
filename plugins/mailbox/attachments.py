"""Attachments of letters: checked by their content (not their name), size-limited, kept in private storage.

Accepted: JPEG, PNG and PDF, at most `MAX_FILES` files of at most `MAX_BYTES` each. The type is read from the
file's first bytes; a file whose content does not match an accepted type is refused whatever it is called.
Staff download an attachment through the admin after a permission check; nothing serves them publicly.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from cms.sanitize import clean_plain

MAX_FILES = 3
MAX_BYTES = 5 * 1024 * 1024
#: Accepted types: (leading bytes, content type, extension).
SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"%PDF-", "application/pdf", "pdf"),
)
ACCEPT = ".jpg,.jpeg,.png,.pdf"


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks: its content, a clean name and the detected type."""

    name: str
    content: bytes
    content_type: str
    extension: str


class AttachmentError(ValueError):
    """An upload was refused; the message says why, in Chinese."""


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of the accepted type `head` starts with, or None."""
    for signature, content_type, extension in SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None


def check_uploads(uploads: list[Any]) -> list[CheckedFile]:
    """Check uploaded files (Django `UploadedFile`s): count, size and type; AttachmentError on the first problem."""
    uploads = [u for u in uploads if u is not None and getattr(u, "name", "")]
    if len(uploads) > MAX_FILES:
        raise AttachmentError(_("Attach at most %(n)d files.") % {"n": MAX_FILES})
    checked = []
    for upload in uploads:
        name = clean_plain(str(upload.name)).strip().replace("/", "_").replace("\\", "_")[-100:] or "file"
        if getattr(upload, "size", 0) > MAX_BYTES:
            raise AttachmentError(
                _("“%(name)s” is larger than %(mb)d MB.") % {"name": name, "mb": MAX_BYTES // (1024 * 1024)}
            )
        content = upload.read(MAX_BYTES + 1)
        if len(content) > MAX_BYTES:
            raise AttachmentError(
                _("“%(name)s” is larger than %(mb)d MB.") % {"name": name, "mb": MAX_BYTES // (1024 * 1024)}
            )
        if not content:
            raise AttachmentError(_("“%(name)s” is empty.") % {"name": name})
        kind = sniff(content[:16])
        if kind is None:
            raise AttachmentError(_("“%(name)s” is not a JPEG or PNG image or a PDF document.") % {"name": name})
        checked.append(CheckedFile(name, content, *kind))
    return checked


def store(letter: Any, checked: CheckedFile) -> Any:
    """Save a checked file as an attachment of `letter` (in private storage)."""
    from .models import LetterAttachment

    attachment = LetterAttachment(
        letter=letter,
        name=checked.name,
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=hashlib.sha256(checked.content).hexdigest(),
    )
    attachment.file.save(f"upload.{checked.extension}", ContentFile(checked.content), save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)  # no file without its row
        raise
    return attachment
