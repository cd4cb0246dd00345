"""Admin views of tips (网上通缉 › 线索), for the staff of the department each tip was routed to.

    /admin/wanted/tips/                                  the list (filters: state, notice number or tip number, year)
    /admin/wanted/tips/<pk>/                             a tip: text, contact, attachments, history, the marking form
    /admin/wanted/tips/<pk>/mark/                        POST: mark it checked, useful or not useful (with a note)
    /admin/wanted/tips/<pk>/attachments/<id>/            download an attachment (never cached, never inline)

A tip of another department answers 404, as if it did not exist (`permissions.visible_tips`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .choices import TipState
from .models import Tip
from .permissions import can_use_admin, visible_tips

NAMESPACE = "wanted_tips"
PER_PAGE = 30
NO_STORE = "private, no-store"
#: The states staff may set.
MARKS = [(TipState.CHECKED, TipState.CHECKED.label), (TipState.USEFUL, TipState.USEFUL.label),
         (TipState.NOT_USEFUL, TipState.NOT_USEFUL.label)]  # fmt: skip


class TipFilterForm(forms.Form):
    """The list's filters."""

    q = forms.CharField(label=gettext_lazy("Tip or notice number"), required=False, max_length=64)
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False, choices=[("", "—"), *TipState.choices])
    year = forms.IntegerField(label=gettext_lazy("Year"), required=False, min_value=2000, max_value=2100)


class MarkForm(forms.Form):
    """How staff judged a tip."""

    state = forms.ChoiceField(label=gettext_lazy("Mark as"), choices=MARKS, widget=forms.RadioSelect)
    staff_note = forms.CharField(
        label=gettext_lazy("Note (internal)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


def _get_tip(request: HttpRequest, pk: int) -> Tip:
    tip = visible_tips(request.user).select_related("department", "notice", "checked_by").filter(pk=pk).first()
    if tip is None:
        raise Http404
    return tip


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = NO_STORE
    return response


def tip_list(request: HttpRequest) -> HttpResponse:
    """The tips the user may see, newest first."""
    if not can_use_admin(request.user):
        raise Http404
    form = TipFilterForm(request.GET or None)
    params = form.cleaned_data if form.is_bound and form.is_valid() else {}
    tips = visible_tips(request.user).select_related("department").annotate(files=Count("attachments"))
    if params.get("q"):
        tips = tips.filter(Q(number__icontains=params["q"]) | Q(notice_number__icontains=params["q"]))
    if params.get("state"):
        tips = tips.filter(state=params["state"])
    if params.get("year"):
        tips = tips.filter(year=params["year"])
    page = Paginator(tips.order_by("-received_at", "-pk"), PER_PAGE).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    context = {
        "page_title": _("Tips"),
        "header_icon": "help",
        "form": form,
        "page_obj": page,
        "tips": page.object_list,
        "query": query.urlencode(),
    }
    return _no_store(render(request, "wanted/admin/tip_list.html", context))


def tip_detail(request: HttpRequest, pk: int, form: MarkForm | None = None) -> HttpResponse:
    """One tip with its attachments, history and the marking form."""
    tip = _get_tip(request, pk)
    history = [
        {"date": h.history_date, "user": h.history_user, "state": h.get_state_display(), "type": h.history_type}
        for h in tip.history.select_related("history_user").order_by("history_date", "history_id")
    ]
    context = {
        "page_title": tip.number,
        "page_subtitle": tip.notice_number,
        "header_icon": "help",
        "tip": tip,
        "attachments": list(tip.attachments.all()),
        "history": history,
        "form": form or MarkForm(initial={"state": tip.state if tip.state != TipState.NEW else None}),
        "list_url": reverse(f"{NAMESPACE}:list"),
    }
    return _no_store(render(request, "wanted/admin/tip_detail.html", context))


@require_POST
def tip_mark(request: HttpRequest, pk: int) -> HttpResponse:
    """Record how the tip was judged (who and when; the history keeps every change)."""
    tip = _get_tip(request, pk)
    form = MarkForm(request.POST)
    if not form.is_valid():
        return tip_detail(request, pk, form)
    mark(tip, form.cleaned_data["state"], request.user, form.cleaned_data["staff_note"])
    messages.success(
        request, _("Tip %(number)s marked “%(state)s”.") % {"number": tip.number, "state": tip.get_state_display()}
    )
    return HttpResponseRedirect(reverse(f"{NAMESPACE}:detail", args=[tip.pk]))


def mark(tip: Tip, state: str, user: Any, note: str = "") -> Tip:
    """Mark a tip checked, useful or not useful."""
    if state not in dict(MARKS):
        raise ValueError(f"not a mark: {state!r}")
    from cms.sanitize import clean_plain

    tip.state = state
    tip.staff_note = clean_plain(note or "").strip()
    tip.checked_by = user if getattr(user, "pk", None) else None
    tip.checked_at = timezone.now()
    tip._history_user = tip.checked_by
    tip.save(update_fields=["state", "staff_note", "checked_by", "checked_at"])
    return tip


def attachment(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    """Stream an attachment of a visible tip as a download."""
    tip = _get_tip(request, pk)
    item = tip.attachments.filter(pk=attachment_id).first()
    if item is None:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=item.name, content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return _no_store(response)


_urls = [
    path("", tip_list, name="list"),
    path("<int:pk>/", tip_detail, name="detail"),
    path("<int:pk>/mark/", tip_mark, name="mark"),
    path("<int:pk>/attachments/<int:attachment_id>/", attachment, name="attachment"),
]


@hooks.register("register_admin_urls")
def register_tip_urls() -> list:
    """The tip views at /admin/wanted/tips/."""
    return [path("wanted/tips/", include((_urls, NAMESPACE), namespace=NAMESPACE))]


class WantedMenuItem(MenuItem):
    """Shown to users who keep notices (and superusers)."""

    def is_shown(self, request: HttpRequest) -> bool:
        """True when the 网上通缉 admin is for this user."""
        return can_use_admin(request.user)


@hooks.register("register_wanted_menu_item")
def tips_menu_item() -> MenuItem:
    """网上通缉 › Tips."""
    return WantedMenuItem(gettext_lazy("Tips"), reverse(f"{NAMESPACE}:list"), icon_name="help", order=110)
