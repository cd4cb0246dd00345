"""The plugin contract: every Sunlight plugin is a Django app whose AppConfig subclasses `PluginConfig`.

This module is imported while settings load (before Django is set up), so it must import nothing that
needs the app registry.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured

__all__ = ["PluginConfig", "PluginError"]


class PluginError(ImproperlyConfigured):
    """A plugin cannot be loaded; the message names the plugin and the reason."""


class PluginConfig(AppConfig):
    """Base class of a plugin's AppConfig (after NetBox's PluginConfig).

    A plugin declares its metadata as class attributes; the loader checks them before the app is
    installed, so an incompatible plugin is refused with a clear message instead of failing deep
    inside Django.
    """

    #: The plugin's own version (PEP 440), shown by `manage.py plugins`.
    version: ClassVar[str] = ""
    #: PEP 440 specifier on the Sunlight framework version, e.g. ">=0.1,<1.0".
    requires: ClassVar[str] = ""
    description: ClassVar[str] = ""
    author: ClassVar[str] = ""
    #: The plugin's DRF routes are mounted under /api/<base_url>/ (default: the app label).
    base_url: ClassVar[str | None] = None
    #: Module (relative to the plugin package) holding `urlpatterns` or a DRF `router`.
    api_module: ClassVar[str] = "api"
    #: Module (relative to the plugin package) holding `urlpatterns` of public pages (forms, lookups), mounted
    #: at /<base_url>/ on the site; optional.
    site_urls_module: ClassVar[str] = "urls"
    #: Module (relative to the plugin package) holding `documents`, the plugin's search documents.
    search_module: ClassVar[str] = "search"
    #: Module (relative to the plugin package) with `load_demo(portal) -> list[str]`, which `setup_demo` calls to
    #: add the plugin's demo data (idempotently) and which returns what it created; optional.
    demo_module: ClassVar[str] = "demo"
    #: Settings with defaults; a site overrides them in SUNLIGHT_PLUGINS_CONFIG[label].
    default_settings: ClassVar[dict[str, Any]] = {}
    #: Settings a site must give in SUNLIGHT_PLUGINS_CONFIG[label]; the plugin is refused without them.
    required_settings: ClassVar[list[str]] = []
    #: Dotted paths of `cms.outlets.registry.OutletKind` subclasses this plugin adds (registered at ready()).
    outlet_kinds: ClassVar[list[str]] = []

    #: The top-level key of portal profiles this plugin reads (e.g. "disclosure_requests"), or None.
    profile_section: ClassVar[str | None] = None

    def parse_profile_section(self, checker: Any, raw: Any, path: str, department_ref: Any) -> Any:
        """Validate the plugin's profile section `raw` and return what `load_profile_section` needs.

        Report problems with ``checker.error(path, checker.line_of(container, key), message)`` (the helpers
        ``checker.mapping``, ``checker.text`` and ``checker.sequence`` do it for common shapes);
        ``department_ref(value, path, line, False)`` checks a department code. Nothing may be written here.
        """
        return raw

    def load_profile_section(self, portal: Any, spec: Any, departments: dict[str, Any], report: Any) -> None:
        """Apply the parsed section to `portal`, idempotently, inside the profile's transaction.

        `departments` maps codes to the portal's Department rows; note changes in `report.created`,
        `report.updated` (lists of strings) or `report.unchanged` (a count).
        """

    def ready(self) -> None:
        """Merge the plugin's settings; subclasses that override this must call super()."""
        super().ready()
        from django.conf import settings

        given = getattr(settings, "SUNLIGHT_PLUGINS_CONFIG", {}).get(self.label, {})
        self.settings: dict[str, Any] = {**self.default_settings, **given}
        if self.outlet_kinds:
            from cms.outlets.registry import register_path

            for path in self.outlet_kinds:
                register_path(path)

    @property
    def mount(self) -> str:
        """The URL segment under /api/ where this plugin's routes appear."""
        return (self.base_url or self.label).strip("/")

    @classmethod
    def problems(cls, framework_version: str, config: dict[str, Any] | None = None) -> list[str]:
        """Return the reasons this plugin cannot run on `framework_version` (empty when it can)."""
        from packaging.specifiers import InvalidSpecifier, SpecifierSet
        from packaging.version import InvalidVersion, Version

        found: list[str] = []
        if not cls.version:
            found.append("declares no version")
        else:
            try:
                Version(cls.version)
            except InvalidVersion:
                found.append(f"version {cls.version!r} is not a PEP 440 version")
        if not cls.requires:
            found.append("declares no `requires` specifier on the Sunlight version")
        else:
            try:
                spec = SpecifierSet(cls.requires)
            except InvalidSpecifier:
                found.append(f"`requires` {cls.requires!r} is not a PEP 440 specifier")
            else:
                if not spec.contains(Version(framework_version), prereleases=True):
                    found.append(f"requires Sunlight {cls.requires}, but this is Sunlight {framework_version}")
        missing = [key for key in cls.required_settings if key not in (config or {})]
        if missing:
            found.append("missing required settings in SUNLIGHT_PLUGINS_CONFIG: " + ", ".join(sorted(missing)))
        return found
