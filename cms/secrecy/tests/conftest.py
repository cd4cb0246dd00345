"""Fixtures of the secrecy tests: a clean term cache, an empty term list, a small page tree, documents."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from cms.secrecy.models import SensitiveTerm, invalidate_terms_cache


@pytest.fixture(autouse=True)
def _fresh_term_cache():
    """The cached term list must not leak between tests (a rolled-back term stays cached otherwise)."""
    invalidate_terms_cache()
    yield
    invalidate_terms_cache()


@pytest.fixture
def no_terms(db):
    """An empty sensitive-term list, whatever a profile may have loaded."""
    SensitiveTerm.objects.all().delete()
    invalidate_terms_cache()


@pytest.fixture
def term(db):
    """Return a function adding an active sensitive term."""

    def make(text: str, category: str = "other", active: bool = True) -> SensitiveTerm:
        return SensitiveTerm.objects.create(term=text, category=category, active=active)

    return make


@pytest.fixture
def news_column(db):
    """A column (警务要闻) in a home page of its own, so the tests need no profile."""
    from wagtail.models import Page

    from pages.models import ColumnPage, HomePage

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="保密测试门户", slug="secrecy-test-home"))
    return home.add_child(instance=ColumnPage(title="警务要闻", slug="jwyw"))


@pytest.fixture
def document(db):
    """Return a function creating a Wagtail document with a title and a file name."""
    from wagtail.documents.models import Document

    def make(title: str, filename: str) -> Document:
        doc = Document(title=title)
        doc.file.save(filename, ContentFile(b"%PDF-1.4 test"), save=False)
        doc.save()
        return doc

    return make
