"""The information processing fee (信息处理费) of the 2021 rules (《政府信息公开信息处理费管理办法》,
国办函〔2020〕109号): free as a rule; charged only when an applicant's requests clearly exceed a reasonable
amount, either by count (按件计收) or by volume (按量计收), at the organ's choice.

- By count, per applicant and natural month: up to 10 requests free; the 11th to 30th cost 100 yuan each;
  from the 31st on, every further 10 requests cost 100 yuan more each (31–40: 200, 41–50: 300 ...).
- By volume, per request: up to 30 pages free; pages 31–100 cost 10 yuan each, 101–200 20 yuan, from 201 on
  40 yuan (a page is an A4 page, or its equivalent for other media).

The fee notice pauses the request's clock (transitions.notify_fee); unpaid within the rule's days, the request
is closed as 其他处理 2. `fee_notice_text` and `fee_notice_docx` write the notice (收费通知书) of a notified fee:
the standard and calculation (the itemised basis), the amount, the deadline and what happens without payment.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q

from cms.sanitize import clean_plain

from .choices import FeeState
from .models import DisclosureRequest, rules_for

#: The heading of the fee notice.
NOTICE_TITLE = "政府信息公开信息处理费收费通知书"


@dataclass(frozen=True)
class Fee:
    """A computed fee: the amount in yuan and its itemised basis (for the fee notice)."""

    amount: Decimal
    basis: str


def fee_by_count(nth: int) -> Fee:
    """The fee of an applicant's `nth` request in a natural month (按件计收)."""
    if nth < 1:
        raise ValueError("nth must be at least 1")
    if nth <= 10:
        return Fee(Decimal("0"), f"按件计收：本月第{nth}件，10件以内（含10件）不收费")
    if nth <= 30:
        return Fee(Decimal("100"), f"按件计收：本月第{nth}件，11—30件的部分每件100元")
    step = (nth - 31) // 10 + 2  # 31–40: 200, 41–50: 300 ...
    low = 31 + (step - 2) * 10
    return Fee(Decimal(100 * step), f"按件计收：本月第{nth}件，{low}—{low + 9}件的部分每件{100 * step}元")


def fee_by_volume(pages: int) -> Fee:
    """The fee of one request of `pages` pages (按量计收)."""
    if pages < 0:
        raise ValueError("pages must not be negative")
    bands = [(30, 0), (100, 10), (200, 20), (None, 40)]
    amount, start, parts = 0, 0, []
    for top, price in bands:
        upper = pages if top is None else min(pages, top)
        count = max(upper - start, 0)
        if count and price:
            amount += count * price
            pages_text = f"第{upper}页" if count == 1 else f"第{start + 1}—{upper}页共{count}页"
            parts.append(f"{pages_text}×{price}元/页")
        if top is None or pages <= top:
            break
        start = top
    if not amount:
        return Fee(Decimal("0"), f"按量计收：共{pages}页，30页以内（含30页）不收费")
    return Fee(Decimal(amount), f"按量计收：共{pages}页，30页以内不收费，" + "，".join(parts) + f"，合计{amount}元")


def requests_in_month(request: DisclosureRequest) -> int:
    """Which request of its applicant in its natural month this one is (1 for the first), counting the
    requests to the same portal with the same identity document number (compared without case or surrounding
    spaces, so 110…002x and 110…002X are one applicant) by date of receipt, then by registration order."""
    first = request.received_on.replace(day=1)
    same = DisclosureRequest.objects.filter(
        portal=request.portal,
        id_number__iexact=request.id_number.strip(),
        received_on__gte=first,
        received_on__lt=_next_month(first),
    )
    earlier = Q(received_on__lt=request.received_on)
    if request.pk is None:
        return same.filter(earlier | Q(received_on=request.received_on)).count() + 1
    return same.filter(earlier | Q(received_on=request.received_on, pk__lte=request.pk)).count()


def suggested_fee(request: DisclosureRequest, pages: int | None = None) -> Fee:
    """The fee the rules allow for `request`: by volume when `pages` is given, else by count."""
    if pages is not None:
        return fee_by_volume(pages)
    return fee_by_count(requests_in_month(request))


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _chinese_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def fee_notice_text(request: DisclosureRequest, payment: str | None = None, today: date | None = None) -> list[str]:
    """The paragraphs of the fee notice (收费通知书) of `request`, whose fee has been notified: addressee, the
    request, the basis and calculation, the amount, how (`payment`, e.g. the bank account) and by when to pay,
    the consequence of not paying, the pause of the answer limit, the bureau and the date of the notice.
    `payment` defaults to the portal's `fee_payment` rule (profile `disclosure_requests.fee_payment`)."""
    if request.fee_state == FeeState.NONE or request.fee_notified_on is None:
        raise ValueError("no fee has been notified for this request")
    rules = rules_for(request.portal)
    payment = clean_plain(rules.fee_payment if payment is None else payment).strip()[:255]
    days = rules.fee_payment_days
    within = f"收到本通知之日起{days}个工作日内"
    due = f"请于{_chinese_date(request.fee_due)}前（{within}）缴纳" if request.fee_due else f"请于{within}缴纳"
    basis = (request.fee_basis or "见《政府信息公开信息处理费管理办法》").rstrip("。.")
    lines = [
        f"{request.applicant_name}：",
        f"本机关于{_chinese_date(request.received_on)}收到您（单位）提出的政府信息公开申请（编号：{request.number}），"
        f"申请获取“{request.info_title}”。根据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），"
        "您（单位）申请公开政府信息的数量、频次明显超过合理范围，本机关依法收取信息处理费，现通知如下：",
        f"一、收费标准和计算方式：{basis}。",
        f"二、收费数额：人民币{request.fee_amount:.2f}元。",
        f"三、缴费期限：{due}。" + (f"缴费方式：{payment}" if payment else ""),
        "四、逾期未缴纳的，视为放弃申请，本机关将不再处理该政府信息公开申请。"
        "自发出本通知之日至缴纳费用之日，不计算在答复期限内。",
        request.portal.name,
        _chinese_date(today or request.fee_notified_on),
    ]
    return [line.strip() for line in lines]


def fee_notice_docx(request: DisclosureRequest, payment: str | None = None, today: date | None = None) -> bytes:
    """The fee notice as DOCX: heading, number, the paragraphs of `fee_notice_text`, bureau and date on the
    right."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    lines = fee_notice_text(request, payment, today)
    document = Document()
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(NOTICE_TITLE)
    run.bold = True
    run.font.size = Pt(18)
    document.add_paragraph(f"编号：{request.number}").alignment = WD_ALIGN_PARAGRAPH.CENTER
    for i, line in enumerate(lines):
        paragraph = document.add_paragraph(line)
        if i >= len(lines) - 2:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("（印章）").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
