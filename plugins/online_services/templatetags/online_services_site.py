"""Template filters of 网上办事 on the public site: a file's type and size beside its download link, and a time
limit in working days."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


def document_size(document: Any) -> int | None:
    """The size in bytes of a Wagtail document: the recorded one, else the stored file's (never written back, so
    rendering a page writes nothing); None when the file is missing."""
    if document is None:
        return None
    if document.file_size is not None:
        return document.file_size
    try:
        return document.file.size
    except (OSError, ValueError):
        return None


@register.filter
def file_label(document: Any) -> str:
    """`DOCX，12.0 KB`: what a download link gives (its type, and its size when known)."""
    if document is None:
        return ""
    extension = (document.file_extension or "").upper() or _("file")
    size = document_size(document)
    return f"{extension}，{filesizeformat(size)}" if size is not None else extension


@register.filter
def working_days(days: int | None) -> str:
    """A time limit: `10个工作日`, or `当场办结` for 0; '' when not given."""
    if days is None or days == "":
        return ""
    days = int(days)
    if days == 0:
        return _("Done on the spot")
    return ngettext("%(n)d working day", "%(n)d working days", days) % {"n": days}
