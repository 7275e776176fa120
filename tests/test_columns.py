"""Whole-column lookups by Arrow (transform/columns.py) give exactly the pandas answers they replace."""

from __future__ import annotations

import numpy as np
import pandas as pd

from transform.columns import is_key_of, positions


def test_is_key_of_is_isin_on_arrow_strings_with_nulls() -> None:
    values = pd.Series(["市财政局", None, "市商务局", "县商务局", "市财政局"], dtype="str")
    keys = pd.Series(["市财政局", "市商务局", None], dtype="str")
    want = values.isin(set(keys.dropna())).to_numpy(dtype=bool)
    assert is_key_of(values, keys).tolist() == want.tolist() == [True, False, True, False, True]
    assert is_key_of(values, {"县商务局"}).tolist() == [False, False, False, True, False]
    assert is_key_of(values, set()).tolist() == [False] * 5


def test_is_key_of_falls_back_to_pandas_for_values_arrow_cannot_compare() -> None:
    values = pd.Series([1, "a", None], dtype=object)
    assert is_key_of(values, pd.Series(["a"])).tolist() == [False, True, False]


def test_positions_is_get_indexer() -> None:
    index = pd.Index(["t3", "t1", "t2"], dtype="str")
    keys = pd.Series(["t1", "t9", "t2", "t1"], dtype="str")
    assert positions(keys, index).tolist() == index.get_indexer(keys).tolist() == [1, -1, 2, 1]
    ints = pd.Index([10, 20])
    assert positions(pd.Series([20, 30]), ints).tolist() == [1, -1]
    assert positions(pd.Series([1, "x"], dtype=object), ints).dtype == np.int64
