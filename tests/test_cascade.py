"""Issue 13, across levels: the province (辽宁省), two of its cities (鞍山市, 大连市) and the bundled county
notice (海城市, under 鞍山市), all 2023. The three upper notices were written for these tests, in the
bundled notice's layout: they share its main targets at lower numbers and other comparators, some of
its other tasks reworded, and tasks of their own. Every link, every target passed down and the view
are asserted.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from extract.read import read_notice
from extract.snapshot import snapshot_local
from output.arrow import to_arrow
from output.database import write_database
from transform.cascade import cascade_rows, chains, coverage
from transform.hierarchy import Place, cascade_notices, report_place
from transform.names import load_registry
from transform.schema import TABLES, table
from transform.tables import build_tables, frame

ROOT = Path(__file__).resolve().parents[1]
LEVELS = Path(__file__).parent / "fixtures" / "levels"
FILES = {"辽宁省": LEVELS / "liaoning-2023.txt", "鞍山市": LEVELS / "anshan-2023.txt",
         "大连市": LEVELS / "dalian-2023.txt", "海城市": ROOT / "data" / "notices" / "haicheng-2023.txt"}
# The four divisions as the gazetteer gives them (GB/T 2260 codes).
GAZETTEER = [Place("210000", "辽宁省", "province", None, "辽宁"),
             Place("210300", "鞍山市", "prefecture", "210000", "鞍山"),
             Place("210200", "大连市", "prefecture", "210000", "大连"),
             Place("210381", "海城市", "county", "210300", "海城")]


def _frames(*jurisdictions: str) -> dict[str, pd.DataFrame]:
    """The tables of a release of these notices, the cascade tables built with GAZETTEER."""
    frames = build_tables([read_notice(snapshot_local(FILES[j])) for j in jurisdictions], load_registry())
    rows = cascade_rows(frames, GAZETTEER)
    for name in ("cascade_notices", "cascade_links", "target_cascade"):
        frames[name] = frame(table(name), rows[name])
    frames["findings"] = pd.DataFrame(rows["quality_findings"])
    return frames


@pytest.fixture(scope="module")
def full() -> dict[str, pd.DataFrame]:
    return _frames("辽宁省", "鞍山市", "大连市", "海城市")


def _links(frames: dict[str, pd.DataFrame]) -> set[tuple[str, int, str, int, str]]:
    k = frames["cascade_links"]
    return {(r.lower_jurisdiction, int(r.lower_task_no), r.upper_jurisdiction, int(r.upper_task_no), r.basis)
            for r in k.itertuples()}


def test_report_names_give_their_jurisdiction() -> None:
    assert report_place("辽宁省政府工作报告") == "辽宁省"
    assert report_place("2023年鞍山市人民政府工作报告") == "鞍山市"
    assert report_place("政府工作报告") == ""
    assert report_place("关于加快建设数字辽宁的意见") is None


def test_each_notice_knows_its_parent_and_grandparent(full) -> None:
    got = {(r.notice_id, r.upper_jurisdiction, None if pd.isna(r.steps) else int(r.steps), r.report, r.upper_notice_id)
           for r in full["cascade_notices"].itertuples()}
    assert got == {
        ("海城市-2023", "鞍山市", 1, "鞍山市政府工作报告", "鞍山市-2023"),
        ("海城市-2023", "辽宁省", 2, "辽宁省政府工作报告", "辽宁省-2023"),
        ("鞍山市-2023", "辽宁省", 1, "辽宁省政府工作报告", "辽宁省-2023"),
        ("大连市-2023", "辽宁省", 1, "辽宁省政府工作报告", "辽宁省-2023"),
    }
    assert full["findings"].empty  # every report the titles name has its notice, every parent is present


# Every link of the four notices: (lower, task, upper, task, basis). Text links are the reworded tasks.
LINKS = {
    # 海城市 → 鞍山市 (its parent)
    ("海城市", 1, "鞍山市", 1, "target_metric"), ("海城市", 2, "鞍山市", 2, "target_metric"),
    ("海城市", 3, "鞍山市", 3, "target_metric"), ("海城市", 4, "鞍山市", 4, "target_metric"),
    ("海城市", 5, "鞍山市", 5, "target_metric"), ("海城市", 81, "鞍山市", 6, "target_metric"),
    ("海城市", 8, "鞍山市", 7, "text"), ("海城市", 10, "鞍山市", 8, "text"), ("海城市", 57, "鞍山市", 11, "text"),
    ("海城市", 84, "鞍山市", 12, "text"), ("海城市", 98, "鞍山市", 13, "text"),
    # 海城市 → 辽宁省 (its grandparent)
    ("海城市", 1, "辽宁省", 1, "target_metric"), ("海城市", 2, "辽宁省", 2, "target_metric"),
    ("海城市", 3, "辽宁省", 3, "target_metric"), ("海城市", 4, "辽宁省", 4, "target_metric"),
    ("海城市", 5, "辽宁省", 5, "target_metric"), ("海城市", 81, "辽宁省", 6, "target_metric"),
    ("海城市", 9, "辽宁省", 9, "text"), ("海城市", 47, "辽宁省", 13, "text"), ("海城市", 92, "辽宁省", 14, "text"),
    ("海城市", 98, "辽宁省", 15, "text"),
    # 鞍山市 → 辽宁省
    ("鞍山市", 1, "辽宁省", 1, "target_metric"), ("鞍山市", 2, "辽宁省", 2, "target_metric"),
    ("鞍山市", 3, "辽宁省", 3, "target_metric"), ("鞍山市", 4, "辽宁省", 4, "target_metric"),
    ("鞍山市", 5, "辽宁省", 5, "target_metric"), ("鞍山市", 6, "辽宁省", 6, "target_metric"),
    ("鞍山市", 13, "辽宁省", 15, "text"),
    # 大连市 → 辽宁省
    ("大连市", 1, "辽宁省", 1, "target_metric"), ("大连市", 2, "辽宁省", 2, "target_metric"),
    ("大连市", 3, "辽宁省", 8, "target_metric"), ("大连市", 4, "辽宁省", 9, "text"),
}


def test_every_link_across_levels(full) -> None:
    assert _links(full) == LINKS
    k = full["cascade_links"]
    assert (k[k["basis"] == "text"]["similarity"] >= 0.5).all()
    assert set(zip(k["lower_level"], k["upper_level"], k["steps"], strict=True)) == {
        ("county", "prefecture", 1), ("county", "province", 2), ("prefecture", "province", 1)}
    jobs = k[(k["lower_task_no"] == 81) & (k["upper_jurisdiction"] == "辽宁省")].iloc[0]
    assert list(jobs["shared_metrics"]) == ["urban_new_jobs"]  # 登记失业率 ≠ the province's 城镇调查失业率
    assert jobs["similarity"] < 0.5  # linked by its target, not by its (much longer) text


def test_one_upper_task_is_implemented_in_many_jurisdictions(full) -> None:
    k = full["cascade_links"]
    def lower(upper_no: int) -> set[tuple[str, int]]:
        rows = k[(k["upper_jurisdiction"] == "辽宁省") & (k["upper_task_no"] == upper_no)]
        return {(r.lower_jurisdiction, int(r.lower_task_no)) for r in rows.itertuples()}

    assert lower(1) == {("海城市", 1), ("鞍山市", 1), ("大连市", 1)}  # GDP, in three jurisdictions
    assert lower(9) == {("海城市", 9), ("大连市", 4)}  # 减税降费, by text
    assert lower(15) == {("海城市", 98), ("鞍山市", 13)}  # 安全生产
    assert lower(10) == lower(11) == lower(12) == set()  # the province's own tasks


def test_every_target_passed_down(full) -> None:
    c = full["target_cascade"]
    got = {(r.metric_id, r.upper_jurisdiction, r.upper_value, r.upper_comparator if isinstance(r.upper_comparator, str)
            else None, r.lower_jurisdiction, r.lower_value,
            r.lower_comparator if isinstance(r.lower_comparator, str) else None, r.unit, r.difference)
           for r in c.itertuples()}
    assert got == {
        ("gdp", "鞍山市", 6.0, "左右", "海城市", 6.5, "以上", "%", 0.5),
        ("gdp", "辽宁省", 5.5, "左右", "海城市", 6.5, "以上", "%", 1.0),
        ("gdp", "辽宁省", 5.5, "左右", "鞍山市", 6.0, "左右", "%", 0.5),
        ("gdp", "辽宁省", 5.5, "左右", "大连市", 6.0, "以上", "%", 0.5),
        ("general_budget_revenue", "鞍山市", 7.0, "以上", "海城市", 8.0, "以上", "%", 1.0),
        ("general_budget_revenue", "辽宁省", 5.0, None, "海城市", 8.0, "以上", "%", 3.0),
        ("general_budget_revenue", "辽宁省", 5.0, None, "鞍山市", 7.0, "以上", "%", 2.0),
        ("general_budget_revenue", "辽宁省", 5.0, None, "大连市", 6.0, None, "%", 1.0),
        ("fixed_asset_investment", "鞍山市", 12.0, None, "海城市", 15.0, "以上", "%", 3.0),
        ("fixed_asset_investment", "辽宁省", 8.0, "以上", "海城市", 15.0, "以上", "%", 7.0),
        ("fixed_asset_investment", "辽宁省", 8.0, "以上", "鞍山市", 12.0, None, "%", 4.0),
        ("retail_sales", "鞍山市", 8.0, "左右", "海城市", 10.0, "以上", "%", 2.0),
        ("retail_sales", "辽宁省", 7.0, "左右", "海城市", 10.0, "以上", "%", 3.0),
        ("retail_sales", "辽宁省", 7.0, "左右", "鞍山市", 8.0, "左右", "%", 1.0),
        ("industrial_value_added", "鞍山市", 6.5, "以上", "海城市", 7.0, "以上", "%", 0.5),
        ("industrial_value_added", "辽宁省", 6.0, "左右", "海城市", 7.0, "以上", "%", 1.0),
        ("industrial_value_added", "辽宁省", 6.0, "左右", "鞍山市", 6.5, "以上", "%", 0.5),
        ("foreign_investment", "辽宁省", 10.0, "以上", "大连市", 12.0, None, "%", 2.0),
        # a count, printed in 万人 above and 人 below: the difference in the base unit
        ("urban_new_jobs", "鞍山市", 3.5, None, "海城市", 6000.0, "以上", "人", -29000.0),
        ("urban_new_jobs", "辽宁省", 45.0, "以上", "海城市", 6000.0, "以上", "人", -444000.0),
        ("urban_new_jobs", "辽宁省", 45.0, "以上", "鞍山市", 3.5, None, "万人", -41.5),
    }
    gdp = c[(c["metric_id"] == "gdp") & (c["lower_jurisdiction"] == "鞍山市")].iloc[0]
    assert (gdp["upper_metric"], gdp["lower_metric"], gdp["metric_name"]) == (
        "全省地区生产总值", "全市生产总值", "地区生产总值")


def _database(frames: dict[str, pd.DataFrame], path: Path) -> duckdb.DuckDBPyConnection:
    write_database({t.name: to_arrow(frames[t.name], t) for t in TABLES}, path)
    return duckdb.connect(str(path), read_only=True)


AMPLIFICATION = [
    # year, metric, chain, targets, comparators, prefecture − province, county − prefecture, county − province
    (2023, "foreign_investment", "辽宁省 → 大连市", "10%以上 → 12%", "以上 → exact", 2.0, None, None),
    (2023, "gdp", "辽宁省 → 大连市", "5.5%左右 → 6%以上", "左右 → 以上", 0.5, None, None),
    (2023, "general_budget_revenue", "辽宁省 → 大连市", "5% → 6%", "exact → exact", 1.0, None, None),
    (2023, "fixed_asset_investment", "辽宁省 → 鞍山市 → 海城市", "8%以上 → 12% → 15%以上", "以上 → exact → 以上",
     4.0, 3.0, 7.0),
    (2023, "gdp", "辽宁省 → 鞍山市 → 海城市", "5.5%左右 → 6%左右 → 6.5%以上", "左右 → 左右 → 以上", 0.5, 0.5, 1.0),
    (2023, "general_budget_revenue", "辽宁省 → 鞍山市 → 海城市", "5% → 7%以上 → 8%以上", "exact → 以上 → 以上",
     2.0, 1.0, 3.0),
    (2023, "industrial_value_added", "辽宁省 → 鞍山市 → 海城市", "6%左右 → 6.5%以上 → 7%以上", "左右 → 以上 → 以上",
     0.5, 0.5, 1.0),
    (2023, "retail_sales", "辽宁省 → 鞍山市 → 海城市", "7%左右 → 8%左右 → 10%以上", "左右 → 左右 → 以上",
     1.0, 2.0, 3.0),
    (2023, "urban_new_jobs", "辽宁省 → 鞍山市 → 海城市", "45万人以上 → 3.5万人 → 6000人以上", "以上 → exact → 以上",
     -415000.0, -29000.0, -444000.0),
]
VIEW_QUERY = """SELECT year, metric_id, chain, targets, comparators, prefecture_minus_province,
                       county_minus_prefecture, county_minus_province FROM target_amplification"""


def test_target_amplification_view(full, tmp_path: Path) -> None:
    con = _database(full, tmp_path / "levels.duckdb")
    try:
        assert con.execute(VIEW_QUERY).fetchall() == AMPLIFICATION
        row = con.execute("SELECT province_task_no, prefecture_task_no, county_task_no, unit, "
                          "metric_name FROM target_amplification "
                          "WHERE chain LIKE '%海城市' AND metric_id = 'gdp'").fetchall()
        assert row == [(1, 1, 1, "%", "地区生产总值")]
        assert con.execute("SELECT province_value, prefecture_value, county_value, unit FROM target_amplification "
                           "WHERE metric_id = 'urban_new_jobs'").fetchall() == [(450000.0, 35000.0, 6000.0, "人")]
        assert con.execute("SELECT province_value, prefecture_value, county_value, unit FROM target_amplification "
                           "WHERE metric_id = 'gdp' ORDER BY chain").fetchall() == [(5.5, 6.0, None, "%"),
                                                                                    (5.5, 6.0, 6.5, "%")]
    finally:
        con.close()


def test_chains_and_summary(full) -> None:
    assert chains(full["cascade_notices"]) == [["辽宁省-2023", "大连市-2023"],
                                               ["辽宁省-2023", "鞍山市-2023", "海城市-2023"]]
    assert coverage(full["cascade_notices"], full["cascade_links"], full["target_cascade"]) == [
        "2023 辽宁省 → 大连市: 4 task links, 3 targets passed down",
        "2023 辽宁省 → 鞍山市 → 海城市: 28 task links, 18 targets passed down",
    ]


def test_a_county_whose_city_is_absent_is_compared_with_its_province(tmp_path: Path) -> None:
    frames = _frames("辽宁省", "海城市")
    got = {(r.upper_jurisdiction, int(r.steps), r.upper_notice_id if isinstance(r.upper_notice_id, str) else None)
           for r in frames["cascade_notices"].itertuples()}
    assert got == {("鞍山市", 1, None), ("辽宁省", 2, "辽宁省-2023")}
    assert {(lo, n, up, m) for lo, n, up, m, _ in _links(frames)} == {
        (lo, n, up, m) for lo, n, up, m, _ in LINKS if lo == "海城市" and up == "辽宁省"}
    f = frames["findings"]
    assert sorted(zip(f["notice_id"], f["check"], f["subject"], f["detail"], strict=True)) == [
        ("海城市-2023", "cascade_parent", "鞍山市",
         "no 2023 notice of its parent 鞍山市 is in the release; compared with 辽宁省 instead"),
        ("海城市-2023", "cascade_report", "鞍山市政府工作报告",
         "the title names 鞍山市政府工作报告, but no 鞍山市 2023 notice is in the release: its tasks are not compared"),
    ]
    con = _database(frames, tmp_path / "two.duckdb")
    try:
        assert con.execute("SELECT chain, targets, comparators, county_minus_province FROM target_amplification "
                           "WHERE metric_id = 'gdp'").fetchall() == [
            ("辽宁省 → 海城市", "5.5%左右 → 6.5%以上", "左右 → 以上", 1.0)]
    finally:
        con.close()
    assert coverage(frames["cascade_notices"], frames["cascade_links"], frames["target_cascade"]) == [
        "2023 辽宁省 → 海城市: 10 task links, 6 targets passed down",
        "海城市-2023: no 2023 notice of its parent 鞍山市 in the release",
    ]


def test_the_bundled_notice_alone_has_nothing_above_it() -> None:
    frames = _frames("海城市")
    assert frames["cascade_links"].empty and frames["target_cascade"].empty
    f = frames["findings"]
    assert sorted(zip(f["check"], f["subject"], strict=True)) == [
        ("cascade_parent", "鞍山市"), ("cascade_report", "辽宁省政府工作报告"),
        ("cascade_report", "鞍山市政府工作报告")]
    assert "nothing above it is compared" in f[f["check"] == "cascade_parent"]["detail"].iloc[0]
    assert coverage(frames["cascade_notices"], frames["cascade_links"], frames["target_cascade"]) == [
        "海城市-2023: no 2023 notice of its parent 鞍山市 in the release"]


def _notices(*rows: tuple[str, int, str | None, str | None, list[str]]) -> pd.DataFrame:
    return pd.DataFrame([{"notice_id": f"{j}-{y}", "jurisdiction": j, "year": y, "division_code": code,
                          "parent_code": parent, "reports": reports} for j, y, code, parent, reports in rows])


def test_only_notices_of_the_same_year_are_compared() -> None:
    rows = cascade_notices(_notices(("辽宁省", 2022, "210000", None, []),
                                    ("鞍山市", 2023, "210300", "210000", ["辽宁省政府工作报告"])), GAZETTEER)
    assert [(r["upper_jurisdiction"], r["steps"], r["upper_notice_id"]) for r in rows] == [("辽宁省", 1, None)]


def test_a_report_of_a_jurisdiction_outside_the_gazetteer_chain_is_still_recorded() -> None:
    rows = cascade_notices(_notices(("海城市", 2023, "210381", "210300", ["国务院政府工作报告", "海城市政府工作报告"])),
                           GAZETTEER)
    assert [(r["upper_jurisdiction"], r["steps"], r["report"]) for r in rows] == [
        ("鞍山市", 1, None), ("辽宁省", 2, None), ("国务院", None, "国务院政府工作报告")]


def test_a_short_name_in_a_report_finds_its_division() -> None:
    rows = cascade_notices(_notices(("鞍山市", 2023, "210300", "210000", ["辽宁政府工作报告"]),
                                    ("辽宁省", 2023, "210000", None, [])), GAZETTEER)
    assert [(r["upper_jurisdiction"], r["report"], r["upper_notice_id"]) for r in rows] == [
        ("辽宁省", "辽宁政府工作报告", "辽宁省-2023")]


def test_the_summary_names_a_few_notices_without_parent_and_counts_the_rest() -> None:
    rows = pd.DataFrame([{"notice_id": f"样例{i}县-2023", "year": 2023, "jurisdiction": f"样例{i}县",
                          "upper_jurisdiction": "鞍山市", "upper_division_code": "210300", "steps": 1,
                          "report": None, "upper_notice_id": None} for i in range(7)])
    lines = coverage(rows, pd.DataFrame(columns=["lower_notice_id", "upper_notice_id"]),
                     pd.DataFrame(columns=["lower_notice_id", "upper_notice_id"]), limit=5)
    assert lines[:5] == [f"样例{i}县-2023: no 2023 notice of its parent 鞍山市 in the release" for i in range(5)]
    assert lines[5:] == ["… and 2 more notices without a higher-level notice in the release "
                         "(quality_findings, checks cascade_parent and cascade_report)"]


def test_report_charts_targets_by_level(full, tmp_path: Path) -> None:
    from output.portal import portal_settings
    from output.report import render_report

    db = tmp_path / "levels.duckdb"
    _database(full, db).close()
    page = render_report(db, "1.0.0", portal_settings())
    assert render_report(db, "1.0.0", portal_settings()) == page  # byte-identical on reruns
    section = page.split('<section id="targets_by_level">', 1)[1].split("</section>", 1)[0]
    charts = section.split('<figure class=chart data-chart="levels-')[1:]
    assert len(charts) == 7  # one per metric passed down
    gdp = next(c for c in charts if "地区生产总值" in c)
    for label in ("辽宁省 → 鞍山市 → 海城市", "辽宁省 → 大连市", "5.5%左右", "6%左右", "6.5%以上", "6%以上"):
        assert label in gdp, label
    assert "5.5%左右 → 6%左右 → 6.5%以上" in section  # the chains written out, in the table below


def test_the_summary_names_notices_whose_reports_are_not_in_the_release() -> None:
    """A notice with no parent row (a place outside the gazetteer's chain) but reports its title names:
    named with its reports, in row order; one whose parent or report is in the release: not named."""
    base = {"year": 2023, "upper_division_code": None, "upper_jurisdiction": None}
    rows = pd.DataFrame([
        {**base, "notice_id": "乙县-2023", "jurisdiction": "乙县", "steps": None, "report": "乙市政府工作报告",
         "upper_notice_id": None},
        {**base, "notice_id": "乙县-2023", "jurisdiction": "乙县", "steps": None, "report": "甲省政府工作报告",
         "upper_notice_id": None},
        {**base, "notice_id": "丙县-2023", "jurisdiction": "丙县", "steps": None, "report": "丙市政府工作报告",
         "upper_notice_id": "丙市-2023"},
        {**base, "notice_id": "丁县-2023", "jurisdiction": "丁县", "steps": 1, "report": None,
         "upper_jurisdiction": "丁市", "upper_notice_id": "丁市-2023"},
        {**base, "notice_id": "丁县-2023", "jurisdiction": "丁县", "steps": 2, "report": None,
         "upper_jurisdiction": "甲省", "upper_notice_id": None},
    ])
    none = pd.DataFrame(columns=["lower_notice_id", "upper_notice_id"])
    assert coverage(rows, none, none) == [
        "2023 丁市 → 丁县: 0 task links, 0 targets passed down",
        "2023 丙市 → 丙县: 0 task links, 0 targets passed down",
        "乙县-2023: no notice of the reports its title names is in the release (乙市政府工作报告, 甲省政府工作报告)"]
