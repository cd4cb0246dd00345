"""Response shapes of the search endpoints, for the OpenAPI document (search.api builds the responses)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.schema import CodeName

from .engines.base import CATALOGUE_FACETS, SITE_FACETS, SORTS


class SearchHit(serializers.Serializer):
    """One search result."""

    key = serializers.CharField(help_text=_("Stable key of the indexed object."))
    kind = serializers.CharField(help_text=_("Kind of page or object, usable as the `kind` filter."))
    title = serializers.CharField()
    title_html = serializers.CharField(help_text=_("Title, HTML-escaped, with the matched words in <em>."))
    snippet_html = serializers.CharField(help_text=_("Excerpt of the body, HTML-escaped, matches in <em>."))
    summary = serializers.CharField(allow_blank=True)
    url = serializers.URLField(help_text=_("Public URL of the result."))
    published_at = serializers.DateTimeField(allow_null=True)
    department = CodeName(allow_null=True)
    score = serializers.FloatField(help_text=_("Relevance; higher is better."))


class CatalogueHit(SearchHit):
    """One catalogue search result, with the catalogue fields."""

    index_number = serializers.CharField(allow_blank=True, help_text=_("Index number (索引号)."))
    document_number = serializers.CharField(allow_blank=True, help_text=_("Document number (文号)."))
    topic = CodeName(allow_null=True)
    genre = CodeName(allow_null=True)
    mode = serializers.CharField(allow_blank=True, help_text=_("proactive or on_request."))
    validity = serializers.CharField(allow_blank=True)
    valid_until = serializers.DateField(allow_null=True)


class FacetValue(serializers.Serializer):
    """A value of a facet with the number of results having it."""

    value = serializers.CharField(help_text=_("Filter value (the parameter of the same name as the facet)."))
    label = serializers.CharField(help_text=_("Display label (Chinese)."))
    count = serializers.IntegerField()


def _facets(name: str, facet_names: tuple[str, ...]) -> type[serializers.Serializer]:
    """A serializer with one list of `FacetValue` per facet."""
    fields = {facet: FacetValue(many=True, required=False) for facet in facet_names}
    doc = "The values of each facet, most frequent first."
    return type(name, (serializers.Serializer,), {"__doc__": doc, **fields})


SiteFacets = _facets("SiteFacets", SITE_FACETS)
CatalogueFacets = _facets("CatalogueFacets", CATALOGUE_FACETS)


class SearchResults(serializers.Serializer):
    """A page of site search results with facets and suggestions."""

    query = serializers.CharField(help_text=_("The search text as understood."))
    tokens = serializers.ListField(child=serializers.CharField(), help_text=_("Words the text was segmented into."))
    count = serializers.IntegerField(help_text=_("Number of results on all pages."))
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    pages = serializers.IntegerField(help_text=_("Number of pages."))
    sort = serializers.ChoiceField(choices=SORTS)
    filters = serializers.DictField(child=serializers.CharField(), help_text=_("The filters applied."))
    results = SearchHit(many=True)
    facets = SiteFacets()
    suggestions = serializers.ListField(
        child=serializers.CharField(), help_text=_("Corrected or completed queries known to find something.")
    )


class CatalogueSearchResults(SearchResults):
    """A page of catalogue search results with the six catalogue facets and suggestions."""

    results = CatalogueHit(many=True)
    facets = CatalogueFacets()


class Suggestions(serializers.Serializer):
    """Type-ahead answers."""

    query = serializers.CharField()
    completions = serializers.ListField(child=serializers.CharField(), help_text=_("Words completing the text."))
    suggestions = serializers.ListField(
        child=serializers.CharField(), help_text=_("Corrections of a misspelt text, each known to find something.")
    )
