"""Answer letters (政府信息公开申请答复书) as DOCX, from editable templates (`LetterTemplate`).

A template's text is Django template language. The context:

- `request`: the DisclosureRequest (`number`, `applicant_name`, `received_on`, `info_title`, ...);
- `answer`: the Answer (`body`, `already_public_at`, `right_organ`, ...);
- `bureau`: the bureau's name; `today`: the letter's date (e.g. 2026年11月23日);
- `received`: the date of receipt written out; `reason`: the reason as the annual report words it;
- `basis`: the legal basis of the reason (the 2019 regulation's article), '' when none.

Each non-empty line of the rendered text is a paragraph of the letter. The most specific active template wins:
the portal's own before a global one, one for the answer's reason before one for its whole type.
"""

from __future__ import annotations

import io
from datetime import date

from django.db.models import Q
from django.template import Context, Engine

from cms.deadlines.calendar import local_today

from .choices import AnswerType
from .models import Answer, LetterTemplate

#: The legal basis each reason cites (2019 regulation: 《中华人民共和国政府信息公开条例》).
BASIS = {
    "state_secret": "《中华人民共和国政府信息公开条例》第十四条",
    "law_forbids": "《中华人民共和国政府信息公开条例》第十四条",
    "three_safety": "《中华人民共和国政府信息公开条例》第十四条",
    "third_party": "《中华人民共和国政府信息公开条例》第十五条",
    "internal_affairs": "《中华人民共和国政府信息公开条例》第十六条第一款",
    "process_info": "《中华人民共和国政府信息公开条例》第十六条第二款",
    "enforcement_file": "《中华人民共和国政府信息公开条例》第十六条第二款",
    "admin_query": "《中华人民共和国政府信息公开条例》第三十六条第（七）项",
    "not_held": "《中华人民共和国政府信息公开条例》第三十六条第（四）项、第（五）项",
    "needs_creation": "《中华人民共和国政府信息公开条例》第三十八条",
    "still_unclear": "《中华人民共和国政府信息公开条例》第三十条",
    "petition": "《中华人民共和国政府信息公开条例》第三十九条第一款",
    "repeated": "《中华人民共和国政府信息公开条例》第三十六条第（六）项",
    "publication": "《中华人民共和国政府信息公开条例》第三十九条第二款",
    "mass_repeated": "《中华人民共和国政府信息公开条例》第三十五条",
    "confirm_again": "《中华人民共和国政府信息公开条例》第三十九条第二款",
    "correction_lapsed": "《中华人民共和国政府信息公开条例》第三十条",
    "fee_unpaid": "《政府信息公开信息处理费管理办法》第六条",
    "other": "",
}

_OPENING = (
    "{{ request.applicant_name }}：\n"
    "本机关于{{ received }}收到您（单位）提出的政府信息公开申请（编号：{{ request.number }}），"
    "申请获取“{{ request.info_title }}”。经审查，现答复如下：\n"
)
_CLOSING = (
    "\n如对本答复不服，可以在收到本答复之日起六十日内依法申请行政复议，"
    "或者在六个月内依法向人民法院提起行政诉讼。\n"
    "{{ bureau }}\n{{ today }}"
)

#: (answer type, reason or '', name, body): the templates installed by default; each is editable.
DEFAULT_TEMPLATES: list[tuple[str, str, str, str]] = [
    (
        AnswerType.DISCLOSE,
        "",
        "予以公开",
        _OPENING + "{{ answer.body }}\n"
        "{% if answer.already_public_at %}"
        "您申请的信息已经主动公开，您可以通过以下方式获取：{{ answer.already_public_at }}\n"
        "{% else %}"
        "根据《中华人民共和国政府信息公开条例》第三十六条第（二）项的规定，现向您提供所申请的政府信息。\n"
        "{% endif %}" + _CLOSING,
    ),
    (
        AnswerType.PARTIAL,
        "",
        "部分公开",
        _OPENING + "{{ answer.body }}\n"
        "根据《中华人民共和国政府信息公开条例》第三十七条的规定，本机关对可以公开的部分予以提供，"
        "对不应当公开的内容作区分处理。\n" + _CLOSING,
    ),
    (
        AnswerType.WITHHOLD,
        "",
        "不予公开",
        _OPENING + "{{ answer.body }}\n"
        "您申请的信息{{ reason }}，根据{{ basis }}的规定，本机关决定不予公开。\n" + _CLOSING,
    ),
    (
        AnswerType.UNABLE,
        "",
        "无法提供",
        _OPENING + "{{ answer.body }}\n经查，{{ reason }}，根据{{ basis }}的规定，本机关无法提供。\n" + _CLOSING,
    ),
    (
        AnswerType.UNABLE,
        "not_held",
        "无法提供：本机关不掌握（告知有关机关）",
        _OPENING + "{{ answer.body }}\n"
        "经查，本机关未制作或者获取您申请的政府信息。根据{{ basis }}的规定，"
        "{% if answer.right_organ %}该信息的公开机关为：{{ answer.right_organ }}，请您向其提出申请。"
        "{% else %}本机关无法确定该信息的公开机关。{% endif %}\n" + _CLOSING,
    ),
    (
        AnswerType.NOT_PROCESSED,
        "",
        "不予处理",
        _OPENING + "{{ answer.body }}\n您的申请属于{{ reason }}，根据{{ basis }}的规定，本机关不予处理。\n" + _CLOSING,
    ),
    (
        AnswerType.NOT_PROCESSED,
        "publication",
        "不予处理：公开出版物（告知获取途径）",
        _OPENING + "{{ answer.body }}\n"
        "您申请获取的是公开出版物，根据{{ basis }}的规定，本机关不予处理。"
        "{% if answer.already_public_at %}您可以通过以下途径获取：{{ answer.already_public_at }}{% endif %}\n"
        + _CLOSING,
    ),
    (
        AnswerType.OTHER,
        "",
        "其他处理",
        _OPENING + "{{ answer.body }}\n{% if basis %}根据{{ basis }}的规定，{% endif %}{{ reason }}。\n" + _CLOSING,
    ),
]


def install_default_templates() -> int:
    """Create the global default templates that do not exist yet (by type, reason and name); returns how many.

    Called by the profile loader; an edited template is never overwritten.
    """
    created = 0
    for answer_type, reason, name, body in DEFAULT_TEMPLATES:
        _obj, new = LetterTemplate.objects.get_or_create(
            portal=None, answer_type=answer_type, reason=reason, name=name, defaults={"body": body}
        )
        created += int(new)
    return created


def template_for(answer: Answer) -> LetterTemplate | None:
    """The template of the answer (chosen on it), else the most specific active one for its type and reason."""
    if answer.template_id and answer.template.active:
        return answer.template
    portal = answer.request.portal
    candidates = LetterTemplate.objects.filter(active=True, answer_type=answer.answer_type).filter(
        Q(portal=portal) | Q(portal__isnull=True), Q(reason=answer.reason) | Q(reason="")
    )
    ranked = sorted(candidates, key=lambda t: (t.portal_id is None, t.reason != answer.reason, t.pk))
    return ranked[0] if ranked else None


def _chinese_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def render_text(answer: Answer, today: date | None = None) -> tuple[str, str]:
    """The letter's heading and text for `answer`."""
    template = template_for(answer)
    if template is None:
        raise LookupError(f"no active letter template for {answer.answer_type}/{answer.reason}")
    request = answer.request
    engine = Engine(autoescape=False)
    context = Context(
        {
            "request": request,
            "answer": answer,
            "bureau": request.portal.name,
            "today": _chinese_date(today or local_today()),
            "received": _chinese_date(request.received_on),
            "reason": answer.reason_label,
            "basis": BASIS.get(answer.reason, ""),
        },
        autoescape=False,
    )
    return template.title, engine.from_string(template.body).render(context)


def render_letter(answer: Answer, today: date | None = None) -> bytes:
    """The answer letter as DOCX: heading, number, text paragraphs, bureau and date."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    title, text = render_text(answer, today)
    document = Document()
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title)
    run.bold = True
    run.font.size = Pt(18)
    req = answer.request
    number = document.add_paragraph(f"{req.portal.short_name}依申复〔{req.year}〕{req.serial}号")
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for i, line in enumerate(lines):
        paragraph = document.add_paragraph(line)
        if i >= len(lines) - 2:  # the bureau and the date: on the right, above the seal
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("（印章）").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
