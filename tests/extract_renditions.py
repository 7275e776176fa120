"""Build renditions of the bundled notice in other forms and layouts (used by the extract tests).

Every rendition is made from the bundled text file by the tests themselves: full-width punctuation
with CRLF, blank lines and U+3000 indentation; inline brackets; an HTML table; a DOCX table; GB18030;
a table copied out as text (one cell per line); an XLSX workbook.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from extract.decode import decode_text
from extract.model import ParsedNotice, Source
from extract.parse import parse_notice

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data" / "notices" / "haicheng-2023.txt"
_TO_FULL = str.maketrans({":": "：", ",": "，", "(": "（", ")": "）", ";": "；"})
LABELS = (("lead_leaders", "牵头领导"), ("lead_units", "牵头单位"), ("other_units", "责任单位"))


def bundled_text() -> str:
    return BUNDLED.read_text(encoding="utf-8")


def reference() -> ParsedNotice:
    lines, _ = decode_text(BUNDLED.read_bytes(), BUNDLED.name)
    return parse_notice(lines, Source(BUNDLED.name, "0"))


def _parts() -> tuple[list[str], list[str], list[tuple[int, str, object]]]:
    """Header lines, title lines and the body as (line, kind, item) in notice order."""
    n = reference()
    lines = bundled_text().split("\n")
    first_body = min(s.line for s in n.sections)
    title = [ln for ln in lines[: first_body - 1]
             if n.header.title and ln.strip() and ln.strip() in n.header.title]
    header = [ln for ln in lines[: first_body - 1] if ln.strip() and ln not in title]
    body: list[tuple[int, str, object]] = [(s.line, "section", s) for s in n.sections]
    body += [(t.line, "task", t) for t in n.tasks]
    return header, title, sorted(body, key=lambda b: b[0])


def fullwidth_crlf() -> bytes:
    text = "\r\n\r\n".join("\u3000\u3000" + ln.translate(_TO_FULL) for ln in bundled_text().split("\n"))
    return text.encode("utf-8")


def gb18030() -> bytes:
    return bundled_text().encode("gb18030")


def _heading(s: object) -> str:
    from extract.model import Section

    assert isinstance(s, Section)
    if s.subchapter_no is None:
        return f"{_cn(s.chapter_no)}、{s.title}"
    return f"({_cn(s.subchapter_no)}){s.title}"


def _cn(n: int) -> str:
    import cn2an

    return str(cn2an.an2cn(n))


def _text_notice(task_lines: Callable[[Any], list[str]], headings: list[str] | None = None,
                 tail: bool = True) -> bytes:
    """Header, title, optional table headings, then chapter headings and each task as `task_lines` gives it."""
    header, title, body = _parts()
    out = header + title + (headings or [])
    for _, kind, item in body:
        out += [_heading(item)] if kind == "section" else task_lines(item)
    if tail:
        out.append("附件:任务分解表")
    return "\n".join(out).encode("utf-8")


def inline() -> bytes:
    def line(item: Any) -> list[str]:
        parts = [f"{lab}:{getattr(item, f)}" for f, lab in LABELS if getattr(item, f)]
        return [f"{item.task_no}.{item.text}({';'.join(parts)})"]

    return _text_notice(line)


def _table_rows() -> list[list[str] | str]:
    _, _, body = _parts()
    rows: list[list[str] | str] = []
    for _, kind, item in body:
        if kind == "section":
            rows.append(_heading(item))
        else:
            rows.append([str(item.task_no), item.text] + [getattr(item, f) or "" for f, _ in LABELS])  # type: ignore[attr-defined]
    return rows


HEADINGS = ["序号", "工作任务", "牵头领导", "牵头单位", "责任单位"]


def html_table() -> bytes:
    header, title, _ = _parts()
    esc = html.escape
    parts = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>", esc(title[0]),
             "_海城市人民政府</title>",
             "</head><body><div class='nav'><ul><li>首页</li><li>政务公开</li><li>政策文件</li></ul></div>",
             "<div id='content' class='article'>"]
    parts += [f"<p>{esc(h)}</p>" for h in header]
    parts += [f"<p style='text-align:center'><strong>{esc(t)}</strong></p>" for t in title]
    parts.append("<table border='1'><tr>" + "".join(f"<th>{h}</th>" for h in HEADINGS) + "</tr>")
    for row in _table_rows():
        if isinstance(row, str):
            parts.append(f"<tr><td colspan='5'>{esc(row)}</td></tr>")
        else:
            parts.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>")
    parts.append("</table></div><div class='footer'>主办:海城市人民政府办公室 版权所有 联系我们</div>")
    parts.append("</body></html>")
    return "".join(parts).encode("utf-8")


def docx_table() -> bytes:
    from docx import Document

    header, title, _ = _parts()
    doc = Document()
    for h in header + title:
        doc.add_paragraph(h)
    table = doc.add_table(rows=1, cols=len(HEADINGS))
    for cell, h in zip(table.rows[0].cells, HEADINGS, strict=True):
        cell.text = h
    for row in _table_rows():
        cells = table.add_row().cells
        if isinstance(row, str):
            merged = cells[0].merge(cells[-1])  # a chapter row spans the columns
            merged.text = row
        else:
            for cell, c in zip(cells, row, strict=True):
                cell.text = c
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


CELL_HEADINGS = ["序号", "主要工作举措", "牵头单位", "配合单位", "责任领导"]
CELL_FIELDS = ["task_no", "text", "lead_units", "other_units", "lead_leaders"]


def _kept(item: object, fld: str, drop: set[tuple[int, str]]) -> str:
    if fld == "task_no":
        return str(item.task_no)  # type: ignore[attr-defined]
    value = getattr(item, fld) or ""
    return "" if (item.task_no, fld) in drop else value  # type: ignore[attr-defined]


def cells_text(drop: frozenset[tuple[int, str]] = frozenset()) -> bytes:
    """The tasks table copied out as text: the headings one per line, then each row's cells one per line,
    chapter headings between rows; cells (task_no, field) in `drop` are empty, so they vanish."""
    return _text_notice(lambda item: [c for fld in CELL_FIELDS if (c := _kept(item, fld, set(drop)))],
                        CELL_HEADINGS)


def labels_text(drop: frozenset[tuple[int, str]] = frozenset()) -> bytes:
    """The bundled notice in its own layout (label lines), without the label lines in `drop`."""
    return _text_notice(lambda item: [f"{item.task_no}.{item.text}"]
                        + [f"{lab}:{v}" for f, lab in LABELS if (v := _kept(item, f, set(drop)))], tail=False)


def xlsx_table() -> bytes:
    """The tasks table as an XLSX workbook (written with openpyxl, a test-only dependency): header and
    title lines above the table, chapter rows merged across the columns."""
    from openpyxl import Workbook

    header, title, _ = _parts()
    wb = Workbook()
    ws = wb.active
    for h in header + title:
        ws.append([h])
    ws.append(HEADINGS)
    for row in _table_rows():
        if isinstance(row, str):
            ws.append([row])
            r = ws.max_row
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(HEADINGS))
        else:
            ws.append([int(row[0]), *row[1:]])  # the number as a number cell, as spreadsheets hold it
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def assert_same_data(n: ParsedNotice, ref: ParsedNotice, ref_tables: dict[str, Any] | None = None) -> None:
    """`n` holds the same tasks, sections, header facts, leaders and units as `ref` (whose tables, when
    already built, are `ref_tables`)."""
    import pandas as pd

    from extract.textnorm import fold
    from transform.registry_load import load_registry
    from transform.tables import build_tables

    assert [(t.task_no, t.chapter_no, t.subchapter_no) for t in n.tasks] == \
        [(t.task_no, t.chapter_no, t.subchapter_no) for t in ref.tasks]
    assert [fold(t.text) for t in n.tasks] == [fold(t.text) for t in ref.tasks]
    assert [(s.chapter_no, s.subchapter_no, fold(s.title)) for s in n.sections] == \
        [(s.chapter_no, s.subchapter_no, fold(s.title)) for s in ref.sections]
    h, rh = n.header, ref.header
    assert (h.jurisdiction, h.year, h.issuer, h.issued_on, h.reports, fold(h.title or "")) == \
        (rh.jurisdiction, rh.year, rh.issuer, rh.issued_on, rh.reports, fold(rh.title or ""))
    registry = load_registry()
    tables = build_tables([n], registry)
    ref_tables = ref_tables if ref_tables is not None else build_tables([ref], registry)
    for table, cols in (("task_leaders", ["task_id", "position", "leader_id"]),
                        ("task_units", ["task_id", "role", "position", "unit_id", "match"])):
        pd.testing.assert_frame_equal(tables[table][cols], ref_tables[table][cols])
    assert tables["tasks"]["task_no"].tolist() == ref_tables["tasks"]["task_no"].tolist()


def chapter_tasks_inline() -> bytes:
    """The bundled notice's tasks numbered 一、 … 一百零二、, each with its labelled bracket, no chapters."""
    header, title, body = _parts()
    out = header + title
    for _, kind, item in body:
        if kind == "task":
            parts = [f"{lab}:{getattr(item, f)}" for f, lab in LABELS if getattr(item, f)]
            out.append(f"{_cn(item.task_no)}、{item.text}({';'.join(parts)})")  # type: ignore[attr-defined]
    return "\n".join(out).encode("utf-8")


def paren_tasks_labels() -> bytes:
    """The bundled notice's tasks numbered (一) … (一百零二) under its 一、 chapters (its sub-chapters
    left out: this layout has no level for them), each followed by its label lines."""
    header, title, body = _parts()
    out = header + title
    for _, kind, item in body:
        if kind == "section":
            if item.subchapter_no is None:  # type: ignore[attr-defined]
                out.append(_heading(item))
            continue
        out.append(f"({_cn(item.task_no)}){item.text}")  # type: ignore[attr-defined]
        out += [f"{lab}:{v}" for f, lab in LABELS if (v := getattr(item, f))]
    return "\n".join(out).encode("utf-8")


def assert_same_responsibilities(n: ParsedNotice, ref: ParsedNotice, ref_tables: dict[str, Any]) -> None:
    """`n` holds the same tasks (numbers, texts), header facts, leaders and units as `ref`, whatever
    chapters its layout carries."""
    import pandas as pd

    from extract.textnorm import fold
    from transform.names import load_registry
    from transform.tables import build_tables

    assert [(t.task_no, fold(t.text)) for t in n.tasks] == [(t.task_no, fold(t.text)) for t in ref.tasks]
    h, rh = n.header, ref.header
    assert (h.jurisdiction, h.year, h.issuer, h.issued_on, h.reports, fold(h.title or "")) == \
        (rh.jurisdiction, rh.year, rh.issuer, rh.issued_on, rh.reports, fold(rh.title or ""))
    tables = build_tables([n], load_registry())
    for table, cols in (("task_leaders", ["task_id", "position", "leader_id"]),
                        ("task_units", ["task_id", "role", "position", "unit_id", "match"])):
        pd.testing.assert_frame_equal(tables[table][cols], ref_tables[table][cols])


def leader_groups_table() -> bytes:
    """The bundled notice as an HTML table without a 牵头领导 column: each run of tasks with the same
    leaders under an unnumbered leader group row (`刘兴达同志负责事项（共3项）`)."""
    header, title, body = _parts()
    esc = html.escape
    heads = ["序号", "工作任务", "牵头单位", "责任单位"]
    parts = ["<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><div class='article'>"]
    parts += [f"<p>{esc(h)}</p>" for h in header + title]
    parts.append("<table border='1'><tr>" + "".join(f"<th>{h}</th>" for h in heads) + "</tr>")
    span = f"<tr><td colspan='{len(heads)}'>{{}}</td></tr>"
    items = [item for _, _, item in body]
    group: str | None = None
    for k, item in enumerate(items):
        if not hasattr(item, "task_no"):
            parts.append(span.format(esc(_heading(item))))
            group = None
            continue
        if item.lead_leaders != group:
            group = item.lead_leaders
            count = 0
            for later in items[k:]:
                if not hasattr(later, "task_no") or later.lead_leaders != group:
                    break
                count += 1
            parts.append(span.format(esc(f"{group}同志负责事项（共{count}项）")))
        cells = [str(item.task_no), item.text, item.lead_units or "", item.other_units or ""]
        parts.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
    parts.append("</table></div></body></html>")
    return "".join(parts).encode("utf-8")
