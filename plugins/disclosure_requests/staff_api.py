"""Staff API of disclosure requests: list, filter and act on requests (token or session, by department).

    GET  /api/disclosure_requests/staff/requests/?state=&department=&channel=&year=&overdue=true&due_soon=true&q=
    GET  /api/disclosure_requests/staff/requests/<number>/
    POST /api/disclosure_requests/staff/requests/<number>/actions/<action>/

Authentication: the Wagtail admin session (with the CSRF token on POST) or a personal staff token
(`Authorization: Bearer sls_…`, `manage.py api_token create-user`), acting with the user's permissions.
Only requests the user may see are listed or found (404 otherwise, `permissions.visible_requests`); an action
the user may not take is a 403, one the request's state or the rules refuse a 400 with the reason. Every
answer is `Cache-Control: private, no-store`.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.auth import UserTokenAuthentication, private
from api.schema import ErrorDetail, FieldErrors

from .choices import Channel, State
from .models import DisclosureRequest
from .permissions import can_see_any, reviews_answer, visible_requests
from .staff_actions import ACTIONS, Action, may_take, offered, run_action
from .staff_queries import attach_clocks, filter_requests
from .staff_serializers import (
    ACTION_SERIALIZERS,
    ActionResultSerializer,
    StaffRequestDetailSerializer,
    StaffRequestItemSerializer,
)
from .transitions import TransitionError


class IsStaffForRequests(permissions.BasePermission):
    """An active, authenticated user who may see at least some disclosure requests."""

    message = gettext_lazy("You may not handle disclosure requests.")

    def has_permission(self, request: Request, view: Any) -> bool:
        """True for users who may see requests (office, departments, handlers)."""
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and can_see_any(user))


class StaffView(APIView):
    """Base of the staff views: session or personal token, staff only, never cached."""

    authentication_classes = [UserTokenAuthentication, SessionAuthentication]
    permission_classes = [IsStaffForRequests]

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        """`Cache-Control: private, no-store` and `Vary: Authorization, Cookie` on every answer."""
        response = super().finalize_response(request, response, *args, **kwargs)
        return private(response, vary=("Authorization", "Cookie"))

    def get_request_object(self, number: str) -> DisclosureRequest:
        """The visible request with this number (404 otherwise)."""
        queryset = visible_requests(self.request.user).select_related("portal", "department")
        req = queryset.filter(number=number).first()
        if req is None:  # the approver of the answer's current step (e.g. the leader) may see it too
            candidate = DisclosureRequest.objects.select_related("portal", "department").filter(number=number).first()
            req = candidate if candidate is not None and reviews_answer(self.request.user, candidate) else None
        if req is None:
            raise NotFound(_("No request with this number, or not one you may see."))
        return req


class StaffPagination(LimitOffsetPagination):
    """limit (default 20, at most 100) and offset."""

    default_limit = 20
    max_limit = 100


STAFF_UNAUTHORIZED = OpenApiResponse(ErrorDetail, description=gettext_lazy("Not logged in, or a bad token."))
STAFF_FORBIDDEN = OpenApiResponse(ErrorDetail, description=gettext_lazy("Not allowed."))
NUMBER_PARAMETER = OpenApiParameter(
    "number", str, OpenApiParameter.PATH, description=gettext_lazy("The request's number, e.g. 依申2025-0001.")
)


@extend_schema(
    summary=gettext_lazy("Disclosure requests (staff)"),
    parameters=[
        OpenApiParameter("state", str, enum=State.values, description=gettext_lazy("Only requests in this state.")),
        OpenApiParameter("department", str, description=gettext_lazy("Only this department's (its code).")),
        OpenApiParameter("channel", str, enum=Channel.values, description=gettext_lazy("Only this channel.")),
        OpenApiParameter("year", int, description=gettext_lazy("Only requests received in this year.")),
        OpenApiParameter("overdue", str, enum=["true"], description=gettext_lazy("Only overdue requests.")),
        OpenApiParameter(
            "due_soon", str, enum=["true"], description=gettext_lazy("Only requests due within 3 working days.")
        ),
        OpenApiParameter("q", str, description=gettext_lazy("Text in the number or the title.")),
    ],
    responses={
        200: StaffRequestItemSerializer(many=True),
        401: STAFF_UNAUTHORIZED,
        403: STAFF_FORBIDDEN,
    },
)
class StaffRequestListView(StaffView):
    """The requests the user may see, newest first, with due date and clock state; personal data included."""

    pagination_class = StaffPagination

    def get(self, request: Request) -> Response:
        """A page of requests (limit, offset)."""
        queryset = visible_requests(request.user).select_related("department")
        queryset = filter_requests(queryset, request.query_params).order_by("-received_on", "-serial")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        attach_clocks(page)
        return paginator.get_paginated_response(StaffRequestItemSerializer(page, many=True).data)


@extend_schema(
    summary=gettext_lazy("A disclosure request (staff)"),
    parameters=[NUMBER_PARAMETER],
    responses={
        200: StaffRequestDetailSerializer,
        401: STAFF_UNAUTHORIZED,
        403: STAFF_FORBIDDEN,
        404: ErrorDetail,
    },
)
class StaffRequestDetailView(StaffView):
    """A request with its applicant, clock, consultations, answer, history and the actions open to the user."""

    def get(self, request: Request, number: str) -> Response:
        """The request (404 when not visible to the user)."""
        req = self.get_request_object(number)
        return Response(StaffRequestDetailSerializer(req, context={"request": request}).data)


class StaffActionView(StaffView):
    """Run one action on a request (`action` is set per route)."""

    action_def: Action

    def post(self, request: Request, number: str) -> Response:
        """Validate the fields, run the transition and answer the new state."""
        req = self.get_request_object(number)
        action = self.action_def
        if not may_take(action, req, request.user):
            raise PermissionDenied(_("You may not take this action on this request."))
        if not offered(action, req):
            return Response(
                {"detail": _("Not possible while the request is “%(state)s”.") % {"state": req.get_state_display()}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            form, result = run_action(action, req, request.user, request.data)
        except TransitionError as exc:
            return Response({"detail": exc.messages[0], "code": exc.code}, status=status.HTTP_400_BAD_REQUEST)
        if result is None:
            return Response(form.errors.get_json_data(), status=status.HTTP_400_BAD_REQUEST)
        req.refresh_from_db()
        return Response(
            {
                "number": req.number,
                "state": req.state,
                "state_label": str(req.get_state_display()),
                "detail": _("Done: %(action)s.") % {"action": action.label},
            }
        )


def action_view(action: Action) -> Any:
    """The view of one action, its POST documented with the action's input."""

    def post(self: StaffActionView, request: Request, number: str) -> Response:
        return StaffActionView.post(self, request, number)

    post.__doc__ = str(action.label)
    documented = extend_schema(
        summary=gettext_lazy("Action on a disclosure request: %(action)s") % {"action": action.name},
        parameters=[NUMBER_PARAMETER],
        request=ACTION_SERIALIZERS[action.name],
        responses={
            200: ActionResultSerializer,
            400: OpenApiResponse(FieldErrors, description=gettext_lazy("Invalid fields, or the state refuses.")),
            401: STAFF_UNAUTHORIZED,
            403: STAFF_FORBIDDEN,
            404: ErrorDetail,
        },
        operation_id=f"disclosure_requests_staff_{action.name}",
    )(post)
    view = type(
        f"Staff{ACTION_SERIALIZERS[action.name].__name__.removesuffix('Input')}View",
        (StaffActionView,),
        {"action_def": action, "__doc__": str(action.label), "post": documented},
    )
    return view.as_view()


urlpatterns: list = [
    path("staff/requests/", StaffRequestListView.as_view(), name="staff-list"),
    path("staff/requests/<str:number>/", StaffRequestDetailView.as_view(), name="staff-detail"),
    *[
        path(f"staff/requests/<str:number>/actions/{name}/", action_view(action), name=f"staff-action-{name}")
        for name, action in ACTIONS.items()
    ],
]
