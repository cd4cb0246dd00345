"""`manage.py recompute_clocks`: recompute stored due dates, e.g. after upgrading the chinesecalendar package."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cms.deadlines.coverage import coverage_gaps
from cms.deadlines.models import Clock, recompute_clocks


class Command(BaseCommand):
    help = (
        "Recompute the due dates of open clocks (all clocks with --all) against the current working calendar, "
        "and list the years whose holidays are still missing. Saving a calendar day or year in the admin already "
        "does this for the clocks concerned; run it after upgrading the chinesecalendar package."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="Also recompute stopped (met) clocks.")

    def handle(self, *args: Any, **options: Any) -> None:
        clocks = Clock.objects.all() if options["all"] else Clock.objects.open()
        changed = recompute_clocks(list(clocks), reason="recompute_clocks")
        self.stdout.write(f"{changed} clock(s) changed.")
        for gap in coverage_gaps():
            self.stdout.write(
                self.style.WARNING(
                    f"Holidays of {gap.year} are missing: {gap.open_clocks} open clock(s) count days in it (estimates)."
                )
            )
