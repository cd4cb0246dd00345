"""Find plugins before Django starts: the built-in ones, the `sunlight.plugins` entry points, and extras.

`discover_plugins()` runs inside the settings module. It imports each candidate's `apps` module only
(never its models), checks the contract and the version, and returns the app configs to install plus
the refused plugins with their reasons. Refused plugins are left out and reported at start-up (a system
check warning, the log and `manage.py plugins`); with `strict=True` start-up stops instead.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass, field
from importlib.metadata import entry_points

from cms import __version__

from . import PluginConfig, PluginError

ENTRY_POINT_GROUP = "sunlight.plugins"


@dataclass(frozen=True)
class Refusal:
    """A plugin that was left out, and why."""

    name: str
    source: str
    reason: str

    def __str__(self) -> str:
        return f"plugin {self.name!r} ({self.source}) refused: {self.reason}"


@dataclass
class Discovery:
    """The outcome of plugin discovery: app config paths to install and the refusals."""

    accepted_apps: list[str] = field(default_factory=list)
    accepted_labels: list[str] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    #: Labels of plugins left out on purpose (SUNLIGHT_DISABLED_PLUGINS): profiles may still name them.
    disabled_labels: list[str] = field(default_factory=list)


def find_plugin_config(module_name: str) -> type[PluginConfig]:
    """Import `<module_name>.apps` and return its PluginConfig subclass; raise ValueError if none."""
    importlib.import_module(module_name)
    try:
        apps_module = importlib.import_module(f"{module_name}.apps")
    except ModuleNotFoundError as exc:
        if exc.name != f"{module_name}.apps":
            raise
        raise ValueError("has no apps.py with an AppConfig") from None
    from django.apps import AppConfig

    configs = [
        obj
        for obj in vars(apps_module).values()
        if inspect.isclass(obj)
        and issubclass(obj, AppConfig)
        and obj.__module__ == apps_module.__name__
        and getattr(obj, "name", None) == module_name
    ]
    plugin_configs = [c for c in configs if issubclass(c, PluginConfig)]
    if not plugin_configs:
        if configs:
            raise ValueError(f"its AppConfig {configs[0].__name__} does not subclass cms.plugins.PluginConfig")
        raise ValueError(f"apps.py defines no AppConfig with name = {module_name!r}")
    if len(plugin_configs) > 1:
        defaults = [c for c in plugin_configs if getattr(c, "default", False)]
        if len(defaults) != 1:
            raise ValueError("apps.py defines several PluginConfig classes and none is marked default = True")
        return defaults[0]
    return plugin_configs[0]


def entry_point_plugins() -> list[tuple[str, str]]:
    """Return (module, source) for each installed distribution's `sunlight.plugins` entry point."""
    found = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist.name if ep.dist is not None else "?"
        found.append((ep.value.split(":")[0].strip(), f"entry point {ep.name!r} of {dist}"))
    return found


def discover_plugins(
    builtin: list[str],
    extra: list[str] | None = None,
    disabled: list[str] | None = None,
    strict: bool = False,
    config: dict | None = None,
    framework_version: str = __version__,
    include_entry_points: bool = True,
) -> Discovery:
    """Check every candidate plugin and return which to install and which were refused."""
    candidates = [(m, "built-in") for m in builtin]
    if include_entry_points:
        candidates += entry_point_plugins()
    candidates += [(m, "SUNLIGHT_EXTRA_PLUGINS") for m in (extra or [])]
    disabled_set = set(disabled or [])
    config = config or {}
    result = Discovery()
    seen_modules: set[str] = set()
    for module_name, source in candidates:
        if module_name in seen_modules:
            continue
        seen_modules.add(module_name)
        short = module_name.rsplit(".", 1)[-1]
        if short in disabled_set or module_name in disabled_set:
            result.disabled_labels.append(short)
            continue
        try:
            plugin_cls = find_plugin_config(module_name)
        except Exception as exc:  # any import-time failure refuses the plugin, never the site
            reason = str(exc) if isinstance(exc, ValueError) else f"cannot be imported: {type(exc).__name__}: {exc}"
            result.refused.append(Refusal(module_name, source, reason))
            continue
        label = plugin_cls.label if "label" in vars(plugin_cls) else short
        if label in disabled_set:
            result.disabled_labels.append(label)
            continue
        problems = plugin_cls.problems(framework_version, config.get(label))
        if label in result.accepted_labels:
            problems.append(f"its label {label!r} is already used by another plugin")
        if problems:
            result.refused.append(Refusal(module_name, source, "; ".join(problems)))
            continue
        result.accepted_apps.append(f"{plugin_cls.__module__}.{plugin_cls.__qualname__}")
        result.accepted_labels.append(label)
    if strict and result.refused:
        raise PluginError(
            "Sunlight refuses to start (SUNLIGHT_PLUGINS_STRICT is on):\n"
            + "\n".join(f"  - {r}" for r in result.refused)
        )
    return result
