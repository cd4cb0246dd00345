"""The outlet registry: each kind of outlet and how it renders an item. Plugins add kinds through their
PluginConfig (`outlet_kinds`). CONTRACT (filled in by the outlet work): see `OutletKind`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar


@dataclass
class OutletItem:
    """An item as every outlet sees it, built from a page revision or a plugin object."""

    item_type: str  # app_label.model
    item_id: str
    revision_id: int | None
    title: str
    url: str  # absolute public URL
    summary: str = ""
    body_html: str = ""  # rich text with links expanded, already sanitised for the web
    published_at: datetime | None = None
    column: str = ""
    department: str = ""
    images: list[dict[str, Any]] = field(default_factory=list)  # {url, alt, width, height}
    extra: dict[str, Any] = field(default_factory=dict)


class OutletKind:
    """One kind of outlet. Subclasses set `code` and `label` and implement `render`."""

    code: str = ""
    label: str = ""
    #: What the outlet should do on a withdrawal: `remove` the item, `purge` a cached copy, or `post` a notice.
    withdrawal_action: ClassVar[str] = "remove"

    def render(self, item: OutletItem) -> dict[str, Any]:
        """The payload a publish or update delivers to this kind of outlet."""
        raise NotImplementedError

    def render_withdrawal(self, item: OutletItem, reason: str = "") -> dict[str, Any]:
        """The payload an unpublish or withdrawal delivers: enough for the outlet to take the item down."""
        return {
            "item_type": item.item_type,
            "item_id": item.item_id,
            "url": item.url,
            "reason": reason,
            "action": self.withdrawal_action,
        }


_KINDS: dict[str, OutletKind] = {}


def register(kind: OutletKind) -> OutletKind:
    """Add an outlet kind to the registry (the core's four at import, plugins' at start-up)."""
    if not kind.code:
        raise ValueError(f"Outlet kind {type(kind).__name__} has no code.")
    _KINDS[kind.code] = kind
    return kind


def get_kind(code: str) -> OutletKind:
    """The registered outlet kind with this code; KeyError when there is none."""
    _ensure_core()
    return _KINDS[code]


def kinds() -> list[OutletKind]:
    """Every registered outlet kind, in registration order."""
    _ensure_core()
    return list(_KINDS.values())


def kind_codes() -> list[str]:
    """The codes of every registered outlet kind."""
    return [kind.code for kind in kinds()]


_core_registered = False


def _ensure_core() -> None:
    """Register the core's kinds once (they import the sanitiser, so not at this module's import)."""
    global _core_registered
    if not _core_registered:
        _core_registered = True
        from .kinds import CORE_KINDS

        for cls in CORE_KINDS:
            _KINDS.setdefault(cls.code, cls())


def register_path(dotted_path: str) -> OutletKind:
    """Import an OutletKind subclass by its dotted path and register an instance (plugins' `outlet_kinds`)."""
    from django.utils.module_loading import import_string

    cls = import_string(dotted_path)
    if not (isinstance(cls, type) and issubclass(cls, OutletKind)):
        raise TypeError(f"{dotted_path} is not a subclass of cms.outlets.registry.OutletKind.")
    _ensure_core()
    return register(cls())
