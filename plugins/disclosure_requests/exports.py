"""The annual report as text, JSON-ready data, XLSX (openpyxl) and DOCX (python-docx).

XLSX, DOCX and the admin's HTML print tables three and four as the national format does (国办公开办函〔2021〕
30号): three label columns (三、本年度办理结果 merged down its 22 rows, each of (三)–(六) merged down its
reasons), merged header cells, and no subtotal rows for (三)–(六); the text and JSON forms list those
subtotals as extra rows.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from .choices import REASONS
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
        out.append((_pad(label, width) + cells).rstrip())
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


#: Header rows of table three: the label area spans the three label columns.
LABEL_COLUMNS = 3


@dataclass(frozen=True)
class LabelCell:
    """A label cell of table three as the national format prints it: its text, which of the three label
    columns it starts in, and how many rows and columns it spans."""

    text: str
    column: int
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class LayoutRow:
    """One printed row of table three: the key of the report row, the label cells that start on it and the
    counts per column of `COLUMNS`."""

    key: str
    labels: list[LabelCell]
    values: list[int]


def table_three_layout(report: AnnualReport) -> list[LayoutRow]:
    """The printed rows of table three (the national layout, without the subtotal rows of (三)–(六))."""
    printed = [
        row
        for row in report.rows
        if row.values and not (row.level == 1 and REASONS.get(row.key))  # heading rows of types with reasons
    ]
    results = [row for row in printed if row.level > 0]
    out: list[LayoutRow] = []
    for row in printed:
        values = [row.values[key] for key, _label in COLUMNS]
        if row.level == 0:
            labels = [LabelCell(row.label, 0, colspan=LABEL_COLUMNS)]
        elif row.level == 1:
            labels = [LabelCell(row.label, 1, colspan=2)]
        else:
            answer_type, code = row.key.split(":", 1)
            labels = [LabelCell(row.label, 2)]
            if code == next(iter(REASONS[answer_type])):
                labels.insert(0, LabelCell(report.row(answer_type).label, 1, rowspan=len(REASONS[answer_type])))
        if row is results[0]:
            labels.insert(0, LabelCell(report.row("results").label, 0, rowspan=len(results)))
        out.append(LayoutRow(row.key, labels, values))
    return out


def table_four_values(report: AnnualReport) -> list[int]:
    """The fifteen counts of table four in the printed order."""
    return [report.remedies[kind][outcome] for kind, _label in REMEDY_GROUPS for outcome, _o in REMEDY_OUTCOMES]


def as_xlsx(report: AnnualReport) -> bytes:
    """The report as an XLSX workbook: sheets 表三, 表四 and 其他, in the national layout."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    bold = Font(bold=True)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)

    def put(ws, row: int, column: int, value: Any, rowspan: int = 1, colspan: int = 1, align=center):
        if rowspan > 1 or colspan > 1:
            ws.merge_cells(
                start_row=row, start_column=column, end_row=row + rowspan - 1, end_column=column + colspan - 1
            )
        cell = ws.cell(row=row, column=column, value=value)
        cell.alignment = align
        return cell

    def frame(ws, first_row: int, last_row: int, last_column: int) -> None:
        for cells in ws.iter_rows(min_row=first_row, max_row=last_row, max_col=last_column):
            for cell in cells:
                cell.border = border

    wb = Workbook()
    ws = wb.active
    ws.title = "表三"
    width = LABEL_COLUMNS + len(COLUMNS)
    put(ws, 1, 1, TABLE_THREE_TITLE, colspan=width, align=left).font = bold
    first = LABEL_COLUMNS + 1  # the 自然人 column
    put(ws, 2, 1, RECONCILIATION_NOTE, rowspan=3, colspan=LABEL_COLUMNS)
    put(ws, 2, first, "申请人情况", colspan=len(COLUMNS))
    put(ws, 3, first, "自然人", rowspan=2)
    put(ws, 3, first + 1, "法人或其他组织", colspan=len(COLUMNS) - 2)
    put(ws, 3, first + len(COLUMNS) - 1, "总计", rowspan=2)
    for i, (_key, label) in enumerate(COLUMNS[1:-1]):
        put(ws, 4, first + 1 + i, label)
    for cells in ws.iter_rows(min_row=2, max_row=4):
        for cell in cells:
            cell.font = bold
    r = 5
    for line in table_three_layout(report):
        for label in line.labels:
            put(ws, r, 1 + label.column, label.text, label.rowspan, label.colspan, left)
        for i, value in enumerate(line.values):
            put(ws, r, first + i, value)
        r += 1
    frame(ws, 2, r - 1, width)
    for letter, size in zip("ABC", (10, 14, 40), strict=True):
        ws.column_dimensions[letter].width = size
    for i in range(len(COLUMNS)):
        ws.column_dimensions[get_column_letter(first + i)].width = 10

    ws4 = wb.create_sheet("表四")
    n = len(REMEDY_OUTCOMES)
    put(ws4, 1, 1, TABLE_FOUR_TITLE, colspan=3 * n, align=left).font = bold
    put(ws4, 2, 1, REMEDY_GROUPS[0][1], colspan=n)
    put(ws4, 2, n + 1, "行政诉讼", colspan=2 * n)
    for i, (_o, label) in enumerate(REMEDY_OUTCOMES):
        put(ws4, 3, 1 + i, label, rowspan=2)
    for g, (_kind, label) in enumerate(REMEDY_GROUPS[1:], start=1):
        put(ws4, 3, g * n + 1, label, colspan=n)
        for i, (_o, olabel) in enumerate(REMEDY_OUTCOMES):
            put(ws4, 4, g * n + 1 + i, olabel)
    for cells in ws4.iter_rows(min_row=2, max_row=4):
        for cell in cells:
            cell.font = bold
    for i, value in enumerate(table_four_values(report)):
        put(ws4, 5, 1 + i, value)
    frame(ws4, 2, 5, 3 * n)
    for i in range(3 * n):
        ws4.column_dimensions[get_column_letter(1 + i)].width = 9

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


def _chinese_fonts(document: Any, body: str = "仿宋_GB2312", size: float = 10.5) -> None:
    """Give the document's Normal style a Chinese (East Asian) font."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style = document.styles["Normal"]
    style.font.size = Pt(size)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), body)


def _set(cell: Any, text: str, bold: bool = False, center: bool = True) -> None:
    """Write `text` into a (merged) DOCX table cell."""
    from docx.enum.table import WD_ALIGN_VERTICAL
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    cell.text = ""
    paragraph = cell.paragraphs[0]
    paragraph.add_run(text).bold = bold
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER


def as_docx(report: AnnualReport) -> bytes:
    """The report as a DOCX document with both tables in the national layout and the other counts."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    _chinese_fonts(doc)
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(report_title(report))
    run.bold = True
    run.font.size = Pt(16)

    layout = table_three_layout(report)
    doc.add_paragraph().add_run(TABLE_THREE_TITLE).bold = True
    first = LABEL_COLUMNS
    table = doc.add_table(rows=3 + len(layout), cols=LABEL_COLUMNS + len(COLUMNS))
    table.style = "Table Grid"
    last = first + len(COLUMNS) - 1
    _set(table.cell(0, 0).merge(table.cell(2, LABEL_COLUMNS - 1)), RECONCILIATION_NOTE)
    _set(table.cell(0, first).merge(table.cell(0, last)), "申请人情况", bold=True)
    _set(table.cell(1, first).merge(table.cell(2, first)), "自然人", bold=True)
    _set(table.cell(1, first + 1).merge(table.cell(1, last - 1)), "法人或其他组织", bold=True)
    _set(table.cell(1, last).merge(table.cell(2, last)), "总计", bold=True)
    for i, (_key, label) in enumerate(COLUMNS[1:-1]):
        _set(table.cell(2, first + 1 + i), label, bold=True)
    for r, line in enumerate(layout, start=3):
        for label in line.labels:
            cell = table.cell(r, label.column)
            if label.rowspan > 1 or label.colspan > 1:
                cell = cell.merge(table.cell(r + label.rowspan - 1, label.column + label.colspan - 1))
            _set(cell, label.text, center=False)
        for i, value in enumerate(line.values):
            _set(table.cell(r, first + i), str(value))

    doc.add_paragraph().add_run(TABLE_FOUR_TITLE).bold = True
    n = len(REMEDY_OUTCOMES)
    table4 = doc.add_table(rows=4, cols=3 * n)
    table4.style = "Table Grid"
    _set(table4.cell(0, 0).merge(table4.cell(0, n - 1)), REMEDY_GROUPS[0][1], bold=True)
    _set(table4.cell(0, n).merge(table4.cell(0, 3 * n - 1)), "行政诉讼", bold=True)
    for i, (_o, label) in enumerate(REMEDY_OUTCOMES):
        _set(table4.cell(1, i).merge(table4.cell(2, i)), label, bold=True)
    for g, (_kind, label) in enumerate(REMEDY_GROUPS[1:], start=1):
        _set(table4.cell(1, g * n).merge(table4.cell(1, g * n + n - 1)), label, bold=True)
        for i, (_o, olabel) in enumerate(REMEDY_OUTCOMES):
            _set(table4.cell(2, g * n + i), olabel, bold=True)
    for i, value in enumerate(table_four_values(report)):
        _set(table4.cell(3, i), str(value))

    doc.add_paragraph().add_run(SEED_TITLE).bold = True
    for label, value in seed_lines(report):
        doc.add_paragraph(f"{label}：{value}")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
