"""Turn a refused publication into a clear answer: an admin message, or a 409 with the findings."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse

from .gate import PublicationBlocked, ReviewRefused


class PublicationBlockedMiddleware:
    """Handles ReviewRefused (and PublicationBlocked) raised anywhere in a view. With ATOMIC_REQUESTS the
    view's changes are already rolled back when this runs, so nothing of the refused publication remains."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ReviewRefused):
            return None
        if request.path.startswith("/admin/"):
            for blocker in exception.blockers:
                messages.error(request, blocker.message)
            if exception.page_id:
                back = reverse("wagtailadmin_pages:edit", args=[exception.page_id])
            else:
                back = request.META.get("HTTP_REFERER") or reverse("wagtailadmin_home")
            return HttpResponseRedirect(back)
        return JsonResponse(
            {
                "error": "publication_blocked" if isinstance(exception, PublicationBlocked) else "review_refused",
                "message": str(exception),
                "blockers": [
                    {
                        "code": b.code,
                        "message": b.message,
                        "findings": [{"kind": f.kind, "text": f.text, "field": f.field} for f in b.findings],
                    }
                    for b in exception.blockers
                ],
            },
            status=409,
            json_dumps_params={"ensure_ascii": False},
        )
