"""`manage.py load_demo NAME`: add the demo items of profiles/demo/NAME.yaml (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from cms.profiles import ProfileValidationError
from cms.profiles.demo import load_demo


class Command(BaseCommand):
    help = "Add demo content for a loaded profile. Items that already exist are left untouched."

    def add_arguments(self, parser):
        parser.add_argument("profile")

    def handle(self, *args, profile, **options):
        try:
            report = load_demo(profile)
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from None
        except ProfileValidationError as exc:
            for line in exc.errors:
                self.stderr.write(f"{exc.source}: {line}")
            raise CommandError(f"{len(exc.errors)} error(s); nothing was changed") from None
        if options.get("verbosity", 1):
            self.stdout.write(
                self.style.SUCCESS(f"demo content: {len(report.created)} created, {report.skipped} already present")
            )
