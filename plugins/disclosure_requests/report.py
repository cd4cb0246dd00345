"""The annual report on government information disclosure (政府信息公开工作年度报告) in the 2021 national format
(国办公开办函〔2021〕30号): table three (requests received and handled) and table four (reconsiderations and
lawsuits), plus the counts the seed's report gives (items published proactively, fees).

Counting rules (docs/disclosure_requests.md, "Annual report"):

- 一、本年新收: requests received (date of receipt) in the year;
- 二、上年结转: received before the year and not closed before it;
- 三、本年度办理结果: requests closed in the year, by their result and reason; (七)总计 is the sum of (一)–(六);
- 四、结转下年度继续办理: received by 31 December and still open at the end of the year;
- 一 + 二 = 三(七) + 四 in every column, or the report lists the broken cells (`broken_cells` checks the table,
  `assert_reconciles` raises);
- table four: cases filed in the year, and earlier cases still undecided on 1 January; the outcome is the
  one decided by 31 December, else 尚未审结.

`build_report` reads everything with a fixed number of queries, whatever the number of requests.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, Sum

from cms.deadlines.calendar import CHINA_TZ
from cms.models import Portal

from .choices import (
    CLOSED_STATES,
    REASONS,
    REPORT_ROWS,
    ApplicantType,
    Channel,
    FeeState,
    OrganisationKind,
    RemedyKind,
    RemedyOutcome,
)
from .models import DisclosureRequest, Remedy

#: Columns of table three: (key, Chinese label).
COLUMNS: list[tuple[str, str]] = [
    ("person", "自然人"),
    (OrganisationKind.BUSINESS.value, "商业企业"),
    (OrganisationKind.RESEARCH.value, "科研机构"),
    (OrganisationKind.PUBLIC_INTEREST.value, "社会公益组织"),
    (OrganisationKind.LEGAL_SERVICES.value, "法律服务机构"),
    (OrganisationKind.OTHER.value, "其他"),
    ("total", "总计"),
]
ORGANISATION_COLUMNS = [key for key, _label in COLUMNS[1:-1]]

#: Groups and outcomes of table four.
REMEDY_GROUPS: list[tuple[str, str]] = [
    (RemedyKind.RECONSIDERATION.value, "行政复议"),
    (RemedyKind.LAWSUIT_DIRECT.value, "未经复议直接起诉"),
    (RemedyKind.LAWSUIT_AFTER.value, "复议后起诉"),
]
REMEDY_OUTCOMES: list[tuple[str, str]] = [
    (RemedyOutcome.UPHELD.value, "结果维持"),
    (RemedyOutcome.CORRECTED.value, "结果纠正"),
    (RemedyOutcome.OTHER.value, "其他结果"),
    (RemedyOutcome.PENDING.value, "尚未审结"),
    ("total", "总计"),
]


@dataclass
class Row:
    """One row of table three: a key (e.g. `new`, `withhold`, `withhold:state_secret`), its label as the
    national format prints it, its indentation level, and a count per column (including `total`)."""

    key: str
    label: str
    level: int
    values: dict[str, int]


@dataclass
class AnnualReport:
    """Both tables and the seed's counts for one portal and year; `problems` lists broken invariants."""

    portal: Portal
    year: int
    rows: list[Row]
    remedies: dict[str, dict[str, int]]
    published_items: int = 0
    published_government_information: int = 0
    requests_by_channel: dict[str, int] = field(default_factory=dict)
    fee_notices: int = 0
    fees_collected: Decimal = Decimal("0")
    problems: list[str] = field(default_factory=list)

    def row(self, key: str) -> Row:
        """The row with this key."""
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)

    def cell(self, key: str, column: str = "total") -> int:
        """The count in row `key` and `column`."""
        return self.row(key).values[column]

    @property
    def ok(self) -> bool:
        """True when 一 + 二 = 三(七) + 四 in every column and every closed request has a result."""
        return not self.problems


@dataclass(frozen=True)
class BrokenCell:
    """A cell of table three that does not add up: `row` and `column` keys, what it holds and what the other
    cells say it should hold."""

    row: str
    column: str
    value: int
    expected: int
    rule: str
    label: str = ""

    def __str__(self) -> str:
        column = dict(COLUMNS).get(self.column, self.column)
        return f"{column} / {self.label or self.row}: {self.value} ≠ {self.expected} ({self.rule})"


class ReportDoesNotReconcile(ValueError):
    """Raised by `assert_reconciles` with the broken cells."""

    def __init__(self, cells: list[BrokenCell]):
        self.cells = cells
        super().__init__("; ".join(str(c) for c in cells))


def broken_cells(report: AnnualReport) -> list[BrokenCell]:
    """Check table three's arithmetic on the table itself (not on the data it came from): in every column
    一 + 二 = 三(七) + 四, (七) = (一) + … + (六), each type's heading = the sum of its reasons; in every row
    总计 = the sum of the six applicant columns. Returns the cells that break a rule (empty when it adds up)."""
    cells: list[BrokenCell] = []
    types = [answer_type for answer_type, reason, _label in REPORT_ROWS if not reason]
    grid = {row.key: row.values for row in report.rows if row.values}
    for column, _label in COLUMNS:
        value = {key: values[column] for key, values in grid.items()}
        left, right = value["new"] + value["carried_in"], value["handled_total"] + value["carried_out"]
        if left != right:
            cells.append(BrokenCell("carried_out", column, right, left, "一 + 二 = 三(七) + 四"))
        handled = sum(value[answer_type] for answer_type in types)
        if handled != value["handled_total"]:
            cells.append(BrokenCell("handled_total", column, value["handled_total"], handled, "(七) = (一)…(六)"))
        for answer_type in types:
            reasons = sum(value[f"{answer_type}:{code}"] for code in REASONS[answer_type])
            if REASONS[answer_type] and reasons != value[answer_type]:
                cells.append(BrokenCell(answer_type, column, value[answer_type], reasons, "heading = reasons"))
    for row in report.rows:
        if row.values:
            parts = sum(row.values[key] for key, _label in COLUMNS[:-1])
            if parts != row.values["total"]:
                cells.append(BrokenCell(row.key, "total", row.values["total"], parts, "总计 = columns"))
    labels = {row.key: row.label for row in report.rows}
    return [BrokenCell(c.row, c.column, c.value, c.expected, c.rule, labels.get(c.row, "")) for c in cells]


def assert_reconciles(report: AnnualReport) -> None:
    """Raise ReportDoesNotReconcile when `broken_cells(report)` finds any."""
    cells = broken_cells(report)
    if cells:
        raise ReportDoesNotReconcile(cells)


def _column_of(applicant_type: str, organisation_kind: str) -> str:
    if applicant_type == ApplicantType.PERSON:
        return "person"
    return organisation_kind if organisation_kind in ORGANISATION_COLUMNS else OrganisationKind.OTHER.value


def _empty() -> dict[str, int]:
    return {key: 0 for key, _label in COLUMNS}


def _add(values: dict[str, int], column: str) -> None:
    values[column] += 1
    values["total"] += 1


def _year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def build_report(portal: Portal, year: int) -> AnnualReport:
    """Compute the report of `portal` for `year` from the data."""
    first, last = _year_bounds(year)
    requests = (
        DisclosureRequest.objects.filter(portal=portal, received_on__lte=last)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=first))
        .values_list(
            "number",
            "state",
            "applicant_type",
            "organisation_kind",
            "received_on",
            "closed_on",
            "result_type",
            "result_reason",
        )
    )
    new, carried_in, carried_out, total = _empty(), _empty(), _empty(), _empty()
    results: dict[str, dict[str, int]] = {}
    unclassified, inconsistent = 0, []
    for (
        number,
        state,
        applicant_type,
        organisation_kind,
        received_on,
        closed_on,
        result_type,
        result_reason,
    ) in requests:
        column = _column_of(applicant_type, organisation_kind)
        if (state in CLOSED_STATES) != (closed_on is not None) or (closed_on and closed_on < received_on):
            inconsistent.append(number)
        _add(new if received_on >= first else carried_in, column)
        if closed_on is not None and closed_on <= last:
            reasons = REASONS.get(result_type)
            if reasons is None or (reasons and result_reason not in reasons):
                unclassified += 1
                continue
            key = f"{result_type}:{result_reason}" if reasons else result_type
            _add(results.setdefault(key, _empty()), column)
            _add(total, column)
        else:
            _add(carried_out, column)

    rows = [
        Row("new", "一、本年新收政府信息公开申请数量", 0, new),
        Row("carried_in", "二、上年结转政府信息公开申请数量", 0, carried_in),
        Row("results", "三、本年度办理结果", 0, {}),
    ]
    for answer_type, reason, label in REPORT_ROWS:
        if reason:
            rows.append(Row(f"{answer_type}:{reason}", label, 2, results.get(f"{answer_type}:{reason}", _empty())))
        elif REASONS[answer_type]:
            heading = _empty()
            for code in REASONS[answer_type]:
                for column, count in results.get(f"{answer_type}:{code}", _empty()).items():
                    heading[column] += count
            rows.append(Row(answer_type, label, 1, heading))
        else:
            rows.append(Row(answer_type, label, 1, results.get(answer_type, _empty())))
    rows.append(Row("handled_total", "（七）总计", 1, total))
    rows.append(Row("carried_out", "四、结转下年度继续办理", 0, carried_out))

    report = AnnualReport(portal=portal, year=year, rows=rows, remedies=_remedies(portal, year))
    if unclassified:
        report.problems.append(f"{unclassified} request(s) closed in {year} have no valid result and are not counted")
    if inconsistent:
        shown = ", ".join(sorted(inconsistent)[:10]) + (" …" if len(inconsistent) > 10 else "")
        report.problems.append(
            f"{len(inconsistent)} request(s) have a closing date that does not fit their state or receipt: {shown}"
        )
    report.problems += [str(cell) for cell in broken_cells(report)]
    _seed_counts(report, first, last)
    return report


def _remedies(portal: Portal, year: int) -> dict[str, dict[str, int]]:
    """Table four: kind -> outcome -> count, with totals."""
    first, last = _year_bounds(year)
    remedies = (
        Remedy.objects.filter(request__portal=portal, filed_on__lte=last)
        .filter(Q(filed_on__gte=first) | Q(decided_on__isnull=True) | Q(decided_on__gte=first))
        .values_list("kind", "outcome", "decided_on")
    )
    table = {kind: {outcome: 0 for outcome, _label in REMEDY_OUTCOMES} for kind, _label in REMEDY_GROUPS}
    for kind, outcome, decided_on in remedies:
        if kind not in table:
            continue
        known = decided_on is not None and decided_on <= last and outcome != RemedyOutcome.PENDING
        table[kind][outcome if known else RemedyOutcome.PENDING.value] += 1
        table[kind]["total"] += 1
    return table


def _seed_counts(report: AnnualReport, first: date, last: date) -> None:
    """The counts the seed's annual report gives besides the tables (seed 001 §二)."""
    from wagtail.models import Page

    from pages.models import ArticlePage, DisclosureMode, GovernmentDocumentPage, VideoPage

    start = datetime.combine(first, time.min, tzinfo=CHINA_TZ)
    end = datetime.combine(last, time.max, tzinfo=CHINA_TZ)
    root = report.portal.site.root_page if report.portal.site_id else None
    if root is not None:
        published = Page.objects.live().public().descendant_of(root).filter(first_published_at__range=(start, end))
        models = (ArticlePage, VideoPage, GovernmentDocumentPage)
        types = ContentType.objects.get_for_models(*models)
        counts = published.filter(content_type__in=types.values()).aggregate(
            items=Count("pk"),
            documents=Count(
                "pk",
                filter=Q(
                    content_type=types[GovernmentDocumentPage],
                    pk__in=GovernmentDocumentPage.objects.filter(disclosure_mode=DisclosureMode.PROACTIVE).values("pk"),
                ),
            ),
        )
        report.published_items = counts["items"]
        report.published_government_information = counts["documents"]
    channels = Counter(
        dict(
            DisclosureRequest.objects.filter(portal=report.portal, received_on__range=(first, last))
            .values_list("channel")
            .annotate(n=Count("pk"))
        )
    )
    report.requests_by_channel = {value: channels.get(value, 0) for value in Channel.values}
    fees = DisclosureRequest.objects.filter(portal=report.portal).aggregate(
        notices=Count("pk", filter=Q(fee_notified_on__range=(first, last))),
        collected=Sum("fee_amount", filter=Q(fee_state=FeeState.PAID, fee_paid_on__range=(first, last))),
    )
    report.fee_notices = fees["notices"]
    report.fees_collected = fees["collected"] or Decimal("0")


#: Labels of the channels for the report's extra counts.
CHANNEL_LABELS = {
    Channel.ONLINE.value: "网上申请",
    Channel.IN_PERSON.value: "当面申请",
    Channel.POST.value: "信函申请",
    Channel.EMAIL.value: "电子邮件申请",
    Channel.FAX.value: "传真申请",
}

__all__ = [
    "COLUMNS",
    "REMEDY_GROUPS",
    "REMEDY_OUTCOMES",
    "AnnualReport",
    "BrokenCell",
    "ReportDoesNotReconcile",
    "Row",
    "assert_reconciles",
    "broken_cells",
    "build_report",
]
