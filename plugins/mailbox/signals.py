"""The reply chain moves the letter: the last approval (the reply goes live) makes it `replied`; a request for
changes or a cancelled chain sends it back to `drafting`. Connected in `apps.py` (ready)."""

from __future__ import annotations

from cms.review.snippets import follow_chain


def connect() -> None:
    """Follow the reply chain."""
    from . import transitions
    from .models import Reply

    follow_chain(Reply, transitions.reply_approved, transitions.reply_rejected)
