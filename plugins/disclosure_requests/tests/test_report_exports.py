"""The annual report as the command prints it (text, JSON, XLSX, DOCX) and as the admin shows and downloads
it: every cell of tables three and four, the national layout's merged cells, errors and permissions."""

from __future__ import annotations

import io
import json
import re
from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command

from plugins.disclosure_requests.choices import REASONS, REPORT_ROWS

from .report_fixtures import *  # noqa: F403 - fixtures: remedies_2025, year_of_requests
from .report_fixtures import COLUMN_KEYS, KINDS, OUTCOMES, expected_cell, make

ALL_COLUMNS = [*COLUMN_KEYS, "total"]
URL = "/admin/disclosure-requests/annual-report/"

#: The printed rows of table three in the national layout: (key, label in the row's own label cell).
PRINTED = [
    ("new", "一、本年新收政府信息公开申请数量"),
    ("carried_in", "二、上年结转政府信息公开申请数量"),
    *[
        (f"{t}:{r}" if r else t, label)
        for t, r, label in REPORT_ROWS
        if r or not REASONS[t]  # headings of types with reasons are merged label cells, not rows
    ],
    ("handled_total", "（七）总计"),
    ("carried_out", "四、结转下年度继续办理"),
]


def expected_row(expected, key: str) -> list[int]:
    return [expected_cell(expected, key, c) for c in ALL_COLUMNS]


def expected_four(remedies) -> list[int]:
    return [remedies[kind][outcome] for kind in KINDS for outcome in [*OUTCOMES, "total"]]


@pytest.fixture
def report_data(year_of_requests, remedies_2025):
    return year_of_requests, remedies_2025


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("annual_report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_text_lists_every_cell(ankang, report_data):
    requests, remedies = report_data
    text = run("2025", "--portal", "ankang")
    assert text.startswith("安康市公安局2025年政府信息公开工作年度报告")
    lines = [line for line in text.splitlines() if re.search(r"(\s+\d+){7}$", line)]
    keys = ["new", "carried_in"] + [f"{t}:{r}" if r else t for t, r, _l in REPORT_ROWS]
    keys += ["handled_total", "carried_out"]
    assert len(lines) == len(keys) == 29
    for key, line in zip(keys, lines, strict=True):
        assert [int(n) for n in line.split()[-7:]] == expected_row(requests, key), key
    assert "（三）不予公开" in lines[4] and lines[5].strip().startswith("1．属于国家秘密")
    for kind_label, kind in (("行政复议", "reconsideration"), ("未经复议直接起诉", "lawsuit_direct")):
        line = next(line for line in text.splitlines() if line.startswith(kind_label + "："))
        assert [int(n) for n in re.findall(r"\d+", line)] == [remedies[kind][o] for o in [*OUTCOMES, "total"]]
    assert "收取信息处理费（元）：0.00" in text


def test_json_has_every_cell(ankang, report_data):
    requests, remedies = report_data
    data = json.loads(run("2025", "--portal", "ankang", "--format", "json"))
    assert data["portal"] == "ankang" and data["year"] == 2025 and data["problems"] == []
    for row in data["table_three"]:
        if row["key"] == "results":
            assert row["values"] is None
            continue
        assert [row["values"][c] for c in ALL_COLUMNS] == expected_row(requests, row["key"]), row["key"]
    for kind in KINDS:
        assert data["table_four"][kind]["values"] == {o: remedies[kind][o] for o in [*OUTCOMES, "total"]}
    assert data["other"]["requests_by_channel"]["online"] == sum(requests["new", c] for c in COLUMN_KEYS)


def test_xlsx_prints_the_national_layout_with_every_cell(ankang, report_data, tmp_path):
    from openpyxl import load_workbook

    requests, remedies = report_data
    path = tmp_path / "report.xlsx"
    assert "wrote" in run("2025", "--portal", "ankang", "--format", "xlsx", "--output", str(path))
    book = load_workbook(path)
    assert book.sheetnames == ["表三", "表四", "其他"]
    sheet = book["表三"]
    assert sheet["A1"].value == "三、收到和处理政府信息公开申请情况"
    assert sheet["A2"].value.startswith("（本列数据的勾稽关系为") and sheet["D2"].value == "申请人情况"
    assert [sheet.cell(row=3, column=c).value for c in (4, 5, 10)] == ["自然人", "法人或其他组织", "总计"]
    assert [sheet.cell(row=4, column=c).value for c in range(5, 10)] == [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]
    merged = {str(m) for m in sheet.merged_cells.ranges}
    assert {"A2:C4", "D2:J2", "D3:D4", "E3:I3", "J3:J4"} <= merged
    # 三 over its 22 rows; (三) over its 8 reasons, (四) 3, (五) 5, (六) 3; one-line rows over two or three columns
    assert {"A5:C5", "A6:C6", "A7:A28", "B7:C7", "B8:C8", "B9:B16", "B17:B19", "B20:B24", "B25:B27"} <= merged
    assert {"B28:C28", "A29:C29"} <= merged
    assert (sheet["A7"].value, sheet["B9"].value, sheet["B25"].value) == (
        "三、本年度办理结果",
        "（三）不予公开",
        "（六）其他处理",
    )
    for r, (key, label) in enumerate(PRINTED, start=5):
        own = next(v for v in (sheet.cell(row=r, column=c).value for c in (3, 2, 1)) if v)
        assert own == label, r
        assert [sheet.cell(row=r, column=c).value for c in range(4, 11)] == expected_row(requests, key), key
    assert sheet.max_row == 4 + len(PRINTED) == 29

    four = book["表四"]
    assert four["A1"].value == "四、政府信息公开行政复议、行政诉讼情况"
    merged = {str(m) for m in four.merged_cells.ranges}
    assert {"A2:E2", "F2:O2", "A3:A4", "E3:E4", "F3:J3", "K3:O3"} <= merged
    assert (four["A2"].value, four["F2"].value, four["F3"].value, four["K3"].value) == (
        "行政复议",
        "行政诉讼",
        "未经复议直接起诉",
        "复议后起诉",
    )
    assert [four.cell(row=3, column=c).value for c in range(1, 6)] == [
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
    ]
    assert [four.cell(row=4, column=c).value for c in range(6, 16)] == [
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
    ] * 2
    assert [four.cell(row=5, column=c).value for c in range(1, 16)] == expected_four(remedies)
    other = {row[0].value: row[1].value for row in book["其他"].iter_rows(min_row=2)}
    assert other["收取信息处理费（元）"] == "0.00"


def test_docx_prints_the_national_layout_with_every_cell(ankang, report_data, tmp_path):
    from docx import Document

    requests, remedies = report_data
    path = tmp_path / "report.docx"
    run("2025", "--portal", "ankang", "--format", "docx", "-o", str(path))
    document = Document(str(path))
    assert document.paragraphs[0].text == "安康市公安局2025年政府信息公开工作年度报告"
    three, four = document.tables
    assert len(three.rows) == 3 + len(PRINTED) and len(three.columns) == 10
    assert three.cell(0, 0).text.startswith("（本列数据的勾稽关系为") and three.cell(2, 1).text == three.cell(0, 0).text
    assert three.cell(0, 9).text == "申请人情况" and three.cell(1, 4).text == three.cell(1, 8).text == "法人或其他组织"
    assert three.cell(2, 3).text == "自然人" and three.cell(2, 9).text == "总计"
    for r, (key, label) in enumerate(PRINTED, start=3):
        assert three.cell(r, 2).text == label, r
        assert [int(three.cell(r, c).text) for c in range(3, 10)] == expected_row(requests, key), key
    assert {three.cell(r, 0).text for r in range(5, 27)} == {"三、本年度办理结果"}
    assert {three.cell(r, 1).text for r in range(7, 15)} == {"（三）不予公开"}
    assert three.cell(7, 1)._tc is three.cell(14, 1)._tc  # one merged cell

    assert four.cell(0, 0).text == four.cell(0, 4).text == "行政复议"
    assert four.cell(0, 5).text == four.cell(0, 14).text == "行政诉讼"
    assert (four.cell(1, 5).text, four.cell(1, 10).text) == ("未经复议直接起诉", "复议后起诉")
    assert four.cell(1, 0).text == four.cell(2, 0).text == "结果维持"
    assert [four.cell(2, c).text for c in range(5, 10)] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert [int(four.cell(3, c).text) for c in range(15)] == expected_four(remedies)


def test_command_errors(ankang, tmp_path):
    with pytest.raises(CommandError, match=r"unknown portal 'nowhere'.*ankang"):
        run("2025", "--portal", "nowhere")
    with pytest.raises(CommandError, match="out of range"):
        run("1999", "--portal", "ankang")
    with pytest.raises(CommandError, match="invalid int value"):
        run("twenty", "--portal", "ankang")
    with pytest.raises(CommandError, match="--output"):
        run("2025", "--portal", "ankang", "--format", "xlsx")
    with pytest.raises(CommandError, match="invalid choice"):
        run("2025", "--portal", "ankang", "--format", "pdf")
    assert "一、本年新收" in run("2025")  # the only portal is the default


def test_the_command_exits_non_zero_when_the_report_does_not_reconcile(ankang, tmp_path):
    import subprocess
    import sys

    make(ankang, "person", date(2025, 2, 3), date(2025, 2, 20), ("withhold", "nonsense"))
    with pytest.raises(CommandError) as raised:
        run("2025", "--portal", "ankang")
    assert raised.value.returncode == 1
    # the real entry point turns it into exit status 1 (a fresh process sees an empty test database, so only
    # check the argument errors there)
    done = subprocess.run(
        [sys.executable, "manage.py", "annual_report", "x"], capture_output=True, text=True, check=False
    )
    assert done.returncode != 0 and "invalid int value" in done.stderr


@pytest.fixture
def permitted(member):
    user = member("jiaojing", "editors", "report-reader")
    user.user_permissions.add(Permission.objects.get(codename="view_annual_report"))
    return user


def test_admin_view_for_a_permitted_user(client, ankang, report_data, permitted):
    requests, remedies = report_data
    client.force_login(permitted)
    response = client.get(URL, {"portal": "ankang", "year": 2025})
    assert response.status_code == 200
    html = response.content.decode()
    assert "安康市公安局2025年政府信息公开工作年度报告" in html and "勾稽关系" in html
    for key, label in PRINTED:
        assert label in html
        for column, value in zip(ALL_COLUMNS, expected_row(requests, key), strict=True):
            assert f'data-cell="{key}/{column}">{value}<' in html, (key, column)
    assert 'rowspan="22"' in html and 'rowspan="8"' in html
    for kind in KINDS:
        for outcome in [*OUTCOMES, "total"]:
            assert f'data-cell="{kind}/{outcome}">{remedies[kind][outcome]}<' in html
    assert 'href="/admin/disclosure-requests/annual-report/?portal=ankang&amp;year=2025&amp;format=xlsx"' in html
    assert '<option value="2025" selected>' in html
    assert "data-problems" not in html


def test_downloads(client, ankang, report_data, permitted):
    from docx import Document
    from openpyxl import load_workbook

    requests, remedies = report_data
    client.force_login(permitted)
    xlsx = client.get(URL, {"portal": "ankang", "year": 2025, "format": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert xlsx["Content-Disposition"] == 'attachment; filename="annual-report-ankang-2025.xlsx"'
    sheet = load_workbook(io.BytesIO(xlsx.content))["表三"]
    assert [sheet.cell(row=5, column=c).value for c in range(4, 11)] == expected_row(requests, "new")
    docx = client.get(URL, {"portal": "ankang", "year": 2025, "format": "docx"})
    assert docx["Content-Disposition"].endswith('.docx"') and "no-store" in docx["Cache-Control"]
    four = Document(io.BytesIO(docx.content)).tables[1]
    assert [int(four.cell(3, c).text) for c in range(15)] == expected_four(remedies)


def test_admin_view_shows_broken_cells(client, ankang, permitted):
    make(ankang, "business", date(2025, 2, 3), date(2025, 2, 20), ("", ""))
    client.force_login(permitted)
    html = client.get(URL, {"year": 2025}).content.decode()
    assert "data-problems" in html and "商业企业" in html


def test_admin_view_is_refused_without_the_permission(client, ankang, member, django_user_model):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(member("jiaojing", "editors", "plain-editor"))
    # Wagtail turns the admin view's PermissionDenied into a redirect to the dashboard with a message
    for query in ({}, {"format": "xlsx"}):
        response = client.get(URL, query)
        assert (response.status_code, response["Location"]) == (302, "/admin/")
        assert "Content-Disposition" not in response
    admin = django_user_model.objects.create_superuser("report-admin", password="pw-123456")
    client.force_login(admin)
    assert client.get(URL, {"year": "garbage"}).status_code == 200


def test_menu_item_only_for_permitted_users(client, ankang, member, permitted):
    from django.test import RequestFactory

    from plugins.disclosure_requests.admin_report import report_menu_item

    item = report_menu_item()
    request = RequestFactory().get("/admin/")
    request.user = permitted
    assert item.is_shown(request) and item.url == URL
    request.user = member("jiaojing", "editors", "plain-editor-2")
    assert not item.is_shown(request)
    client.force_login(permitted)
    assert "annual-report" in client.get("/admin/").content.decode()


def test_the_permission_can_be_granted_to_a_group(client, ankang, django_user_model):
    from django.contrib.auth.models import Group
    from django.urls import reverse

    admin = django_user_model.objects.create_superuser("group-admin", password="pw-123456")
    client.force_login(admin)
    html = client.get(reverse("wagtailusers_groups:add")).content.decode()
    permission = Permission.objects.get(codename="view_annual_report")
    assert f'value="{permission.pk}"' in html and "Can view the annual disclosure report" in html
    group = Group.objects.create(name="年报统计")
    group.permissions.add(permission)
    user = django_user_model.objects.create_user("statistician", password="pw-123456")
    user.groups.add(group)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(URL, {"year": 2025}).status_code == 200
