"""`manage.py close_lapsed_requests`: close requests whose applicant let the correction or the fee lapse.

Run it daily (cron or a scheduled task). A request waiting for a correction past its correction due date is
closed as 其他处理 1, one waiting for a fee past its payment date as 其他处理 2; each closing is recorded in
the request's history with the reason.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from cms.deadlines.calendar import local_today
from plugins.disclosure_requests import transitions
from plugins.disclosure_requests.choices import State
from plugins.disclosure_requests.models import DisclosureRequest


class Command(BaseCommand):
    help = "Close disclosure requests whose correction or fee is overdue (其他处理 1 and 2)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list what would be closed, change nothing")

    def handle(self, *args, dry_run: bool, **options):
        today = local_today()
        lapsed = [
            (req, transitions.abandon_uncorrected, "correction")
            for req in DisclosureRequest.objects.filter(state=State.CORRECTION, correction_due__lt=today)
        ] + [
            (req, transitions.close_fee_unpaid, "fee")
            for req in DisclosureRequest.objects.filter(state=State.AWAITING_FEE, fee_due__lt=today)
        ]
        for req, close, what in lapsed:
            if not dry_run:
                close(req, None, on=today)
            self.stdout.write(f"{'would close' if dry_run else 'closed'} {req.number}: {what} lapsed")
        self.stdout.write(f"{len(lapsed)} request(s) {'to close' if dry_run else 'closed'}")
