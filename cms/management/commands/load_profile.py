"""`manage.py load_profile NAME`: validate a profile and load it (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from cms.profiles import ProfileValidationError, read_profile
from cms.profiles.loader import ProfileApplyError, apply_profile


class Command(BaseCommand):
    help = "Validate and load a portal profile (profiles/NAME.yaml or a path). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("profile", help="profile name (e.g. ankang) or path to a .yaml file")
        parser.add_argument("--check", action="store_true", help="validate only; change nothing")

    def handle(self, *args, profile, check, **options):
        try:
            spec = read_profile(profile)
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from None
        except ProfileValidationError as exc:
            for line in exc.errors:
                self.stderr.write(f"{exc.source}: {line}")
            raise CommandError(f"{len(exc.errors)} error(s) in {exc.source}; nothing was changed") from None
        columns = sum(1 for _ in spec.walk())
        verbosity = options.get("verbosity", 1)
        if verbosity:
            self.stdout.write(
                f"{spec.source}: valid ({len(spec.departments)} departments, {columns} columns, "
                f"{len(spec.accounts)} accounts, {len(spec.outlets)} outlets)"
            )
        if check:
            return
        try:
            report = apply_profile(spec)
        except ProfileApplyError as exc:
            raise CommandError(f"{spec.source}: {exc}; nothing was changed") from None
        if not verbosity:
            return
        verbose = verbosity > 1
        lines = report.lines()
        self.stdout.write(self.style.SUCCESS(f"profile {spec.profile} loaded: {lines[0]}"))
        for line in lines[1:]:
            if verbose or not line.startswith(("  + ", "  ~ ")):
                self.stdout.write(line)
