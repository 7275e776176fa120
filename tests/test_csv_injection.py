"""Issue 10 item 2: no published CSV cell is one a spreadsheet evaluates (OWASP CSV injection): a text cell
starting with = + - @, a tab or a carriage return gets a leading `'`; numbers stay numbers; Parquet and
DuckDB keep the exact text."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from output.arrow import arrow_schema
from output.files import escape_formula, unescape_formula, write_csv, write_parquet
from transform.schema import TARGETS

HOSTILE = ['=HYPERLINK("http://example.com/x","点我")', "+1+2", "-2+3", "@SUM(A1:A2)", "\tTab", "\rCR", "'quoted"]


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_prefixes_one_quote_and_is_undone_exactly(text: str) -> None:
    assert escape_formula(text) == "'" + text
    assert unescape_formula(escape_formula(text)) == text


@pytest.mark.parametrize("text", ["地区生产总值", "6.5%", "", "a=b", "任务-1"])
def test_harmless_text_is_left_as_it_is(text: str) -> None:
    assert escape_formula(text) == text and unescape_formula(text) == text


def _targets(rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=arrow_schema(TARGETS))


def test_csv_cells_are_escaped_numbers_are_not_and_parquet_keeps_the_text(tmp_path: Path) -> None:
    rows = [{"task_id": f"示例县-2024-t{i:03d}", "position": 1, "metric": text, "direction": None, "value": -2.5,
             "unit": "%", "base_value": -2.5, "base_unit": "%", "comparator": None, "raw": "-2.5%"}
            for i, text in enumerate(HOSTILE, start=1)]
    table = _targets(rows)
    write_csv(table, TARGETS, tmp_path / "targets.csv")
    write_parquet(table, tmp_path / "targets.parquet")
    with (tmp_path / "targets.csv").open(encoding="utf-8-sig", newline="") as f:
        cells = list(csv.DictReader(f))
    assert [c["metric"] for c in cells] == ["'" + t for t in HOSTILE]
    assert {c["raw"] for c in cells} == {"'-2.5%"}  # text: escaped
    assert {c["value"] for c in cells} == {"-2.5"} and {c["base_value"] for c in cells} == {"-2.5"}  # numbers: not
    assert {c["position"] for c in cells} == {"1"}
    for c in cells:  # no cell a spreadsheet evaluates
        assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in c.values() if v and v != "-2.5")
    assert pq.read_table(tmp_path / "targets.parquet").column("metric").to_pylist() == HOSTILE
    con = duckdb.connect()
    try:  # DuckDB reads the CSV numbers as numbers
        assert con.execute(f"SELECT DISTINCT value FROM read_csv('{tmp_path / 'targets.csv'}')").fetchall() == [(-2.5,)]
    finally:
        con.close()


def test_a_hostile_unit_name_is_escaped_in_every_csv_and_exact_elsewhere(prefect_harness: None,
                                                                           tmp_path: Path) -> None:
    from frictionless import validate

    from flows.release import release

    # A jurisdiction option or manifest value like this is refused by the gazetteer; a unit name in the
    # notice itself is published (with --allow-unknown) and must be escaped in the CSV files.
    hostile = "=1+1市财政局"  # a formula a spreadsheet evaluates (brackets would be made full-width)
    src = tmp_path / "notice.txt"
    bundled = (Path(__file__).resolve().parents[1] / "data" / "notices" / "haicheng-2023.txt").read_text("utf-8")
    src.write_text(bundled.replace("牵头单位:市财政局", f"牵头单位:{hostile}", 1), encoding="utf-8")
    folder = Path(release(sources=[str(src)], out=str(tmp_path / "out"), allow_unknown=True)["folder"])
    with (folder / "data" / "units.csv").open(encoding="utf-8-sig", newline="") as f:
        names = [r["name"] for r in csv.DictReader(f)]
    assert "'" + hostile in names and hostile not in names
    for path in (folder / "data").glob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as f:
            for row in csv.reader(f):
                bad = [c for c in row if c.startswith(("=", "+", "@", "\t", "\r"))
                       or (c.startswith("-") and not _is_number(c))]
                assert bad == [], (path.name, bad)
    assert hostile in pq.read_table(folder / "data" / "units.parquet").column("name").to_pylist()
    con = duckdb.connect(str(folder / "govtasks.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM task_units WHERE unit = ?", [hostile]).fetchone()[0] == 1
    finally:
        con.close()
    report = validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])[:5]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), st.text()), st.one_of(st.none(), st.integers(-10**9, 10**9)),
                          st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False))),
                min_size=1, max_size=20))
def test_any_text_reads_back_exactly_and_no_cell_starts_a_formula(tmp_path_factory: pytest.TempPathFactory,
                                                                 rows: list) -> None:
    """The vectorised writer against the rule cell by cell: reading the CSV back with Python's csv module
    and removing the escape gives every text exactly (null → empty cell), numbers as str() prints them."""
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    table = pa.table({"text": [r[0] for r in rows], "n": pa.array([r[1] for r in rows], pa.int64()),
                      "x": pa.array([r[2] for r in rows], pa.float64())})
    write_csv(table, type("T", (), {"column_names": ["text", "n", "x"]})(), path)
    with path.open(encoding="utf-8-sig", newline="") as f:
        back = list(csv.reader(f, lineterminator="\n"))
    assert back[0] == ["text", "n", "x"]
    assert len(back) == len(rows) + 1
    for (text, n, x), (c_text, c_n, c_x) in zip(rows, back[1:], strict=True):
        assert not c_text.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert unescape_formula(c_text) == ("" if text is None else text)
        assert c_n == ("" if n is None else str(n)) and c_x == ("" if x is None else str(x))


@pytest.mark.parametrize("rows_at_once", [1, 3, 1000])
def test_csv_bytes_are_the_rule_cell_by_cell_in_slices_of_any_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   rows_at_once: int) -> None:
    """Cells found to need quotes or an escape byte by byte (output.files: ASCII bytes in UTF-8) are
    exactly those the rule finds cell by cell, also in slices of a column (an Arrow offset)."""
    import output.files as files

    monkeypatch.setattr(files, "CSV_ROWS_AT_ONCE", rows_at_once)
    texts = ["任务，中文逗号", "a,b", '说"好"', "行\n二", "回\r车", "", None, "=1+1", "-负", "'引", "任务=", "@",
             "正常", "，", "\u3000=", "\t", "末尾,", "多字节“引号”"]
    path = tmp_path / "t.csv"
    write_csv(pa.table({"text": texts}), type("T", (), {"column_names": ["text"]})(), path)
    want = "text\n" + "".join(files._quoted(escape_formula(t or "")) + "\n" for t in texts)
    assert path.read_bytes() == want.encode("utf-8-sig")
