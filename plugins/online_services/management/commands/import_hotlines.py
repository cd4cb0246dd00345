"""`manage.py import_hotlines FILE.csv --portal ankang [--dry-run]`: load the hotline directory from CSV."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.models import Portal
from plugins.online_services.hotline_import import HotlineImportError, import_text


class Command(BaseCommand):
    """Import hotlines from CSV (plugins/online_services/hotline_import.py)."""

    help = (
        "Import hotlines (便民电话) from a UTF-8 CSV file with the columns police_type, county, department, name, "
        "number, hours, note, sort_order (or 警种, 县区, 受理单位, 名称, 电话, 受理时间, 备注, 序号). "
        "Safe to run again: existing numbers are updated, never duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the CSV file")
        parser.add_argument("--portal", required=True, help="profile name of the portal, e.g. ankang")
        parser.add_argument("--dry-run", action="store_true", help="validate and report; change nothing")

    def handle(self, *args, file, portal, dry_run, **options):
        target = Portal.objects.filter(profile=portal).first()
        if target is None:
            raise CommandError(f"no portal {portal!r}; load its profile first")
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {path}: {exc}") from None
        try:
            report = import_text(target, text, dry_run=dry_run)
        except HotlineImportError as exc:
            for error in exc.errors:
                self.stderr.write(f"{path}: {error}")
            raise CommandError(f"{len(exc.errors)} error(s) in {path}; nothing was changed") from None
        verb = "would create" if dry_run else "created"
        self.stdout.write(
            self.style.SUCCESS(
                f"{path}: {verb} {len(report.created)}, updated {len(report.updated)}, unchanged {report.unchanged}"
            )
        )
        if options.get("verbosity", 1) > 1:
            for line in report.created:
                self.stdout.write(f"  + {line}")
            for line in report.updated:
                self.stdout.write(f"  ~ {line}")
