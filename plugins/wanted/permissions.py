"""Who sees tips and who closes notices.

- A tip belongs to the department it was routed to (the notice's department): members of that department's
  groups (editors, heads, column administrators) see and mark it; nobody else does, superusers excepted.
- Closing a notice (captured, surrendered, deceased, revoked) is for the heads of the notice's department and
  superusers.
- The admin's 网上通缉 menu is shown to superusers and to members of departments that keep notices: those
  responsible for a column accepting notices, or the author department of one.

A user's departments come from `cms.access.memberships` (computed once per user object).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from cms.access import is_active_user, memberships
from cms.models import Department, DepartmentRole

from .models import Tip, WantedNotice

NOTICE_LABEL = "wanted.WantedNotice"


def _active(user: Any) -> bool:
    return is_active_user(user)


def department_ids(user: Any, role: DepartmentRole | None = None) -> set[int]:
    """Ids of the departments whose groups `user` is in (optionally in one role), from `cms.access`."""
    found = memberships(user)
    if role is None:
        return set(found.departments)
    return set(getattr(found, role.value))


def visible_tips(user: Any, queryset: QuerySet | None = None) -> QuerySet:
    """The tips `user` may see: those routed to one of their departments (all for a superuser)."""
    queryset = Tip.objects.all() if queryset is None else queryset
    if not _active(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    return queryset.filter(department_id__in=department_ids(user))


def can_see_tip(user: Any, tip: Tip) -> bool:
    """True when `user` may see and mark `tip`."""
    if not _active(user):
        return False
    return user.is_superuser or (tip.department_id is not None and tip.department_id in department_ids(user))


def notice_department(notice: WantedNotice) -> Department | None:
    """The department a notice belongs to (author department, else its column's lead department)."""
    from cms.review.models import item_department

    return item_department(notice)


def can_close(user: Any, notice: WantedNotice) -> bool:
    """True when `user` may close `notice`: a head of its department, or a superuser."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    department = notice_department(notice)
    return department is not None and department.pk in department_ids(user, DepartmentRole.HEADS)


def keeping_departments() -> QuerySet:
    """Departments that keep notices: responsible for a column accepting them, or author of one."""
    from pages.models import ColumnPage

    columns = ColumnPage.objects.filter(accepted_types__icontains=NOTICE_LABEL)
    authors = WantedNotice.objects.exclude(author_department=None).values("author_department_id")
    return Department.objects.filter(Q(columns__in=columns) | Q(pk__in=authors)).distinct()


def can_use_admin(user: Any) -> bool:
    """True when the 网上通缉 menu is shown to `user`."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    mine = department_ids(user)
    return bool(mine) and keeping_departments().filter(pk__in=mine).exists()


def visible_notices(user: Any) -> QuerySet:
    """The notices listed for `user` in the admin: their departments' (all for a superuser)."""
    notices = WantedNotice.objects.all()
    if not _active(user):
        return notices.none()
    if user.is_superuser:
        return notices
    mine = department_ids(user)
    from pages.models import ColumnPage

    columns = ColumnPage.objects.filter(responsible_departments__in=mine, accepted_types__icontains=NOTICE_LABEL)
    under = Q()
    for path in columns.values_list("path", flat=True):
        under |= Q(path__startswith=path)
    return notices.filter(Q(author_department_id__in=mine) | (under if under else Q(pk__in=[])))
