"""A service guide as plain text, element by element: the body outlets (WeChat, the app) receive."""

from __future__ import annotations

from django.utils import timezone

from .choices import ItemType, MaterialForm


def _days(days: int | None) -> str:
    if days is None:
        return ""
    return "当场办结" if days == 0 else f"{days}个工作日"


def guide_text(guide) -> str:
    """The guide's elements as lines of Chinese text (empty elements left out)."""
    lines: list[str] = []
    if guide.withdrawn_at:
        when = timezone.localdate(guide.withdrawn_at).isoformat()
        lines.append(f"【已废止】本指南已于{when}废止。{guide.withdrawal_reason}")
    if guide.summary:
        lines.append(guide.summary)

    def add(label: str, value: str) -> None:
        if value and str(value).strip():
            lines.append(f"{label}：{value}")

    add("事项编码", guide.item_code)
    add("事项类型", dict(ItemType.choices).get(guide.item_type, ""))
    add("实施机关", guide.implementing_organ)
    bases = [f"{b.name}{b.provisions}" for b in guide.legal_bases.all()]
    if bases:
        lines.append("设定依据：" + "；".join(bases))
    add("受理范围", guide.scope)
    conditions = list(guide.conditions.all())
    if conditions:
        lines.append("办理条件：")
        lines += [f"{i}. {c.text}" for i, c in enumerate(conditions, start=1)]
    materials = list(guide.materials.all())
    if materials:
        lines.append("申请材料：")
        for i, m in enumerate(materials, start=1):
            form = dict(MaterialForm.choices).get(m.form, "")
            need = "必要" if m.required else "非必要"
            extra = f"（{m.note}）" if m.note else ""
            lines.append(f"{i}. {m.name}，{form}{m.copies}份，{need}{extra}")
    steps = list(guide.steps.all())
    if steps:
        lines.append("办理流程：")
        for i, s in enumerate(steps, start=1):
            limit = f"（{s.time_limit}）" if s.time_limit else ""
            lines.append(f"{i}. {s.title}{limit}：{s.description}".rstrip("："))
    add("法定办结时限", _days(guide.statutory_days))
    add("承诺办结时限", _days(guide.promised_days))
    add("时限说明", guide.time_limit_note)
    if guide.is_free:
        lines.append("收费标准：不收费")
    else:
        add("收费标准", guide.fee_standard)
        add("收费依据", guide.fee_basis)
    for location in guide.locations.all():
        lines.append(f"办理地点：{location.name}（{location.address}），办公时间：{location.hours}")
    for label, hotline in (("咨询电话", guide.consultation_phone), ("监督投诉电话", guide.complaint_phone)):
        if hotline is not None:
            lines.append(f"{label}：{hotline.number}（{hotline.department}）")
    add("网上办理", guide.online_url)
    for q in guide.faqs.all():
        lines.append(f"问：{q.question}")
        lines.append(f"答：{q.answer}")
    return "\n".join(lines)
