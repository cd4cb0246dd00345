"""What a user is in the bureaus' departments: the departments whose groups they belong to, by role, and the
portals they lead (heads of a leadership department). Plugins' permission modules build on it; it is computed
once per user object and cached on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

_CACHE = "_sunlight_memberships"


@dataclass(frozen=True)
class Memberships:
    """Department ids by role, and the ids of the portals the user leads."""

    departments: frozenset[int] = field(default_factory=frozenset)
    editors: frozenset[int] = field(default_factory=frozenset)
    heads: frozenset[int] = field(default_factory=frozenset)
    admins: frozenset[int] = field(default_factory=frozenset)
    leader_portals: frozenset[int] = field(default_factory=frozenset)


def is_active_user(user: Any) -> bool:
    """True for an authenticated, active user."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def memberships(user: Any) -> Memberships:
    """The user's memberships (empty for anonymous and inactive users)."""
    cached = getattr(user, _CACHE, None)
    if cached is not None:
        return cached
    result = Memberships()
    if is_active_user(user):
        from .models import Department, DepartmentKind

        group_ids = set(user.groups.values_list("pk", flat=True))
        if group_ids:
            rows = Department.objects.filter(
                Q(editors_group__in=group_ids) | Q(heads_group__in=group_ids) | Q(admins_group__in=group_ids)
            ).values_list("pk", "portal_id", "kind", "editors_group_id", "heads_group_id", "admins_group_id")
            roles: dict[str, set[int]] = {"departments": set(), "editors": set(), "heads": set(), "admins": set()}
            leads: set[int] = set()
            for pk, portal_id, kind, editors, heads, admins in rows:
                roles["departments"].add(pk)
                for role, group in (("editors", editors), ("heads", heads), ("admins", admins)):
                    if group in group_ids:
                        roles[role].add(pk)
                if kind == DepartmentKind.LEADERSHIP and heads in group_ids:
                    leads.add(portal_id)
            result = Memberships(**{k: frozenset(v) for k, v in roles.items()}, leader_portals=frozenset(leads))
    try:
        setattr(user, _CACHE, result)
    except AttributeError:  # AnonymousUser-like objects without a __dict__
        pass
    return result
