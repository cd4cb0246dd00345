"""API routes of `wanted`, mounted under /api/wanted/ (namespace `wanted`).

GET  /api/wanted/               active notices (filters, paging): `notices_api.NoticeListView`
GET  /api/wanted/<id>/          one notice; 410 Gone with the minimal record once closed
POST /api/wanted/<id>/tips/     send a tip (`tips_api.TipSubmitView`)
"""

from django.urls import path

from .notices_api import NoticeDetailView, NoticeListView
from .tips_api import TipSubmitView

urlpatterns = [
    path("", NoticeListView.as_view(), name="notice-list"),
    path("<int:pk>/", NoticeDetailView.as_view(), name="notice-detail"),
    path("<int:pk>/tips/", TipSubmitView.as_view(), name="tip-submit"),
]
