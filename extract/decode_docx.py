"""A DOCX file → the notice's lines: paragraphs and table rows in body order.

Merged cells: a cell spanning columns (gridSpan) or rows (vMerge) is repeated into each grid
position it covers, so every row has one value per column. The zip is checked before python-docx
opens it (extract/zipcheck.py).
"""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from extract.errors import NoticeError
from extract.model import Line
from extract.textnorm import strip_line
from extract.zipcheck import check_zip


def _cell_text(cell: object) -> str:
    paras = [strip_line(p.text) for p in cell.paragraphs]  # type: ignore[attr-defined]
    return "".join(p for p in paras if p).replace("\t", " ")


def _rows(table: Table) -> list[list[str]]:
    """Grid rows: gridSpan repeated across, vMerge continuation taking the cell above."""
    grid: list[list[str]] = []
    for tr in table._tbl.tr_lst:
        row: list[str] = []
        for tc in tr.tc_lst:
            span = tc.grid_span
            vmerge = tc.vMerge
            col = len(row)
            if vmerge == "continue" and grid and col < len(grid[-1]):
                text = grid[-1][col]
            else:
                text = _cell_text(_wrap_cell(tc, table))
            row.extend([text] * span)
        grid.append(row)
    return grid


def _wrap_cell(tc: object, table: Table) -> object:
    from docx.table import _Cell

    return _Cell(tc, table)


def decode_docx(data: bytes, name: str) -> list[Line]:
    """Paragraphs and table rows of the document body, in order."""
    check_zip(data, name, "DOCX", "word/document.xml")
    try:
        doc = Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises many kinds on a damaged package
        raise NoticeError(name, f"not a readable DOCX file ({type(e).__name__}: {e})") from None
    out: list[Line] = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            text = Paragraph(child, doc).text
            for part in text.replace("\r", "\n").split("\n"):
                out.append(Line(len(out) + 1, part))
        elif child.tag == qn("w:tbl"):
            for row in _rows(Table(child, doc)):
                cells = [strip_line(c) for c in row]
                if any(cells):
                    out.append(Line(len(out) + 1, "\t".join(cells), cells))
    return out
