"""Parquet and CSV files of the published tables, written byte-identically on every rerun."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from extract.errors import writing
from transform.schema import Table


def write_parquet(table: pa.Table, path: Path, metadata: dict[str, str] | None = None) -> None:
    """Parquet with zstd compression and no time or host in its metadata; `metadata` is added to the
    file's key-value metadata (beside the schema's own keys). The file is written beside and renamed
    over `path`: a process reading `path` meanwhile reads the old file or the new one, whole (the
    gate reads the staged tables while the outputs rewrite them with the release's metadata)."""
    if metadata:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                               **{k.encode(): v.encode() for k, v in metadata.items()}})
    partial = path.with_name(f".{path.name}.partial")
    with writing(path):
        try:
            pq.write_table(table, partial, compression="zstd", write_statistics=True, use_dictionary=True)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)


def read_parquet(path: Path) -> pa.Table:
    return pq.read_table(path)


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# A cell a spreadsheet would evaluate starts with one of these (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def escape_formula(text: str) -> str:
    """`text` as a CSV cell no spreadsheet evaluates: a text starting with = + - @, a tab or a carriage
    return gets a leading `'` (OWASP's advice); so does one already starting with `'`, so that removing
    one leading `'` from any cell that has one always gives back the exact text."""
    return ESCAPE + text if text.startswith(FORMULA_STARTS) or text.startswith(ESCAPE) else text


def unescape_formula(cell: str) -> str:
    """The exact text of a CSV text cell written by `write_csv` (inverse of `escape_formula`)."""
    return cell[1:] if cell.startswith(ESCAPE) else cell


def write_csv(table: pa.Table, tbl: Table, path: Path) -> None:
    """UTF-8 CSV with a BOM (so Excel shows Chinese correctly), LF line ends, lists as JSON arrays,
    empty cell for null, dates ISO; text cells escaped against formula injection (`escape_formula`).
    Rows are joined by Arrow's compute kernels, column by column (no Python per cell but for floats
    and lists)."""
    header = ",".join(_quoted(n) for n in tbl.column_names) + "\n"
    with writing(path), path.open("wb") as f:
        f.write(header.encode("utf-8-sig"))
        if not tbl.column_names:
            return
        for start in range(0, table.num_rows, CSV_ROWS_AT_ONCE):  # the cells of a slice at a time in memory
            f.write(_csv_body(table.slice(start, CSV_ROWS_AT_ONCE), tbl))


CSV_ROWS_AT_ONCE = 100_000  # rows joined at once: a slice of a large table, not all of it, is in memory


def _csv_body(table: pa.Table, tbl: Table) -> bytes:
    """The CSV lines of `table`'s rows, one after another."""
    # 64-bit offsets: the body of a large slice may pass 2 GiB
    cells = [_csv_column(table.column(name)).cast(pa.large_string()) for name in tbl.column_names]
    comma, end = pa.scalar(",", pa.large_string()), pa.scalar("\n", pa.large_string())
    lines = pc.binary_join_element_wise(*_between(cells, comma), end, pa.scalar("", pa.large_string()))
    return _text_bytes(lines)


def _between(cells: list[pa.Array], sep: pa.Scalar) -> list[pa.Array | pa.Scalar]:
    """`cells` with `sep` between neighbours (arguments of a join with an empty separator)."""
    out: list[pa.Array | pa.Scalar] = []
    for i, c in enumerate(cells):
        out += [sep, c] if i else [c]
    return out


def _text_bytes(lines: pa.Array) -> bytes:
    """The UTF-8 bytes of every string of `lines`, one after another: an Arrow string array keeps them
    so in its data buffer, between its first and last offset (no Python string per line)."""
    lines = lines.cast(pa.large_string())
    _, offsets, data = lines.buffers()
    if data is None:
        return b""
    bounds = pa.Array.from_buffers(pa.int64(), len(lines) + 1, [None, offsets], offset=lines.offset)
    start, end = bounds[0].as_py(), bounds[len(lines)].as_py()
    return data.slice(start, end - start).to_pybytes()  # one copy, of these bytes only


_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


def _quoted(cell: str) -> str:
    """RFC 4180 quoting: a cell holding a comma, a double quote, CR or LF goes in double quotes (Python's
    csv module leaves a lone CR unquoted when the line end is LF, which splits the row on reading)."""
    return '"' + cell.replace('"', '""') + '"' if _NEEDS_QUOTES.search(cell) else cell


# In UTF-8 an ASCII byte is never part of another character: finding the byte finds the character.
_QUOTE_CHARS = ',"\r\n'  # what `_quoted` quotes for
_FORMULA_CHARS = "".join(FORMULA_STARTS) + ESCAPE  # what `escape_formula` escapes


def _offsets_and_bytes(cells: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The offsets (one more than the cells) and the UTF-8 bytes of a string array without nulls,
    without a copy; offsets are relative to the bytes."""
    cells = cells.cast(pa.string())
    _, offsets_buf, data = cells.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int32, count=cells.offset + len(cells) + 1)[cells.offset:]
    start, end = int(offsets[0]), int(offsets[-1])
    raw = np.frombuffer(data, dtype=np.uint8, count=end)[start:] if data is not None and end else np.zeros(0, np.uint8)
    return offsets - start, raw


def _holds_any(cells: pa.Array, chars: str) -> np.ndarray:
    """Per cell of a string array without nulls: True where it holds one of the ASCII `chars` (found
    byte by byte, by numpy's comparisons over all the bytes at once)."""
    offsets, raw = _offsets_and_bytes(cells)
    out = np.zeros(len(cells), dtype=bool)
    for c in chars:
        hit = np.flatnonzero(raw == ord(c))
        if len(hit):
            out[np.searchsorted(offsets, hit, side="right") - 1] = True
    return out


def _starts_with_any(cells: pa.Array, chars: str) -> np.ndarray:
    """Per cell of a string array without nulls: True where it starts with one of the ASCII `chars`."""
    offsets, raw = _offsets_and_bytes(cells)
    filled = offsets[1:] > offsets[:-1]
    out = np.zeros(len(cells), dtype=bool)
    out[filled] = np.isin(raw[offsets[:-1][filled]], [ord(c) for c in chars])
    return out


def _quoted_array(cells: pa.Array) -> pa.Array:
    """`_quoted` of every cell of a string array without nulls."""
    needs = _holds_any(cells, _QUOTE_CHARS)
    if not needs.any():  # most columns: nothing to quote, nothing to copy
        return cells
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(cells, '"', '""'), '"', "")
    return pc.if_else(pa.array(needs), quoted, cells)


def _csv_column(column: pa.ChunkedArray) -> pa.Array:
    """The cells of one column as a string array (`_csv_value` of each value; text escaped against
    formula injection, column by column), quoted. Only text columns are escaped: a number such as -2.5
    stays a number."""
    column = column.combine_chunks()
    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        text = column.cast(pa.string()).fill_null("")
        formula = _starts_with_any(text, _FORMULA_CHARS)
        if formula.any():
            text = pc.if_else(pa.array(formula), pc.binary_join_element_wise(ESCAPE, text, ""), text)
        return _quoted_array(text)
    if pa.types.is_integer(kind) or pa.types.is_boolean(kind) or pa.types.is_date32(kind):
        return column.cast(pa.string()).fill_null("")  # the same text as str(), "true"/"false", ISO dates
    values = column.to_pylist()
    if pa.types.is_list(kind):
        return _quoted_array(pa.array([_csv_value(v) for v in values], pa.string()))
    return pa.array([_csv_value(v) for v in values], pa.string())
