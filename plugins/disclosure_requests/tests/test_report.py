"""The annual report: a year of requests, every cell of tables three and four, the invariant, the command's
formats, the admin view and its downloads."""

from __future__ import annotations

import io
import json
import random
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from plugins.disclosure_requests import transitions as t
from plugins.disclosure_requests.choices import REASONS, Channel, RemedyKind, RemedyOutcome
from plugins.disclosure_requests.exports import as_docx, as_xlsx
from plugins.disclosure_requests.models import DisclosureRequest, Remedy, issue_serial
from plugins.disclosure_requests.report import COLUMNS, build_report

COLUMN_KEYS = [key for key, _label in COLUMNS[:-1]]
RESULTS = [("disclose", ""), ("partial", "")] + [(k, r) for k, rs in REASONS.items() for r in rs]


def make(portal, column: str, received: date, closed: date | None = None, result: tuple[str, str] = ("", "")):
    """A request of an applicant in `column`, received and (optionally) closed with `result`."""
    serial = issue_serial(portal, received.year)
    organisation = column != "person"
    return DisclosureRequest.objects.create(
        portal=portal,
        number=f"T{received.year}-{serial:05d}",
        year=received.year,
        serial=serial,
        query_code_hash="x",
        received_on=received,
        applicant_type="organisation" if organisation else "person",
        organisation_kind=column if organisation else "",
        applicant_name="测试",
        id_number="11010519491231002X",
        phone="13800138000",
        info_title="t",
        info_description="d",
        state="answered" if closed else "assigned",
        closed_on=closed,
        result_type=result[0],
        result_reason=result[1],
    )


@pytest.fixture
def year_of_requests(ankang):
    """Requests of 2025 in every row and column, with carry-over from 2024 and into 2026; returns the counts
    expected, computed independently of the report."""
    rng = random.Random(2025)
    expected: Counter = Counter()
    for i, (result_type, reason) in enumerate(RESULTS):
        for j, column in enumerate(COLUMN_KEYS):
            n = (i + j) % 3  # 0, 1 or 2 requests per cell
            for _ in range(n):
                received = date(2025, rng.randint(1, 11), rng.randint(1, 28))
                make(ankang, column, received, date(2025, 12, rng.randint(1, 31)), (result_type, reason))
                expected["new", column] += 1
                expected[result_type + (f":{reason}" if reason else ""), column] += 1
                expected["handled_total", column] += 1
                expected[result_type, column] += 1 if reason else 0
    for column in COLUMN_KEYS:
        # carried in: received in 2024, closed in 2025 (disclosed) or still open
        make(ankang, column, date(2024, 12, 20), date(2025, 1, 10), ("disclose", ""))
        make(ankang, column, date(2024, 11, 3))
        expected["carried_in", column] += 2
        expected["disclose", column] += 1
        expected["handled_total", column] += 1
        expected["carried_out", column] += 1
        # carried out: received in 2025, closed in 2026 or open
        make(ankang, column, date(2025, 12, 29), date(2026, 1, 5), ("withhold", "state_secret"))
        make(ankang, column, date(2025, 12, 30))
        expected["new", column] += 2
        expected["carried_out", column] += 2
        # neither year: closed in 2024, received in 2026
        make(ankang, column, date(2024, 3, 1), date(2024, 4, 1), ("disclose", ""))
        make(ankang, column, date(2026, 1, 2))
    return expected


def test_every_cell_of_table_three(ankang, year_of_requests, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        report = build_report(ankang, 2025)
    assert report.ok, report.problems
    checked = 0
    for row in report.rows:
        if not row.values:
            assert row.key == "results"
            continue
        for column in COLUMN_KEYS:
            assert row.values[column] == year_of_requests[row.key, column], (row.key, column)
            checked += 1
        assert row.values["total"] == sum(row.values[c] for c in COLUMN_KEYS)
    assert checked == (len(report.rows) - 1) * 6
    # 一 + 二 = 三(七) + 四, and the handled total is the sum of the six results
    for column, _label in COLUMNS:
        assert report.cell("new", column) + report.cell("carried_in", column) == report.cell(
            "handled_total", column
        ) + report.cell("carried_out", column)
        assert report.cell("handled_total", column) == sum(
            report.cell(k, column) for k in ("disclose", "partial", "withhold", "unable", "not_processed", "other")
        )
    assert report.cell("withhold:state_secret", "person") == year_of_requests["withhold:state_secret", "person"]


def test_requests_made_through_the_transitions_feed_the_report(ankang):
    admin = type("U", (), {"is_authenticated": False})()
    data = {
        "applicant_name": "张三",
        "id_number": "11010519491231002X",
        "phone": "13800138000",
        "info_title": "统计",
        "info_description": "统计数据",
    }
    req, _code, _ = t.submit(ankang, data, channel=Channel.POST, channel_date=date(2024, 3, 4), user=admin)
    t.request_correction(req, admin, "请明确年份", on=date(2024, 3, 5))
    t.abandon_uncorrected(req, admin, on=date(2024, 6, 3))
    other, _code, _ = t.submit(ankang, data, channel=Channel.POST, channel_date=date(2024, 5, 6), user=admin)
    report = build_report(ankang, 2024)
    assert report.cell("new", "person") == 2
    assert report.cell("other:correction_lapsed", "person") == 1
    assert report.cell("carried_out", "person") == 1
    t.withdraw(other, admin, on=date(2025, 1, 6))
    assert build_report(ankang, 2025).cell("other:other") == 1


def test_a_closed_request_without_a_result_breaks_the_invariant(ankang):
    make(ankang, "person", date(2024, 2, 1), date(2024, 2, 20), ("", ""))
    report = build_report(ankang, 2024)
    assert not report.ok and "no valid result" in report.problems[0]
    with pytest.raises(CommandError):
        call_command("annual_report", "2024", "--portal", "ankang", stdout=io.StringIO(), stderr=io.StringIO())


def remedy(req, kind, filed, outcome=RemedyOutcome.PENDING, decided=None):
    return Remedy.objects.create(request=req, kind=kind, filed_on=filed, outcome=outcome, decided_on=decided)


def test_every_cell_of_table_four(ankang):
    req = make(ankang, "person", date(2024, 5, 1), date(2024, 5, 20), ("withhold", "third_party"))
    expected = {k: Counter() for k in RemedyKind.values}
    for kind in RemedyKind.values:
        for outcome in (RemedyOutcome.UPHELD, RemedyOutcome.CORRECTED, RemedyOutcome.OTHER):
            remedy(req, kind, date(2025, 2, 1), outcome, date(2025, 8, 1))
            expected[kind][outcome] += 1
        remedy(req, kind, date(2025, 3, 1))  # undecided
        remedy(req, kind, date(2025, 11, 1), RemedyOutcome.UPHELD, date(2026, 2, 1))  # decided after the year
        expected[kind][RemedyOutcome.PENDING] += 2
        remedy(req, kind, date(2024, 6, 1), RemedyOutcome.CORRECTED, date(2025, 1, 15))  # earlier, decided in 2025
        expected[kind][RemedyOutcome.CORRECTED] += 1
        remedy(req, kind, date(2024, 6, 1), RemedyOutcome.UPHELD, date(2024, 9, 1))  # finished before the year
        remedy(req, kind, date(2026, 1, 5))  # after the year
    report = build_report(ankang, 2025)
    for kind in RemedyKind.values:
        for outcome in RemedyOutcome.values:
            assert report.remedies[kind][outcome] == expected[kind][outcome], (kind, outcome)
        assert report.remedies[kind]["total"] == 6


def test_seed_counts_fees_and_channels(ankang):
    paid = make(ankang, "person", date(2025, 4, 1))
    DisclosureRequest.objects.filter(pk=paid.pk).update(
        fee_state="paid", fee_amount=Decimal("300"), fee_notified_on=date(2025, 4, 2), fee_paid_on=date(2025, 4, 9)
    )
    report = build_report(ankang, 2025)
    assert report.fees_collected == Decimal("300") and report.fee_notices == 1
    assert report.requests_by_channel[Channel.ONLINE] == 1
    assert report.published_items >= 0


def test_command_formats(ankang, year_of_requests, tmp_path):
    out = io.StringIO()
    call_command("annual_report", "2025", "--portal", "ankang", stdout=out)
    text = out.getvalue()
    assert "一、本年新收政府信息公开申请数量" in text and "结转下年度继续办理" in text
    out = io.StringIO()
    call_command("annual_report", "2025", "--portal", "ankang", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    new = next(r for r in data["table_three"] if r["key"] == "new")
    assert new["values"]["total"] == sum(year_of_requests["new", c] for c in COLUMN_KEYS)

    from docx import Document
    from openpyxl import load_workbook

    xlsx = tmp_path / "r.xlsx"
    call_command("annual_report", "2025", "--portal", "ankang", "--format", "xlsx", "-o", str(xlsx), stdout=out)
    sheet = load_workbook(xlsx)["表三"]
    labels = {sheet.cell(row=r, column=1).value: r for r in range(5, sheet.max_row + 1)}
    row = labels["1．属于国家秘密"]
    assert [sheet.cell(row=row, column=2 + i).value for i in range(6)] == [
        year_of_requests["withhold:state_secret", c] for c in COLUMN_KEYS
    ]
    assert sheet["C3"].value == "法人或其他组织" and "C3:G3" in {str(m) for m in sheet.merged_cells.ranges}
    docx = tmp_path / "r.docx"
    call_command("annual_report", "2025", "--portal", "ankang", "--format", "docx", "-o", str(docx), stdout=out)
    document = Document(str(docx))
    table = document.tables[0]
    cells = {table.cell(r, 0).text.strip("\u3000"): r for r in range(3, len(table.rows))}
    r = cells["（七）总计"]
    assert int(table.cell(r, 7).text) == sum(year_of_requests["handled_total", c] for c in COLUMN_KEYS)
    assert document.tables[1].cell(2, 0).text == "结果维持"


def test_command_errors(ankang):
    with pytest.raises(CommandError, match="unknown portal"):
        call_command("annual_report", "2025", "--portal", "nowhere")
    with pytest.raises(CommandError, match="out of range"):
        call_command("annual_report", "1999")
    with pytest.raises(CommandError, match="--output"):
        call_command("annual_report", "2025", "--portal", "ankang", "--format", "xlsx")


def test_admin_view_and_downloads(client, ankang, year_of_requests, django_user_model, member):
    url = "/admin/disclosure-requests/annual-report/?portal=ankang&year=2025"
    clerk = member("jiaojing", "editors")
    client.force_login(clerk)
    response = client.get(url)
    assert response.status_code in (302, 403)
    admin = django_user_model.objects.create_superuser("report-admin", password="pw-123456")
    client.force_login(admin)
    html = client.get(url).content.decode()
    assert 'data-row="withhold:state_secret"' in html and "安康市公安局2025年政府信息公开工作年度报告" in html
    xlsx = client.get(url + "&format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats") and xlsx.content[:2] == b"PK"
    docx = client.get(url + "&format=docx")
    assert "attachment" in docx["Content-Disposition"] and docx.content[:2] == b"PK"
    assert as_xlsx(build_report(ankang, 2025))[:2] == as_docx(build_report(ankang, 2025))[:2] == b"PK"
