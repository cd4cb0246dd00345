"""The profile section `mailbox:`: the letters office, the letter kinds with their time limits, the boxes and
the reply chain (docs/mailbox.md, docs/profiles.md).

    mailbox:
      office: xinfang                # registers, triages and routes letters
      number_prefix: 信               # letter numbers look like 信2026-0042
      max_extension_days: 15          # one extension, with a leader's consent (seed 000 §三.6)
      unread_alert_hours: 24          # staff read new letters at least daily (seed 000 §四.3)
      reply_chain: [department_head, leader, column_admin]
      legal_department: fazhi         # needed by a legal step (replies flagged for it)
      kinds:
        - key: consultation
          name: 咨询
          reply_days: 7               # one limit, or by complexity: {simple: 1, complex: 3, major: 7}
          department_days: 3          # the routed department answers within (optional)
      boxes:
        - key: juzhang
          name: 局长信箱
          department: xinfang         # handles the box's letters
          column: jmhd/jzxx           # its administrators reply and publish; published letters are listed there
          kinds: [consultation, suggestion, help]
          intro: 群众致局长的来信……
          quick_replies:
            - {title: 已转办, body: 您反映的问题已转相关部门办理……}

All limits are working days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .choices import COMPLEXITY_ORDER
from .models import DEFAULT_RULES

#: Steps a reply chain may use.
REPLY_STEPS = ("department_head", "leader", "secrecy", "secrecy_check", "legal", "column_admin")
CHAIN_NAME = "信件答复审批流程"


@dataclass
class KindSpec:
    """A validated letter kind."""

    key: str
    name: str
    limits: dict[str, int]
    department_days: int | None = None
    description: str = ""


@dataclass
class BoxSpec:
    """A validated box."""

    key: str
    name: str
    department: str
    column: str | None
    kinds: list[str]
    intro: str = ""
    quick_replies: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class MailboxSpec:
    """The validated section."""

    office: str | None = None
    number_prefix: str = DEFAULT_RULES["number_prefix"]
    max_extension_days: int = DEFAULT_RULES["max_extension_days"]
    unread_alert_hours: int = DEFAULT_RULES["unread_alert_hours"]
    reply_chain: list[str] = field(default_factory=list)
    departments: dict[str, str | None] = field(default_factory=dict)
    kinds: list[KindSpec] = field(default_factory=list)
    boxes: list[BoxSpec] = field(default_factory=list)


def _days(c: Any, value: Any, path: str, line: int | None, low: int = 1, high: int = 60) -> int | None:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        c.error(path, line, f"must be a whole number of working days from {low} to {high}")
        return None
    return value


def _parse_kind(c: Any, raw: Any, path: str) -> KindSpec | None:
    allowed = {"key", "name", "reply_days", "department_days", "description"}
    if not c.mapping(raw, path, None, None, allowed, {"key", "name", "reply_days"}):
        return None
    key = c.text(raw.get("key"), f"{path}.key", c.line_of(raw, "key"), 32)
    name = c.text(raw.get("name"), f"{path}.name", c.line_of(raw, "name"), 64)
    limits: dict[str, int] = {}
    days = raw.get("reply_days")
    line = c.line_of(raw, "reply_days")
    if isinstance(days, dict):
        for complexity, value in days.items():
            if complexity not in COMPLEXITY_ORDER:
                c.error(f"{path}.reply_days.{complexity}", line, f"use {', '.join(COMPLEXITY_ORDER)}")
            elif (
                checked := _days(c, value, f"{path}.reply_days.{complexity}", c.line_of(days, complexity))
            ) is not None:
                limits[complexity] = checked
    elif days is not None and (checked := _days(c, days, f"{path}.reply_days", line)) is not None:
        limits["simple"] = checked
    department_days = None
    if raw.get("department_days") is not None:
        department_days = _days(c, raw["department_days"], f"{path}.department_days", c.line_of(raw, "department_days"))
    description = c.text(raw.get("description"), f"{path}.description", c.line_of(raw, "description"), 500)
    return KindSpec(key, name, limits, department_days, description)


def _parse_box(c: Any, raw: Any, path: str, department_ref: Any, kind_keys: set[str]) -> BoxSpec | None:
    allowed = {"key", "name", "department", "column", "kinds", "intro", "quick_replies"}
    if not c.mapping(raw, path, None, None, allowed, {"key", "name", "department", "kinds"}):
        return None
    key = c.text(raw.get("key"), f"{path}.key", c.line_of(raw, "key"), 32)
    name = c.text(raw.get("name"), f"{path}.name", c.line_of(raw, "name"), 64)
    department = None
    if raw.get("department"):
        department = department_ref(raw["department"], f"{path}.department", c.line_of(raw, "department"), False)
    column = None
    if raw.get("column") is not None:
        column = c.text(raw["column"], f"{path}.column", c.line_of(raw, "column"), 255)
        if column and column not in c.column_keys:
            c.error(f"{path}.column", c.line_of(raw, "column"), f"unknown column {column!r}")
    kinds = []
    for i, kind in enumerate(c.sequence(raw.get("kinds"), f"{path}.kinds", c.line_of(raw, "kinds"))):
        if kind not in kind_keys:
            c.error(f"{path}.kinds[{i}]", c.line_of(raw["kinds"], i), f"unknown kind {kind!r}")
        elif kind not in kinds:
            kinds.append(kind)
    intro = c.text(raw.get("intro"), f"{path}.intro", c.line_of(raw, "intro"), 1000)
    replies = []
    items = c.sequence(raw.get("quick_replies"), f"{path}.quick_replies", c.line_of(raw, "quick_replies"))
    for i, item in enumerate(items):
        p = f"{path}.quick_replies[{i}]"
        if c.mapping(item, p, None, None, {"title", "body"}, set()):
            title = c.text(item.get("title"), f"{p}.title", c.line_of(item, "title"), 64)
            body = c.text(item.get("body"), f"{p}.body", c.line_of(item, "body"), 5000)
            if title and body:
                replies.append((title, body))
            else:
                c.error(p, c.line_of(item), "needs a title and a body")
    return BoxSpec(key, name, department or "", column, kinds, intro, replies)


def parse_section(c: Any, raw: Any, path: str, department_ref: Any) -> MailboxSpec:
    """Validate the section with the profile checker `c`; errors carry their path and line."""
    spec = MailboxSpec()
    allowed = {
        "office",
        "number_prefix",
        "max_extension_days",
        "unread_alert_hours",
        "reply_chain",
        "secrecy_department",
        "legal_department",
        "kinds",
        "boxes",
    }
    if not c.mapping(raw, path, None, None, allowed, {"office"}):
        return spec
    spec.office = department_ref(raw.get("office"), f"{path}.office", c.line_of(raw, "office"), False)
    if "number_prefix" in raw:
        prefix = c.text(raw.get("number_prefix"), f"{path}.number_prefix", c.line_of(raw, "number_prefix"), 8)
        spec.number_prefix = prefix or spec.number_prefix
    if "max_extension_days" in raw:
        days = _days(
            c, raw["max_extension_days"], f"{path}.max_extension_days", c.line_of(raw, "max_extension_days"), 0
        )
        spec.max_extension_days = spec.max_extension_days if days is None else days
    if "unread_alert_hours" in raw:
        hours = raw["unread_alert_hours"]
        if not isinstance(hours, int) or isinstance(hours, bool) or not 1 <= hours <= 240:
            c.error(f"{path}.unread_alert_hours", c.line_of(raw, "unread_alert_hours"), "must be 1 to 240 hours")
        else:
            spec.unread_alert_hours = hours
    steps = c.sequence(raw.get("reply_chain"), f"{path}.reply_chain", c.line_of(raw, "reply_chain"))
    for i, step in enumerate(steps):
        line = c.line_of(raw["reply_chain"], i)
        if step not in REPLY_STEPS:
            c.error(f"{path}.reply_chain[{i}]", line, f"unknown step {step!r}; use one of {', '.join(REPLY_STEPS)}")
        elif step in spec.reply_chain:
            c.error(f"{path}.reply_chain[{i}]", line, f"step {step!r} appears twice")
        else:
            spec.reply_chain.append(step)
    for key in ("secrecy_department", "legal_department"):
        if raw.get(key) is not None:
            spec.departments[key] = department_ref(raw[key], f"{path}.{key}", c.line_of(raw, key), False)
    needs = {"secrecy": "secrecy_department", "secrecy_check": "secrecy_department", "legal": "legal_department"}
    for step, key in needs.items():
        if step in spec.reply_chain and key not in raw:
            c.error(f"{path}.reply_chain", c.line_of(raw, "reply_chain"), f"a {step} step needs {key}")

    kinds = c.sequence(raw.get("kinds"), f"{path}.kinds", c.line_of(raw, "kinds"))
    for i, item in enumerate(kinds):
        kind = _parse_kind(c, item, f"{path}.kinds[{i}]")
        if kind is None:
            continue
        if any(k.key == kind.key for k in spec.kinds):
            c.error(f"{path}.kinds[{i}].key", c.line_of(item, "key"), f"kind {kind.key!r} appears twice")
        spec.kinds.append(kind)
    if not spec.kinds:
        c.error(f"{path}.kinds", c.line_of(raw, "kinds") or c.line_of(raw), "name at least one kind of letter")
    kind_keys = {k.key for k in spec.kinds}
    for i, item in enumerate(c.sequence(raw.get("boxes"), f"{path}.boxes", c.line_of(raw, "boxes"))):
        box = _parse_box(c, item, f"{path}.boxes[{i}]", department_ref, kind_keys)
        if box is None:
            continue
        if any(b.key == box.key for b in spec.boxes):
            c.error(f"{path}.boxes[{i}].key", c.line_of(item, "key"), f"box {box.key!r} appears twice")
        spec.boxes.append(box)
    if not spec.boxes:
        c.error(f"{path}.boxes", c.line_of(raw, "boxes") or c.line_of(raw), "name at least one box")
    return spec


def load_section(portal: Any, spec: MailboxSpec, departments: dict[str, Any], report: Any) -> None:
    """Create or update the portal's rules, kinds, boxes, quick replies and reply chain (idempotent). Kinds and
    boxes no longer in the profile are kept (letters refer to them); boxes are deactivated."""
    from cms.review.chains import build_item_chain
    from pages.models import ColumnPage

    from .models import Box, LetterKind, MailboxRules, ReplyTemplate

    rules = MailboxRules.objects.filter(portal=portal).first()
    created = rules is None
    rules = rules or MailboxRules(portal=portal)
    values = {
        "office": departments.get(spec.office) if spec.office else None,
        "number_prefix": spec.number_prefix,
        "max_extension_days": spec.max_extension_days,
        "unread_alert_hours": spec.unread_alert_hours,
    }
    changed = [k for k, v in values.items() if getattr(rules, k) != v]
    for key, value in values.items():
        setattr(rules, key, value)
    secrecy = departments.get(spec.departments.get("secrecy_department"))
    workflow, chain_changed = build_item_chain(
        portal,
        prefix="reply",
        label="信件答复",
        workflow_name=f"{portal.short_name}·{CHAIN_NAME}",
        steps=spec.reply_chain,
        step_departments={
            "secrecy": secrecy,
            "secrecy_check": secrecy,
            "legal": departments.get(spec.departments.get("legal_department")),
        },
        workflow=rules.reply_workflow,
        report=report,
    )
    if chain_changed:
        rules.reply_workflow = workflow
        changed.append("reply_chain")
    if created or changed:
        rules.save()
        (report.created if created else report.updated).append(f"mailbox rules of {portal.short_name}")
    else:
        report.unchanged += 1

    kinds = {}
    for order, kind in enumerate(spec.kinds):
        wanted = {
            "name": kind.name,
            "limits": kind.limits,
            "department_days": kind.department_days,
            "description": kind.description,
            "sort_order": order,
        }
        kinds[kind.key] = _upsert(
            LetterKind, {"portal": portal, "key": kind.key}, wanted, f"letter kind {kind.key}", report
        )
    root = portal.site.root_page if portal.site_id else None
    kept = []
    for order, box in enumerate(spec.boxes):
        column = None
        if box.column and root is not None:
            column = ColumnPage.objects.filter(profile_key=box.column, path__startswith=root.path).first()
        wanted = {
            "name": box.name,
            "department": departments[box.department],
            "column": column,
            "intro": box.intro,
            "sort_order": order,
            "active": True,
        }
        row = _upsert(Box, {"portal": portal, "key": box.key}, wanted, f"letter box {box.key}", report)
        want_kinds = {kinds[k].pk for k in box.kinds}
        if set(row.kinds.values_list("pk", flat=True)) != want_kinds:
            row.kinds.set(want_kinds)
            report.updated.append(f"letter box {box.key}: kinds")
        for order_, (title, body) in enumerate(box.quick_replies):
            if not ReplyTemplate.objects.filter(box=row, title=title).exists():  # never overwrite an edited one
                ReplyTemplate.objects.create(box=row, title=title, body=body, sort_order=order_)
                report.created.append(f"quick reply {box.key}/{title}")
        kept.append(row.pk)
    _grant_quick_reply_permissions(Box.objects.filter(pk__in=kept), report)
    gone = Box.objects.filter(portal=portal, active=True).exclude(pk__in=kept)
    for row in gone:
        row.active = False
        row.save(update_fields=["active"])
        report.updated.append(f"letter box {row.key}: deactivated (no longer in the profile)")


def _grant_quick_reply_permissions(boxes: Any, report: Any) -> None:
    """The heads and administrators of a box's department may edit its quick replies (快捷回复)."""
    from django.contrib.auth.models import Permission

    perms = list(
        Permission.objects.filter(
            content_type__app_label="mailbox",
            codename__in=["add_replytemplate", "change_replytemplate", "view_replytemplate"],
        )
    )
    for box in boxes.select_related("department"):
        for group in (box.department.heads_group, box.department.admins_group):
            if group is None:
                continue
            missing = [p for p in perms if not group.permissions.filter(pk=p.pk).exists()]
            if missing:
                group.permissions.add(*missing)
                report.updated.append(f"group {group.name}: quick reply permissions")


def _upsert(model: Any, lookup: dict[str, Any], wanted: dict[str, Any], label: str, report: Any) -> Any:
    row = model.objects.filter(**lookup).first()
    if row is None:
        row = model.objects.create(**lookup, **wanted)
        report.created.append(label)
        return row
    changed = [k for k, v in wanted.items() if getattr(row, k) != v]
    if changed:
        for k in changed:
            setattr(row, k, wanted[k])
        row.save()
        report.updated.append(f"{label}: {', '.join(changed)}")
    else:
        report.unchanged += 1
    return row
