"""`manage.py plugins`: installed plugins, their versions and what each contributes; refused ones too."""

import json

from django.core.management.base import BaseCommand

from cms import __version__
from cms.plugins.registry import registry


class Command(BaseCommand):
    help = "List installed plugins, their versions and contributions, and plugins refused at start-up."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="machine-readable output")

    def handle(self, *args, **options):
        plugins = list(registry)
        if options["json"]:
            data = {
                "framework": __version__,
                "plugins": [
                    {
                        "label": p.label,
                        "module": p.module,
                        "name": p.verbose_name,
                        "version": p.version,
                        "requires": p.requires,
                        "api": f"/api/{p.mount}/",
                        "page_types": p.page_types,
                        "api_routes": p.api_routes,
                        "search_documents": p.search_documents,
                        "permissions": p.permissions,
                        "workflow_tasks": p.workflow_tasks,
                        "snippets": p.snippets,
                    }
                    for p in plugins
                ],
                "refused": [{"plugin": r.name, "source": r.source, "reason": r.reason} for r in registry.refused],
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Sunlight {__version__}: {len(plugins)} plugin(s) installed")
        for p in plugins:
            self.stdout.write(self.style.SUCCESS(f"\n{p.label} {p.version}") + f"  {p.verbose_name} ({p.module})")
            self.stdout.write(f"  requires Sunlight {p.requires}; API under /api/{p.mount}/")
            for title, items in (
                ("page types", p.page_types),
                ("API routes", p.api_routes),
                ("search documents", p.search_documents),
                ("permissions", p.permissions),
                ("workflow tasks", p.workflow_tasks),
                ("snippets", p.snippets),
            ):
                self.stdout.write(f"  {title}: {', '.join(items) if items else '-'}")
        for r in registry.refused:
            self.stdout.write(self.style.ERROR(f"\nREFUSED {r.name} ({r.source}): {r.reason}"))
