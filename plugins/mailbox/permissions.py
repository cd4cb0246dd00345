"""Who sees and who may act on which letter (admin views and the reply snippet alike).

- Superusers and holders of `mailbox.handle_letter` see and handle every letter.
- Members of a box's department (editors, heads, administrators) see its letters and handle them: triage,
  routing, drafting and submitting the reply, closing. Complaints to 纪委 are seen by 纪委, not the petitions
  office.
- Members of a department a letter was routed to (now or before) see it; the department it is with now gives
  its answer and may draft the reply.
- The bureau's leaders (heads of a leadership department) see every letter of their portal and consent to
  extensions (`transitions.may_approve_extension`).
- The approvers of the reply's current review step see the letter while it is their turn.
- Publishing and masks: the administrators (栏目管理员) of the box's department.
- Statistics (counts only): the letters office (`MailboxRules.office`), leaders, `mailbox.view_letter_statistics`.

The sets of department ids are computed once per user object and cached on it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from cms.access import is_active_user, memberships

from .models import Letter

HANDLE_PERMISSION = "mailbox.handle_letter"
STATISTICS_PERMISSION = "mailbox.view_letter_statistics"
_CACHE = "_mailbox_access"


_active = is_active_user


def _access(user: Any) -> dict[str, Any]:
    """{'all', 'departments', 'admin_of', 'leader_portals'} for `user` (cached on the user object)."""
    cached = getattr(user, _CACHE, None)
    if cached is not None:
        return cached
    member = memberships(user)
    access = {
        "all": _active(user) and (user.is_superuser or user.has_perm(HANDLE_PERMISSION)),
        "departments": set(member.departments),
        "admin_of": set(member.admins),
        "leader_portals": set(member.leader_portals),
    }
    try:
        setattr(user, _CACHE, access)
    except AttributeError:
        pass
    return access


def _condition(access: dict[str, Any]) -> Q | None:
    departments = access["departments"]
    condition = Q()
    if departments:
        condition |= Q(box__department_id__in=departments) | Q(routings__department_id__in=departments)
    if access["leader_portals"]:
        condition |= Q(portal_id__in=access["leader_portals"])
    return condition if condition else None


def can_see_any(user: Any) -> bool:
    """True when `user` may see at least some letters (the menu, the dashboard panel)."""
    access = _access(user)
    return access["all"] or bool(access["departments"])


def visible_letters(user: Any, queryset: QuerySet | None = None) -> QuerySet:
    """The letters `user` may see (with the writers' personal data), as a queryset."""
    queryset = Letter.objects.all() if queryset is None else queryset
    access = _access(user)
    if access["all"]:
        return queryset
    condition = _condition(access)
    if condition is None:
        return queryset.none()
    return queryset.filter(pk__in=Letter.objects.filter(condition).values("pk"))


def can_see(user: Any, letter: Letter) -> bool:
    """True when `user` may see `letter`."""
    access = _access(user)
    if access["all"] or letter.portal_id in access["leader_portals"]:
        return True
    departments = access["departments"]
    if letter.box.department_id in departments or letter.department_id in departments:
        return True
    if departments and letter.routings.filter(department_id__in=departments).exists():
        return True
    return reviews_reply(user, letter)


def handles(user: Any, letter: Letter) -> bool:
    """True when `user` handles `letter` for its box (triage, routing, reply, closing)."""
    access = _access(user)
    return access["all"] or letter.box.department_id in access["departments"]


def is_with_department_of(user: Any, letter: Letter) -> bool:
    """True when the letter is now with a department of `user` (it answers, and may draft the reply)."""
    access = _access(user)
    return access["all"] or (letter.department_id is not None and letter.department_id in access["departments"])


def may_publish(user: Any, letter: Letter) -> bool:
    """True for the box's column administrators (栏目管理员), who decide on publication and masks."""
    access = _access(user)
    return access["all"] or letter.box.department_id in access["admin_of"]


def reviews_reply(user: Any, letter: Letter) -> bool:
    """True when `user` decides the current review step of the letter's reply."""
    from cms.review.snippets import is_step_approver

    from .choices import State
    from .models import Reply

    if not _active(user) or letter.state != State.APPROVING:
        return False
    reply = Reply.objects.filter(letter=letter).first()
    return bool(reply is not None and is_step_approver(user, reply))


def may_view_statistics(user: Any) -> bool:
    """Statistics (counts only): superusers, the statistics permission, the leaders and the letters office."""
    from .models import MailboxRules

    access = _access(user)
    if access["all"] or access["leader_portals"] or (_active(user) and user.has_perm(STATISTICS_PERMISSION)):
        return True
    return bool(access["departments"]) and MailboxRules.objects.filter(office__in=access["departments"]).exists()
