"""The daily check of the letter boxes (seed 000 §四.3: read at least once a day): per portal and box, the
letters unread beyond the alert, overdue, due within 3 working days, and open emergencies.

    python manage.py mailbox_daily_check [--portal ankang] [--fail-on-alert]

With --fail-on-alert the command exits with status 1 when any letter is unread beyond the alert or overdue, so a
scheduler (cron, systemd timer) can send its output to the office.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.models import Portal
from plugins.mailbox.choices import CLOSED_STATES
from plugins.mailbox.models import Letter
from plugins.mailbox.queries import due_soon_ids, overdue_ids, unread_too_long


class Command(BaseCommand):
    """Print the daily check of the letter boxes."""

    help = "The daily check of the letter boxes: unread, overdue, due soon and emergency letters per box."

    def add_arguments(self, parser: Any) -> None:
        """--portal and --fail-on-alert."""
        parser.add_argument("--portal", help="profile name of one portal (default: every portal with boxes)")
        parser.add_argument("--fail-on-alert", action="store_true", help="exit 1 when letters are unread or overdue")

    def handle(self, *args: Any, **options: Any) -> None:
        """Count per box and print; fail when asked and something needs attention."""
        portals = Portal.objects.filter(mailbox_rules__isnull=False).order_by("pk")
        if options["portal"]:
            portals = portals.filter(profile=options["portal"])
            if not portals.exists():
                raise CommandError(_("No portal %(name)s with a mailbox section.") % {"name": options["portal"]})
        alarms = 0
        for portal in portals:
            open_ = Letter.objects.filter(portal=portal).exclude(state__in=list(CLOSED_STATES))
            counts = {
                "unread": Counter(unread_too_long(open_).values_list("box__name", flat=True)),
                "overdue": Counter(open_.filter(pk__in=overdue_ids()).values_list("box__name", flat=True)),
                "due_soon": Counter(open_.filter(pk__in=due_soon_ids()).values_list("box__name", flat=True)),
                "emergency": Counter(open_.filter(is_emergency=True).values_list("box__name", flat=True)),
            }
            self.stdout.write(_("%(portal)s: %(count)d open letters") % {"portal": portal.name, "count": open_.count()})
            boxes = sorted(set().union(*[set(c) for c in counts.values()]))
            for box in boxes:
                parts = [f"{label} {counts[key][box]}" for key, label in LABELS if counts[key][box]]
                self.stdout.write(f"  {box}：" + "，".join(parts))
            if not boxes:
                self.stdout.write("  " + _("nothing needs attention"))
            alarms += sum(counts["unread"].values()) + sum(counts["overdue"].values())
        if options["fail_on_alert"] and alarms:
            raise CommandError(_("%(count)d letters unread beyond the alert or overdue.") % {"count": alarms})


LABELS = (
    ("unread", gettext_lazy("unread beyond the alert")),
    ("overdue", gettext_lazy("overdue")),
    ("due_soon", gettext_lazy("due soon")),
    ("emergency", gettext_lazy("emergency")),
)
