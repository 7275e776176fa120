"""Rows framed batch by batch (transform.tables: Rows.compact, notice_frames, framed_yoy, with_yoy): the
tables are exactly those framed from every row's dict at once, column types included, however the
rows were cut into frames and in whatever mix with rows not framed yet."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest

from extract.header import with_overrides
from extract.read import read_notice
from extract.snapshot import snapshot_local
from transform.arrow_rows import arrow_columns, cached_form
from transform.batches import yoy_part
from transform.registry_load import load_registry
from transform.rows_cache import pack_rows, unpack_rows
from transform.schema import table
from transform.tables import Rows, _framed, frame, framed_yoy, notice_frames, notice_rows, unsorted_frame, with_yoy
from transform.yoy import YOY_TABLES, yoy_rows

ROOT = Path(__file__).resolve().parents[1]
YOY = ROOT / "tests" / "fixtures" / "yoy"
NOTICES = [YOY / "shili-2023.txt", YOY / "shili-2024.txt", ROOT / "data" / "notices" / "haicheng-2023.txt",
           YOY / "perchapter-2023.txt", YOY / "perchapter-2024.txt"]


@pytest.fixture(scope="module")
def per_notice() -> list[Rows]:
    """The rows of each notice alone, as a worker builds them (dicts)."""
    registry = load_registry()
    out = []
    for path, jurisdiction in zip(NOTICES, ["清河县", "清河县", None, "台安县", "台安县"], strict=True):
        n = read_notice(snapshot_local(path))
        out.append(notice_rows([replace(n, header=with_overrides(n.header, jurisdiction, None, "manifest"))],
                               registry))
    return out


def _merged(parts: list[Rows], compact_after: set[int]) -> Rows:
    out = Rows()
    for i, part in enumerate(parts):
        fresh = Rows()
        fresh.extend(part)  # a copy: `part` stays dicts for the other cuts
        out.extend(fresh.compact() if i in compact_after else fresh)
    return out


def _same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert list(a) == list(b)
    for name in a:
        assert list(a[name].dtypes) == list(b[name].dtypes), name
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=True)


def test_every_way_of_framing_gives_the_tables_of_all_the_dicts(per_notice: list[Rows]) -> None:
    reference = notice_frames(_merged(per_notice, set()))
    assert len(reference["notices"]) == 5 and len(reference["tasks"]) > 102
    for k in range(len(per_notice) + 1):
        for framed in itertools.combinations(range(len(per_notice)), k):
            _same(notice_frames(_merged(per_notice, set(framed))), reference)


def test_a_column_null_in_one_part_and_typed_in_another_is_framed_as_all_its_rows(per_notice: list[Rows]) -> None:
    tbl = table("tasks")
    base = {c: None for c in tbl.column_names}
    for values in (["甲", "乙"], [3, 4], [1.5, 2.0], [True, False], [["措施"], []]):
        rows = [{**base, "task_id": f"t{i}", "deadline": v} for i, v in enumerate([None, None, *values, None])]
        cuts = [rows[:2], rows[2:3], rows[3:]]  # the first part all null: an object column there
        got = _framed(tbl, [pd.DataFrame(c, columns=tbl.column_names) for c in cuts])
        want = frame(tbl, rows)
        assert got["deadline"].dtype == want["deadline"].dtype
        pd.testing.assert_frame_equal(got, want, check_exact=True)


def _as(part: Rows, form: str) -> Rows:
    """A copy of one notice's rows as dicts, as the rows cache gives them back (Arrow) or framed."""
    fresh = Rows()
    fresh.extend(part)
    if form == "arrow":
        return Rows.cached(*fresh.to_arrow())
    return fresh.compact() if form == "framed" else fresh


@pytest.mark.parametrize("forms", [
    "aaaaa", "adada", "dadad", "afdaf", "fdaad", "aafdd",
])
def test_rows_read_back_from_the_cache_give_the_tables_of_all_the_dicts(per_notice: list[Rows], forms: str) -> None:
    """Each notice's rows as dicts (d), as the rows cache gives them back (a: Arrow tables of the
    notice) or framed (f), in these mixes: the tables of all the dicts, column types included."""
    reference = notice_frames(_merged(per_notice, set()))
    out = Rows()
    for part, form in zip(per_notice, forms, strict=True):
        out.extend(_as(part, {"a": "arrow", "d": "dicts", "f": "framed"}[form]))
    _same(notice_frames(out), reference)


def test_arrow_parts_are_framed_as_pandas_frames_all_their_rows() -> None:
    from transform.arrow_rows import pandas_frame

    tbl = table("tasks")
    base = {c: None for c in tbl.column_names}
    for values in (["甲", "乙"], [3, 4], [1.5, 2.0], [3, 2.5], [True, False], [["措施"], []]):
        rows = [{**base, "task_id": f"t{i}", "deadline": v} for i, v in enumerate([None, None, *values, None])]
        cuts = [rows[:2], rows[2:3], rows[3:]]  # the first part all null: a null column there
        got = pandas_frame(tbl, [arrow_columns(tbl, c) for c in cuts])
        want = unsorted_frame(tbl, rows)
        assert got["deadline"].dtype == want["deadline"].dtype, values
        pd.testing.assert_frame_equal(got, want, check_exact=True)
    mixed = [{**base, "task_id": "t1", "deadline": "甲"}, {**base, "task_id": "t2", "deadline": 3}]
    assert arrow_columns(tbl, mixed) is None  # not one type: not cached as Arrow
    absent = [{k: v for k, v in base.items() if k != "deadline"} | {"task_id": "t1"}]
    assert arrow_columns(tbl, absent) is None  # pandas frames an absent value as NaN, Arrow has null only
    part = Rows()
    part.tables["tasks"] = [*absent, *mixed]
    tables, doc = part.to_arrow()
    assert tables == {} and doc["rows"]["tasks"] == [*absent, *mixed]  # cached as rows, read back as rows
    again = Rows.cached(tables, doc)
    pd.testing.assert_frame_equal(notice_frames(again)["tasks"], notice_frames(part)["tasks"], check_exact=True)


def test_framed_rows_are_not_written_to_the_rows_cache(per_notice: list[Rows]) -> None:
    part = Rows()
    part.extend(per_notice[0])
    tables, doc = part.to_arrow()
    assert tables["tasks"].num_rows == len(part.tables["tasks"]) > 0  # one notice's dicts: cached
    assert doc["rows"] == {}  # every table as Arrow
    with pytest.raises(AssertionError, match="only dict rows are cached"):
        part.compact().to_arrow()


def test_year_over_year_framed_in_workers_gives_the_tables_of_its_rows(per_notice: list[Rows]) -> None:
    frames = notice_frames(_merged(per_notice, set()))
    rows = yoy_rows(frames)
    assert len(rows["yoy_task_links"]) > 0
    as_rows = with_yoy(frames, [rows])
    _same(with_yoy(frames, [framed_yoy(rows)]), as_rows)
    cut = {name: (rs[: len(rs) // 2], rs[len(rs) // 2:]) for name, rs in rows.items()}
    halves = [{name: halves[i] for name, halves in cut.items()} for i in (0, 1)]
    _same(with_yoy(frames, [framed_yoy(halves[0]), halves[1]]), as_rows)  # a framed part, then rows

    def cached(part: dict[str, list[dict]]) -> dict[str, Any]:  # as the yoy cache gives a part back
        got = yoy_part(*unpack_rows(pack_rows(*cached_form(part))))
        assert got is not None and isinstance(got["yoy_task_links"], pa.Table)
        return got

    thirds = [{name: rs[i * len(rs) // 3:(i + 1) * len(rs) // 3] for name, rs in rows.items()} for i in range(3)]
    assert all(len(t["yoy_task_links"]) for t in thirds)
    for mix in ([cached(thirds[0]), cached(thirds[1]), cached(thirds[2])],
                [cached(thirds[0]), framed_yoy(thirds[1]), thirds[2]],
                [thirds[0], cached(thirds[1]), framed_yoy(thirds[2])]):
        _same(with_yoy(frames, mix), as_rows)  # cached (Arrow), framed and rows, in any order
    assert {n for n, v in framed_yoy(rows).items() if isinstance(v, pd.DataFrame)} == set(YOY_TABLES)
