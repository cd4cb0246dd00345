"""Admin views of notices (网上通缉 › 通缉令): the notices of the user's departments with their state, and the
closing of a notice (captured, surrendered, deceased, revoked), which runs `lifecycle.close_notice`.

    /admin/wanted/notices/                 the list (filters: open or closed, number)
    /admin/wanted/notices/<id>/close/      the closing form (heads of the notice's department, superusers)

Notices are written and updated in the page editor, through the review chain; the editor's header and the
page listings offer "Close notice" to those who may close it.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from .choices import CLOSED_STATES, NoticeStatus
from .lifecycle import MAX_CLOSING_TEXT, TransitionError, close_notice
from .models import WantedNotice
from .permissions import can_close, can_use_admin, visible_notices

NAMESPACE = "wanted_notices"
PER_PAGE = 30


class CloseForm(forms.Form):
    """How and when the notice ends."""

    status = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        choices=[(s.value, s.label) for s in CLOSED_STATES],
        widget=forms.RadioSelect,
    )
    closed_on = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    closing_text = forms.CharField(
        label=gettext_lazy("Text"),
        required=False,
        max_length=MAX_CLOSING_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Public. For a revocation: the reason and the revoking document. Do not name the person."
        ),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that the person's data, photos and tip attachments are deleted for good."),
    )


class NoticeFilterForm(forms.Form):
    """The list's filters."""

    q = forms.CharField(label=gettext_lazy("Notice number"), required=False, max_length=64)
    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        required=False,
        choices=[("", "—"), ("open", gettext_lazy("Still wanted")), ("closed", gettext_lazy("Closed"))],
    )


def notice_list(request: HttpRequest) -> HttpResponse:
    """Notices of the user's departments, newest first."""
    if not can_use_admin(request.user):
        raise Http404
    form = NoticeFilterForm(request.GET or None)
    params = form.cleaned_data if form.is_bound and form.is_valid() else {}
    notices = visible_notices(request.user).select_related("author_department")
    if params.get("q"):
        notices = notices.filter(number__icontains=params["q"])
    if params.get("state") == "open":
        notices = notices.open()
    elif params.get("state") == "closed":
        notices = notices.closed()
    page = Paginator(notices.order_by("-date", "-pk"), PER_PAGE).get_page(request.GET.get("p"))
    rows = [{"notice": n, "can_close": n.is_open and can_close(request.user, n)} for n in page.object_list]
    query = request.GET.copy()
    query.pop("p", None)
    context = {
        "page_title": _("Wanted notices"),
        "header_icon": "warning",
        "form": form,
        "page_obj": page,
        "rows": rows,
        "query": query.urlencode(),
    }
    return render(request, "wanted/admin/notice_list.html", context)


def close_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The closing form (GET) and the closing (POST)."""
    notice = WantedNotice.objects.filter(pk=pk).first()
    if notice is None or not can_close(request.user, notice):
        raise Http404
    if not notice.is_open:
        messages.error(request, _("This wanted notice is already closed."))
        return HttpResponseRedirect(reverse(f"{NAMESPACE}:list"))
    form = CloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            close_notice(notice, data["status"], data["closed_on"], data["closing_text"], request.user)
        except TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(title)s is closed (%(status)s); the person's data have been deleted.")
                % {"title": notice.title, "status": NoticeStatus(data["status"]).label},
            )
            return HttpResponseRedirect(reverse(f"{NAMESPACE}:list"))
    context = {
        "page_title": _("Close wanted notice"),
        "page_subtitle": notice.title,
        "header_icon": "warning",
        "notice": notice,
        "form": form,
        "photos": notice.photos.count(),
        "tips": notice.tips.count(),
        "list_url": reverse(f"{NAMESPACE}:list"),
    }
    response = render(request, "wanted/admin/close.html", context, status=400 if form.errors else 200)
    response["Cache-Control"] = "private, no-store"
    return response


_urls = [
    path("", notice_list, name="list"),
    path("<int:pk>/close/", close_view, name="close"),
]


@hooks.register("register_admin_urls")
def register_notice_urls() -> list:
    """The notice views at /admin/wanted/notices/."""
    return [path("wanted/notices/", include((_urls, NAMESPACE), namespace=NAMESPACE))]


class NoticesMenuItem(MenuItem):
    """Shown to users who keep notices (and superusers)."""

    def is_shown(self, request: HttpRequest) -> bool:
        """True when the 网上通缉 admin is for this user."""
        return can_use_admin(request.user)


@hooks.register("register_wanted_menu_item")
def notices_menu_item() -> MenuItem:
    """网上通缉 › Wanted notices."""
    return NoticesMenuItem(gettext_lazy("Wanted notices"), reverse(f"{NAMESPACE}:list"), icon_name="warning", order=100)


def _close_button(page, user, priority: int):
    specific = page.specific_deferred if type(page) is not WantedNotice else page
    if isinstance(specific, WantedNotice) and specific.is_open and can_close(user, specific):
        yield Button(
            _("Close notice"),
            reverse(f"{NAMESPACE}:close", args=[page.pk]),
            icon_name="warning",
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def page_header_close_button(page, user, view_name=None, next_url=None):
    """ "Close notice" in the page editor's header menu of an open notice."""
    if page.specific_class is WantedNotice:
        yield from _close_button(page, user, 75)


@hooks.register("register_page_listing_more_buttons")
def page_listing_close_button(page, user, next_url=None):
    """ "Close notice" in the page listing's "more" menu of an open notice."""
    if page.specific_class is WantedNotice:
        yield from _close_button(page, user, 70)
