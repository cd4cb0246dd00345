"""The content scanner: every text of a page (or any model instance) through the secrecy detectors.

What is scanned, generically, so new page types and plugins are covered without registration:

- text fields (CharField, TextField, EmailField) that editors fill in: the title, seo_title,
  search_description and every such field of the page type; rich text (RichTextField, RichTextBlock,
  RawHTMLBlock) is reduced to plain text first;
- StreamFields, recursively (struct, list and stream blocks, table data);
- Wagtail documents: foreign keys, DocumentChooserBlocks and document links inside rich text
  (``<a linktype="document" id="N">``) → the document's title and file name; images likewise → their title;
- tags, and inline child objects (ParentalKey relations such as ``attachments``) with their own text fields
  and documents.

Not scanned: slugs, URL paths and other non-editable fields, URL fields, fields with choices, ids, numbers,
dates, JSON and foreign keys to anything but documents and images.

Each finding's ``field`` says where it was, e.g. ``title``, ``body``, ``body.document(3).title``,
``video_file.file``, ``attachments[0].document.title``, ``content[2].paragraph``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
from collections.abc import Collection, Iterable

from django.db import models
from taggit.managers import TaggableManager
from wagtail import blocks
from wagtail.documents import get_document_model
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.documents.models import AbstractDocument
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock
from wagtail.images.models import AbstractImage
from wagtail.models import Page

from cms.privacy import Finding
from cms.sanitize import clean_plain

from .detectors import scan_text

__all__ = ["findings_digest", "html_to_text", "scan_object", "scan_stream", "scan_text"]

#: Never scanned: generated or internal (the slug and paths are derived, profile_key is internal).
SKIPPED_FIELDS = frozenset({"slug", "url_path", "path", "draft_title", "profile_key", "translation_key"})
#: How deep inline child objects (children of children …) are followed.
MAX_DEPTH = 3

_BLOCK_END_RE = re.compile(r"</(?:p|div|h[1-6]|li|ul|ol|blockquote|tr|td|th|table|pre)\s*>|<br\s*/?>|<hr\s*/?>", re.I)
_DOC_LINK_RE = re.compile(r"<a\b[^>]*\blinktype=[\"']document[\"'][^>]*>", re.I)
_IMAGE_EMBED_RE = re.compile(r"<embed\b[^>]*\bembedtype=[\"']image[\"'][^>]*>", re.I)
_ID_ATTR_RE = re.compile(r"\bid=[\"'](\d+)[\"']", re.I)
_FILENAME_SEPARATORS = str.maketrans({"_": " ", "-": " ", ".": " ", "+": " "})


def html_to_text(source: str) -> str:
    """Plain text of rich text / HTML: block ends become line breaks (so a mark alone in a paragraph is alone
    on its line), tags are dropped and entities decoded."""
    return clean_plain(_BLOCK_END_RE.sub(lambda m: m.group() + "\n", source or ""))


def scan_object(obj: models.Model, public_numbers: Collection[str] = ()) -> list[Finding]:
    """All findings in the content of `obj` (a page, possibly unsaved or rebuilt from a revision, or any model
    instance), deduplicated, in field order. `public_numbers` are the bureau's own published numbers."""
    if isinstance(obj, Page) and obj.pk and type(obj) is Page and obj.specific_class not in (None, Page):
        obj = obj.specific
    scanner = _Scanner(public_numbers)
    scanner.scan_instance(obj, prefix="", depth=0)
    return scanner.result()


def findings_digest(findings: Iterable[Finding]) -> str:
    """A stable SHA-256 (hex) of the distinct (kind, text, field) of `findings`: a clearance recorded for one
    set of findings matches later exactly when the same things are found in the same places (positions and
    repeated occurrences do not matter)."""
    items = sorted({(f.kind, f.text, f.field) for f in findings})
    payload = json.dumps(items, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def scan_stream(value, field: str) -> list[Finding]:
    """Findings in a StreamField value (a StreamValue), `field` being the field's name."""
    scanner = _Scanner()
    scanner.scan_block(value.stream_block, value, field, depth=0)
    return scanner.result()


class _Scanner:
    """Collects findings while walking one object; caches documents and images looked up by id."""

    def __init__(self, public_numbers: Collection[str] = ()) -> None:
        self.public_numbers = tuple(public_numbers)
        self.findings: list[Finding] = []
        self._documents: dict[int, AbstractDocument | None] = {}
        self._images: dict[int, AbstractImage | None] = {}

    def result(self) -> list[Finding]:
        """The findings, identical ones once."""
        return list(dict.fromkeys(self.findings))

    def text(self, value, field: str) -> None:
        """Scan plain text."""
        if isinstance(value, str) and value.strip():
            self.findings.extend(scan_text(value, field, self.public_numbers))

    def rich_text(self, source, field: str) -> None:
        """Scan rich text and the documents and images it links to."""
        source = str(getattr(source, "source", source) or "")
        if not source.strip():
            return
        self.text(html_to_text(source), field)
        for tag in _DOC_LINK_RE.findall(source):
            if id_match := _ID_ATTR_RE.search(tag):
                doc_id = int(id_match.group(1))
                self.document(self._get(self._documents, get_document_model(), doc_id), f"{field}.document({doc_id})")
        for tag in _IMAGE_EMBED_RE.findall(source):
            if id_match := _ID_ATTR_RE.search(tag):
                image_id = int(id_match.group(1))
                self.image(self._get(self._images, get_image_model(), image_id), f"{field}.image({image_id})")

    @staticmethod
    def _get(cache: dict, model: type[models.Model], pk: int):
        if pk not in cache:
            cache[pk] = model.objects.filter(pk=pk).first()
        return cache[pk]

    def document(self, doc, field: str) -> None:
        """Scan a document's title and file name."""
        if doc is None:
            return
        self.text(doc.title, f"{field}.title")
        name = os.path.basename(doc.file.name) if doc.file else ""
        if name:
            self.filename(name, f"{field}.file")

    def image(self, image, field: str) -> None:
        """Scan an image's title."""
        if image is not None:
            self.text(image.title, f"{field}.title")

    def filename(self, name: str, field: str) -> None:
        """Scan a file name: the stem, with separators (_ - . +) read as spaces (same offsets, so a finding's
        text is cut from the real name)."""
        stem = os.path.splitext(name)[0]
        for finding in scan_text(stem.translate(_FILENAME_SEPARATORS), field):
            self.findings.append(dataclasses.replace(finding, text=stem[finding.start : finding.end]))

    def scan_instance(self, obj: models.Model, prefix: str, depth: int) -> None:
        """Scan the content fields, tags and inline children of one instance."""
        for field in obj._meta.concrete_fields:
            if field.primary_key or not field.editable or field.name in SKIPPED_FIELDS:
                continue
            name = prefix + field.name
            if isinstance(field, StreamField):
                value = getattr(obj, field.attname, None)
                if value is not None:
                    self.scan_block(field.stream_block, value, name, depth=0)
            elif isinstance(field, RichTextField):
                self.rich_text(getattr(obj, field.attname, ""), name)
            elif isinstance(field, models.ForeignKey):
                target = field.related_model
                if isinstance(target, type) and issubclass(target, AbstractDocument | AbstractImage):
                    related = getattr(obj, field.name, None) if getattr(obj, field.attname, None) else None
                    if issubclass(target, AbstractDocument):
                        self.document(related, name)
                    else:
                        self.image(related, name)
            elif isinstance(field, models.CharField | models.TextField):
                if isinstance(field, models.SlugField | models.URLField) or field.choices:
                    continue
                self.text(getattr(obj, field.attname, ""), name)
        self.tags(obj, prefix)
        if depth < MAX_DEPTH:
            self.children(obj, prefix, depth)

    def tags(self, obj: models.Model, prefix: str) -> None:
        """Scan tag names (taggit / modelcluster tag managers)."""
        for field in obj._meta.private_fields + list(obj._meta.many_to_many):
            if not isinstance(field, TaggableManager):
                continue
            try:
                names = [tag.name for tag in getattr(obj, field.name).all()]
            except ValueError:  # an unsaved instance with a plain taggit manager
                continue
            for index, tag in enumerate(names):
                self.text(tag, f"{prefix}{field.name}[{index}]")

    def children(self, obj: models.Model, prefix: str, depth: int) -> None:
        """Scan inline child objects (modelcluster ParentalKey relations), except tag through-models."""
        from modelcluster.models import ClusterableModel, get_all_child_relations
        from taggit.models import ItemBase

        if not isinstance(obj, ClusterableModel):
            return
        for relation in get_all_child_relations(type(obj)):
            if issubclass(relation.related_model, ItemBase):
                continue
            accessor = relation.get_accessor_name()
            for index, child in enumerate(getattr(obj, accessor).all()):
                self.scan_instance(child, f"{prefix}{accessor}[{index}].", depth + 1)

    def scan_block(self, block: blocks.Block, value, path: str, depth: int) -> None:
        """Scan one block value of a StreamField, recursively."""
        if value is None or depth > 20:
            return
        if isinstance(block, blocks.RichTextBlock | blocks.RawHTMLBlock):
            self.rich_text(value, path)
        elif isinstance(block, DocumentChooserBlock):
            self.document(value, path)
        elif isinstance(block, ImageChooserBlock):
            self.image(value, path)
        elif isinstance(block, blocks.StreamBlock):
            for index, child in enumerate(value):
                self.scan_block(child.block, child.value, f"{path}[{index}].{child.block_type}", depth + 1)
        elif isinstance(block, blocks.ListBlock):
            for index, item in enumerate(value):
                self.scan_block(block.child_block, item, f"{path}[{index}]", depth + 1)
        elif isinstance(block, blocks.StructBlock):
            for name, child_block in block.child_blocks.items():
                self.scan_block(child_block, value.get(name), f"{path}.{name}", depth + 1)
        elif isinstance(block, blocks.URLBlock | blocks.ChoiceBlock | blocks.MultipleChoiceBlock):
            return
        elif isinstance(block, blocks.PageChooserBlock | blocks.StaticBlock):
            return
        else:
            self.plain_data(value, path, depth)

    def plain_data(self, value, path: str, depth: int) -> None:
        """Scan strings in a leaf value: text, or the nested lists/dicts of table blocks."""
        if depth > 20:
            return
        if isinstance(value, str):
            self.text(value, path)
        elif hasattr(value, "columns") and hasattr(value, "row_data"):  # contrib TypedTableBlock
            self.text(getattr(value, "caption", ""), f"{path}.caption")
            for col, column in enumerate(value.columns):
                self.text(column.get("heading", ""), f"{path}.columns[{col}]")
            for row_index, row in enumerate(value.rows):
                for col, bound in enumerate(row):
                    self.scan_block(bound.block, bound.value, f"{path}.rows[{row_index}][{col}]", depth + 1)
        elif isinstance(value, dict):
            for key, item in value.items():
                self.plain_data(item, f"{path}.{key}", depth + 1)
        elif isinstance(value, list | tuple):
            for index, item in enumerate(value):
                self.plain_data(item, f"{path}[{index}]", depth + 1)
