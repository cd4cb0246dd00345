"""The profile section `disclosure_requests:`: the portal's deadline rules, disclosure office and answer
approval chain (docs/disclosure_requests.md, docs/profiles.md).

    disclosure_requests:
      office: mishu                 # registers and routes requests; its heads approve extensions
      limit_days: 20                # 2019 regulation art. 33 (ningxia: 15, seed 002 art. 15)
      max_extension_days: 20
      correction_days: 7            # art. 30
      consultation_days: 15         # art. 32
      fee_payment_days: 20
      number_prefix: 依申
      fee_payment: 缴费方式      # printed on the fee notice (收费通知书): bank account or counter
      answer_chain: [department_head, secrecy, legal, proofread, leader]
      secrecy_department: baomi     # needed by a secrecy step
      legal_department: fazhi       # needed by a legal step
      proofread_department: mishu   # default: the office

Secrecy and legal steps run only for answers flagged for them (`Answer.review_step_needed`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .models import DEFAULT_RULES

#: Steps an answer chain may use.
ANSWER_STEPS = ("department_head", "secrecy", "legal", "proofread", "leader")
NUMBER_FIELDS = {
    "limit_days": (1, 60),
    "max_extension_days": (0, 60),
    "correction_days": (1, 30),
    "consultation_days": (1, 60),
    "fee_payment_days": (1, 60),
}
#: The answer chain's workflow name, after the portal's short name.
CHAIN_NAME = "依申请公开答复审批流程"


@dataclass
class RulesSpec:
    """The validated section."""

    office: str | None = None
    numbers: dict[str, int] = field(default_factory=dict)
    number_prefix: str = DEFAULT_RULES["number_prefix"]
    fee_payment: str = ""
    answer_chain: list[str] = field(default_factory=list)
    departments: dict[str, str | None] = field(default_factory=dict)


def parse_section(c: Any, raw: Any, path: str, department_ref: Any) -> RulesSpec:
    """Validate the section with the profile checker `c`; errors carry their path and line."""
    spec = RulesSpec()
    allowed = {
        "office",
        "number_prefix",
        "fee_payment",
        "answer_chain",
        "secrecy_department",
        "legal_department",
        "proofread_department",
        *NUMBER_FIELDS,
    }
    if not c.mapping(raw, path, None, None, allowed, {"office"}):
        return spec
    spec.office = department_ref(raw.get("office"), f"{path}.office", c.line_of(raw, "office"), False)
    for key, (low, high) in NUMBER_FIELDS.items():
        if key not in raw:
            spec.numbers[key] = DEFAULT_RULES[key]
            continue
        value = raw[key]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            message = f"must be a whole number of working days from {low} to {high}"
            c.error(f"{path}.{key}", c.line_of(raw, key), message)
        else:
            spec.numbers[key] = value
    if "number_prefix" in raw:
        prefix = c.text(raw.get("number_prefix"), f"{path}.number_prefix", c.line_of(raw, "number_prefix"), 8)
        if prefix:
            spec.number_prefix = prefix
    if "fee_payment" in raw:
        spec.fee_payment = c.text(raw.get("fee_payment"), f"{path}.fee_payment", c.line_of(raw, "fee_payment"), 255)
    steps = c.sequence(raw.get("answer_chain"), f"{path}.answer_chain", c.line_of(raw, "answer_chain"))
    for i, step in enumerate(steps):
        line = c.line_of(raw["answer_chain"], i)
        if step not in ANSWER_STEPS:
            c.error(f"{path}.answer_chain[{i}]", line, f"unknown step {step!r}; use one of {', '.join(ANSWER_STEPS)}")
        elif step in spec.answer_chain:
            c.error(f"{path}.answer_chain[{i}]", line, f"step {step!r} appears twice")
        else:
            spec.answer_chain.append(step)
    for key in ("secrecy_department", "legal_department", "proofread_department"):
        if raw.get(key) is not None:
            spec.departments[key] = department_ref(raw[key], f"{path}.{key}", c.line_of(raw, key), False)
    for step in ("secrecy", "legal"):
        if step in spec.answer_chain and f"{step}_department" not in raw:
            c.error(f"{path}.answer_chain", c.line_of(raw, "answer_chain"), f"a {step} step needs {step}_department")
    return spec


def load_section(portal: Any, spec: RulesSpec, departments: dict[str, Any], report: Any) -> None:
    """Create or update the portal's RequestRules and answer chain (idempotent)."""
    from cms.review.chains import build_item_chain

    from .letters import install_default_templates
    from .models import RequestRules

    office = departments.get(spec.office) if spec.office else None
    rules = RequestRules.objects.filter(portal=portal).first()
    values = {"office": office, "number_prefix": spec.number_prefix, "fee_payment": spec.fee_payment, **spec.numbers}
    created = rules is None
    if created:
        rules = RequestRules(portal=portal)
    changed = [k for k, v in values.items() if getattr(rules, k) != v]
    for key, value in values.items():
        setattr(rules, key, value)

    step_departments = {
        "secrecy": departments.get(spec.departments.get("secrecy_department")),
        "legal": departments.get(spec.departments.get("legal_department")),
        "proofread": departments.get(spec.departments.get("proofread_department") or spec.office),
    }
    workflow, chain_changed = build_item_chain(
        portal,
        prefix="answer",
        label="答复",
        workflow_name=f"{portal.short_name}·{CHAIN_NAME}",
        steps=spec.answer_chain,
        step_departments=step_departments,
        workflow=rules.answer_workflow,
        report=report,
    )
    if chain_changed:
        rules.answer_workflow = workflow
        changed.append("answer_chain")
    if created or changed:
        rules.save()
        (report.created if created else report.updated).append(f"disclosure request rules of {portal.short_name}")
    else:
        report.unchanged += 1
    install_default_templates()
