"""DataFrames → Arrow tables typed by transform.schema (the Parquet schema is generated here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd
import pyarrow as pa

from transform.schema import Column, Table

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


def to_arrow(df: pd.DataFrame, tbl: Table) -> pa.Table:
    """`df` as an Arrow table with exactly `tbl`'s columns and types."""
    schema = arrow_schema(tbl)
    arrays = [pa.array(_values(df[c.name], c), type=_ARROW_TYPES[c.type]) for c in tbl.columns]
    return pa.Table.from_arrays(arrays, schema=schema)
