"""Search documents of the sample plugin: its records are found by the site-wide search."""

from search.documents import SearchDocument
from search.engines.base import Entry

from .models import SampleRecord


class SampleRecordDocument(SearchDocument):
    """A plain model's objects as search entries (records titled 'withdrawn …' are never found)."""

    model = SampleRecord

    def build(self, obj, context):
        """An entry for each record, unless it is withdrawn."""
        if obj.title.startswith("withdrawn"):
            return None
        return Entry(key=self.key(obj), kind=self.kind, title=obj.title, url=f"/records/{obj.pk}/")


documents = [SampleRecordDocument]
