"""Admin registrations of the sample plugin."""

from wagtail.snippets.models import register_snippet

from .models import SampleRecord

register_snippet(SampleRecord)
