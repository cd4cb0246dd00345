"""Staff admin of letters (来信办理): the list with filters, a letter with its clocks, routings, reply, history,
attachments, masked preview and the forms of the actions the user may take now, the deadline lists (overdue,
due soon, unread beyond the alert), the statistics, and the dashboard panel for the daily check.

Opening a letter records its first reading (seed 000 §四.3). Pages that show a writer's data are never cached.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from cms.actions import action_forms, post_action
from cms.deadlines.calendar import local_today
from cms.models import Portal

from . import transitions
from .choices import CLOSED_STATES, State
from .emergency import POINTER
from .models import DEPARTMENT_CLOCK, Box, Letter, LetterAttachment, LetterKind
from .permissions import can_see, can_see_any, may_publish, may_view_statistics, visible_letters
from .queries import attach_clocks, due_soon_ids, filter_letters, overdue_ids, unread, unread_too_long
from .staff_actions import ACTIONS, available_actions, may_take
from .stats import letter_statistics

PER_PAGE = 30
NAMESPACE = "mailbox_admin"
NO_STORE = "private, no-store"


def _require_staff(request: HttpRequest) -> None:
    if not can_see_any(request.user):
        raise Http404


def _get_visible(request: HttpRequest, pk: int) -> Letter:
    letter = Letter.objects.select_related("portal", "box__department", "kind", "department").filter(pk=pk).first()
    if letter is None or not can_see(request.user, letter):
        raise Http404
    return letter


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = NO_STORE
    return response


# --- the list ----------------------------------------------------------------------------------------------


class FilterForm(forms.Form):
    """The list's filters."""

    q = forms.CharField(label=gettext_lazy("Number or subject"), required=False, max_length=100)
    box = forms.ChoiceField(label=gettext_lazy("Box"), required=False)
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False, choices=[("", "—"), *State.choices])
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    year = forms.IntegerField(label=gettext_lazy("Year"), required=False, min_value=2000, max_value=2100)
    overdue = forms.BooleanField(label=gettext_lazy("Overdue"), required=False)
    due_soon = forms.BooleanField(label=gettext_lazy("Due within 3 working days"), required=False)
    unread = forms.BooleanField(label=gettext_lazy("Unread"), required=False)

    def __init__(self, *args: Any, visible: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        boxes = Box.objects.filter(pk__in=visible.values("box_id")).order_by("sort_order")
        kinds = LetterKind.objects.filter(pk__in=visible.values("kind_id")).order_by("sort_order")
        self.fields["box"].choices = [("", "—"), *sorted({(b.key, b.name) for b in boxes}, key=lambda p: p[1])]
        self.fields["kind"].choices = [("", "—"), *sorted({(k.key, k.name) for k in kinds}, key=lambda p: p[1])]


def letter_list(request: HttpRequest) -> HttpResponse:
    """The letters the user may see, filtered, newest first, with due date and days left."""
    _require_staff(request)
    visible = visible_letters(request.user)
    form = FilterForm(request.GET or None, visible=visible)
    params = form.cleaned_data if form.is_bound and form.is_valid() else {}
    queryset = filter_letters(visible.select_related("box", "kind", "department"), params)
    page = Paginator(queryset.order_by("-received_on", "-serial"), PER_PAGE).get_page(request.GET.get("p"))
    attach_clocks(page.object_list)
    query = request.GET.copy()
    query.pop("p", None)
    return _no_store(
        render(
            request,
            "mailbox/admin/list.html",
            {
                "page_title": _("Letters"),
                "header_icon": "mail",
                "form": form,
                "page_obj": page,
                "letters": page.object_list,
                "query": query.urlencode(),
                "can_view_statistics": may_view_statistics(request.user),
            },
        )
    )


# --- a letter ----------------------------------------------------------------------------------------------


def letter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A letter: the writer, content, attachments, clocks, routings, the reply, the masked preview for its
    publishers, the history and the forms of the actions the user may take now. Records the first reading."""
    letter = _get_visible(request, pk)
    transitions.mark_read(letter, request.user)
    return _render_detail(request, letter)


def _render_detail(request: HttpRequest, letter: Letter, bound: Mapping[str, Any] | None = None) -> HttpResponse:
    reply = getattr(letter, "reply", None)
    url = lambda name: reverse(f"{NAMESPACE}:action", args=[letter.pk, name])  # noqa: E731
    forms_ = action_forms(available_actions(letter, request.user), letter, url, bound)
    clock = letter.reply_clock
    department_clock = letter.clock_of(DEPARTMENT_CLOCK)
    preview = None
    if may_publish(request.user, letter):
        preview = transitions.masked(letter)
    context = {
        "page_title": letter.number,
        "page_subtitle": letter.subject,
        "header_icon": "mail",
        "letter": letter,
        "clock": clock.as_dict() if clock is not None else None,
        "department_clock": department_clock.as_dict() if department_clock is not None else None,
        "routings": list(letter.routings.select_related("department", "routed_by", "answered_by")),
        "attachments": list(letter.attachments.all()),
        "reply": reply,
        "reply_url": AdminURLFinder(request.user).get_edit_url(reply) if reply is not None else None,
        "preview": preview,
        "history": list(letter.history.select_related("history_user").order_by("-history_date", "-history_id")),
        "action_forms": forms_,
        "emergency_pointer": POINTER,
        "list_url": reverse(f"{NAMESPACE}:list"),
    }
    return _no_store(render(request, "mailbox/admin/detail.html", context))


@require_POST
def letter_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run an action from the letter page; a refused transition becomes an admin error message."""
    letter = _get_visible(request, pk)
    return post_action(
        request,
        letter,
        action,
        ACTIONS,
        may_take,
        reverse(f"{NAMESPACE}:detail", args=[letter.pk]),
        lambda bound: _render_detail(request, letter, bound),
        forbidden=_("You may not take this action on this letter."),
        wrong_state=_("Not possible while the letter is “%(state)s”."),
    )


def attachment(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    """An attachment of a letter, for staff who may see the letter (private storage, never a public URL)."""
    letter = _get_visible(request, pk)
    item = LetterAttachment.objects.filter(pk=attachment_id, letter=letter).first()
    if item is None:
        raise Http404
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    extension = item.file.name.rsplit(".", 1)[-1]
    response["Content-Disposition"] = (
        f'attachment; filename="letter-{letter.year}-{letter.serial:04d}-{item.pk}.{extension}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return _no_store(response)


# --- deadlines and the daily check -------------------------------------------------------------------------


def deadline_lists(user: Any, today: Any = None) -> dict[str, list[Letter]]:
    """The user's overdue letters, those due within 3 working days and those unread beyond the alert."""
    visible = visible_letters(user).select_related("box", "kind", "department")
    open_ = visible.exclude(state__in=list(CLOSED_STATES))
    return {
        "overdue": attach_clocks(open_.filter(pk__in=overdue_ids(today)).order_by("received_on", "serial")),
        "due_soon": attach_clocks(open_.filter(pk__in=due_soon_ids(today)).order_by("received_on", "serial")),
        "unread": attach_clocks(unread_too_long(open_).order_by("submitted_at")),
    }


def deadlines(request: HttpRequest) -> HttpResponse:
    """办理期限: overdue, due soon and unread letters."""
    _require_staff(request)
    context = {"page_title": _("Letter deadlines"), "header_icon": "time", **deadline_lists(request.user)}
    return _no_store(render(request, "mailbox/admin/deadlines.html", context))


class LettersPanel(Component):
    """The dashboard panel of the daily check: open, unread, overdue and due-soon letters."""

    name = "mailbox_letters"
    order = 110
    template_name = "mailbox/admin/panel.html"

    def __init__(self, user: Any) -> None:
        self.user = user

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Counts and the five most urgent letters."""
        from cms.deadlines.lists import with_due_date

        from .models import REPLY_CLOCK

        visible = visible_letters(self.user)
        open_ = visible.exclude(state__in=list(CLOSED_STATES))
        urgent = with_due_date(open_.select_related("box", "kind", "department"), REPLY_CLOCK).order_by(
            F("due_date").asc(nulls_last=True), "received_on", "serial"
        )[:5]
        base = reverse(f"{NAMESPACE}:list")
        return {
            "open_count": open_.count(),
            "unread_count": unread(open_).count(),
            "unread_alert_count": unread_too_long(open_).count(),
            "overdue_count": open_.filter(pk__in=overdue_ids()).count(),
            "due_soon_count": open_.filter(pk__in=due_soon_ids()).count(),
            "emergency_count": open_.filter(is_emergency=True).count(),
            "urgent": attach_clocks(urgent),
            "list_url": base,
            "deadlines_url": reverse(f"{NAMESPACE}:deadlines"),
        }


@hooks.register("construct_homepage_panels")
def add_letters_panel(request: HttpRequest, panels: list) -> None:
    """The letters panel, for users who can see letters."""
    if can_see_any(request.user):
        panels.append(LettersPanel(request.user))


# --- statistics --------------------------------------------------------------------------------------------


class StatisticsForm(forms.Form):
    """Portal, year and month of the statistics."""

    portal = forms.ModelChoiceField(label=gettext_lazy("Bureau"), queryset=None, to_field_name="profile")
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=gettext_lazy("Month"), min_value=1, max_value=12, required=False)

    def __init__(self, *args: Any, portals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["portal"].queryset = portals


def statistics_portals(user: Any):
    """The portals whose statistics `user` may see: all for superusers, else those of the user's departments."""
    portals = Portal.objects.filter(mailbox_rules__isnull=False).order_by("pk")
    if user.is_superuser:
        return portals
    group_ids = list(user.groups.values_list("pk", flat=True))
    from django.db.models import Q

    mine = Q(departments__editors_group__in=group_ids) | Q(departments__heads_group__in=group_ids)
    mine |= Q(departments__admins_group__in=group_ids)
    return portals.filter(mine).distinct() if not user.has_perm("mailbox.view_letter_statistics") else portals


def statistics(request: HttpRequest) -> HttpResponse:
    """Letters per department and month: received, replied, on time, late, open, overdue, average reply time."""
    if not may_view_statistics(request.user):
        raise Http404
    today = local_today()
    portals = statistics_portals(request.user)
    portal = portals.first()
    initial = {"portal": portal, "year": today.year}
    form = StatisticsForm(request.GET or None, initial=initial, portals=portals)
    rows: list = []
    chosen = None
    if form.is_bound and form.is_valid():
        chosen = form.cleaned_data
    elif portal is not None:
        chosen = {"portal": portal, "year": today.year, "month": None}
    if chosen:
        rows = letter_statistics(chosen["portal"], chosen["year"], chosen.get("month"), today=today)
    context = {"page_title": _("Letter statistics"), "header_icon": "table", "form": form, "rows": rows}
    return render(request, "mailbox/admin/statistics.html", context)


# --- URLs and menu -----------------------------------------------------------------------------------------

_urls = [
    path("", letter_list, name="list"),
    path("deadlines/", deadlines, name="deadlines"),
    path("statistics/", statistics, name="statistics"),
    path("<int:pk>/", letter_detail, name="detail"),
    path("<int:pk>/attachments/<int:attachment_id>/", attachment, name="attachment"),
    path("<int:pk>/<slug:action>/", letter_action, name="action"),
]


@hooks.register("register_admin_urls")
def register_letter_urls() -> list:
    """The letter views at /admin/mailbox/letters/."""
    return [path("mailbox/letters/", include((_urls, NAMESPACE), namespace=NAMESPACE))]


class StaffMenuItem(MenuItem):
    """Shown to users who may see letters."""

    def is_shown(self, request: HttpRequest) -> bool:
        """True when the user may see letters."""
        return can_see_any(request.user)


class StatisticsMenuItem(MenuItem):
    """Shown to users who may see the statistics."""

    def is_shown(self, request: HttpRequest) -> bool:
        """True when the user may see the statistics."""
        return may_view_statistics(request.user)


@hooks.register("register_mailbox_menu_item")
def letters_menu_item() -> MenuItem:
    """Letters › All letters."""
    return StaffMenuItem(_("All letters"), reverse(f"{NAMESPACE}:list"), icon_name="mail", order=100)


@hooks.register("register_mailbox_menu_item")
def deadlines_menu_item() -> MenuItem:
    """Letters › Deadlines."""
    return StaffMenuItem(_("Deadlines"), reverse(f"{NAMESPACE}:deadlines"), icon_name="time", order=110)


@hooks.register("register_mailbox_menu_item")
def statistics_menu_item() -> MenuItem:
    """Letters › Statistics."""
    return StatisticsMenuItem(_("Statistics"), reverse(f"{NAMESPACE}:statistics"), icon_name="table", order=120)
