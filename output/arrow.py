"""DataFrames → Arrow tables typed by transform.schema (the Parquet schema is generated here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd
import pyarrow as pa

from extract.errors import GovtasksError
from transform.schema import Column, Table

MAX_ROWS = 5  # offending rows named in a MissingRequiredValue message

_ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "int": pa.int32(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
    "string_list": pa.list_(pa.string()),
}


def arrow_field(col: Column) -> pa.Field:
    return pa.field(col.name, _ARROW_TYPES[col.type], nullable=not col.required,
                    metadata={"description": col.description, "description_zh": col.description_zh})


def arrow_schema(tbl: Table) -> pa.Schema:
    """The Parquet schema of `tbl`, with column descriptions as field metadata."""
    return pa.schema([arrow_field(c) for c in tbl.columns],
                     metadata={"table": tbl.name, "description": tbl.description,
                               "description_zh": tbl.description_zh})


_CONVERT: dict[str, Callable[[Any], Any]] = {
    "date": lambda v: dt.date.fromisoformat(v) if isinstance(v, str) else v,
    "int": int,
    "float": float,
    "bool": bool,
    "string_list": lambda v: [str(x) for x in v],
    "string": str,
}


def _values(series: pd.Series, col: Column) -> list:
    """Python values of `series` for `col`'s Arrow type; None for every kind of missing value."""
    convert = _CONVERT[col.type]
    out = []
    for v in series.tolist():
        kind = type(v)
        if v is None:
            out.append(None)
        elif kind is str or kind is int or kind is bool:  # never missing: skip pd.isna (most values)
            out.append(convert(v))
        elif kind is float:
            out.append(None if v != v else convert(v))
        elif not isinstance(v, list | tuple) and pd.isna(v):
            out.append(None)
        else:
            out.append(convert(v))
    return out


_FAST = ("string", "int", "float", "bool", "string_list")  # Arrow converts these columns itself


def _array(series: pd.Series, col: Column) -> pa.Array:
    """`series` as an Arrow array of `col`'s type: converted by Arrow where it can do it exactly (no
    Python loop per value), else value by value (`_values`: dates from text, numbers held as text…)."""
    t = _ARROW_TYPES[col.type]
    if col.type in _FAST:
        try:
            return pa.array(series, type=t, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError, ValueError):
            pass
    return pa.array(_values(series, col), type=t)


class MissingRequiredValue(GovtasksError):
    """A required column of a table to publish holds a null: the message names the table, the column
    and the first offending rows (notice, task, line and key, where the table has them)."""


def _row_place(row: pd.Series, tbl: Table) -> str:
    """`notice N, task M, line L (key=…)` for one row of `tbl` (parts it lacks are left out)."""
    parts = []
    for col, label in (("notice_id", "notice"), ("task_no", "task"), ("line", "line")):
        v = row.get(col)
        if col in row.index and v is not None and not pd.isna(v):
            parts.append(f"{label} {int(v) if isinstance(v, float) else v}")
    keys = ", ".join(f"{k}={'—' if row.get(k) is None or pd.isna(row.get(k)) else row.get(k)}"
                     for k in tbl.primary_key if k not in ("notice_id", "task_no"))
    return ", ".join(parts) + (f" ({keys})" if parts and keys else keys)


def missing_required_message(df: pd.DataFrame, tbl: Table, missing: dict[str, pd.Series]) -> str:
    """Readable message for nulls in required columns (`missing`: column → boolean mask of rows)."""
    out = [f"table {tbl.name}: required values are missing (null); nothing was published."]
    for col, mask in missing.items():
        rows = df[mask.to_numpy()]
        order = [c for c in ("notice_id", "line") if c in rows.columns]
        if order:
            rows = rows.sort_values(order, kind="stable")
        out.append(f"✗ {tbl.name}.{col} is never empty — {len(rows)} of {len(df)} rows fail")
        out += [f"    {_row_place(r, tbl)}" for _, r in rows.head(MAX_ROWS).iterrows()]
        if len(rows) > MAX_ROWS:
            out.append(f"    … and {len(rows) - MAX_ROWS} more")
    return "\n".join(out)


def to_arrow(df: pd.DataFrame, tbl: Table) -> pa.Table:
    """`df` as an Arrow table with exactly `tbl`'s columns and types (required columns non-nullable).

    Raises MissingRequiredValue naming the rows when a required column holds a null (Arrow's own
    error would name neither the rows nor where they come from)."""
    schema = arrow_schema(tbl)
    arrays = [_array(df[c.name], c) for c in tbl.columns]
    missing = {c.name: pd.Series(a.is_null().to_numpy(zero_copy_only=False), index=df.index)
               for c, a in zip(tbl.columns, arrays, strict=True) if c.required and a.null_count}
    if missing:
        raise MissingRequiredValue(missing_required_message(df, tbl, missing))
    return pa.Table.from_arrays(arrays, schema=schema)
