"""Forms of the review chain."""

from django.utils.translation import gettext_lazy as _
from wagtail.forms import TaskStateCommentForm


class SecrecyOpinionForm(TaskStateCommentForm):
    """The approval form of a secrecy review: the written opinion is required."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = True
        self.fields["comment"].label = _("Secrecy review opinion")
