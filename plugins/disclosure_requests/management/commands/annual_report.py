"""`manage.py annual_report YEAR`: the annual disclosure report (tables three and four, 2021 format)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.models import Portal
from plugins.disclosure_requests.exports import as_data, as_docx, as_text, as_xlsx
from plugins.disclosure_requests.report import build_report


class Command(BaseCommand):
    help = (
        "Print or export the annual report on disclosure requests (tables three and four of the 2021 national "
        "format). Exits with status 1 when 一 + 二 ≠ 三(七) + 四 in a column."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="the reporting year, e.g. 2025")
        parser.add_argument(
            "--portal", help="the portal's profile name (default: the only portal, or the default site's)"
        )
        parser.add_argument("--format", choices=["text", "json", "xlsx", "docx"], default="text")
        parser.add_argument("--output", "-o", help="file to write (needed for xlsx and docx)")

    def handle(self, *args, year: int, portal: str | None, format: str, output: str | None, **options):
        if not 2000 <= year <= 2100:
            raise CommandError(f"year {year} is out of range (2000–2100)")
        if format in ("xlsx", "docx") and not output:
            raise CommandError(f"--format {format} writes a file: give --output FILE.{format}")
        found = self._portal(portal)
        report = build_report(found, year)
        if format == "text":
            content: str | bytes = as_text(report)
        elif format == "json":
            content = json.dumps(as_data(report), ensure_ascii=False, indent=2) + "\n"
        elif format == "xlsx":
            content = as_xlsx(report)
        else:
            content = as_docx(report)
        if output:
            path = Path(output)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
            self.stdout.write(f"wrote {path} ({found.name}, {year})")
        else:
            self.stdout.write(content, ending="")
        if report.problems:
            for problem in report.problems:
                self.stderr.write(f"invariant broken: {problem}")
            raise CommandError("the report does not reconcile (一 + 二 ≠ 三(七) + 四)", returncode=1)

    def _portal(self, name: str | None) -> Portal:
        portals = Portal.objects.select_related("site")
        if name:
            found = portals.filter(profile=name).first()
            if found is None:
                known = ", ".join(portals.values_list("profile", flat=True)) or "none loaded"
                raise CommandError(f"unknown portal {name!r} (portals: {known})")
            return found
        if portals.count() == 1:
            return portals.get()
        default = portals.filter(site__is_default_site=True).first()
        if default is None:
            raise CommandError("several portals are loaded: choose one with --portal")
        return default
