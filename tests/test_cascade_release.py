"""Issue 13 end to end: a real release (Prefect flow, GX gate, Parquet, DuckDB) of a province, two of its
cities and a county of one of them gives the amplification of every shared target, says on the
command line which chains it found, and a release missing the county's city says so."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from tests.test_cascade import AMPLIFICATION, FILES, VIEW_QUERY
from tests.test_manifest import normal_sql, readme_statements


@pytest.fixture(scope="module")
def released(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    from typer.testing import CliRunner

    from flows.cli import app

    out = tmp_path_factory.mktemp("levels")
    res = CliRunner().invoke(app, ["release", *map(str, FILES.values()), "--out", str(out)])
    assert res.exit_code == 0, res.output
    return out / "latest", res.output


def test_the_release_gives_the_amplification_of_every_shared_target(released) -> None:
    folder, _ = released
    con = duckdb.connect(str(folder / "govtasks.duckdb"), read_only=True)
    try:
        assert con.execute(VIEW_QUERY).fetchall() == AMPLIFICATION
        assert con.execute("SELECT count(*) FROM cascade_links").fetchone() == (32,)
        assert con.execute("SELECT count(*) FROM target_cascade").fetchone() == (21,)
        comments = dict(con.execute("SELECT table_name, comment FROM duckdb_tables() UNION ALL "
                                    "SELECT view_name, comment FROM duckdb_views()").fetchall())
        for name in ("cascade_notices", "cascade_links", "target_cascade", "target_amplification"):
            assert comments[name], name
    finally:
        con.close()
    assert (folder / "data" / "target_cascade.csv").read_text(encoding="utf-8-sig").splitlines()[0].startswith(
        "year,metric_id,metric_name,upper_notice_id,")


def test_the_command_line_names_the_chains(released) -> None:
    _, output = released
    assert "across levels:     2023 辽宁省 → 大连市: 4 task links, 3 targets passed down" in output
    assert "across levels:     2023 辽宁省 → 鞍山市 → 海城市: 28 task links, 18 targets passed down" in output


def test_a_release_without_the_city_says_so(prefect_harness: None, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from flows.cli import app

    res = CliRunner().invoke(app, ["release", str(FILES["辽宁省"]), str(FILES["海城市"]), "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert "across levels:     2023 辽宁省 → 海城市: 10 task links, 6 targets passed down" in res.output
    assert "across levels:     海城市-2023: no 2023 notice of its parent 鞍山市 in the release" in res.output
    con = duckdb.connect(str(tmp_path / "latest" / "govtasks.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT \"check\", subject FROM quality_findings WHERE \"check\" LIKE 'cascade%' "
                           "ORDER BY 1, 2").fetchall() == [("cascade_parent", "鞍山市"),
                                                           ("cascade_report", "鞍山市政府工作报告")]
        assert con.execute("SELECT chain, targets FROM target_amplification WHERE metric_id = 'gdp'").fetchall() == [
            ("辽宁省 → 海城市", "5.5%左右 → 6.5%以上")]
    finally:
        con.close()


# Each query of the README section "Across levels", with a fact it must show on the four-notice release.
README_FACTS: dict[str, Callable[[list[tuple]], bool]] = {normal_sql(q): f for q, f in [
    ("""SELECT year, metric_name, chain, targets, comparators, county_minus_province
FROM target_amplification ORDER BY year, metric_id, chain""",
     lambda r: len(r) == 9 and (2023, "地区生产总值", "辽宁省 → 鞍山市 → 海城市", "5.5%左右 → 6%左右 → 6.5%以上",
                                "左右 → 左右 → 以上", 1.0) in r),
    ("""SELECT year, chain, targets, prefecture_minus_province, county_minus_prefecture
FROM target_amplification WHERE metric_id = 'gdp' AND unit = '%' ORDER BY chain""",
     lambda r: r == [(2023, "辽宁省 → 大连市", "5.5%左右 → 6%以上", 0.5, None),
                     (2023, "辽宁省 → 鞍山市 → 海城市", "5.5%左右 → 6%左右 → 6.5%以上", 0.5, 0.5)]),
    ("""SELECT upper_level, lower_level, upper_comparator, lower_comparator, count(*) AS targets
FROM target_cascade GROUP BY ALL
ORDER BY targets DESC, upper_level, lower_level, upper_comparator, lower_comparator""",
     lambda r: r[0] == ("province", "county", "左右", "以上", 3) and sum(x[4] for x in r) == 21),
    ("""SELECT l.lower_task_no, l.upper_jurisdiction, l.upper_task_no, l.basis, l.similarity, t.text
FROM cascade_links l JOIN tasks t ON t.task_id = l.upper_task_id
WHERE l.lower_level = 'county' ORDER BY l.lower_task_no, l.steps""",
     lambda r: len(r) == 21 and [x[:4] for x in r[:2]] == [(1, "鞍山市", 1, "target_metric"),
                                                            (1, "辽宁省", 1, "target_metric")]
     and r[1][5] == "全省地区生产总值增长5.5%左右。"),
    ("""SELECT lower_jurisdiction, lower_task_no, basis FROM cascade_links
WHERE upper_notice_id = '辽宁省-2023' AND upper_task_no = 9 ORDER BY ALL""",
     lambda r: r == [("大连市", 4, "text"), ("海城市", 9, "text")]),
    ("SELECT notice_id, upper_jurisdiction, steps, report FROM cascade_notices WHERE upper_notice_id IS NULL",
     lambda r: r == []),
]}


def test_every_readme_query_shows_its_fact(released) -> None:
    folder, _ = released
    in_readme = [normal_sql(st) for st in readme_statements("Across levels")]
    assert sorted(in_readme) == sorted(README_FACTS)
    con = duckdb.connect(str(folder / "govtasks.duckdb"), read_only=True)
    try:
        for q in in_readme:
            rows = con.execute(q).fetchall()
            assert README_FACTS[q](rows), (q, rows)
    finally:
        con.close()
