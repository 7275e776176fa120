"""Parquet and CSV files of the published tables, written byte-identically on every rerun."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from transform.schema import Table


def write_parquet(table: pa.Table, path: Path) -> None:
    """Parquet with zstd compression and no time or host in its metadata."""
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


def write_csv(table: pa.Table, tbl: Table, path: Path) -> None:
    """UTF-8 CSV (no BOM), LF line ends, lists as JSON arrays, empty cell for null, dates ISO."""
    columns = [_csv_column(table.column(name)) for name in tbl.column_names]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(tbl.column_names)
        w.writerows(zip(*columns, strict=True))


def _csv_column(column: pa.ChunkedArray) -> list[str]:
    """The cells of one column (`_csv_value` of each value; strings as they are, column by column)."""
    values = column.to_pylist()
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return ["" if v is None else v for v in values]
    return [_csv_value(v) for v in values]
