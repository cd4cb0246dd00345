"""Choices of the mailbox: a letter's states, the complexity that sets its reply limit, and the reasons to
close a letter without a reply (seed 002 art. 34–36)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    """Where a letter stands.

    received ─► triaged ─► routed ─► answered ─► drafting ─► approving ─► replied
    (routed again to another department from routed or answered; a reply may be drafted on the spot from
    triaged; any open state ─► closed without reply)
    """

    RECEIVED = "received", _("registered")
    TRIAGED = "triaged", _("triaged")
    ROUTED = "routed", _("with a department")
    ANSWERED = "answered", _("department answered")
    DRAFTING = "drafting", _("reply being drafted")
    APPROVING = "approving", _("reply under approval")
    REPLIED = "replied", _("replied")
    CLOSED = "closed", _("closed without reply")


CLOSED_STATES = frozenset({State.REPLIED, State.CLOSED})
OPEN_STATES = frozenset(s for s in State if s not in CLOSED_STATES)


class Complexity(models.TextChoices):
    """How complex a letter is (seed 002 art. 31: 较简单, 较复杂, 重大疑难); sets its reply limit."""

    SIMPLE = "simple", _("simple")
    COMPLEX = "complex", _("complex")
    MAJOR = "major", _("major or difficult")


COMPLEXITY_ORDER = [c.value for c in Complexity]


class CloseReason(models.TextChoices):
    """Why a letter is closed without a reply."""

    ABUSIVE = "abusive", _("abusive or without substance (not answered, art. 35)")
    EMERGENCY = "emergency", _("an emergency: pointed to 110 (art. 34)")
    OUT_OF_SCOPE = "out_of_scope", _("not a police matter: the right channel was given (art. 36)")
    DUPLICATE = "duplicate", _("a duplicate of an earlier letter")
    WITHDRAWN = "withdrawn", _("withdrawn by the writer")
