"""Models of the sample plugin."""

from django.db import models
from wagtail.models import Task

from pages.models import ColumnItemPage


class SampleNoticePage(ColumnItemPage):
    """A page type contributed by a plugin; lives in columns that accept it."""

    notice_text = models.TextField(blank=True)

    class Meta:
        verbose_name = "sample notice"


class SampleRecord(models.Model):
    """A plain model exposed through the plugin's API and registered as a snippet."""

    title = models.CharField(max_length=100)

    class Meta:
        permissions = [("verify_samplerecord", "Can verify sample records")]

    def __str__(self) -> str:
        return self.title


class SampleReviewTask(Task):
    """A workflow task type contributed by a plugin."""

    class Meta:
        verbose_name = "sample review task"
