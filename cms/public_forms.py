"""Server-rendered public forms (a plugin's request or letter form, its status lookup): fields as the shared
templates draw them, errors tied to their field and gathered in a summary, and the pages every such form needs
(too many requests, no portal at this address).

The templates live in `cms/templates/sunlight/public/`: `base.html` (plugins extend it with their own `nav` and
`footer` blocks), `_field.html` (one field: label, help, error, `aria-describedby`; widgets text, email, tel,
textarea, select, radio, checkbox, file), `_errors.html` (the error summary linking to each wrong field),
`throttled.html` and `no_portal.html` (both extend `base_template`). Usable without JavaScript and with the
keyboard alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework.exceptions import Throttled

#: A form's groups of fields: (legend, fields).
Fieldsets = list[tuple[str, list["FormField"]]]


@dataclass
class FormField:
    """A field of a public form as `sunlight/public/_field.html` draws it."""

    name: str
    label: str
    widget: str = "text"  # text, email, tel, textarea, select, radio, checkbox, file
    required: bool = False
    help: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    maxlength: int | None = None
    autocomplete: str = ""
    inputmode: str = ""
    accept: str = ""  # file inputs: e.g. ".jpg,.png,.pdf"
    multiple: bool = False  # file inputs
    value: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        """The element id (the error summary links to it)."""
        return f"id_{self.name}"

    @property
    def focus_id(self) -> str:
        """The element the error summary's link moves to (a radio group's first radio)."""
        return f"{self.id}_0" if self.widget == "radio" else self.id

    @property
    def checked(self) -> bool:
        """For a checkbox: whether it is ticked."""
        return self.value not in ("", "0", "false", "False", "off", "None")

    @property
    def describedby(self) -> str:
        """Ids of its help and error texts."""
        ids = []
        if self.help:
            ids.append(f"{self.id}_help")
        if self.errors:
            ids.append(f"{self.id}_error")
        return " ".join(ids)


def fill(
    fieldsets: Fieldsets,
    values: Mapping[str, Any],
    errors: Mapping[str, Any],
    defaults: Mapping[str, Any] | None = None,
) -> None:
    """Put the submitted `values` (else `defaults`) and the `errors` of each field into the fieldsets."""
    defaults = defaults or {}
    for _legend, fields in fieldsets:
        for f in fields:
            value = values.get(f.name, defaults.get(f.name, ""))
            f.value = "" if f.widget == "file" else str(value if value is not None else "")
            messages = errors.get(f.name, [])
            f.errors = [str(e) for e in (messages if isinstance(messages, list | tuple) else [messages])]


def error_summary(fieldsets: Fieldsets, errors: Mapping[str, Any]) -> list[dict[str, str]]:
    """The error summary: one entry per message, linked to its field; errors of no field come last, unlinked."""
    items = []
    for _legend, fields in fieldsets:
        for f in fields:
            for message in f.errors:
                items.append({"href": f"#{f.focus_id}", "label": f.label, "message": message})
    known = {f.name for _legend, fields in fieldsets for f in fields}
    for name, messages in errors.items():
        if name not in known:
            for message in _flatten(messages):
                items.append({"href": "", "label": "", "message": str(message)})
    return items


def _flatten(messages: Any) -> Iterable[Any]:
    if isinstance(messages, Mapping):
        for value in messages.values():
            yield from _flatten(value)
    elif isinstance(messages, list | tuple):
        for value in messages:
            yield from _flatten(value)
    else:
        yield messages


def throttled_page(request: HttpRequest, exc: Throttled, base_template: str = "") -> HttpResponse:
    """The 429 page of a public form, with `Retry-After`."""
    context = {"message": exc.detail, "wait": exc.wait, "base_template": base_template or None}
    response = render(request, "sunlight/public/throttled.html", context, status=429)
    if exc.wait:
        response["Retry-After"] = str(int(exc.wait))
    return response


def no_portal_page(request: HttpRequest, base_template: str = "") -> HttpResponse:
    """The 404 page for a host that serves no portal."""
    return render(request, "sunlight/public/no_portal.html", {"base_template": base_template or None}, status=404)
