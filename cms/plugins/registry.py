"""The plugin registry: filled once from the installed PluginConfig apps, read-only afterwards."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from types import MappingProxyType

from django.apps import apps

from . import PluginConfig
from .discovery import Refusal


@dataclass(frozen=True)
class PluginInfo:
    """What one installed plugin is and what it contributes to the portal."""

    label: str
    module: str
    verbose_name: str
    version: str
    requires: str
    description: str
    mount: str
    page_types: tuple[str, ...]
    workflow_tasks: tuple[str, ...]
    snippets: tuple[str, ...]
    api_routes: tuple[str, ...]
    search_documents: tuple[str, ...]
    permissions: tuple[str, ...]
    config: PluginConfig
    #: The plugin's URL patterns (from `urlpatterns` or a DRF `router`), or None when it has no API.
    api_urlconf: list | None = None
    #: The plugin's public page routes (its `urls.urlpatterns`), mounted at /<mount>/ on the site, or None.
    site_urlconf: list | None = None
    #: The classes listed in the plugin's `search.documents` (subclasses of `search.documents.SearchDocument`).
    search_document_classes: tuple = ()


def optional_module(package: str, name: str):
    """Import `package.name`, or return None if it does not exist (other import errors propagate)."""
    full = f"{package}.{name}"
    try:
        return importlib.import_module(full)
    except ModuleNotFoundError as exc:
        if exc.name == full:
            return None
        raise


def _route_strings(patterns, prefix: str) -> list[str]:
    """Readable route strings: regex groups shown as <name>, format-suffix variants left out."""
    out = []
    for p in patterns or []:
        raw = str(p.pattern)
        if "format" in raw:
            continue
        text = prefix + re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", raw).lstrip("^").rstrip("$")
        if hasattr(p, "url_patterns"):
            out.extend(_route_strings(p.url_patterns, text))
        else:
            out.append(text)
    return out


def describe(config: PluginConfig) -> PluginInfo:
    """Introspect an installed plugin app and list its contributions."""
    from wagtail.models import Page, Task
    from wagtail.snippets.models import get_snippet_models

    models = list(config.get_models())
    page_types = tuple(m._meta.label for m in models if issubclass(m, Page))
    tasks = tuple(m._meta.label for m in models if issubclass(m, Task))
    snippet_labels = {m._meta.label for m in get_snippet_models()}
    snippets = tuple(m._meta.label for m in models if m._meta.label in snippet_labels)
    permissions: list[str] = []
    for m in models:
        for action in m._meta.default_permissions:
            permissions.append(f"{config.label}.{action}_{m._meta.model_name}")
        permissions.extend(f"{config.label}.{codename}" for codename, _ in m._meta.permissions)
    api = optional_module(config.name, config.api_module)
    patterns = None
    if api is not None:
        patterns = getattr(api, "urlpatterns", None)
        if patterns is None and hasattr(api, "router"):
            patterns = api.router.urls
        patterns = list(patterns) if patterns is not None else None
    site = optional_module(config.name, config.site_urls_module)
    site_patterns = list(site.urlpatterns) if site is not None and hasattr(site, "urlpatterns") else None
    routes = tuple(_route_strings(patterns, f"/api/{config.mount}/"))
    if site_patterns:
        routes += tuple(_route_strings(site_patterns, f"/{config.mount}/"))
    search = optional_module(config.name, config.search_module)
    document_classes = tuple(getattr(search, "documents", ()) if search else ())
    documents = tuple(getattr(d, "__name__", str(d)) for d in document_classes)
    return PluginInfo(
        label=config.label,
        module=config.name,
        verbose_name=str(config.verbose_name),
        version=config.version,
        requires=config.requires,
        description=str(config.description),
        mount=config.mount,
        page_types=page_types,
        workflow_tasks=tasks,
        snippets=snippets,
        api_routes=routes,
        search_documents=documents,
        permissions=tuple(permissions),
        config=config,
        api_urlconf=patterns,
        site_urlconf=site_patterns,
        search_document_classes=document_classes,
    )


class PluginRegistry:
    """Installed plugins by label. Filled on first use after Django is ready, then frozen."""

    def __init__(self) -> None:
        self._plugins: MappingProxyType[str, PluginInfo] | None = None

    def _load(self) -> MappingProxyType[str, PluginInfo]:
        if self._plugins is None:
            apps.check_apps_ready()
            found = {c.label: describe(c) for c in apps.get_app_configs() if isinstance(c, PluginConfig)}
            self._plugins = MappingProxyType(found)
        return self._plugins

    @property
    def refused(self) -> tuple[Refusal, ...]:
        """Plugins that discovery left out at start-up, with reasons."""
        from django.conf import settings

        discovery = getattr(settings, "PLUGIN_DISCOVERY", None)
        return tuple(discovery.refused) if discovery else ()

    def __iter__(self) -> Iterator[PluginInfo]:
        return iter(self._load().values())

    def __len__(self) -> int:
        return len(self._load())

    def __contains__(self, label: object) -> bool:
        return label in self._load()

    def __getitem__(self, label: str) -> PluginInfo:
        return self._load()[label]

    def get(self, label: str) -> PluginInfo | None:
        """Return the plugin with this label, or None when it is not installed."""
        return self._load().get(label)

    def is_installed(self, label: str) -> bool:
        """True when a plugin with this label is installed and accepted."""
        return label in self._load()


registry = PluginRegistry()
