"""manage.py reindex: rebuild the search index from the live pages and plugin objects, resumably."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from search import suggest
from search.documents import BuildContext, SearchDocument, all_documents, object_documents, page_document_for
from search.models import ReindexRun
from search.service import ENGINES, get_engine


class Source:
    """One thing to read: the live pages, or one plugin document type's objects, in primary-key order."""

    def __init__(self, label: str, queryset: Any, document: SearchDocument | None) -> None:
        """`document` None means pages (each page gets its own type's document)."""
        self.label = label
        self.queryset = queryset.order_by("pk")
        self.document = document

    def remaining(self, after: str) -> int:
        """Objects after primary key `after` ('' = from the start)."""
        return self.queryset.filter(pk__gt=after).count() if after else self.queryset.count()

    def batches(self, after: str, size: int):
        """Yield lists of objects after `after`, `size` at a time (pages as their specific type)."""
        while True:
            queryset = self.queryset.filter(pk__gt=after) if after else self.queryset
            batch = list((queryset.specific(defer=False) if self.document is None else queryset)[:size])
            if not batch:
                return
            yield batch
            after = str(batch[-1].pk)


class Command(BaseCommand):
    help = _("Rebuild the search index (resumes an interrupted rebuild).")

    def add_arguments(self, parser: CommandParser) -> None:
        """--engine, --batch, --restart."""
        parser.add_argument("--engine", choices=ENGINES, help=_("Engine to rebuild (default: the configured one)."))
        parser.add_argument("--batch", type=int, default=500, help=_("Objects read and indexed at a time."))
        parser.add_argument(
            "--restart", action="store_true", help=_("Start over even if an interrupted rebuild could resume.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Resume or start a run, index every source in batches, then make the new index live."""
        if options["batch"] < 1 or options["batch"] > 10_000:
            raise CommandError(_("--batch must be between 1 and 10000."))
        engine = get_engine(options["engine"])
        documents = all_documents()
        sources = [Source(_("pages"), Page.objects.live().filter(depth__gt=1), None)]
        sources += [Source(str(d.kind_label), d.get_queryset(), d) for d in object_documents(documents)]

        run = self._open_run(engine, options["restart"])
        total = sum(
            source.remaining(run.last_pk if i == run.source else "")
            for i, source in enumerate(sources)
            if i >= run.source
        )
        progress = Progress(self.stdout, total, quiet=options["verbosity"] == 0)
        started = time.monotonic()
        context = BuildContext.load()
        for i, source in enumerate(sources):
            if i < run.source:
                continue
            after = run.last_pk if i == run.source else ""
            for batch in source.batches(after, options["batch"]):
                entries = []
                for obj in batch:
                    document = source.document or page_document_for(obj, documents)
                    entry = document.build(obj, context)
                    if entry is not None:
                        entries.append(entry)
                with transaction.atomic():
                    engine.index(entries, target=run.target)
                    suggest.record(f"{entry.title}\n{entry.summary}" for entry in entries)
                    run.source, run.last_pk = i, str(batch[-1].pk)
                    run.indexed += len(entries)
                    run.save(update_fields=["source", "last_pk", "indexed"])
                progress.advance(len(batch))
                self.after_batch(run)
            run.source, run.last_pk = i + 1, ""
            run.save(update_fields=["source", "last_pk"])
        before = engine.count()
        engine.finish_rebuild(run.target)
        after = engine.count()
        run.finished_at = timezone.now()
        run.removed = max(0, before - after) if not engine.separate_rebuild_target else 0
        run.save(update_fields=["finished_at", "removed"])
        progress.done()
        elapsed = time.monotonic() - started
        rate = progress.count / elapsed if elapsed > 0 else 0.0
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Indexed %(indexed)d entries from %(read)d objects in %(seconds).1f s (%(rate).0f/s) with the "
                    "%(engine)s engine; %(removed)d stale entries removed; the index holds %(count)d entries."
                )
                % {
                    "indexed": run.indexed,
                    "read": progress.count,
                    "seconds": elapsed,
                    "rate": rate,
                    "engine": engine.name,
                    "removed": run.removed,
                    "count": after,
                }
            )
        )

    def _open_run(self, engine: Any, restart: bool) -> ReindexRun:
        """The interrupted run to resume, or a new one (forgetting the vocabulary, rebuilt as entries come)."""
        unfinished = ReindexRun.objects.filter(engine=engine.name, finished_at__isnull=True).order_by("-started_at")
        run = unfinished.first()
        if run is not None and not restart and engine.is_target_alive(run.target):
            self.stdout.write(
                _("Resuming the rebuild started %(started)s (%(indexed)d entries already indexed).")
                % {"started": timezone.localtime(run.started_at).strftime("%Y-%m-%d %H:%M"), "indexed": run.indexed}
            )
            return run
        unfinished.update(finished_at=timezone.now())  # abandoned
        target = engine.start_rebuild()
        suggest.clear()
        return ReindexRun.objects.create(engine=engine.name, target=target)

    def after_batch(self, run: ReindexRun) -> None:
        """Hook called after each committed batch (tests interrupt a run here)."""


class Progress:
    """A progress bar on a terminal, a line every 10 % otherwise."""

    WIDTH = 30

    def __init__(self, stdout: Any, total: int, quiet: bool = False) -> None:
        """Count up to `total`."""
        self.stdout, self.total, self.quiet = stdout, max(total, 0), quiet
        self.count = 0
        self.started = time.monotonic()
        self.tty = (hasattr(stdout, "isatty") and stdout.isatty()) or (sys.stdout.isatty() and stdout is sys.stdout)
        self.next_line = 10

    def advance(self, n: int) -> None:
        """Record `n` more objects read."""
        self.count += n
        if self.quiet or not self.total:
            return
        percent = min(100, self.count * 100 // self.total)
        elapsed = time.monotonic() - self.started
        rate = self.count / elapsed if elapsed > 0 else 0.0
        if self.tty:
            filled = self.WIDTH * percent // 100
            bar = "#" * filled + "." * (self.WIDTH - filled)
            self.stdout.write(f"\r[{bar}] {self.count}/{self.total} {percent}% {rate:.0f}/s", ending="")
            self.stdout.flush()
        elif percent >= self.next_line:
            self.stdout.write(f"{self.count}/{self.total} ({percent}%) {rate:.0f}/s")
            self.next_line = (percent // 10 + 1) * 10

    def done(self) -> None:
        """End the bar's line."""
        if self.tty and not self.quiet and self.total:
            self.stdout.write("")
