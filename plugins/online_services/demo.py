"""Demo data of 网上办事 for `manage.py setup_demo`: the hotline directory (180 numbers,
demo/hotlines_ankang.csv), places and hours, a forms library of real DOCX blank forms, and complete service
guides for several police types (户口迁移, 居民身份证, 普通护照, 往来港澳通行证, 机动车注册登记, 大型活动安全许可,
保安员证), plus one superseded guide withdrawn with its notice.

Guides go live like imported content (cms.profiles.demo): outside the review chain with a recorded reason, but
through the publication gate (secrecy scan, completeness). Idempotent: hotlines are updated in place, places,
files and forms are found by name, a guide whose slug exists in its column is left as it is.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.models import Collection

from cms.models import Portal
from cms.review.gate import chain_bypass
from pages.models import ColumnPage

from . import demo_data as data
from .hotline_import import import_text
from .models import (
    Condition,
    Hotline,
    LegalBasis,
    Material,
    Question,
    ServiceForm,
    ServiceFormGuide,
    ServiceGuidePage,
    ServiceLocation,
    Step,
)
from .police_types import police_types

HOTLINES_CSV = Path(__file__).resolve().parent / "demo" / "hotlines_ankang.csv"
BYPASS_REASON = "演示内容导入（online_services 演示数据）"


def blank_form_docx(title: str, fields: list[str], note: str) -> bytes:
    """A one-page blank form (DOCX): the title, a two-column table of fields to fill in and the note."""
    from docx import Document
    from docx.shared import Pt

    document = Document()
    heading = document.add_heading(title, level=1)
    heading.alignment = 1  # centred
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for name in fields:
        cells = table.add_row().cells
        cells[0].text = name
        cells[1].text = ""
    paragraph = document.add_paragraph()
    run = paragraph.add_run(f"填表说明：{note}")
    run.font.size = Pt(9)
    document.add_paragraph("（演示表格，由安康公安门户演示数据生成）")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _collection(portal: Portal) -> Collection:
    root = Collection.get_first_root_node()
    return root.get_children().filter(name=portal.name).first() or root


def _documents(portal: Portal, created: list[str]) -> dict:
    Document = get_document_model()
    collection = _collection(portal)
    found = {}
    for key, (title, _police_type, filename, note, fields) in data.FORMS.items():
        document = Document.objects.filter(collection=collection, title=title).first()
        if document is None:
            content = ContentFile(blank_form_docx(title, fields, note), name=filename)
            document = Document.objects.create(title=title, file=content, collection=collection)
            created.append(f"document {title}")
        found[key] = document
    return found


def _forms(portal: Portal, documents: dict, created: list[str]) -> dict:
    departments = {d.code: d for d in portal.departments.all()}
    found = {}
    for key, (title, police_type, _filename, note, _fields) in data.FORMS.items():
        form = ServiceForm.objects.filter(portal=portal, title=title).first()
        if form is None:
            form = ServiceForm.objects.create(
                portal=portal,
                police_type=departments[police_type],
                title=title,
                document=documents[key],
                description=note,
                sort_order=len(found),
            )
            created.append(f"form {title}")
        found[key] = form
    return found


def _locations(portal: Portal, created: list[str]) -> dict:
    departments = {d.code: d for d in portal.departments.all()}
    found = {}
    for key, (name, address, hours, county, directions) in data.LOCATIONS.items():
        location = ServiceLocation.objects.filter(portal=portal, name=name).first()
        if location is None:
            location = ServiceLocation.objects.create(
                portal=portal,
                name=name,
                address=address,
                hours=hours,
                county=departments.get(county) if county else None,
                directions=directions,
            )
            created.append(f"location {name}")
        found[key] = location
    return found


def _hotline(portal: Portal, ref: tuple[str, str]) -> Hotline:
    police_type, name = ref
    return Hotline.objects.get(portal=portal, police_type__code=police_type, county__isnull=True, name=name)


def _guide(spec: dict, portal: Portal, locations: dict, documents: dict) -> ServiceGuidePage:
    """An unsaved guide with its children from a demo entry."""
    page = ServiceGuidePage(
        title=spec["title"],
        slug=spec["slug"],
        summary=spec["summary"],
        item_code=spec["item_code"],
        item_type=spec["item_type"],
        implementing_organ=spec["organ"],
        scope=spec["scope"],
        statutory_days=spec["statutory_days"],
        promised_days=spec["promised_days"],
        time_limit_note=spec.get("time_limit_note", ""),
        is_free=spec["is_free"],
        fee_standard=spec.get("fee_standard", ""),
        fee_basis=spec.get("fee_basis", ""),
        consultation_phone=_hotline(portal, spec["consultation"]),
        complaint_phone=_hotline(portal, spec["complaint"]),
        online_url=spec.get("online_url", ""),
        live=False,
    )
    page.legal_bases = [LegalBasis(name=n, provisions=p) for n, p in spec["legal_bases"]]
    page.conditions = [Condition(text=t) for t in spec["conditions"]]
    page.materials = [
        Material(name=n, form=f, copies=c, required=r, note=note, document=documents.get(doc) if doc else None)
        for n, f, c, r, note, doc in spec["materials"]
    ]
    page.steps = [Step(title=t, time_limit=limit, description=d) for t, limit, d in spec["steps"]]
    page.faqs = [Question(question=q, answer=a) for q, a in spec["faqs"]]
    page.locations = [locations[key] for key in spec["locations"]]
    return page


def _publish(page: ServiceGuidePage, column: ColumnPage, owner) -> ServiceGuidePage:
    page.owner = owner
    column.add_child(instance=page)
    revision = page.save_revision(user=owner, log_action=True)
    with transaction.atomic(), chain_bypass(BYPASS_REASON):
        revision.publish(user=owner, log_action=True)
    return ServiceGuidePage.objects.get(pk=page.pk)


def load_demo(portal: Portal) -> list[str]:
    """Add the demo hotlines, places, forms and guides to `portal`; returns what was created."""
    created: list[str] = []
    if not HOTLINES_CSV.is_file() or portal.profile != "ankang":
        return created
    report = import_text(portal, HOTLINES_CSV.read_text(encoding="utf-8"))
    created += [f"hotline {line}" for line in report.created]
    locations = _locations(portal, created)
    documents = _documents(portal, created)
    forms = _forms(portal, documents, created)
    owner = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    columns = {
        entry.department.code: entry.services["guides"]
        for entry in police_types(portal.site.root_page)
        if entry.department is not None
    }
    guides: dict[str, ServiceGuidePage] = {}
    for spec in [*data.GUIDES, data.WITHDRAWN["guide"]]:
        column = columns.get(spec["police_type"])
        if column is None:
            continue
        existing = ServiceGuidePage.objects.child_of(column).filter(slug=spec["slug"]).first()
        if existing is not None:
            guides[spec["slug"]] = existing
            continue
        page = _publish(_guide(spec, portal, locations, documents), column, owner)
        guides[spec["slug"]] = page
        created.append(f"guide {column.get_parent().title}/{page.title}")
        for key in spec["forms"]:
            ServiceFormGuide.objects.get_or_create(form=forms[key], guide=page)
    old = guides.get(data.WITHDRAWN["guide"]["slug"])
    if old is not None and old.withdrawn_at is None:
        from .withdrawal import withdraw

        withdraw(old, owner, data.WITHDRAWN["reason"], guides.get(data.WITHDRAWN["replaced_by"]))
        created.append(f"withdrawal {old.title}")
    return created
