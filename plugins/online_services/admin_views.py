"""Admin view of withdrawing a service guide (撤销办事指南): the reason, optionally the replacing guide."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .forms import WithdrawForm
from .models import ServiceGuidePage
from .withdrawal import can_withdraw, withdraw


def withdraw_guide(request: HttpRequest, page_id: int) -> HttpResponse:
    """GET: the withdrawal form; POST: withdraw the guide (it stays online, marked withdrawn)."""
    guide = get_object_or_404(ServiceGuidePage, pk=page_id)
    if not can_withdraw(guide, request.user):
        raise PermissionDenied
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            withdraw(guide, request.user, form.cleaned_data["reason"], form.cleaned_data.get("replaced_by"))
        except ValidationError as exc:
            for field, errors in getattr(exc, "error_dict", {"__all__": exc.error_list}).items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(
                request,
                _("The guide “%(title)s” was withdrawn; it stays online marked withdrawn.") % {"title": guide.title},
            )
            return redirect("wagtailadmin_pages:edit", guide.pk)
    return TemplateResponse(
        request,
        "online_services/admin/withdraw.html",
        {"page_title": _("Withdraw a service guide"), "page_subtitle": guide.title, "guide": guide, "form": form},
    )
