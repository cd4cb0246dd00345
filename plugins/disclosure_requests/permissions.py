"""Who sees and who may act on which disclosure request (admin and staff API alike).

- Superusers and holders of `disclosure_requests.handle_disclosurerequest` handle every request.
- Members of the disclosure office's groups (`RequestRules.office`: editors, heads, admins) handle every
  request of their portal.
- Members of a department's groups see and act on the requests assigned to their department (consultation,
  fee, drafting and submitting the answer); routing, correction and closing stay with the office.
- Registering a request received offline needs `register_disclosurerequest` or office membership.
- Extensions: `transitions.may_approve_extension` (office heads, the extension permission, superusers).

The sets of group, department and office ids are computed once per user object and cached on it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from cms.access import is_active_user, memberships
from cms.models import Portal

from .models import DisclosureRequest, RequestRules

HANDLE_PERMISSION = "disclosure_requests.handle_disclosurerequest"
REGISTER_PERMISSION = "disclosure_requests.register_disclosurerequest"
_CACHE = "_disclosure_access"


_active = is_active_user


def _access(user: Any) -> dict[str, Any]:
    """{'all': bool, 'office_portals': set, 'departments': set} for `user` (cached on the user object)."""
    cached = getattr(user, _CACHE, None)
    if cached is not None:
        return cached
    access: dict[str, Any] = {"all": False, "office_portals": set(), "departments": set()}
    if _active(user):
        if user.is_superuser or user.has_perm(HANDLE_PERMISSION):
            access["all"] = True
        else:
            departments = set(memberships(user).departments)
            access["departments"] = departments
            if departments:
                access["office_portals"] = set(
                    RequestRules.objects.filter(office__in=departments).values_list("portal_id", flat=True)
                )
    try:
        setattr(user, _CACHE, access)
    except AttributeError:  # AnonymousUser-like objects without a __dict__
        pass
    return access


def is_handler(user: Any, portal: Portal | int | None) -> bool:
    """True when `user` handles every request of `portal` (superuser, handle permission, office member)."""
    access = _access(user)
    portal_id = portal.pk if isinstance(portal, Portal) else portal
    return access["all"] or (portal_id is not None and portal_id in access["office_portals"])


def can_see_any(user: Any) -> bool:
    """True when `user` may see at least some requests (the menu, the dashboard panel, the staff API)."""
    access = _access(user)
    return access["all"] or bool(access["office_portals"]) or bool(access["departments"])


def visible_requests(user: Any, queryset: QuerySet | None = None) -> QuerySet:
    """The requests `user` may see, as a queryset (empty for anyone else)."""
    queryset = DisclosureRequest.objects.all() if queryset is None else queryset
    access = _access(user)
    if access["all"]:
        return queryset
    condition = Q(portal_id__in=access["office_portals"]) | Q(department_id__in=access["departments"])
    if not access["office_portals"] and not access["departments"]:
        return queryset.none()
    return queryset.filter(condition)


def can_see(user: Any, req: DisclosureRequest) -> bool:
    """True when `user` may see `req` (with its personal data): the office, the request's department, and
    the approvers of its answer's current review step."""
    access = _access(user)
    return (
        is_handler(user, req.portal_id)
        or (req.department_id is not None and req.department_id in access["departments"])
        or reviews_answer(user, req)
    )


def reviews_answer(user: Any, req: DisclosureRequest) -> bool:
    """True when `user` decides the current review step of the request's answer (e.g. the leader)."""
    from .choices import State
    from .models import Answer

    if not _active(user) or req.state != State.APPROVING:
        return False
    answer = Answer.objects.filter(request=req).first()
    task_state = answer.current_workflow_task_state if answer else None
    if task_state is None:
        return False
    check = getattr(task_state.task.specific, "user_is_approver", None)
    return bool(check and check(answer, user))


def can_act(user: Any, req: DisclosureRequest) -> bool:
    """True when `user` may change `req` at all (the office, or the request's department)."""
    return can_see(user, req)


def registrable_portals(user: Any) -> QuerySet:
    """The portals for which `user` may register requests received offline."""
    access = _access(user)
    if not _active(user):
        return Portal.objects.none()
    if access["all"] or user.has_perm(REGISTER_PERMISSION):
        return Portal.objects.all()
    return Portal.objects.filter(pk__in=access["office_portals"])


def can_register(user: Any, portal: Portal | None = None) -> bool:
    """True when `user` may register offline requests (for `portal`, or for any portal)."""
    portals = registrable_portals(user)
    return portals.filter(pk=portal.pk).exists() if portal is not None else portals.exists()


def departments_of(user: Any) -> set[int]:
    """The ids of the departments whose groups `user` belongs to."""
    return set(_access(user)["departments"])
