"""The answer chain moves the request: the last approval (the answer goes live) makes it `approved`, a request
for changes or a cancelled chain sends it back to `drafting`. Connected in `apps.py` (ready)."""

from __future__ import annotations

from cms.review.snippets import follow_chain


def connect() -> None:
    """Follow the answer chain."""
    from . import transitions
    from .models import Answer

    follow_chain(Answer, transitions.answer_approved, transitions.answer_rejected)
