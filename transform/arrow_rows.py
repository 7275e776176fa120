"""Rows of a table as an Arrow table and back, framed as pandas frames them from the rows themselves.

The rows cache keeps a notice's rows as Arrow tables (transform/rows_cache.py): reading them back is
a copy of buffers, where rows kept as JSON are decoded value by value and framed value by value again.
`arrow_columns` builds the Arrow table of some rows column by column, each column's type inferred
from its values by Arrow; `pandas_frame` turns the Arrow tables of several notices into the frame
`transform.tables.unsorted_frame` makes of all their rows at once: the same columns, types and
values (a column of lists holds Python lists, as the rows do; an integer column with a null is
float64, as pandas infers it). A column Arrow cannot type (values of mixed kinds), or rows that
leave a column out, give None: those rows are cached as they are (JSON) instead.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa

from transform.schema import Table, table

_ABSENT = object()


def arrow_columns(tbl: Table, rows: list[dict[str, Any]]) -> pa.Table | None:
    """`rows` as an Arrow table with `tbl`'s columns, in order; None when a column holds values Arrow
    cannot put in one type, or a row has no value for a column (pandas frames an absent value as
    NaN, not as None, which Arrow's null cannot tell apart)."""
    columns = {}
    for c in tbl.column_names:
        values = [r.get(c, _ABSENT) for r in rows]
        if any(v is _ABSENT for v in values):
            return None
        try:
            columns[c] = pa.array(values)
        except (pa.ArrowException, TypeError, ValueError, OverflowError):
            return None
    return pa.table(columns) if columns else None


def pandas_frame(tbl: Table, parts: list[pa.Table]) -> pd.DataFrame:
    """The rows of `parts` (tables of `arrow_columns`, one after another) as one frame, typed as pandas
    types the rows: each column promoted to one Arrow type over the parts, then converted; lists
    back to Python lists."""
    table = pa.concat_tables(parts, promote_options="permissive") if len(parts) > 1 else parts[0]
    frame = table.to_pandas()
    for c in tbl.column_names:
        kind = table.schema.field(c).type
        if pa.types.is_list(kind) or pa.types.is_large_list(kind) or pa.types.is_struct(kind):
            frame[c] = pd.Series(table.column(c).to_pylist(), index=frame.index, dtype=object)
    return frame[tbl.column_names]


def cached_form(rows: dict[str, list[dict[str, Any]]]) -> tuple[dict[str, pa.Table], dict[str, list[dict[str, Any]]]]:
    """Tables of rows as a cache keeps them: each as an Arrow table (`arrow_columns`) where Arrow holds
    its rows exactly, else (and when it has no rows) as the rows themselves, for a JSON document."""
    tables, as_rows = {}, {}
    for name, rs in rows.items():
        t = arrow_columns(table(name), rs) if rs else None
        if t is None:
            as_rows[name] = rs
        else:
            tables[name] = t
    return tables, as_rows
