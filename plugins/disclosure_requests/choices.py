"""Choices of a disclosure request: channels, applicants, states, answer types and their reasons.

The answer types and reasons are exactly the rows of table three of the annual report in the 2021 national
format (国办公开办函〔2021〕30号); the applicant kinds are its columns. `REPORT_ROWS` lists the rows in the
report's order with their Chinese labels, so the report, the admin and the answer letters agree.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How a request reached the bureau; each has its own rule for the date of receipt (art. 31 / seed 002
    art. 19)."""

    ONLINE = "online", _("online")
    IN_PERSON = "in_person", _("in person")
    POST = "post", _("by post")
    EMAIL = "email", _("by email")
    FAX = "fax", _("by fax")


#: What the date of receipt is for each channel (shown next to the date field in the admin and the docs).
RECEIPT_RULES = {
    Channel.ONLINE: _("the day the request was submitted online and registered"),
    Channel.IN_PERSON: _("the day the applicant handed the request in"),
    Channel.POST: _("the day the disclosure office signed for the letter"),
    Channel.EMAIL: _("the day the email arrived in the disclosure office's mailbox"),
    Channel.FAX: _("the day the applicant and the bureau confirmed the fax was received"),
}


class ApplicantType(models.TextChoices):
    """Natural person or organisation (the two groups of columns of table three)."""

    PERSON = "person", _("natural person")
    ORGANISATION = "organisation", _("legal person or other organisation")


class OrganisationKind(models.TextChoices):
    """The kinds of organisation table three counts separately."""

    BUSINESS = "business", _("business")
    RESEARCH = "research", _("research institute")
    PUBLIC_INTEREST = "public_interest", _("public-interest organisation")
    LEGAL_SERVICES = "legal_services", _("legal-services organisation")
    OTHER = "other", _("other")


class DeliveryForm(models.TextChoices):
    """The form in which the applicant wants the information."""

    PAPER = "paper", _("paper")
    EMAIL = "email", _("email")
    DISC = "disc", _("disc")


class ReceiptWay(models.TextChoices):
    """How the applicant wants to receive the answer."""

    POST = "post", _("by post")
    EXPRESS = "express", _("by express courier")
    EMAIL = "email", _("by email")
    FAX = "fax", _("by fax")
    COLLECT = "collect", _("collect in person")
    ON_SITE = "on_site", _("read on site")


class State(models.TextChoices):
    """Where a request stands. `answered`, `abandoned` and `withdrawn` are closed."""

    RECEIVED = "received", _("received")
    CHECKING = "checking", _("first check")
    CORRECTION = "correction", _("correction requested")
    ASSIGNED = "assigned", _("assigned to a department")
    CONSULTING = "consulting", _("consulting a third party")
    AWAITING_FEE = "awaiting_fee", _("awaiting the fee")
    DRAFTING = "drafting", _("answer being drafted")
    APPROVING = "approving", _("answer under approval")
    APPROVED = "approved", _("answer approved")
    ANSWERED = "answered", _("answered")
    ABANDONED = "abandoned", _("closed: not corrected or fee not paid in time")
    WITHDRAWN = "withdrawn", _("withdrawn by the applicant")


CLOSED_STATES = frozenset({State.ANSWERED, State.ABANDONED, State.WITHDRAWN})


class AnswerType(models.TextChoices):
    """The six results of table three, 三、本年度办理结果 (一)–(六)."""

    DISCLOSE = "disclose", _("disclosed (予以公开)")
    PARTIAL = "partial", _("partly disclosed (部分公开)")
    WITHHOLD = "withhold", _("not disclosed (不予公开)")
    UNABLE = "unable", _("cannot be provided (无法提供)")
    NOT_PROCESSED = "not_processed", _("not processed (不予处理)")
    OTHER = "other", _("other handling (其他处理)")


#: The reasons each answer type needs, in the report's order: code -> Chinese row label (the report's exact
#: wording; the label is also what the answer letter cites).
REASONS: dict[str, dict[str, str]] = {
    AnswerType.DISCLOSE: {},
    AnswerType.PARTIAL: {},
    AnswerType.WITHHOLD: {
        "state_secret": "属于国家秘密",
        "law_forbids": "其他法律行政法规禁止公开",
        "three_safety": "危及“三安全一稳定”",
        "third_party": "保护第三方合法权益",
        "internal_affairs": "属于三类内部事务信息",
        "process_info": "属于四类过程性信息",
        "enforcement_file": "属于行政执法案卷",
        "admin_query": "属于行政查询事项",
    },
    AnswerType.UNABLE: {
        "not_held": "本机关不掌握相关政府信息",
        "needs_creation": "没有现成信息需要另行制作",
        "still_unclear": "补正后申请内容仍不明确",
    },
    AnswerType.NOT_PROCESSED: {
        "petition": "信访举报投诉类申请",
        "repeated": "重复申请",
        "publication": "要求提供公开出版物",
        "mass_repeated": "无正当理由大量反复申请",
        "confirm_again": "要求行政机关确认或重新出具已获取信息",
    },
    AnswerType.OTHER: {
        "correction_lapsed": "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "fee_unpaid": "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "other": "其他",
    },
}

#: Chinese headings of the answer types as table three prints them.
TYPE_HEADINGS = {
    AnswerType.DISCLOSE: "（一）予以公开",
    AnswerType.PARTIAL: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    AnswerType.WITHHOLD: "（三）不予公开",
    AnswerType.UNABLE: "（四）无法提供",
    AnswerType.NOT_PROCESSED: "（五）不予处理",
    AnswerType.OTHER: "（六）其他处理",
}


#: The answer types' short Chinese names (fixed text, so model choices do not depend on the language).
TYPE_NAMES = {
    AnswerType.DISCLOSE: "予以公开",
    AnswerType.PARTIAL: "部分公开",
    AnswerType.WITHHOLD: "不予公开",
    AnswerType.UNABLE: "无法提供",
    AnswerType.NOT_PROCESSED: "不予处理",
    AnswerType.OTHER: "其他处理",
}


def reason_choices() -> list[tuple[str, str]]:
    """All reasons as (code, "type · label") choices, for forms and the API schema (reason codes are unique
    across types)."""
    return [
        (code, f"{TYPE_NAMES[answer_type]} · {label}")
        for answer_type, reasons in REASONS.items()
        for code, label in reasons.items()
    ]


def reason_label(answer_type: str, reason: str) -> str:
    """The report's wording of `reason` under `answer_type` ('' when the type has no reasons)."""
    return REASONS.get(answer_type, {}).get(reason, "")


def validate_reason(answer_type: str, reason: str) -> str | None:
    """None when `reason` fits `answer_type`, else the (translated) problem."""
    reasons = REASONS.get(answer_type)
    if reasons is None:
        return str(_("Unknown answer type."))
    if not reasons:
        return None if not reason else str(_("This answer type takes no reason."))
    if reason not in reasons:
        return str(_("Choose one of the reasons of this answer type."))
    return None


#: The rows of table three under 三、本年度办理结果, in order: (answer type, reason code or "", label).
REPORT_ROWS: list[tuple[str, str, str]] = []
for _type, _heading in TYPE_HEADINGS.items():
    REPORT_ROWS.append((_type, "", _heading))
    for _i, (_code, _label) in enumerate(REASONS[_type].items(), start=1):
        REPORT_ROWS.append((_type, _code, f"{_i}．{_label}"))


class RemedyKind(models.TextChoices):
    """The three groups of table four."""

    RECONSIDERATION = "reconsideration", _("administrative reconsideration (行政复议)")
    LAWSUIT_DIRECT = "lawsuit_direct", _("lawsuit without reconsideration (未经复议直接起诉)")
    LAWSUIT_AFTER = "lawsuit_after", _("lawsuit after reconsideration (复议后起诉)")


class RemedyOutcome(models.TextChoices):
    """Outcomes counted by table four."""

    UPHELD = "upheld", _("upheld (维持)")
    CORRECTED = "corrected", _("corrected (纠正)")
    OTHER = "other", _("other outcome (其他)")
    PENDING = "pending", _("not yet concluded (尚未审结)")


class ConsultationParty(models.TextChoices):
    """Whom the bureau consults while the clock is paused (art. 32, 33)."""

    THIRD_PARTY = "third_party", _("third party")
    CO_ORGAN = "co_organ", _("co-producing administrative organ")


class FeeState(models.TextChoices):
    """The state of the information processing fee (信息处理费, 2021 rules)."""

    NONE = "none", _("no fee")
    NOTIFIED = "notified", _("fee notice sent")
    PAID = "paid", _("paid")
    UNPAID = "unpaid", _("not paid in time")
    WAIVED = "waived", _("waived")
