"""Parquet and CSV files of the published tables, written byte-identically on every rerun."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from extract.errors import writing
from transform.schema import Table


def write_parquet(table: pa.Table, path: Path, metadata: dict[str, str] | None = None) -> None:
    """Parquet with zstd compression and no time or host in its metadata; `metadata` is added to the
    file's key-value metadata (beside the schema's own keys)."""
    if metadata:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                               **{k.encode(): v.encode() for k, v in metadata.items()}})
    with writing(path):
        pq.write_table(table, path, compression="zstd", write_statistics=True, use_dictionary=True)


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
    empty cell for null, dates ISO; text cells escaped against formula injection (`escape_formula`)."""
    columns = [_csv_column(table.column(name)) for name in tbl.column_names]
    with writing(path), path.open("w", encoding="utf-8-sig", newline="") as f:
        f.write(",".join(_quoted(n) for n in tbl.column_names) + "\n")
        f.writelines(",".join(row) + "\n" for row in zip(*columns, strict=True))


_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


def _quoted(cell: str) -> str:
    """RFC 4180 quoting: a cell holding a comma, a double quote, CR or LF goes in double quotes (Python's
    csv module leaves a lone CR unquoted when the line end is LF, which splits the row on reading)."""
    return '"' + cell.replace('"', '""') + '"' if _NEEDS_QUOTES.search(cell) else cell


def _csv_column(column: pa.ChunkedArray) -> list[str]:
    """The cells of one column (`_csv_value` of each value; text escaped against formula injection,
    column by column), quoted. Only text columns are escaped: a number such as -2.5 stays a number."""
    values = column.to_pylist()
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return ["" if v is None else _quoted(escape_formula(v)) for v in values]
    if pa.types.is_list(column.type):
        return [_quoted(_csv_value(v)) for v in values]
    return [_csv_value(v) for v in values]
