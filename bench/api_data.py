"""The data set of the API benchmark (`bench/api.py`): the ankang profile and N generated, published pages.

Articles (about 60%) go to the columns of 信息公开, 网上办事 and 警民互动 that accept articles (news columns
more often); government documents (about 40%) to the 27 columns of 政务公开. Titles, summaries and bodies
come from the search benchmark's generator (`bench/search.py`, vocabulary `bench/data/search_corpus.json`),
with its departments, topics, genres, document numbers and dates. Articles get 3-5 tags from a vocabulary of
200 and most a cover image (60 small generated PNGs; fewer below 600 pages); some bodies embed an image.
Documents get their index numbers from the model when they go live. Pages are saved live directly (the
publication gate, index numbers and Wagtail's search index run as on any save); one page in 50 goes through
`save_revision().publish()`. `manage.py reindex` builds our search index; the cover thumbnails are rendered once.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import random
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
PROFILE = "ankang"
#: Bump when the generated data changes, so cached databases are rebuilt.
BUILD_VERSION = 1
IMAGES = 60  # fewer on small data sets (one per 10 pages, at least 12)
TAGS = 200
NEWS_COLUMNS = {"xxgk/jwyw": 6, "xxgk/xqdt": 4, "xxgk/bmdt": 4, "xxgk/jfts": 2, "xxgk/gsgg": 2}
THUMBNAIL_SPEC = "fill-400x300"
REVISION_EVERY = 50


def cache_key(pages: int, seed: int) -> str:
    """Key of a built data set: size, seed, and a digest of what shapes the database (profile file, migrations,
    Django and Wagtail versions, this builder's version)."""
    digest = hashlib.sha256()
    digest.update(f"{BUILD_VERSION}|{metadata.version('django')}|{metadata.version('wagtail')}".encode())
    digest.update((ROOT / "profiles" / f"{PROFILE}.yaml").read_bytes())
    for migration in sorted(ROOT.glob("**/migrations/[0-9]*.py")):
        if ".venv" not in migration.parts:
            digest.update(str(migration.relative_to(ROOT)).encode())
    return f"pages{pages}-seed{seed}-{digest.hexdigest()[:12]}"


def build(pages: int, seed: int, log: Callable[[str], None]) -> dict[str, Any]:
    """Migrate, load the profile and create the pages, tags and images (Django is set up by the caller)."""
    from django.core.management import call_command

    log("migrating")
    call_command("migrate", verbosity=0, interactive=False)
    log(f"loading profile {PROFILE}")
    call_command("load_profile", PROFILE, verbosity=0)
    rng = random.Random(seed)
    images = make_images(rng, min(IMAGES, max(12, pages // 10)))
    log(f"{len(images)} images created")
    created = make_pages(pages, seed, rng, images, log)
    log("reindexing (manage.py reindex)")
    call_command("reindex", verbosity=0, stdout=io.StringIO(), stderr=io.StringIO())
    log("rendering cover thumbnails")
    for image in images:
        image.get_rendition(THUMBNAIL_SPEC)
    return created


def make_images(rng: random.Random, count: int) -> list[Any]:
    """`count` small PNG images (coloured panels with a few shapes) saved as Wagtail images."""
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from PIL import ImageDraw
    from wagtail.images import get_image_model

    image_model = get_image_model()
    images = []
    for i in range(count):
        picture = PILImage.new("RGB", (480, 320), tuple(rng.randrange(256) for _ in range(3)))
        draw = ImageDraw.Draw(picture)
        for _ in range(6):
            x, y = rng.randrange(480), rng.randrange(320)
            draw.ellipse((x, y, x + rng.randint(20, 120), y + rng.randint(20, 120)), fill=tuple(
                rng.randrange(256) for _ in range(3)))  # fmt: skip
        buffer = io.BytesIO()
        picture.save(buffer, format="PNG")
        image = image_model(title=f"基准测试配图 {i + 1}")
        image.file = ImageFile(buffer, name=f"bench-{i + 1:03d}.png")
        image.save()
        images.append(image)
    return images


def _columns() -> tuple[list[Any], list[int], list[Any]]:
    """Article columns with weights, and the document columns, of the profile's portal."""
    from cms.models import Portal
    from pages.models import ColumnPage

    home = Portal.objects.get(profile=PROFILE).site.root_page
    article_columns, weights, document_columns = [], [], []
    for column in ColumnPage.objects.descendant_of(home).order_by("path"):
        accepted = {label.lower() for label in column.accepted_types or []}
        if "pages.governmentdocumentpage" in accepted:
            document_columns.append(column)
        elif "pages.articlepage" in accepted:
            article_columns.append(column)
            weights.append(NEWS_COLUMNS.get(column.profile_key, 1))
    return article_columns, weights, document_columns


def make_pages(pages: int, seed: int, rng: random.Random, images: list[Any], log: Callable[[str], None]) -> dict:
    """Create `pages` live pages (about 60% articles, 40% documents) with tags and images."""
    from django.db import transaction
    from django.utils import timezone
    from taggit.models import Tag

    from bench.search import generate_entries, load_json
    from cms.models import CatalogueCategory, Portal
    from cms.review.gate import chain_bypass
    from pages.models import ArticlePage, ArticlePageTag, GovernmentDocumentPage

    portal = Portal.objects.get(profile=PROFILE)
    departments = {d.code: d for d in portal.departments.all()}
    fallback = list(departments.values())
    categories = {(c.kind, c.code): c for c in CatalogueCategory.objects.filter(portal=portal)}
    article_columns, weights, document_columns = _columns()
    corpus = load_json("search_corpus.json")
    words = list(dict.fromkeys(w for tier in corpus["terms"].values() for w in tier))
    words += [w for w in corpus["campaigns"] + corpus["places"] if w not in words]
    tags = [Tag.objects.get_or_create(name=name, defaults={"slug": f"bench-{i}"})[0] for i, name in
            enumerate(words[:TAGS])]  # fmt: skip
    entries = generate_entries(pages, seed)
    now = timezone.now()
    article_tags: list[Any] = []
    counts = {"articles": 0, "documents": 0, "with_revisions": 0}
    batch = 250
    for start in range(0, pages, batch):
        with transaction.atomic(), chain_bypass("API benchmark data (bench/api.py)"):
            for i, entry in enumerate(entries[start : start + batch], start=start):
                published = min(entry.published_at, now - datetime.timedelta(hours=1))
                department = departments.get(entry.department_code) or rng.choice(fallback)
                body = "".join(f"<p>{part}。</p>" for part in entry.body.split("。") if part)
                common = {
                    "title": entry.title[:255],
                    "slug": f"bench-{i + 1}",
                    "summary": entry.summary[:500],
                    "author_department": department,
                    "date": timezone.localdate(published),
                }
                if rng.random() < 0.6:
                    column = rng.choices(article_columns, weights=weights)[0]
                    cover = rng.choice(images) if rng.random() < 0.7 else None
                    if cover is not None and rng.random() < 0.3:
                        body += f'<embed embedtype="image" id="{cover.pk}" format="fullwidth" alt="{cover.title}"/>'
                    page = ArticlePage(body=body, cover_image=cover, **common)
                    counts["articles"] += 1
                else:
                    column = rng.choice(document_columns)
                    page = GovernmentDocumentPage(
                        body=body,
                        document_number=entry.document_number,
                        created_on=timezone.localdate(published),
                        disclosure_mode=entry.mode,
                        topic=categories.get(("topic", entry.topic_code)),
                        genre=categories.get(("genre", entry.genre_code)),
                        validity=entry.validity,
                        valid_until=entry.valid_until,
                        **common,
                    )
                    counts["documents"] += 1
                if i % REVISION_EVERY == 0:  # the editors' path: a revision, then publish
                    page.live = False
                    column.add_child(instance=page)
                    page.save_revision().publish()
                    type(page).objects.filter(pk=page.pk).update(first_published_at=published,
                                                                 last_published_at=published)  # fmt: skip
                    counts["with_revisions"] += 1
                else:
                    page.live = True
                    page.has_unpublished_changes = False
                    page.first_published_at = page.last_published_at = published
                    column.add_child(instance=page)
                if isinstance(page, ArticlePage):
                    chosen = rng.sample(tags, rng.randint(3, 5))
                    article_tags.extend(ArticlePageTag(content_object_id=page.pk, tag=tag) for tag in chosen)
        log(f"created {min(start + batch, pages)}/{pages} pages")
    ArticlePageTag.objects.bulk_create(article_tags, batch_size=1000)
    counts["tags"] = len(article_tags)
    counts["images"] = len(images)
    return counts
