"""Private file storage: files citizens send (letter attachments, tips) are kept under
`settings.SUNLIGHT_PRIVATE_ROOT`, outside `MEDIA_ROOT`, and have no URL; staff views stream them after checking
permissions. Use `storage=private_storage` on a FileField (a callable: migrations do not record the path)."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """A file system storage without URLs."""

    def url(self, name: str | None) -> str:
        """Private files have no URL."""
        raise ValueError("private files have no URL; serve them through a view that checks permissions")


def private_storage() -> PrivateStorage:
    """The storage of private files (at SUNLIGHT_PRIVATE_ROOT)."""
    return PrivateStorage(location=str(settings.SUNLIGHT_PRIVATE_ROOT), base_url=None)
