"""Import of the hotline directory from CSV (`manage.py import_hotlines`; the demo loads its 180 numbers so).

The file is UTF-8 (a BOM is fine) with a header row; columns, in English or Chinese:

| column | 中文 | |
| --- | --- | --- |
| police_type | 警种 | required: code, name or short name of a police-type department (huzheng, 户政科, 户政) |
| county | 县区 | optional: code, name or short name of a county bureau; empty or 市局 for the city bureau |
| department | 受理单位 | required: the answering unit |
| name | 名称 | required |
| number | 电话 | required: landline with area code, public service number or 400/800 line |
| hours | 受理时间 | optional |
| note | 备注 | optional |
| sort_order | 序号 | optional whole number |

A number is identified by (police type, county, answering unit, name): importing again updates its number,
hours, note and order and never duplicates it. All or nothing: any invalid row (reported with its line)
and nothing is written.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from cms.models import Department, DepartmentKind, Portal
from cms.sanitize import clean_plain

from .models import Hotline
from .phones import normalise_number

HEADERS = {
    "police_type": "police_type",
    "警种": "police_type",
    "county": "county",
    "县区": "county",
    "department": "department",
    "受理单位": "department",
    "name": "name",
    "名称": "name",
    "number": "number",
    "电话": "number",
    "hours": "hours",
    "受理时间": "hours",
    "note": "note",
    "备注": "note",
    "sort_order": "sort_order",
    "序号": "sort_order",
}
REQUIRED = ("police_type", "department", "name", "number")
CITY_WORDS = {"", "市局", "市公安局", "city"}
MAX_ROWS = 5000
LIMITS = {"department": 128, "name": 128, "hours": 128, "note": 255}


class HotlineImportError(ValueError):
    """The file cannot be imported; `errors` lists each problem with its line."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass
class ImportReport:
    """What an import did (or would do, on a dry run)."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0


def _lookup(portal: Portal, kind: str) -> dict[str, Department]:
    found = {}
    for department in Department.objects.filter(portal=portal, kind=kind):
        for key in (department.code, department.name, department.short_name):
            if key:
                found.setdefault(key.strip(), department)
    return found


def parse(portal: Portal, text: str) -> list[dict]:
    """Validate the CSV `text` for `portal`; return one dict of model values per row or raise HotlineImportError."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    rows = list(reader)
    if not rows:
        raise HotlineImportError(["the file is empty"])
    header = [HEADERS.get(h.strip()) for h in rows[0]]
    unknown = [h for h, key in zip(rows[0], header, strict=True) if key is None and h.strip()]
    errors = [f"line 1: unknown column {h!r}" for h in unknown]
    missing = [key for key in REQUIRED if key not in header]
    errors += [f"line 1: missing column {key!r}" for key in missing]
    if errors:
        raise HotlineImportError(errors)
    if len(rows) - 1 > MAX_ROWS:
        raise HotlineImportError([f"at most {MAX_ROWS} rows per file"])
    police_types = _lookup(portal, DepartmentKind.POLICE_TYPE)
    counties = _lookup(portal, DepartmentKind.COUNTY)
    parsed, seen = [], {}
    for line, raw in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue
        values = {key: clean_plain(raw[i]).strip() for i, key in enumerate(header) if key and i < len(raw)}
        for key in REQUIRED:
            if not values.get(key):
                errors.append(f"line {line}: {key} is required")
        for key, limit in LIMITS.items():
            if len(values.get(key, "")) > limit:
                errors.append(f"line {line}: {key} is longer than {limit} characters")
        police_type = police_types.get(values.get("police_type", ""))
        if values.get("police_type") and police_type is None:
            errors.append(f"line {line}: unknown police type {values['police_type']!r}")
        county_text = values.get("county", "")
        county = None if county_text in CITY_WORDS else counties.get(county_text)
        if county_text not in CITY_WORDS and county is None:
            errors.append(f"line {line}: unknown county {county_text!r}")
        number = values.get("number", "")
        if number:
            try:
                number = normalise_number(number)
            except ValidationError as exc:
                errors.append(f"line {line}: number {values['number']!r}: {' '.join(exc.messages)}")
        order = values.get("sort_order", "") or "0"
        if not order.isdigit():
            errors.append(f"line {line}: sort_order must be a whole number")
            order = "0"
        key = (
            getattr(police_type, "pk", None),
            getattr(county, "pk", None),
            values.get("department"),
            values.get("name"),
        )
        if key in seen:
            errors.append(f"line {line}: the same number as line {seen[key]} (police type, county, unit and name)")
        seen[key] = line
        parsed.append(
            {
                "police_type": police_type,
                "county": county,
                "department": values.get("department", ""),
                "name": values.get("name", ""),
                "number": number,
                "hours": values.get("hours", ""),
                "note": values.get("note", ""),
                "sort_order": int(order),
            }
        )
    if errors:
        raise HotlineImportError(errors)
    return parsed


def apply(portal: Portal, rows: list[dict], dry_run: bool = False) -> ImportReport:
    """Create or update the hotlines of `rows` (from `parse`) in one transaction; roll back on a dry run."""
    report = ImportReport()
    existing = {(h.police_type_id, h.county_id, h.department, h.name): h for h in Hotline.objects.filter(portal=portal)}
    with transaction.atomic():
        for row in rows:
            key = (row["police_type"].pk, row["county"].pk if row["county"] else None, row["department"], row["name"])
            label = f"{row['police_type'].name} {row['department']} {row['name']} {row['number']}"
            hotline = existing.get(key)
            if hotline is None:
                Hotline.objects.create(portal=portal, **row)
                report.created.append(label)
                continue
            changed = [k for k in ("number", "hours", "note", "sort_order") if getattr(hotline, k) != row[k]]
            if not changed:
                report.unchanged += 1
                continue
            for k in changed:
                setattr(hotline, k, row[k])
            hotline.save()
            report.updated.append(label)
        if dry_run:
            transaction.set_rollback(True)
    return report


def import_text(portal: Portal, text: str, dry_run: bool = False) -> ImportReport:
    """Validate and import a CSV text (all or nothing)."""
    return apply(portal, parse(portal, text), dry_run=dry_run)
