"""API routes of the sample plugin: /api/sample/records/."""

from rest_framework import serializers, viewsets
from rest_framework.routers import DefaultRouter

from .models import SampleRecord


class SampleRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = SampleRecord
        fields = ["id", "title"]


class SampleRecordViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = SampleRecord.objects.order_by("id")
    serializer_class = SampleRecordSerializer


router = DefaultRouter()
router.register("records", SampleRecordViewSet, basename="record")
