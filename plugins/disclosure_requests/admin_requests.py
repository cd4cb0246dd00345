"""Admin views of disclosure requests (admin_requests); menu items go in with the hook
`register_disclosure_requests_menu_item` (see wagtail_hooks.py).

    /admin/disclosure-requests/requests/                 the list (filters, clock of each request)
    /admin/disclosure-requests/requests/<pk>/            a request: fields, clock, history, action forms
    /admin/disclosure-requests/requests/<pk>/<action>/   POST: run an action and go back to the request
    /admin/disclosure-requests/requests/register/        register a request received offline
    /admin/disclosure-requests/requests/deadlines/       overdue and due within 3 working days

Who sees and acts on what: `permissions.py`; the actions and their forms: `staff_actions.py`. A dashboard
panel shows the counts of open, overdue and due-soon requests and the five most urgent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
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

from . import transitions
from .choices import CLOSED_STATES, RECEIPT_RULES, Channel, State
from .fees import fee_notice_docx
from .models import DisclosureRequest
from .permissions import can_register, can_see, can_see_any, registrable_portals, visible_requests
from .staff_actions import ACTIONS, available_actions, may_take
from .staff_queries import attach_clocks, due_soon_ids, filter_requests, overdue_ids, with_due_date
from .staff_serializers import history_records

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PER_PAGE = 30
NAMESPACE = "disclosure_requests_admin"
OFFLINE_CHANNELS = [Channel.IN_PERSON, Channel.POST, Channel.EMAIL, Channel.FAX]


def _require_staff(request: HttpRequest) -> None:
    if not can_see_any(request.user):
        raise Http404


def _get_visible(request: HttpRequest, pk: int) -> DisclosureRequest:
    req = DisclosureRequest.objects.select_related("portal", "department", "registered_by").filter(pk=pk).first()
    if req is None or not can_see(request.user, req):
        raise Http404
    return req


# --- the list ----------------------------------------------------------------------------------------------


class FilterForm(forms.Form):
    """The list's filters."""

    q = forms.CharField(label=gettext_lazy("Number or title"), required=False, max_length=100)
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False, choices=[("", "—"), *State.choices])
    department = forms.ChoiceField(label=gettext_lazy("Department"), required=False)
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), required=False, choices=[("", "—"), *Channel.choices])
    year = forms.IntegerField(label=gettext_lazy("Year"), required=False, min_value=2000, max_value=2100)
    overdue = forms.BooleanField(label=gettext_lazy("Overdue"), required=False)
    due_soon = forms.BooleanField(label=gettext_lazy("Due within 3 working days"), required=False)

    def __init__(self, *args: Any, departments: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", "—"), *departments]


def request_list(request: HttpRequest) -> HttpResponse:
    """The requests the user may see, filtered, newest first, with due date and days left."""
    _require_staff(request)
    visible = visible_requests(request.user)
    departments = sorted(
        {(d.code, d.name) for d in _departments_of(visible)},
        key=lambda pair: pair[1],
    )
    form = FilterForm(request.GET or None, departments=departments)
    params = form.cleaned_data if form.is_bound and form.is_valid() else {}
    queryset = filter_requests(visible.select_related("department"), params).order_by("-received_on", "-serial")
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("p"))
    attach_clocks(page.object_list)
    query = request.GET.copy()
    query.pop("p", None)
    return render(
        request,
        "disclosure_requests/admin/list.html",
        {
            "page_title": _("Disclosure requests"),
            "header_icon": "mail",
            "form": form,
            "page_obj": page,
            "requests": page.object_list,
            "query": query.urlencode(),
            "can_register": can_register(request.user),
        },
    )


def _departments_of(visible) -> list:
    from cms.models import Department

    return list(Department.objects.filter(pk__in=visible.exclude(department=None).values("department_id")))


# --- a request ---------------------------------------------------------------------------------------------


def answer_edit_url(answer: Any, user: Any) -> str | None:
    """The answer snippet's edit view, when one is registered and `user` may edit the answer."""
    if answer is None:
        return None
    return AdminURLFinder(user).get_edit_url(answer)


def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A request: every field, the clock, consultations, remedies, the answer, the history and the forms of
    the actions the user may take now."""
    req = _get_visible(request, pk)
    return _render_detail(request, req)


def _render_detail(request: HttpRequest, req: DisclosureRequest, bound: Mapping[str, Any] | None = None):
    clock = req.clock
    answer = getattr(req, "answer", None)
    url = lambda name: reverse(f"{NAMESPACE}:action", args=[req.pk, name])  # noqa: E731
    forms_ = action_forms(available_actions(req, request.user), req, url, bound)
    response = render(
        request,
        "disclosure_requests/admin/detail.html",
        {
            "page_title": req.number,
            "page_subtitle": req.info_title,
            "header_icon": "mail",
            "req": req,
            "clock": clock.as_dict() if clock is not None else None,
            "consultations": list(req.consultations.all()),
            "remedies": list(req.remedies.all()),
            "answer": answer,
            "answer_url": answer_edit_url(answer, request.user),
            "history": history_records(req),
            "action_forms": forms_,
            "list_url": reverse(f"{NAMESPACE}:list"),
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def request_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run an action from the request page; errors of the transition become admin error messages."""
    req = _get_visible(request, pk)
    return post_action(
        request,
        req,
        action,
        ACTIONS,
        may_take,
        reverse(f"{NAMESPACE}:detail", args=[req.pk]),
        lambda bound: _render_detail(request, req, bound),
        forbidden=_("You may not take this action on this request."),
        wrong_state=_("Not possible while the request is “%(state)s”."),
    )


# --- registering a request received offline ----------------------------------------------------------------


class RegisterForm(forms.ModelForm):
    """A request received in person, by post, email or fax, with the channel's date of receipt."""

    portal = forms.ModelChoiceField(label=gettext_lazy("Bureau"), queryset=None)
    channel = forms.ChoiceField(
        label=gettext_lazy("Channel"),
        choices=[(c.value, c.label) for c in OFFLINE_CHANNELS],
        widget=forms.RadioSelect,
    )
    channel_date = forms.DateField(
        label=gettext_lazy("Date of receipt"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("By post, email or fax: required. In person: leave empty for today."),
    )

    class Meta:
        model = DisclosureRequest
        fields = list(transitions.INTAKE_FIELDS)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        portals = registrable_portals(user)
        self.fields["portal"].queryset = portals
        if portals.count() == 1:
            self.fields["portal"].initial = portals.first()
            self.fields["portal"].widget = forms.HiddenInput()
        self.fields["channel_date"].widget.attrs["max"] = local_today().isoformat()  # never in the future
        order = ["portal", "channel", "channel_date"]
        self.order_fields(order + [f for f in self.fields if f not in order])

    def clean(self) -> dict[str, Any]:
        """The date of receipt by the channel's rule (required for post, email and fax; never in the future)."""
        data = super().clean()
        channel = data.get("channel")
        if channel:
            try:
                data["received_on"] = transitions.receipt_date(channel, channel_date=data.get("channel_date"))
            except transitions.TransitionError as exc:
                self.add_error("channel_date", exc.messages[0])
        return data


def register_request(request: HttpRequest) -> HttpResponse:
    """The form; on success the next page shows the number and the query code, once."""
    if not can_register(request.user):
        raise Http404
    form = RegisterForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in transitions.INTAKE_FIELDS}
        try:
            req, code, _created = transitions.submit(
                form.cleaned_data["portal"],
                data,
                channel=form.cleaned_data["channel"],
                channel_date=form.cleaned_data.get("channel_date"),
                user=request.user,
            )
        except transitions.TransitionError as exc:
            form.add_error(None, exc.messages[0])
        else:
            response = render(
                request,
                "disclosure_requests/admin/registered.html",
                {
                    "page_title": _("Request registered"),
                    "header_icon": "mail",
                    "req": req,
                    "code": code,
                    "detail_url": reverse(f"{NAMESPACE}:detail", args=[req.pk]),
                },
            )
            response["Cache-Control"] = "private, no-store"
            return response
    return render(
        request,
        "disclosure_requests/admin/register.html",
        {
            "page_title": _("Register a request received offline"),
            "header_icon": "mail",
            "form": form,
            "rules": [(c.label, RECEIPT_RULES[c]) for c in OFFLINE_CHANNELS],
        },
    )


# --- deadlines and the dashboard ---------------------------------------------------------------------------


def deadline_lists(user: Any, today=None) -> dict[str, list[DisclosureRequest]]:
    """The visible open requests that are overdue and those due within 3 working days, soonest first."""
    today = today or local_today()
    visible = visible_requests(user).select_related("department")
    overdue = attach_clocks(visible.filter(pk__in=overdue_ids(today)), today)
    soon = attach_clocks(visible.filter(pk__in=due_soon_ids(today)), today)

    def key(r: DisclosureRequest) -> tuple:
        return (r.clock_info["working_days_left"] if r.clock_info else 0, r.received_on)

    return {"overdue": sorted(overdue, key=key), "due_soon": sorted(soon, key=key)}


def deadlines(request: HttpRequest) -> HttpResponse:
    """Overdue requests and those due within 3 working days, with department and days left."""
    _require_staff(request)
    lists = deadline_lists(request.user)
    return render(
        request,
        "disclosure_requests/admin/deadlines.html",
        {"page_title": _("Deadlines of disclosure requests"), "header_icon": "time", **lists},
    )


class RequestsPanel(Component):
    """Dashboard panel: counts of open, overdue and due-soon requests the user can see, and the 5 most urgent."""

    name = "disclosure_requests"
    order = 120
    template_name = "disclosure_requests/admin/panel.html"

    def __init__(self, user: Any) -> None:
        self.user = user

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
        today = local_today()
        visible = visible_requests(self.user)
        open_ = visible.exclude(state__in=list(CLOSED_STATES))
        urgent = with_due_date(open_.select_related("department")).order_by(
            F("due_date").asc(nulls_last=True), "received_on", "serial"
        )[:5]
        base = reverse(f"{NAMESPACE}:list")
        return {
            "open_count": open_.count(),
            "overdue_count": visible.filter(pk__in=overdue_ids(today)).count(),
            "due_soon_count": visible.filter(pk__in=due_soon_ids(today)).count(),
            "urgent": attach_clocks(urgent, today),
            "list_url": base,
            "overdue_url": f"{base}?overdue=on",
            "due_soon_url": f"{base}?due_soon=on",
            "deadlines_url": reverse(f"{NAMESPACE}:deadlines"),
        }


@hooks.register("construct_homepage_panels")
def add_requests_panel(request: HttpRequest, panels: list) -> None:
    """The requests panel, for users who can see requests."""
    if can_see_any(request.user):
        panels.append(RequestsPanel(request.user))


def fee_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The fee notice (收费通知书) of a request with a notified fee, as DOCX, for staff who may see it."""
    req = _get_visible(request, pk)
    try:
        body = fee_notice_docx(req)
    except ValueError:
        messages.error(request, _("No fee has been notified for this request."))
        return HttpResponseRedirect(reverse(f"{NAMESPACE}:detail", args=[req.pk]))
    response = HttpResponse(body, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="fee-notice-{req.year}-{req.serial:04d}.docx"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- URLs and menu -----------------------------------------------------------------------------------------

_urls = [
    path("", request_list, name="list"),
    path("register/", register_request, name="register"),
    path("deadlines/", deadlines, name="deadlines"),
    path("<int:pk>/", request_detail, name="detail"),
    path("<int:pk>/fee-notice.docx", fee_notice, name="fee_notice"),
    path("<int:pk>/<slug:action>/", request_action, name="action"),
]


@hooks.register("register_admin_urls")
def register_request_urls() -> list:
    """The request views at /admin/disclosure-requests/requests/."""
    return [path("disclosure-requests/requests/", include((_urls, NAMESPACE), namespace=NAMESPACE))]


class StaffMenuItem(MenuItem):
    """Shown to users who may see requests."""

    def is_shown(self, request: HttpRequest) -> bool:
        """True when the user may see requests."""
        return can_see_any(request.user)


class RegisterMenuItem(MenuItem):
    """Shown to users who may register offline requests."""

    def is_shown(self, request: HttpRequest) -> bool:
        """True when the user may register requests."""
        return can_register(request.user)


@hooks.register("register_disclosure_requests_menu_item")
def requests_menu_item() -> MenuItem:
    """依申请公开 › Requests."""
    return StaffMenuItem(gettext_lazy("Requests"), reverse(f"{NAMESPACE}:list"), icon_name="mail", order=100)


@hooks.register("register_disclosure_requests_menu_item")
def deadlines_menu_item() -> MenuItem:
    """依申请公开 › Deadlines."""
    return StaffMenuItem(gettext_lazy("Deadlines"), reverse(f"{NAMESPACE}:deadlines"), icon_name="time", order=110)


@hooks.register("register_disclosure_requests_menu_item")
def register_menu_item() -> MenuItem:
    """依申请公开 › Register an offline request."""
    return RegisterMenuItem(
        gettext_lazy("Register an offline request"), reverse(f"{NAMESPACE}:register"), icon_name="plus", order=120
    )
