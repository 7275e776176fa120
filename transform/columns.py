"""Lookups on whole pandas columns done by Arrow: pandas' `isin` and `Index.get_indexer` convert every
Arrow-backed string to a Python object first (measured at 1,000 notices: seconds, on half a million
task_units rows). Each gives exactly the answer of the pandas call it replaces, and falls back to it
where Arrow cannot compare the values (mixed types).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_NOT_COMPARABLE = (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError)


def is_key_of(values: pd.Series, keys: pd.Series | Iterable[Any]) -> np.ndarray:
    """Per value: True where it is one of `keys` (null: False). Same answer as `values.isin(set(keys))`."""
    keys = keys if isinstance(keys, pd.Series) else pd.Series(list(keys), dtype=object)
    try:
        arr = pa.array(values, from_pandas=True)
        wanted = pa.array(keys.dropna(), from_pandas=True).cast(arr.type)
    except _NOT_COMPARABLE:
        return values.isin(set(keys.dropna())).to_numpy(dtype=bool)
    return pc.is_in(arr, value_set=wanted).to_numpy(zero_copy_only=False).astype(bool)


def positions(keys: pd.Series, index: pd.Index) -> np.ndarray:
    """Per key: its position in `index` (unique), -1 where it is not there: `index.get_indexer(keys)`."""
    try:
        arr = pa.array(keys, from_pandas=True)
        found = pc.index_in(arr, value_set=pa.array(index, from_pandas=True).cast(arr.type))
    except _NOT_COMPARABLE:
        return index.get_indexer(keys)
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype("int64")
