"""The completeness check of a service guide: the required elements of a government service item.

Inspections score guides by completeness (要素完整), so a guide missing a required element cannot be submitted
for review (`submission.py`) nor go live (the publication gate asks `extra_publication_blockers`). The
check reads a guide as it stands — a saved page, a revision, or the admin form's unsaved instance with its
inline children in memory — so the admin, the API and the shell all see the same list.

Optional elements: the online-application link, the flow chart and the FAQ.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def _text(value) -> bool:
    return bool(str(value or "").strip())


def _rows(guide, relation: str) -> list:
    return list(getattr(guide, relation).all())


@dataclass(frozen=True)
class Element:
    """One required element and how to tell it is there."""

    key: str
    label: object  # a lazy translation
    present: Callable[[object], bool]


ELEMENTS = (
    Element("title", gettext_lazy("item name"), lambda g: _text(g.title)),
    Element("item_code", gettext_lazy("item code"), lambda g: _text(g.item_code)),
    Element("item_type", gettext_lazy("type of item"), lambda g: _text(g.item_type)),
    Element(
        "implementing_organ",
        gettext_lazy("implementing organ"),
        lambda g: _text(g.implementing_organ),
    ),
    Element(
        "legal_basis",
        gettext_lazy("legal basis"),
        lambda g: any(_text(b.name) for b in _rows(g, "legal_bases")),
    ),
    Element("scope", gettext_lazy("scope"), lambda g: _text(g.scope)),
    Element(
        "conditions",
        gettext_lazy("conditions"),
        lambda g: any(_text(c.text) for c in _rows(g, "conditions")),
    ),
    Element(
        "materials",
        gettext_lazy("materials"),
        lambda g: any(_text(m.name) for m in _rows(g, "materials")),
    ),
    Element("steps", gettext_lazy("procedure"), lambda g: any(_text(s.title) for s in _rows(g, "steps"))),
    Element("statutory_days", gettext_lazy("statutory time limit"), lambda g: g.statutory_days is not None),
    Element("promised_days", gettext_lazy("promised time limit"), lambda g: g.promised_days is not None),
    Element(
        "fees",
        gettext_lazy("fees (standard and basis, or free of charge)"),
        lambda g: bool(g.is_free) or (_text(g.fee_standard) and _text(g.fee_basis)),
    ),
    Element("locations", gettext_lazy("place and hours"), lambda g: bool(_rows(g, "locations"))),
    Element(
        "consultation_phone",
        gettext_lazy("consultation phone"),
        lambda g: g.consultation_phone_id is not None,
    ),
    Element("complaint_phone", gettext_lazy("complaint phone"), lambda g: g.complaint_phone_id is not None),
)


def checklist(guide) -> list[tuple[str, bool]]:
    """Each required element (its Chinese name) and whether the guide has it."""
    return [(str(element.label), element.present(guide)) for element in ELEMENTS]


def material_problems(guide) -> list[str]:
    """What each listed material lacks: its form (original, copy, electronic) or its number of copies."""
    problems = []
    for number, material in enumerate(_rows(guide, "materials"), start=1):
        if not _text(material.name):
            continue
        if not material.form:
            problems.append(
                _("the form (original, copy or electronic) of material %(number)d “%(name)s”")
                % {"number": number, "name": material.name}
            )
        if not material.copies:
            problems.append(
                _("the number of copies of material %(number)d “%(name)s”") % {"number": number, "name": material.name}
            )
    return problems


def missing_elements(guide) -> list[str]:
    """The required elements `guide` lacks, in Chinese, in the order of a guide (empty when complete)."""
    missing = [label for label, present in checklist(guide) if not present]
    return missing + material_problems(guide)


def incompleteness_message(missing: list[str], publishing: bool = True) -> str:
    """The refusal in Chinese, listing what is missing."""
    listed = "、".join(missing)
    if publishing:
        return _("Publication blocked: the service guide is incomplete; missing: %(missing)s.") % {"missing": listed}
    return _("The service guide cannot be submitted for review until it is complete; missing: %(missing)s.") % {
        "missing": listed
    }
