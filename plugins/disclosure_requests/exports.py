"""The annual report as text, JSON-ready data, XLSX (openpyxl) and DOCX (python-docx), with the national
format's headings and merged header cells."""

from __future__ import annotations

import io
from typing import Any

from .report import CHANNEL_LABELS, COLUMNS, REMEDY_GROUPS, REMEDY_OUTCOMES, AnnualReport

TABLE_THREE_TITLE = "三、收到和处理政府信息公开申请情况"
TABLE_FOUR_TITLE = "四、政府信息公开行政复议、行政诉讼情况"
SEED_TITLE = "其他情况"
RECONCILIATION_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def report_title(report: AnnualReport) -> str:
    """E.g. 安康市公安局2025年政府信息公开工作年度报告."""
    return f"{report.portal.name}{report.year}年政府信息公开工作年度报告"


def seed_lines(report: AnnualReport) -> list[tuple[str, str]]:
    """The counts besides the tables, as (label, value) lines."""
    lines = [
        ("本年通过门户网站主动公开信息（条）", str(report.published_items)),
        ("其中政府信息（条）", str(report.published_government_information)),
    ]
    lines += [(f"本年新收{CHANNEL_LABELS[k]}（件）", str(v)) for k, v in report.requests_by_channel.items()]
    lines += [
        ("发出收费通知（件）", str(report.fee_notices)),
        ("收取信息处理费（元）", f"{report.fees_collected:.2f}"),
    ]
    return lines


def as_data(report: AnnualReport) -> dict[str, Any]:
    """The report as plain data (for JSON)."""
    return {
        "portal": report.portal.profile,
        "year": report.year,
        "columns": [{"key": k, "label": label} for k, label in COLUMNS],
        "table_three": [
            {"key": r.key, "label": r.label, "level": r.level, "values": r.values or None} for r in report.rows
        ],
        "table_four": {kind: {"label": label, "values": report.remedies[kind]} for kind, label in REMEDY_GROUPS},
        "other": {
            "published_items": report.published_items,
            "published_government_information": report.published_government_information,
            "requests_by_channel": report.requests_by_channel,
            "fee_notices": report.fee_notices,
            "fees_collected": f"{report.fees_collected:.2f}",
        },
        "problems": report.problems,
    }


def as_text(report: AnnualReport) -> str:
    """A readable plain-text rendering for the terminal."""
    out = [report_title(report), "", TABLE_THREE_TITLE]
    width = 64
    out.append(_pad("", width) + "".join(_rjust(label, 13) for _k, label in COLUMNS))
    for row in report.rows:
        label = "  " * row.level + row.label
        label = label if _width(label) <= width else label[: width // 2 - 1] + "…"
        cells = "".join(_rjust(str(row.values[k]), 13) for k, _l in COLUMNS) if row.values else ""
        out.append(_pad(label, width) + cells)
    out += ["", TABLE_FOUR_TITLE]
    for kind, label in REMEDY_GROUPS:
        values = report.remedies[kind]
        out.append(f"{label}：" + "，".join(f"{olabel} {values[o]}" for o, olabel in REMEDY_OUTCOMES))
    out += ["", SEED_TITLE] + [f"{label}：{value}" for label, value in seed_lines(report)]
    if report.problems:
        out += ["", "！ 勾稽关系不成立："] + [f"  {p}" for p in report.problems]
    return "\n".join(out) + "\n"


def _width(text: str) -> int:
    """Terminal columns of `text` (CJK characters take two)."""
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def _pad(text: str, width: int) -> str:
    """Pad on the right to `width` terminal columns."""
    return text + " " * max(width - _width(text), 1)


def _rjust(text: str, width: int) -> str:
    """Pad on the left to `width` terminal columns."""
    return " " * max(width - _width(text), 1) + text


def as_xlsx(report: AnnualReport) -> bytes:
    """The report as an XLSX workbook: sheets 表三, 表四 and 其他."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    bold = Font(bold=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "表三"
    ws["A1"] = TABLE_THREE_TITLE
    ws["A1"].font = bold
    # Header: 申请人情况 over all columns; 自然人 | 法人或其他组织 (five) | 总计; the five kinds.
    ws.merge_cells("A2:A4")
    ws["A2"] = RECONCILIATION_NOTE
    ws.merge_cells("B2:H2")
    ws["B2"] = "申请人情况"
    ws.merge_cells("B3:B4")
    ws["B3"] = "自然人"
    ws.merge_cells("C3:G3")
    ws["C3"] = "法人或其他组织"
    ws.merge_cells("H3:H4")
    ws["H3"] = "总计"
    for i, (_key, label) in enumerate(COLUMNS[1:-1]):
        ws.cell(row=4, column=3 + i, value=label)
    for row in ws.iter_rows(min_row=2, max_row=4):
        for cell in row:
            cell.alignment = center
            cell.font = bold
    r = 5
    for row in report.rows:
        ws.cell(row=r, column=1, value=row.label).alignment = Alignment(indent=row.level * 2, wrap_text=True)
        for i, (key, _label) in enumerate(COLUMNS):
            if row.values:
                ws.cell(row=r, column=2 + i, value=row.values[key])
        r += 1
    ws.column_dimensions["A"].width = 60
    for letter in "BCDEFGH":
        ws.column_dimensions[letter].width = 12

    ws4 = wb.create_sheet("表四")
    ws4["A1"] = TABLE_FOUR_TITLE
    ws4["A1"].font = bold
    ws4.merge_cells("A2:E3")
    ws4["A2"] = "行政复议"
    ws4.merge_cells("F2:O2")
    ws4["F2"] = "行政诉讼"
    ws4.merge_cells("F3:J3")
    ws4["F3"] = "未经复议直接起诉"
    ws4.merge_cells("K3:O3")
    ws4["K3"] = "复议后起诉"
    col = 1
    for kind, _label in REMEDY_GROUPS:
        for outcome, olabel in REMEDY_OUTCOMES:
            ws4.cell(row=4, column=col, value=olabel)
            ws4.cell(row=5, column=col, value=report.remedies[kind][outcome])
            col += 1
    for row in ws4.iter_rows(min_row=2, max_row=4):
        for cell in row:
            cell.alignment = center
            cell.font = bold

    other = wb.create_sheet("其他")
    other["A1"] = SEED_TITLE
    other["A1"].font = bold
    for i, (label, value) in enumerate(seed_lines(report), start=2):
        other.cell(row=i, column=1, value=label)
        other.cell(row=i, column=2, value=value)
    other.column_dimensions["A"].width = 36

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def as_docx(report: AnnualReport) -> bytes:
    """The report as a DOCX document with both tables."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = Document()
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.add_run(report_title(report)).bold = True

    doc.add_paragraph().add_run(TABLE_THREE_TITLE).bold = True
    table = doc.add_table(rows=3 + len(report.rows), cols=1 + len(COLUMNS))
    table.style = "Table Grid"
    table.cell(0, 0).merge(table.cell(2, 0)).text = RECONCILIATION_NOTE
    table.cell(0, 1).merge(table.cell(0, len(COLUMNS))).text = "申请人情况"
    table.cell(1, 1).merge(table.cell(2, 1)).text = "自然人"
    table.cell(1, 2).merge(table.cell(1, len(COLUMNS) - 1)).text = "法人或其他组织"
    table.cell(1, len(COLUMNS)).merge(table.cell(2, len(COLUMNS))).text = "总计"
    for i, (_key, label) in enumerate(COLUMNS[1:-1]):
        table.cell(2, 2 + i).text = label
    for r, row in enumerate(report.rows, start=3):
        table.cell(r, 0).text = "\u3000" * row.level + row.label
        if row.values:
            for i, (key, _label) in enumerate(COLUMNS):
                table.cell(r, 1 + i).text = str(row.values[key])

    doc.add_paragraph().add_run(TABLE_FOUR_TITLE).bold = True
    width = len(REMEDY_OUTCOMES)
    table4 = doc.add_table(rows=4, cols=3 * width)
    table4.style = "Table Grid"
    table4.cell(0, 0).merge(table4.cell(1, width - 1)).text = "行政复议"
    table4.cell(0, width).merge(table4.cell(0, 3 * width - 1)).text = "行政诉讼"
    table4.cell(1, width).merge(table4.cell(1, 2 * width - 1)).text = "未经复议直接起诉"
    table4.cell(1, 2 * width).merge(table4.cell(1, 3 * width - 1)).text = "复议后起诉"
    col = 0
    for kind, _label in REMEDY_GROUPS:
        for outcome, olabel in REMEDY_OUTCOMES:
            table4.cell(2, col).text = olabel
            table4.cell(3, col).text = str(report.remedies[kind][outcome])
            col += 1

    doc.add_paragraph().add_run(SEED_TITLE).bold = True
    for label, value in seed_lines(report):
        doc.add_paragraph(f"{label}：{value}")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
