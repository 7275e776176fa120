"""A spreadsheet attachment (XLSX, or XLS from Excel 97–2003) → the notice's lines, read with
python-calamine.

Each visible worksheet in order; a row is a table row with its cells (like a DOCX or HTML table). Merged
ranges hold their value in the top-left cell only: it is repeated into every cell the range covers, so a
merged chapter row spans the columns and a merged 序号 or task text stands in each row of its task.
Rows above the first tasks-table heading row, and rows with a single value in the first column (a
chapter heading, an 附件 line under the table), are plain lines, so the title, header facts and
headings read as in a text notice. Whole-number cells read as integers (1.0 → 1). An XLSX package is
checked like a DOCX before it is opened (extract/zipcheck.py), and every sheet's declared dimension
(`<dimension ref=…>`) and every row and cell reference are read while it streams by, before calamine
(which allocates the whole rectangle up to the farthest cell) touches the file: a sheet reaching past
MAX_SHEET_CELLS cells, or past Excel's own last row and column, is refused. The cell count of what
calamine reads is bounded again.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

from extract.errors import NoticeError
from extract.limits import MAX_SHEET_CELLS, MAX_SHEET_COLUMNS, MAX_SHEET_ROWS
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


_REF_RE = re.compile(r"^\$?([A-Za-z]{1,7})?\$?([0-9]{1,12})?$")


def _ref(ref: str) -> tuple[int, int] | None:
    """`B12` → (row 12, column 2); `XFD1048576` → (1048576, 16384); a column or row alone counts as 1."""
    m = _REF_RE.match(ref.strip())
    if m is None or not (m.group(1) or m.group(2)):
        return None
    col = 0
    for ch in (m.group(1) or "A").upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2) or 1), col


class _Extent:
    """The farthest row and column each worksheet declares or uses, checked as the XML streams by."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.rows: dict[str, int] = {}
        self.cols: dict[str, int] = {}

    def __call__(self, part: str, el: object) -> None:
        if not part.startswith("xl/worksheets/"):
            return
        tag = el.tag.rsplit("}", 1)[-1]  # type: ignore[attr-defined]
        refs: list[str] = []
        if tag == "dimension":
            refs = (el.get("ref") or "").split(":")  # type: ignore[attr-defined]
        elif tag == "c":
            refs = [el.get("r") or ""]  # type: ignore[attr-defined]
        elif tag == "row" and (r := el.get("r")):  # type: ignore[attr-defined]
            refs = [f"A{r}"]
        for text in refs:
            if not text or (pos := _ref(text)) is None:
                continue
            row, col = pos
            if row > MAX_SHEET_ROWS or col > MAX_SHEET_COLUMNS:
                raise NoticeError(self.name, f"XLSX refused: {part} refers to cell {text}, beyond a sheet's "
                                             f"{MAX_SHEET_ROWS:,} rows and {MAX_SHEET_COLUMNS:,} columns")
            self.rows[part] = max(self.rows.get(part, 0), row)
            self.cols[part] = max(self.cols.get(part, 0), col)
            cells = sum(self.rows[p] * self.cols[p] for p in self.rows)
            if cells > MAX_SHEET_CELLS:
                shown = f"row {text[1:]}" if tag == "row" else f"cell {text}"
                raise NoticeError(self.name, f"XLSX refused: {part} reaches {shown}: {cells:,} cells "
                                             f"(limit {MAX_SHEET_CELLS:,})")


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
        check_zip(data, name, kind, "xl/workbook.xml", scan=_Extent(name))
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
