"""The public pages: the request form (validation, receipt, idempotency token, rate limit) and the status
lookup page, through the Django test client."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache

from plugins.disclosure_requests.models import DisclosureRequest

from .test_public_api import ID, PERSONAL, payload

pytestmark = pytest.mark.django_db

APPLY = "/disclosure_requests/apply/"
STATUS_PAGE = "/disclosure_requests/status/"


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()
    yield
    cache.clear()


class Elements(HTMLParser):
    """Every start tag with its attributes, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    parser = Elements()
    parser.feed(html)
    return parser.tags


def form_token(html: str) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1)


def fill(client) -> dict:
    page = client.get(APPLY)
    return {**payload(), "idempotency_key": form_token(page.content.decode())}


def test_the_form_is_accessible_without_javascript(client, ankang):
    response = client.get(APPLY)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html
    # no asset from another host, no inline script: the form works without the site's one script
    assets = re.findall(r'<(?:script|img|link|iframe)\b[^>]*\b(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/static/") for a in assets), assets
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "no-store" in response["Cache-Control"]
    tags = elements(html)
    labels = {attrs.get("for") for tag, attrs in tags if tag == "label"}
    controls = [
        attrs for tag, attrs in tags if tag in ("input", "select", "textarea") and attrs.get("type") != "hidden"
    ]
    assert controls
    for attrs in controls:
        assert attrs["id"] in labels, attrs  # every field has its <label for>
        if attrs.get("type") != "radio":
            for ref in attrs.get("aria-describedby", "").split():
                assert f'id="{ref}"' in html
    assert sum(1 for tag, _ in tags if tag == "fieldset") >= 4
    assert sum(1 for tag, _ in tags if tag == "legend") == sum(1 for tag, _ in tags if tag == "fieldset")
    required = {attrs["name"] for attrs in controls if "required" in attrs}
    assert {"applicant_name", "id_number", "phone", "info_title", "info_description"} <= required
    assert 'name="csrfmiddlewaretoken"' in html and form_token(html)


def test_submitting_the_form_shows_the_number_and_code_once(client, ankang):
    data = fill(client)
    response = client.post(APPLY, data)
    assert response.status_code == 201
    html = response.content.decode()
    number = re.search(r'id="request-number"[^>]*>([^<]+)<', html).group(1)
    code = re.search(r'id="query-code"[^>]*>([^<]+)<', html).group(1)
    req = DisclosureRequest.objects.get(number=number)
    assert req.check_query_code(code) and req.idempotency_key == data["idempotency_key"]
    assert "no-store" in response["Cache-Control"]
    assert_no_personal(html)
    again = client.post(APPLY, data)  # double click, reload or back-and-resubmit
    assert again.status_code == 200
    assert number in again.content.decode() and code not in again.content.decode()
    assert DisclosureRequest.objects.count() == 1


def assert_no_personal(html: str) -> None:
    for value in PERSONAL:
        assert value not in html, value


def test_errors_are_summarised_and_tied_to_their_fields(client, ankang):
    data = {**fill(client), "applicant_name": "<b></b>", "phone": "123", "email": "", "info_description": ""}
    response = client.post(APPLY, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-summary"' in html and 'role="alert"' in html
    for name in ("applicant_name", "phone", "email", "info_description"):
        assert f'href="#id_{name}"' in html
        assert f'id="id_{name}_error"' in html
        assert re.search(rf'id="id_{name}"[^>]*aria-invalid="true"', html) or re.search(
            rf'aria-invalid="true"[^>]*id="id_{name}"', html
        )
    assert f'value="{ID}"' in html  # what was right is kept
    assert 'name="idempotency_key" value="' + data["idempotency_key"] in html
    assert not DisclosureRequest.objects.exists()


def test_script_in_the_form_is_stripped(client, ankang):
    data = {**fill(client), "info_title": "<script>alert(1)</script>户籍<b>统计</b>"}
    response = client.post(APPLY, data)
    assert response.status_code == 201
    assert DisclosureRequest.objects.get().info_title == "户籍统计"


def test_the_form_needs_csrf(ankang):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(APPLY, payload()).status_code == 403
    assert not DisclosureRequest.objects.exists()


def test_the_form_shares_the_submission_limit(client, ankang, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "disclosure_submit": "2/hour"},
    }
    statuses = [client.post(APPLY, fill(client)).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    assert DisclosureRequest.objects.count() == 2


def test_status_page_shows_state_and_no_personal_data(client, ankang):
    receipt = client.post(APPLY, fill(client)).content.decode()
    number = re.search(r'id="request-number"[^>]*>([^<]+)<', receipt).group(1)
    code = re.search(r'id="query-code"[^>]*>([^<]+)<', receipt).group(1)
    form = client.get(STATUS_PAGE, {"number": number})
    assert form.status_code == 200 and f'value="{number}"' in form.content.decode()
    response = client.post(STATUS_PAGE, {"number": number, "code": code})
    assert response.status_code == 200
    html = response.content.decode()
    assert number in html and 'id="state"' in html and 'id="due-date"' in html
    assert "no-store" in response["Cache-Control"]
    assert_no_personal(html)


def test_status_page_wrong_code_then_limit(client, ankang):
    receipt = client.post(APPLY, fill(client)).content.decode()
    number = re.search(r'id="request-number"[^>]*>([^<]+)<', receipt).group(1)
    code = re.search(r'id="query-code"[^>]*>([^<]+)<', receipt).group(1)
    wrong = client.post(STATUS_PAGE, {"number": number, "code": "ZZZZZZZZ"})
    assert wrong.status_code == 404 and 'id="error-summary"' in wrong.content.decode()
    assert "ZZZZZZZZ" not in wrong.content.decode()
    missing = client.post(STATUS_PAGE, {"number": "", "code": ""})
    assert missing.status_code == 400 and 'href="#id_code"' in missing.content.decode()
    for _ in range(9):
        client.post(STATUS_PAGE, {"number": number, "code": "ZZZZZZZZ"})
    blocked = client.post(STATUS_PAGE, {"number": number, "code": code})
    assert blocked.status_code == 429 and "Retry-After" in blocked


def test_the_home_page_offers_the_form_and_the_lookup(client, ankang):
    home = client.get("/").content.decode()
    panel = re.search(r'<section class="card home-panel" id="panel-disclosure-requests".*?</section>', home, re.S)
    assert panel is not None and ">依申请公开</h2>" in panel.group(0)
    assert f'href="{APPLY}"' in panel.group(0) and f'href="{STATUS_PAGE}"' in panel.group(0)
