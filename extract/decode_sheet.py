"""A spreadsheet attachment (XLSX, or XLS from Excel 97–2003) → the notice's lines, read with
python-calamine.

Each visible worksheet in order; a row is a table row with its cells (like a DOCX or HTML table). Merged
ranges hold their value in the top-left cell only: it is repeated into every cell the range covers, so a
merged chapter row spans the columns and a merged 序号 or task text stands in each row of its task.
Rows above the first tasks-table heading row, and rows with a single value in the first column (a
chapter heading, an 附件 line under the table), are plain lines, so the title, header facts and
headings read as in a text notice. Whole-number cells read as integers (1.0 → 1). An XLSX package is
checked like a DOCX before it is opened (extract/zipcheck.py); the cell count is bounded.
"""

from __future__ import annotations

import datetime as dt
import io

from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

from extract.errors import NoticeError
from extract.limits import MAX_SHEET_CELLS
from extract.model import Line
from extract.parse_table import header_columns
from extract.textnorm import strip_line
from extract.zipcheck import check_zip


def cell_text(value: object) -> str:
    """A cell's value as text: 1.0 → 1, a date → 2024-03-01, line breaks inside the cell removed."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    text = "" if value is None else str(value)
    return "".join(strip_line(p) for p in text.replace("\r", "\n").split("\n")).replace("\t", " ")


def _grid(sheet: object) -> list[list[str]]:
    rows = [[cell_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]  # type: ignore[attr-defined]
    for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:  # type: ignore[attr-defined]
        if r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, min(c1, len(rows[r]) - 1) + 1):
                rows[r][c] = value
    return rows


def decode_sheet(data: bytes, name: str, form: str) -> list[Line]:
    """The rows of every visible worksheet of an XLSX or XLS workbook, as lines."""
    kind = form.upper()
    if form == "xlsx":
        check_zip(data, name, kind, "xl/workbook.xml")
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [wb.get_sheet_by_name(m.name) for m in wb.sheets_metadata
                  if m.typ == SheetTypeEnum.WorkSheet and m.visible == SheetVisibleEnum.Visible]
        cells = sum(s.height * s.width for s in sheets)
        if cells > MAX_SHEET_CELLS:
            raise NoticeError(name, f"{kind} refused: {cells} cells (limit {MAX_SHEET_CELLS})")
        grids = [_grid(s) for s in sheets]
    except PasswordError:
        raise NoticeError(name, f"the {kind} workbook is password-protected") from None
    except (CalamineError, ValueError, OSError) as e:
        raise NoticeError(name, f"not a readable {kind} file ({type(e).__name__}: {e})") from None
    out: list[Line] = []
    in_table = False
    for grid in grids:
        for row in grid:
            cells = [strip_line(c) for c in row]
            filled = [c for c in cells if c]
            if not filled:
                continue
            in_table = in_table or header_columns(cells) is not None
            if not in_table or (len(filled) == 1 and cells[0]):
                out.append(Line(len(out) + 1, " ".join(filled)))
            else:
                out.append(Line(len(out) + 1, "\t".join(cells), cells))
    return out
