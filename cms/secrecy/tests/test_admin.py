"""The sensitive-term list in the Wagtail admin (a snippet)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cms.secrecy.detectors import find_sensitive_terms
from cms.secrecy.models import SensitiveTerm

pytestmark = pytest.mark.django_db


def test_listing_search_and_filters(admin_client, no_terms, term):
    term("警力部署", "police_tactics")
    term("专案代号", "classification", active=False)
    url = reverse("wagtailsnippets_secrecy_sensitiveterm:list")

    response = admin_client.get(url)
    assert response.status_code == 200
    assert "警力部署" in response.text and "专案代号" in response.text

    response = admin_client.get(url, {"q": "警力"})
    assert "警力部署" in response.text and "专案代号" not in response.text

    response = admin_client.get(url, {"category": "classification"})
    assert "专案代号" in response.text and "警力部署" not in response.text

    response = admin_client.get(url, {"active": "true"})
    assert "警力部署" in response.text and "专案代号" not in response.text


def test_adding_a_term_in_the_admin_takes_effect_at_once(admin_client, no_terms):
    assert find_sensitive_terms("警卫路线图") == []
    response = admin_client.post(
        reverse("wagtailsnippets_secrecy_sensitiveterm:add"),
        {"term": " 警卫路线 ", "category": "police_tactics", "note": "", "active": "on"},
    )
    assert response.status_code == 302, response.text[:2000]
    assert SensitiveTerm.objects.get().term == "警卫路线"
    assert [f.text for f in find_sensitive_terms("警卫路线图")] == ["警卫路线"]


def test_a_one_character_term_is_refused(admin_client, no_terms):
    response = admin_client.post(
        reverse("wagtailsnippets_secrecy_sensitiveterm:add"), {"term": "密", "category": "other", "active": "on"}
    )
    assert response.status_code == 200
    assert not SensitiveTerm.objects.exists()
