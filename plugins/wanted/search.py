"""Search documents of `wanted`: an open notice is found by the site search (/api/search/) by its number, the
person's name and aliases, the offence and the case; a closed one is never found.

The entry's summary (which feeds the suggestion vocabulary) names only the level and the offence, never the
person, so no name becomes a type-ahead word; the name is in the body, which leaves the index with the entry.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from search.documents import BuildContext, PageDocument
from search.engines.base import Entry

from .choices import NoticeLevel
from .models import WantedNotice

#: Fields whose text makes up the entry's body.
BODY_FIELDS = ("number", "subject_name", "other_names", "charge", "case_time", "case_place", "case_region",
               "case_summary", "native_place", "features")  # fmt: skip


class WantedNoticeDocument(PageDocument):
    """A live, public, open wanted notice."""

    model = WantedNotice

    def build(self, obj: Any, context: BuildContext) -> Entry | None:
        """The page entry with the notice's text; None once closed."""
        notice = obj.specific if type(obj) is not WantedNotice else obj
        if not notice.is_open:
            return None
        entry = super().build(notice, context)
        if entry is None:
            return None
        entry.body = "\n".join(str(getattr(notice, name) or "") for name in BODY_FIELDS if getattr(notice, name))
        entry.body += "\n" + "\n".join(b.text for b in notice.bulletins.all())
        with translation.override(settings.LANGUAGE_CODE):
            entry.summary = NoticeLevel(notice.level).label + gettext("wanted notice")
            if notice.charge:
                entry.summary += gettext("; suspected of %(charge)s") % {"charge": notice.charge}
        return entry


documents = [WantedNoticeDocument]
