"""Answer letters (政府信息公开申请答复书) as DOCX, from editable templates (`LetterTemplate`).

A template's text is Django template language (no `{% load %}`, `{% include %}`, `{% extends %}` or
`{% debug %}`). Every value in the context is plain text (tags stripped), so nothing but text reaches the letter:

- `bureau`: the bureau's name; `today`: the letter's date (e.g. 2026年11月23日); `received`: the date of receipt
  written out; `letter_number`: e.g. 安康公安依申复〔2026〕42号;
- `type`: the answer type (予以公开 …); `reason`: the reason as the annual report words it; `basis`: the legal
  basis of the reason (the 2019 regulation's article), '' when none;
- `request`: `number`, `applicant_name`, `info_title`, `info_document_number`, `info_description`,
  `received_on` (written out);
- `answer`: `body`, `already_public_at`, `right_organ`, `public_summary`, `type`, `reason`.

Each non-empty line of the rendered text is a paragraph of the letter. The most specific active template wins:
the portal's own before a global one, one for the answer's reason before one for its whole type.
"""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

from django.db.models import Q
from django.template import Context, Engine, TemplateSyntaxError
from django.utils.translation import gettext as _

from cms.deadlines.calendar import local_today
from cms.sanitize import clean_plain

from .choices import TYPE_NAMES, AnswerType
from .models import Answer, LetterTemplate

#: Tags a letter template may not use: they would reach other templates, libraries or the whole context.
FORBIDDEN_TAGS = ("load", "include", "extends", "debug")
#: Characters XML (and so DOCX) cannot hold.
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FORBIDDEN = re.compile(r"{%-?\s*(" + "|".join(FORBIDDEN_TAGS) + r")\b")

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


class LetterError(LookupError):
    """The letter cannot be written: no active template, or a template that does not compile."""


def check_template(body: str) -> str | None:
    """None when `body` is a usable letter template, else the problem (for the template form)."""
    found = _FORBIDDEN.search(body or "")
    if found:
        return _("the tag {%% %(tag)s %%} is not allowed in letter templates") % {"tag": found.group(1)}
    try:
        _engine().from_string(body or "")
    except TemplateSyntaxError as exc:
        return str(exc)
    return None


def _engine() -> Engine:
    """An engine without loaders or tag libraries beyond the built-in tags and filters."""
    return Engine(
        autoescape=False, libraries={}, builtins=["django.template.defaulttags", "django.template.defaultfilters"]
    )


def _plain(value: Any) -> str:
    return clean_plain(str(value or "")).strip()


def letter_number(answer: Answer) -> str:
    """The letter's number, e.g. 安康公安依申复〔2026〕42号."""
    req = answer.request
    return f"{req.portal.short_name}依申复〔{req.year}〕{req.serial}号"


def letter_context(answer: Answer, today: date | None = None) -> dict[str, Any]:
    """The template context of `answer`'s letter: plain text only (module docstring)."""
    req = answer.request
    received = _chinese_date(req.received_on)
    type_name = TYPE_NAMES.get(answer.answer_type, "")
    return {
        "bureau": _plain(req.portal.name),
        "today": _chinese_date(today or local_today()),
        "received": received,
        "letter_number": _plain(letter_number(answer)),
        "type": type_name,
        "reason": answer.reason_label,
        "basis": BASIS.get(answer.reason, ""),
        "request": {
            "number": req.number,
            "applicant_name": _plain(req.applicant_name),
            "info_title": _plain(req.info_title),
            "info_document_number": _plain(req.info_document_number),
            "info_description": _plain(req.info_description),
            "received_on": received,
        },
        "answer": {
            "body": _plain(answer.body),
            "already_public_at": _plain(answer.already_public_at),
            "right_organ": _plain(answer.right_organ),
            "public_summary": _plain(answer.public_summary),
            "type": type_name,
            "reason": answer.reason_label,
        },
    }


def render_text(answer: Answer, today: date | None = None) -> tuple[str, str]:
    """The letter's heading and text for `answer`; LetterError when no usable template exists."""
    template = template_for(answer)
    if template is None:
        raise LetterError(
            _("No active letter template for answers of type “%(type)s” (reason: %(reason)s).")
            % {"type": TYPE_NAMES.get(answer.answer_type, answer.answer_type), "reason": answer.reason_label or "—"}
        )
    problem = check_template(template.body)
    if problem:
        raise LetterError(_("Letter template “%(name)s”: %(problem)s") % {"name": template.name, "problem": problem})
    text = _engine().from_string(template.body).render(Context(letter_context(answer, today), autoescape=False))
    return _plain(template.title), text


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
    number = document.add_paragraph(letter_number(answer))
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    lines = [_XML_UNSAFE.sub("", line).strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    for i, line in enumerate(lines):
        paragraph = document.add_paragraph(line)
        if i >= len(lines) - 2:  # the bureau and the date: on the right, above the seal
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("（印章）").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
