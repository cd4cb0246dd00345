"""The OpenAPI document of /api/ and its offline docs page.

The document is valid, generated without a warning, names every route under /api/, and real responses of
the endpoints conform to it (objects the schema does not declare open must not carry undeclared keys).
"""

from __future__ import annotations

import copy
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.validation import validate_schema
from wagtail.api.v2.views import PagesAPIViewSet

from api.schema import UNDOCUMENTED_WAGTAIL_PARAMETERS

#: Routes that serve the document itself.
SELF = {"/api/schema/", "/api/docs/", "/api/redoc/"}


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    """The document as /api/schema/ serves it (JSON by default)."""
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/")
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return response.json()


def test_schema_is_a_valid_openapi_3_document_in_json_and_yaml(schema, db):
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "阳光警务 Sunlight API"
    for extra in ({"format": "yaml"}, {}):
        headers = {} if extra else {"HTTP_ACCEPT": "application/yaml"}
        response = Client().get("/api/schema/", extra, **headers)
        assert response.status_code == 200
        assert response["Content-Type"].split(";")[0] in ("application/vnd.oai.openapi", "application/yaml")
        assert yaml.safe_load(response.content)["paths"].keys() == schema["paths"].keys()


def test_generation_emits_no_warning_or_error(tmp_path, capsys, db):
    target = tmp_path / "openapi.yaml"
    try:
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    except Exception as exc:  # the command prints each warning and error to stderr first
        pytest.fail(f"schema generation failed: {exc}\n{capsys.readouterr().err}")
    assert "/api/v2/pages/" in yaml.safe_load(target.read_text())["paths"]


def _route_templates(patterns, prefix: str = "/api/") -> list[str]:
    """Every URL of the patterns as a path template, with each parameter written `{}`."""
    templates = []
    for pattern in patterns:
        raw = str(pattern.pattern)
        if "format" in raw:  # DRF's format-suffix variants (`.json`)
            continue
        text = prefix + raw.lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            templates += _route_templates(pattern.url_patterns, text)
        elif isinstance(pattern, URLPattern):
            templates.append(text)
    return [normalise(t) for t in templates]


def normalise(path: str) -> str:
    """A path with every parameter (regex group, converter or `{name}`) written `{}`."""
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "{}", path)
    path = re.sub(r"<(?:\w+:)?\w+>", "{}", path)
    path = re.sub(r"\{\w+\}", "{}", path)
    return path.replace("\\.", ".").replace("\\", "")


def test_every_route_under_api_is_in_the_schema(schema, db):
    routes = set(_route_templates(get_resolver("api.urls").url_patterns)) - SELF
    documented = {normalise(path) for path in schema["paths"]}
    assert {"/api/", "/api/v2/pages/", "/api/search/catalogue/", "/api/catalogue/{}/"} <= routes
    assert routes - documented == set(), "routes missing from the OpenAPI document (see docs/api.md)"
    assert not documented & SELF


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    if "allOf" in node and len(node["allOf"]) == 1:
        return _resolve(schema, node["allOf"][0])
    return node


def _json_schema(schema: dict, path: str, status: int, method: str = "get") -> dict:
    return schema["paths"][path][method]["responses"][str(status)]["content"]["application/json"]["schema"]


def test_pages_listing_declares_wagtails_parameters_and_envelope(schema, db):
    operation = schema["paths"]["/api/v2/pages/"]["get"]
    names = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
    real = set(PagesAPIViewSet.known_query_parameters) - UNDOCUMENTED_WAGTAIL_PARAMETERS
    assert real <= names, real - names
    assert {"type", "fields", "child_of", "descendant_of", "search", "order", "limit", "offset", "slug"} <= names
    assert operation["tags"] == ["pages"]
    find = {p["name"] for p in schema["paths"]["/api/v2/pages/find/"]["get"]["parameters"]}
    assert {"id", "html_path"} <= find

    listing = _resolve(schema, _json_schema(schema, "/api/v2/pages/", 200))
    assert set(listing["required"]) == {"meta", "items"}
    assert "total_count" in _resolve(schema, listing["properties"]["meta"])["properties"]
    item = _resolve(schema, listing["properties"]["items"]["items"])
    assert {"id", "meta", "title"} <= set(item["properties"])
    meta = _resolve(schema, item["properties"]["meta"])
    assert {"type", "detail_url", "html_url", "slug", "first_published_at"} <= set(meta["properties"])
    for kind in ("images", "documents"):
        listing = _resolve(schema, _json_schema(schema, f"/api/v2/{kind}/", 200))
        item = _resolve(schema, listing["properties"]["items"]["items"])
        assert "download_url" in _resolve(schema, item["properties"]["meta"])["properties"]
        assert schema["paths"][f"/api/v2/{kind}/"]["get"]["tags"] == [kind]


def _strict(node):
    """OpenAPI 3.0 → JSON Schema for checking responses: `nullable` as a null type, and objects closed unless
    they declare `additionalProperties`."""
    if isinstance(node, list):
        return [_strict(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: _strict(v) for k, v in node.items() if k not in ("readOnly", "writeOnly", "example")}
    if node.get("type") == "object" and "properties" in node and "additionalProperties" not in node:
        node["additionalProperties"] = False
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def assert_conforms(schema: dict, path: str, response, status: int = 200) -> None:
    """The response's status is `status` and its JSON body matches the documented schema."""
    assert response.status_code == status, response.content[:300]
    components = {"components": {"schemas": _strict(copy.deepcopy(schema["components"]["schemas"]))}}
    body_schema = {**_strict(_json_schema(schema, path, status)), **components}
    jsonschema.validate(response.json(), body_schema)


def test_real_responses_conform_to_the_schema(schema, client, admin_client, ankang):
    page = client.get("/api/v2/pages/?type=pages.ArticlePage&limit=3").json()["items"][0]
    cases = [
        ("/api/", "/api/", 200),
        ("/api/v2/pages/?limit=5", "/api/v2/pages/", 200),
        ("/api/v2/pages/?fields=-title,show_in_menus", "/api/v2/pages/", 200),
        ("/api/v2/pages/?nonsense=1", "/api/v2/pages/", 400),
        (f"/api/v2/pages/{page['id']}/", "/api/v2/pages/{id}/", 200),
        ("/api/v2/pages/999999/", "/api/v2/pages/{id}/", 404),
        ("/api/v2/images/", "/api/v2/images/", 200),
        ("/api/v2/documents/", "/api/v2/documents/", 200),
        ("/api/catalogue/?limit=3", "/api/catalogue/", 200),
        ("/api/catalogue/?year=abc", "/api/catalogue/", 400),
        ("/api/search/?q=通缉", "/api/search/", 200),
        ("/api/search/catalogue/?q=户籍", "/api/search/catalogue/", 200),
        ("/api/search/?q=" + "通" * 300, "/api/search/", 400),
        ("/api/search/suggest/?q=出入", "/api/search/suggest/", 200),
        ("/api/search/suggest/", "/api/search/suggest/", 400),
        ("/api/sample/records/", "/api/sample/records/", 200),
        ("/api/sample/", "/api/sample/", 200),
    ]
    for url, path, status in cases:
        assert_conforms(schema, path, client.get(url), status)
    entry = client.get("/api/catalogue/?limit=1").json()["results"][0]
    assert_conforms(schema, "/api/catalogue/{id}/", client.get(f"/api/catalogue/{entry['id']}/"))
    assert_conforms(schema, "/api/clocks/", client.get("/api/clocks/"), 403)
    assert_conforms(schema, "/api/clocks/", admin_client.get("/api/clocks/?all=1"))


def test_index_lists_schema_and_docs(client, db):
    endpoints = client.get("/api/").json()["endpoints"]
    assert endpoints["schema"].endswith("/api/schema/")
    assert endpoints["docs"].endswith("/api/docs/")


class _Assets(HTMLParser):
    """src and href attributes of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_use_only_this_sites_assets(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/schema/" in html
    parser = _Assets()
    parser.feed(html)
    assert parser.urls, "no asset found"
    for asset in parser.urls:
        parts = urlsplit(asset)
        assert not parts.scheme and not parts.netloc, f"{asset} is not on this site"
        served = client.get(asset)
        assert served.status_code == 200, asset
        assert b"".join(served.streaming_content if served.streaming else [served.content])
    assert not re.search(r"(?:https?:)?//(?!/)[\w.-]+\.\w+/", re.sub(r"<!--.*?-->", "", html)), "external URL"


# --- In a real browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium():
    from .browser import ARGS, CHROMIUM

    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail("Debian chromium is not installed: run scripts/install-browser.sh (scripts/test.sh does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.mark.browser
def test_swagger_ui_renders_the_api_offline(chromium, demo):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20000)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(f"{demo.url}/api/docs/")
        page.locator('.opblock-summary-path[data-path="/api/v2/pages/"]').first.wait_for(state="visible")
        assert page.locator('.opblock-summary-path[data-path="/api/search/catalogue/"]').count() > 0
        assert page.get_by_text("阳光警务 Sunlight API").count() > 0
    finally:
        context.close()
    outside = [url for url in requested if not url.startswith((demo.url + "/", "data:", "blob:"))]
    assert outside == [], outside
    assert any(url.endswith("/api/schema/") for url in requested)
