"""DataFrames → Arrow tables typed by transform.schema (the Parquet schema is generated here)."""

from __future__ import annotations

import datetime as dt

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


def _values(series: pd.Series, col: Column) -> list:
    out = []
    for v in series.tolist():
        if v is None or (not isinstance(v, list | tuple) and pd.isna(v)):
            out.append(None)
        elif col.type == "date":
            out.append(dt.date.fromisoformat(v) if isinstance(v, str) else v)
        elif col.type == "int":
            out.append(int(v))
        elif col.type == "float":
            out.append(float(v))
        elif col.type == "bool":
            out.append(bool(v))
        elif col.type == "string_list":
            out.append([str(x) for x in v])
        else:
            out.append(str(v))
    return out


def to_arrow(df: pd.DataFrame, tbl: Table) -> pa.Table:
    """`df` as an Arrow table with exactly `tbl`'s columns and types."""
    schema = arrow_schema(tbl)
    arrays = [pa.array(_values(df[c.name], c), type=_ARROW_TYPES[c.type]) for c in tbl.columns]
    return pa.Table.from_arrays(arrays, schema=schema)
