"""Benchmark of the embedded search engine on a synthetic Chinese disclosure catalogue.

Builds N catalogue entries reproducibly from a seed (vocabulary in `bench/data/search_corpus.json`), on a fresh
temporary SQLite database, then measures, against baselines of the same run:

* indexing rate of `EmbeddedEngine.index` (segmentation included), with the share of jieba segmentation;
* query latency of the full catalogue search (hits + total + facets) against the raw FTS5 query on the same
  tokens (`SELECT rowid ... MATCH ... ORDER BY rank LIMIT 10`), interleaved and repeated;
* recall@10 on the labelled queries of `bench/data/search_queries.json` for our engine and for Wagtail's stock
  SQLite FTS5 backend (modelsearch) over the same entries.

Usage: .venv/bin/python bench/search.py [--entries 100000] [--seed 42] [--queries N] [--repeat 5] [--keep-db PATH]
[--check]. Exit code 0 (a measurement), unless --check is given and our recall@10 misses its goal.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import shlex
import shutil
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
DATA_DIR = BENCH_DIR / "data"

#: Goals (SPEC performance section).
GOAL_INDEX_RATE = 1000.0  # entries per second, at least
GOAL_LATENCY_RATIO = 3.0  # ours / raw FTS5, at most
GOAL_RECALL = 0.95  # mean recall@10 of our engine, at least

BATCH = 1000
#: Default size of the sub-corpus indexed into Wagtail's stock backend (and compared with ours). The stock
#: SQLite backend scores each matching row with a correlated FTS5 subquery, so a query costs about
#: matches x FTS5 query: on 100,000 entries its 41 queries ran over 5 minutes unfinished; on 20,000 about 25 s.
STOCK_ENTRIES = 20_000

RAW_SQL = "SELECT rowid FROM sunlight_search_entry_fts WHERE sunlight_search_entry_fts MATCH %s ORDER BY rank LIMIT 10"


_STARTED = time.perf_counter()


def log(message: str) -> None:
    """Print a progress line on stderr, with the seconds since the start."""
    print(f"[{time.perf_counter() - _STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000, help="catalogue size (default 100000)")
    parser.add_argument("--seed", type=int, default=42, help="random seed of the generated catalogue")
    parser.add_argument("--queries", type=int, default=0, help="use the first N labelled queries (default all)")
    parser.add_argument("--repeat", type=int, default=5, help="timed repetitions of each query (default 5)")
    parser.add_argument(
        "--stock-entries",
        type=int,
        default=STOCK_ENTRIES,
        help=f"first entries indexed into Wagtail's stock backend for the recall comparison (default {STOCK_ENTRIES})",
    )
    parser.add_argument("--keep-db", metavar="PATH", help="write the database to PATH (must not exist) and keep it")
    parser.add_argument("--check", action="store_true", help="exit 1 when our recall@10 misses its goal")
    args = parser.parse_args(argv)
    if args.entries < 1 or args.repeat < 1 or args.queries < 0 or args.stock_entries < 1:
        parser.error("--entries, --repeat and --stock-entries must be positive, --queries non-negative")
    return args


# -- set-up -------------------------------------------------------------------------------------------------------


def setup_django(db_path: Path) -> None:
    """Point Django at a fresh SQLite file, set it up and migrate it quietly."""
    # `python bench/search.py` puts bench/ first on sys.path, where this file would shadow the `search` app.
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH_DIR]
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "settings.dev"
    os.environ.pop("SUNLIGHT_EXTRA_PLUGINS", None)  # set by the test settings when run from the test suite
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False  # no SQL logging: it would slow both sides of every comparison
    call_command("migrate", verbosity=0, interactive=False)


def load_json(name: str) -> dict[str, Any]:
    """A data file of bench/data."""
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


# -- corpus -------------------------------------------------------------------------------------------------------


class Vocabulary:
    """Weighted random picks from the corpus vocabulary, driven by one `random.Random`."""

    def __init__(self, data: dict[str, Any], rng: random.Random) -> None:
        """Prepare the weighted lists."""
        self.data = data
        self.rng = rng
        terms: list[str] = []
        weights: list[float] = []
        for tier, words in data["terms"].items():
            for word in words:
                terms.append(word)
                weights.append(data["tier_weights"][tier])
        self.terms = terms
        self.term_cum = _cumulative(weights)
        self.title_templates = [template for _, template in data["title_templates"]]
        self.title_cum = _cumulative([weight for weight, _ in data["title_templates"]])

    def term(self) -> str:
        """A police/government term, common ones more often."""
        return self.rng.choices(self.terms, cum_weights=self.term_cum)[0]

    def pick(self, name: str) -> Any:
        """A uniform pick from a list of the vocabulary."""
        return self.rng.choice(self.data[name])

    def title_template(self) -> str:
        """A weighted title template."""
        return self.rng.choices(self.title_templates, cum_weights=self.title_cum)[0]


def _cumulative(weights: Sequence[float]) -> list[float]:
    """Cumulative weights for `random.choices`."""
    total = 0.0
    out = []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def generate_entries(n: int, seed: int) -> list[Any]:
    """N catalogue entries (`search.engines.base.Entry`) built reproducibly from `seed`."""
    from search.engines.base import Entry

    rng = random.Random(seed)
    vocab = Vocabulary(load_json("search_corpus.json"), rng)
    serials: dict[int, int] = {}
    entries = []
    for i in range(n):
        year = rng.randint(2015, 2026)
        published_at = datetime.datetime(year, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(
            days=rng.randrange(365 if year < 2026 else 320), hours=rng.randint(0, 23), minutes=rng.randint(0, 59)
        )
        dept_code, dept_name = vocab.pick("departments")
        topic_code, topic_name = vocab.pick("topics")
        genre_code, genre_name = vocab.pick("genres")
        term = vocab.term()
        fill = _filler(vocab, year=year, dept=dept_name, term=term)
        title = vocab.title_template().format_map(fill)
        serials[year] = serials.get(year, 0) + 1
        document_number = ""
        if genre_code in ("tongzhi", "gonggao", "guiding", "yijian"):
            document_number = f"{vocab.pick('doc_prefixes')}〔{year}〕{rng.randint(1, 120)}号"
        valid_until = None
        if rng.random() < 0.3:
            valid_until = published_at.date() + datetime.timedelta(days=rng.randint(180, 5 * 365))
        entries.append(
            Entry(
                key=f"bench:{i + 1}",
                kind="governmentdocumentpage",
                title=title,
                url=f"/xxgk/zwgk/doc-{i + 1}/",
                summary=_summary(vocab, fill, title),
                body=_body(vocab, fill, rng.randint(150, 600), document_number),
                catalogue=True,
                site_id=1,
                published_at=published_at,
                department_code=dept_code,
                department_name=dept_name,
                topic_code=topic_code,
                topic_name=topic_name,
                genre_code=genre_code,
                genre_name=genre_name,
                mode="proactive" if rng.random() < 0.85 else "on_request",
                validity="repealed" if rng.random() < 0.08 else "valid",
                valid_until=valid_until,
                index_number=f"11610900016057720X/{year}-{serials[year]:06d}",
                document_number=document_number,
            )
        )
        if (i + 1) % 20_000 == 0:
            log(f"generated {i + 1}/{n} entries")
    return entries


def _filler(vocab: Vocabulary, **fixed: Any) -> dict[str, Any]:
    """Values of the template placeholders (fixed ones plus random picks)."""
    rng = vocab.rng
    values = {
        "place": vocab.pick("places"),
        "term2": vocab.term(),
        "month": rng.randint(1, 12),
        "level": rng.choice("AB"),
        "campaign": vocab.pick("campaigns"),
        "app": vocab.pick("apps"),
        "n": rng.randint(12, 9800),
        "pct": rng.randint(85, 100),
        "docno": f"{vocab.pick('doc_prefixes')}〔{fixed['year']}〕{rng.randint(1, 120)}号",
    }
    values.update(fixed)
    return values


def _summary(vocab: Vocabulary, fill: dict[str, Any], title: str) -> str:
    """A one-sentence summary: generated from the title, or a demo summary."""
    rng = vocab.rng
    if rng.random() < 0.1:
        return vocab.pick("summaries")
    if rng.random() < 0.5:
        return f"{fill['dept']}发布《{title}》，对{fill['term']}的办理材料、时限和窗口服务作出规范。"
    return f"{fill['year']}年，{fill['place']}公安机关围绕{fill['term']}工作，{vocab.pick('sentences')}"


def _body(vocab: Vocabulary, fill: dict[str, Any], target: int, document_number: str) -> str:
    """Body text of about `target` characters (at most 600): seed sentences and templated term sentences."""
    rng = vocab.rng
    parts: list[str] = []
    length = 0
    if document_number:
        parts.append(f"文号：{document_number}。")
    while length < target:
        if rng.random() < 0.45:
            local = dict(fill)
            if parts:  # the entry's own term first, then other terms
                local["term"] = vocab.term()
                local["term2"] = vocab.term()
            sentence = rng.choice(vocab.data["body_templates"]).format_map(local)
        else:
            sentence = vocab.pick("sentences")
        parts.append(sentence)
        length += len(sentence)
    return "".join(parts)[:600]


# -- relevance ----------------------------------------------------------------------------------------------------


def relevant_keys(entries: Sequence[Any], queries: Sequence[dict[str, Any]]) -> list[set[str]]:
    """For each query, the keys of the catalogue entries whose title contains all the query's words."""
    titles = [(entry.key, entry.title.lower()) for entry in entries if entry.catalogue]
    out = []
    for query in queries:
        words = [word.lower() for word in query["words"]]
        out.append({key for key, title in titles if all(word in title for word in words)})
    return out


def recall_at_10(found: Sequence[str], relevant: set[str]) -> float:
    """|top-10 ∩ relevant| / min(10, |relevant|)."""
    return len(set(found[:10]) & relevant) / min(10, len(relevant))


# -- our engine ---------------------------------------------------------------------------------------------------


def index_ours(entries: Sequence[Any]) -> float:
    """Index all entries with `EmbeddedEngine.index` in batches; return the seconds spent in `index`."""
    from search.engines.embedded import EmbeddedEngine

    engine = EmbeddedEngine()
    spent = 0.0
    for start in range(0, len(entries), BATCH):
        batch = entries[start : start + BATCH]
        began = time.perf_counter()
        engine.index(batch)
        spent += time.perf_counter() - began
        done = start + len(batch)
        if done % 10_000 == 0 or done == len(entries):
            log(f"indexed {done}/{len(entries)} entries ({done / spent:.0f} entries/s)")
    return spent


def segmentation_rate(entries: Sequence[Any]) -> float:
    """Entries per second of the segmentation alone (title, and summary + body as the engine joins them)."""
    from search.segment import segment_for_index

    began = time.perf_counter()
    for entry in entries:
        segment_for_index(entry.title)
        segment_for_index(f"{entry.summary}\n{entry.body}")
    return len(entries) / (time.perf_counter() - began)


def search_ours(text: str) -> Any:
    """Our full catalogue search: first page of 10 hits, total and all catalogue facets."""
    from search.engines.base import CATALOGUE_FACETS, Query
    from search.engines.embedded import EmbeddedEngine

    return EmbeddedEngine().search(Query(text=text, scope="catalogue", facets=CATALOGUE_FACETS, page_size=10))


def search_raw(expression: str) -> list[int]:
    """The baseline: the bare FTS5 query for the same tokens, through the same Django connection."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(RAW_SQL, [expression])
        return [row[0] for row in cursor.fetchall()]


@dataclass
class Timing:
    """Latency samples (seconds) of one query on both sides."""

    ours: list[float] = field(default_factory=list)
    raw: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        """Median ours / median raw."""
        return statistics.median(self.ours) / statistics.median(self.raw)


def _timed(call: Callable[[], Any]) -> float:
    """Seconds one call takes."""
    began = time.perf_counter()
    call()
    return time.perf_counter() - began


def measure_latency(texts: Sequence[str], repeat: int) -> list[Timing]:
    """Time ours and raw for each query after a warm-up, interleaved, `repeat` times (order alternating)."""
    from search.engines.embedded import fts_match_expression
    from search.segment import tokens_for_query

    expressions = [fts_match_expression(tokens_for_query(text)) for text in texts]
    for text, expression in zip(texts, expressions, strict=True):  # warm-up (page cache, jieba, statements)
        search_ours(text)
        search_raw(expression)
    timings = [Timing() for _ in texts]
    for round_ in range(repeat):
        for text, expression, timing in zip(texts, expressions, timings, strict=True):
            if round_ % 2 == 0:
                timing.ours.append(_timed(lambda text=text: search_ours(text)))
                timing.raw.append(_timed(lambda expression=expression: search_raw(expression)))
            else:
                timing.raw.append(_timed(lambda expression=expression: search_raw(expression)))
                timing.ours.append(_timed(lambda text=text: search_ours(text)))
        log(f"latency round {round_ + 1}/{repeat} done")
    return timings


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0-100) with linear interpolation."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * p / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# -- Wagtail's stock backend ---------------------------------------------------------------------------------------


def stock_model() -> type:
    """A proxy of `SearchEntry` that Wagtail's stock backend can index (title boosted as in a page)."""
    from wagtail.search import index

    from search.models import SearchEntry

    class StockEntry(index.Indexed, SearchEntry):
        """A search entry seen by the stock backend."""

        search_fields = [
            index.SearchField("title", boost=10),
            index.SearchField("summary"),
            index.SearchField("body"),
        ]

        class Meta:
            proxy = True
            app_label = "sunlight_search"

    return StockEntry


def stock_backend() -> Any:
    """Wagtail's stock database backend on SQLite: modelsearch's FTS5 backend."""
    from modelsearch.backends import get_search_backend
    from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend

    backend = get_search_backend("modelsearch.backends.database")
    if not isinstance(backend, SQLiteSearchBackend):
        raise RuntimeError(f"expected modelsearch's SQLite FTS5 backend, got {type(backend).__name__}")
    return backend


def index_stock(backend: Any, model: type, count: int) -> float:
    """Index the first `count` entries (by id) with the stock backend in chunks; return the seconds spent."""
    from django.db import transaction

    done = 0
    last_id = 0
    began = time.perf_counter()
    while done < count:
        objects = list(model.objects.filter(id__gt=last_id).order_by("id")[: min(BATCH, count - done)])
        if not objects:
            break
        with transaction.atomic():
            backend.add_bulk(model, objects)
        done += len(objects)
        last_id = objects[-1].id
        if done % 10_000 == 0 or done >= count:
            log(f"stock backend indexed {done}/{count} entries ({done / (time.perf_counter() - began):.0f} entries/s)")
    return time.perf_counter() - began


def search_stock(backend: Any, model: type, text: str) -> list[str]:
    """Keys of the stock backend's first 10 results."""
    return [obj.key for obj in backend.search(text, model.objects.all())[:10]]


# -- report -------------------------------------------------------------------------------------------------------


def _mean(values: Sequence[float]) -> float:
    """Mean, or NaN when empty."""
    return statistics.fmean(values) if values else float("nan")


def _verdict(ok: bool) -> str:
    """PASS or MISS."""
    return "PASS" if ok else "MISS"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the report; the exit code follows --check."""
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up the temporary database when killed
    command = shlex.join([_relative(sys.executable), _relative(sys.argv[0]), *sys.argv[1:]])
    started = time.perf_counter()
    temp_dir = None
    if args.keep_db:
        db_path = Path(args.keep_db).resolve()
        if db_path.exists():
            print(f"--keep-db: {db_path} exists; choose a new path", file=sys.stderr)
            return 2
    else:
        temp_dir = Path(tempfile.mkdtemp(prefix="sunlight-bench-search-"))
        db_path = temp_dir / "bench.sqlite3"
    try:
        return run(args, command, db_path, started)
    finally:
        if temp_dir is not None:
            if "django.db" in sys.modules:
                from django.db import connections

                connections.close_all()
            shutil.rmtree(temp_dir, ignore_errors=True)


def run(args: argparse.Namespace, command: str, db_path: Path, started: float) -> int:
    """The measurements and the report (Django is set up here)."""
    log(f"database {db_path}: migrating")
    setup_django(db_path)
    from django.db import connection

    queries = load_json("search_queries.json")["queries"]
    if args.queries:
        queries = queries[: args.queries]
    texts = [query["q"] for query in queries]

    log(f"generating {args.entries} entries (seed {args.seed})")
    began = time.perf_counter()
    entries = generate_entries(args.entries, args.seed)
    generation_seconds = time.perf_counter() - began
    body_lengths = [len(entry.body) for entry in entries]

    log("indexing with EmbeddedEngine.index")
    index_seconds = index_ours(entries)
    index_rate = len(entries) / index_seconds
    sample = entries[: min(len(entries), 2000)]
    segment_rate = segmentation_rate(sample)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.execute("ANALYZE")

    log(f"query latency: {len(texts)} queries x {args.repeat} rounds")
    timings = measure_latency(texts, args.repeat)

    log("recall@10 of our engine")
    relevant_all = relevant_keys(entries, queries)
    totals: list[int] = []
    ours_recall: list[float | None] = []
    for text, keys in zip(texts, relevant_all, strict=True):
        result = search_ours(text)
        totals.append(result.total)
        ours_recall.append(recall_at_10([hit.entry.key for hit in result.hits], keys) if keys else None)

    # Wagtail's stock backend against ours on the same first `stock_count` entries (all when N is small).
    stock_count = min(args.stock_entries, len(entries))
    sub_corpus = stock_count < len(entries)
    log(f"indexing the first {stock_count} entries with Wagtail's stock backend (modelsearch SQLite FTS5)")
    model = stock_model()
    backend = stock_backend()
    stock_seconds = index_stock(backend, model, stock_count)
    if sub_corpus:
        from search.engines.embedded import EmbeddedEngine

        log(f"removing entries after the first {stock_count} from our index for the comparison")
        EmbeddedEngine().remove(entry.key for entry in entries[stock_count:])
        sub_keys = {entry.key for entry in entries[:stock_count]}
        relevant_sub = [keys & sub_keys for keys in relevant_all]
    else:
        relevant_sub = relevant_all
    log(f"recall@10 of both engines on {stock_count} entries")
    sub_recall: list[tuple[float | None, float | None]] = []
    stock_ms: list[float] = []
    for text, keys in zip(texts, relevant_sub, strict=True):
        began = time.perf_counter()
        try:
            found_stock = search_stock(backend, model, text)
        except Exception as error:  # a query the stock backend cannot run counts as finding nothing
            log(f"stock backend failed on {text!r}: {error}")
            found_stock = []
        stock_ms.append((time.perf_counter() - began) * 1000)
        found_ours = [hit.entry.key for hit in search_ours(text).hits]
        if keys:
            sub_recall.append((recall_at_10(found_ours, keys), recall_at_10(found_stock, keys)))
        else:
            sub_recall.append((None, None))

    # -- per-query table ----------------------------------------------------------------------------------------
    print()
    print("== per query (latency: median of the repeats) ==")
    print(f"(R@10 ours: all {len(entries)} entries; sub: the first {stock_count}, where ours and stock are compared)")
    print(f"{'type':<9} {'query':<16} {'matches':>8} {'relevant':>8} {'ours ms':>8} {'raw ms':>8} {'ratio':>6} "
          f"{'R@10 ours':>9} {'sub ours':>8} {'sub stock':>9} {'stock ms':>8}")  # fmt: skip
    for query, timing, total, keys, r_ours, (sub_ours, sub_stock), ms in zip(
        queries, timings, totals, relevant_all, ours_recall, sub_recall, stock_ms, strict=True
    ):
        print(
            f"{query['type']:<9} {_pad(query['q'], 16)} {total:>8} {len(keys):>8} "
            f"{statistics.median(timing.ours) * 1000:>8.2f} {statistics.median(timing.raw) * 1000:>8.2f} "
            f"{timing.ratio:>5.1f}x {_fmt(r_ours):>9} {_fmt(sub_ours):>8} {_fmt(sub_stock):>9} {ms:>8.1f}"
        )
    print()
    print("== latency ratio by query type (median over the type's queries) ==")
    for kind in dict.fromkeys(query["type"] for query in queries):
        ratios = [t.ratio for q, t in zip(queries, timings, strict=True) if q["type"] == kind]
        print(f"{kind:<9} {statistics.median(ratios):5.1f}x  ({len(ratios)} queries)")
    print()
    print("== 5 slowest queries by ratio ours/raw ==")
    ranked = sorted(zip(queries, timings, totals, strict=True), key=lambda item: item[1].ratio, reverse=True)
    for query, timing, total in ranked[:5]:
        print(
            f"{timing.ratio:5.1f}x  {_pad(query['q'], 16)} ({query['type']}, {total} matches: "
            f"ours {statistics.median(timing.ours) * 1000:.2f} ms, raw {statistics.median(timing.raw) * 1000:.2f} ms)"
        )

    # -- summary ------------------------------------------------------------------------------------------------
    all_ours = [sample for timing in timings for sample in timing.ours]
    all_raw = [sample for timing in timings for sample in timing.raw]
    p50_ours, p95_ours = percentile(all_ours, 50), percentile(all_ours, 95)
    p50_raw, p95_raw = percentile(all_raw, 50), percentile(all_raw, 95)
    labelled = [value for value in ours_recall if value is not None]
    recall_ours = _mean(labelled)
    recall_ok = bool(labelled) and recall_ours >= GOAL_RECALL
    compared = [pair for pair in sub_recall if pair[0] is not None]
    sub_ours = _mean([pair[0] for pair in compared])
    sub_stock = _mean([pair[1] for pair in compared])
    import django
    import jieba

    corpus = f"the first {stock_count} entries (sub-corpus)" if sub_corpus else f"all {stock_count} entries"
    print()
    print("== summary ==")
    print(f"command: {command}")
    print(
        f"entries: {len(entries)}  seed: {args.seed}  queries: {len(texts)}  repeat: {args.repeat}  "
        f"body chars: mean {statistics.fmean(body_lengths):.0f}, {min(body_lengths)}-{max(body_lengths)}"
    )
    print(
        f"python {platform.python_version()}  sqlite {sqlite3.sqlite_version}  django {django.get_version()}  "
        f"jieba {jieba.__version__}  cpus {os.cpu_count()}"
    )
    print(
        f"indexing rate: {index_rate:.0f} entries/s ({len(entries)} in {index_seconds:.1f} s; segmentation alone "
        f"{segment_rate:.0f} entries/s = {index_rate / segment_rate:.0%} of the time)  "
        f"goal >= {GOAL_INDEX_RATE:.0f}/s  {_verdict(index_rate >= GOAL_INDEX_RATE)}"
    )
    print(
        f"latency p50: ours {p50_ours * 1000:.2f} ms / raw FTS5 {p50_raw * 1000:.2f} ms = {p50_ours / p50_raw:.1f}x  "
        f"goal <= {GOAL_LATENCY_RATIO:.0f}x  {_verdict(p50_ours / p50_raw <= GOAL_LATENCY_RATIO)}"
    )
    print(
        f"latency p95: ours {p95_ours * 1000:.2f} ms / raw FTS5 {p95_raw * 1000:.2f} ms = {p95_ours / p95_raw:.1f}x  "
        f"goal <= {GOAL_LATENCY_RATIO:.0f}x  {_verdict(p95_ours / p95_raw <= GOAL_LATENCY_RATIO)}"
    )
    print(
        f"recall@10 ours: {recall_ours:.3f} over {len(labelled)} labelled queries (all {len(entries)} entries)  "
        f"goal >= {GOAL_RECALL}  {_verdict(recall_ok)}"
    )
    print(
        f"recall@10 stock vs ours on {corpus}: stock {sub_stock:.3f} / ours {sub_ours:.3f} over {len(compared)} "
        f"labelled queries (Wagtail database backend = modelsearch SQLite FTS5; stock indexing "
        f"{stock_count / stock_seconds:.0f} entries/s, queries p50 {percentile(stock_ms, 50):.1f} ms)  info"
    )
    print(f"run time: {time.perf_counter() - started:.0f} s (generation {generation_seconds:.1f} s)")
    if args.keep_db:
        print(f"database kept: {db_path}")
    return 1 if args.check and not recall_ok else 0


def _relative(path: str) -> str:
    """A path relative to the repository root when inside it (without resolving symlinks such as .venv's python)."""
    absolute = Path(os.path.abspath(path))
    return str(absolute.relative_to(ROOT)) if absolute.is_relative_to(ROOT) else path


def _pad(text: str, width: int) -> str:
    """Left-justify counting CJK characters as two columns."""
    columns = sum(2 if ord(char) > 0x2E80 else 1 for char in text)
    return text + " " * max(0, width - columns)


def _fmt(value: float | None) -> str:
    """A recall value, or '-' for a query without relevant entries."""
    return "-" if value is None else f"{value:.2f}"


if __name__ == "__main__":
    sys.exit(main())
