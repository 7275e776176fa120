"""Issue 6, year over year: the 示例县 fixture pair (2023 → 2024), every link and every change asserted.

The pair was written for these tests: tasks unchanged, reworded, dropped, added and renumbered
(chapter 三 of 2023 became chapter 二), targets moved, and the leader 李华 replaced by 陈刚.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from extract.read import read_notice
from extract.snapshot import snapshot_local
from transform.compare import TaskRef, coverage, link_tasks, same_text
from transform.registry_load import load_registry
from transform.tables import build_tables

FIXTURES = Path(__file__).parent / "fixtures" / "yoy"


def _build(*names: str) -> dict[str, pd.DataFrame]:
    return build_tables([read_notice(snapshot_local(FIXTURES / n)) for n in names], load_registry())


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return _build("shili-2023.txt", "shili-2024.txt")


def _none(v):
    return None if v is None or (isinstance(v, float) and v != v) or v is pd.NA else v


def _records(df: pd.DataFrame, cols: list[str]) -> list[tuple]:
    return [tuple(_none(v) for v in r) for r in df[cols].itertuples(index=False)]


# (task_no 2023, task_no 2024, text_changed) of every continued task
CONTINUED = {
    (1, 1, True),    # 6.5%以上 → 6%
    (2, 2, False),   # the same text (ASCII punctuation in 2023, full-width in 2024: no change)
    (3, 3, True),    # 10%以上 → 8%左右
    (4, 4, False),   # same text, 李华 → 陈刚
    (5, 9, True),    # reworded, renumbered, chapter renamed (推动工业提质增效 → 推动工业高质量发展)
    (6, 10, False),  # same text, renumbered, chapter renamed
    (7, 12, True),   # reworded, 张明 → 王强
    (9, 5, False),   # chapter 三 → 二
    (10, 6, True),   # 建设高标准农田3万亩 → 新建高标准农田5万亩
    (11, 7, True),   # 持续…提升 added, 1000户 → 1500户
    (12, 13, False),
    (14, 14, True),  # 12个 → 15个, 2000户 → 2500户
}
DROPPED = {8, 13}  # 招商引资“百日攻坚”, 农民运动会
NEW = {8, 11, 15}  # 庭院经济, 专精特新, 城镇就业岗位


def test_every_task_link(frames) -> None:
    links = frames["yoy_task_links"]
    assert set(links["jurisdiction"]) == {"示例县"}
    assert set(zip(links["year_from"], links["year_to"], strict=True)) == {(2023, 2024)}
    cont = links[links["status"] == "continued"]
    assert {(int(a), int(b), bool(c)) for a, b, c in
            zip(cont["task_no_from"], cont["task_no_to"], cont["text_changed"], strict=True)} == CONTINUED
    dropped = links[links["status"] == "dropped"]
    assert set(dropped["task_no_from"].astype(int)) == DROPPED and dropped["task_no_to"].isna().all()
    new = links[links["status"] == "new"]
    assert set(new["task_no_to"].astype(int)) == NEW and new["task_no_from"].isna().all()
    assert len(links) == len(CONTINUED) + len(DROPPED) + len(NEW)
    assert (cont["similarity"] >= 0.6).all() and new["similarity"].isna().all()
    # the ids join to tasks of the right notices
    tasks = frames["tasks"].set_index("task_id")
    row = cont[cont["task_no_from"] == 5].iloc[0]
    assert tasks.loc[row["task_id_from"], "notice_id"] == "示例县-2023"
    assert tasks.loc[row["task_id_to"], "task_no"] == 9
    assert row["link_id"] == "示例县-2023-2024-t005-t009"


def test_every_target_change(frames) -> None:
    got = _records(frames["yoy_target_changes"].sort_values(["task_no_to", "change_no"]),
                   ["task_no_from", "task_no_to", "metric", "change", "value_from", "value_to", "unit",
                    "comparator_from", "comparator_to"])
    assert got == [
        (1, 1, "地区生产总值", "changed", 6.5, 6.0, "%", "以上", None),
        (3, 3, "固定资产投资", "changed", 10.0, 8.0, "%", "以上", "左右"),
        (10, 6, "新建高标准农田", "changed", 3.0, 5.0, "万亩", None, None),
        (11, 7, "农村户厕改造", "changed", 1000.0, 1500.0, "户", None, None),
        (5, 9, "实施工业企业技术改造项目", "changed", 20.0, 25.0, "个", "以上", "以上"),
        (7, 12, "谋划储备重点项目", "changed", 100.0, 120.0, "个", "以上", "以上"),
        (14, 14, "老旧小区改造", "changed", 12.0, 15.0, "个", None, None),
        (14, 14, "惠及居民", "changed", 2000.0, 2500.0, "户", None, None),
    ]
    reworded = frames["yoy_target_changes"].query("task_no_to == 6").iloc[0]
    assert reworded["metric_from"] == "建设高标准农田"  # the metric's wording moved with the task


def test_target_added_and_removed() -> None:
    from transform.compare import target_changes

    def t(pos, metric, value, unit="个", comparator=None):
        return {"position": pos, "metric": metric, "direction": None, "value": value, "unit": unit,
                "base_value": value, "base_unit": unit, "comparator": comparator}

    changes = target_changes([t(1, "新建学校", 3, "所"), t(2, "新增学位", 600)],
                             [t(1, "新建学校", 3, "所"), t(2, "新增床位", 200, "张")])
    assert [(c["change"], c["metric"], c["value_from"], c["value_to"]) for c in changes] == [
        ("added", "新增床位", None, 200), ("removed", "新增学位", 600, None)]


def test_leader_replaced_and_tasks_taken_over(frames) -> None:
    p = frames["leader_portfolios"]
    got = {r.leader: (r.status, r.tasks_led, r.tasks_led_before, r.tasks_kept, r.tasks_taken_over,
                      list(r.taken_over_from), r.tasks_new, r.tasks_handed_over, list(r.handed_over_to),
                      r.tasks_dropped)
           for r in p[p["year"] == 2024].itertuples()}
    assert got == {
        "陈刚": ("appears", 5, 0, 0, 4, ["李华"], 1, 0, [], 0),
        "李华": ("leaves", 0, 5, 0, 0, [], 0, 4, ["陈刚"], 1),
        "张明": ("continues", 3, 4, 3, 0, [], 0, 1, ["王强"], 0),
        "王强": ("continues", 4, 2, 2, 1, ["张明"], 1, 0, [], 0),
        "赵敏": ("continues", 3, 3, 2, 0, [], 1, 0, [], 1),
    }
    first = p[p["year"] == 2023]
    assert set(first["status"]) == {"first_year"} and first["previous_year"].isna().all()
    assert dict(zip(first["leader"], first["tasks_led"], strict=True)) == {"张明": 4, "李华": 5, "王强": 2, "赵敏": 3}


def test_unit_workload_and_its_change(frames) -> None:
    w = frames["unit_workload"]
    now = {r.unit: (r.lead_tasks, r.other_tasks, r.lead_change, r.other_change)
           for r in w[w["year"] == 2024].itertuples()}
    assert now["县农业农村局"] == (5, 0, 1, 0)
    assert now["县工业和信息化局"] == (3, 0, 1, 0)
    assert now["县商务局"] == (0, 1, -1, 1)  # led 招商引资 in 2023; shares 庭院经济 in 2024
    assert now["县教育局"] == (1, 0, -1, 0)
    assert now["县人力资源和社会保障局"] == (1, 1, 1, 0)
    assert now["县科学技术局"] == (0, 1, 0, 1)  # new in 2024
    assert now["各有关部门"] == (0, 4, 0, -1)
    assert now["县财政局"] == (1, 5, 0, 0)
    before = w[w["year"] == 2023]
    assert before["lead_change"].isna().all() and before["previous_year"].isna().all()
    assert int(before.loc[before["unit"] == "县农业农村局", "lead_tasks"].iloc[0]) == 4


def test_one_year_says_there_is_nothing_to_compare_with() -> None:
    frames = _build("shili-2024.txt")
    assert frames["yoy_task_links"].empty and frames["yoy_target_changes"].empty
    f = frames["quality_findings"]
    yoy = f[f["check"] == "yoy"]
    assert list(yoy["detail"]) == ["示例县: only 2024 is present; no earlier year to compare with"]
    assert list(yoy["notice_id"]) == ["示例县-2024"]
    assert set(frames["leader_portfolios"]["status"]) == {"first_year"}


def test_two_years_give_no_yoy_finding(frames) -> None:
    assert "yoy" not in set(frames["quality_findings"]["check"])
    assert coverage(frames["notices"]) == [
        ("示例县-2024", "示例县: years 2023, 2024 are present; compared 2023→2024")]


def test_a_jurisdiction_and_year_twice_is_an_error() -> None:
    from extract.errors import NoticeError

    with pytest.raises(NoticeError, match="示例县 2024 is given twice"):
        _build("shili-2024.txt", "shili-2024.txt")


def test_punctuation_form_is_no_text_change() -> None:
    assert same_text("推进A,完成B。", "推进A，完成B。")
    assert not same_text("推进A,完成B。", "持续推进A，完成B。")


def test_link_order_and_statuses_on_plain_refs() -> None:
    before = [TaskRef("a-t001", 1, "全面推进乡村振兴战略实施", "乡村"),
              TaskRef("a-t002", 2, "举办首届农民运动会", "民生")]
    after = [TaskRef("b-t001", 1, "新增城镇就业岗位1200个", "民生"),
             TaskRef("b-t002", 2, "全面推进乡村振兴战略深入实施", "乡村")]
    got = [(ln.status, ln.before.task_no if ln.before else None, ln.after.task_no if ln.after else None)
           for ln in link_tasks(before, after)]
    assert got == [("new", None, 1), ("continued", 1, 2), ("dropped", 2, None)]


def test_task_refs_follow_notice_order_past_task_999() -> None:
    """task_id is `<notice>-t%03d`, so as text t1000 sorts before t101: the order is the notice's."""
    from transform.compare import task_refs

    seqs = [99, 100, 101, 999, 1000, 1001]
    tasks = pd.DataFrame({"task_id": [f"n-t{s:03d}" for s in seqs], "notice_id": "n", "task_no": seqs,
                          "chapter_no": None, "subchapter_no": None, "text": [f"任务{s}" for s in seqs],
                          "line": [s * 4 for s in seqs]})
    chapters = pd.DataFrame(columns=["notice_id", "chapter_no", "subchapter_no", "title"])
    shuffled = tasks.sort_values("task_id")  # as tables are stored: by primary key, as text
    assert [r.task_no for r in task_refs(shuffled, chapters, "n")] == seqs


@pytest.fixture(scope="module")
def per_chapter_db(tmp_path_factory: pytest.TempPathFactory):
    """The database (tables and views) of a two-year pair whose tasks are numbered from 1 in each
    chapter: every task continues, every target moves, every lead leader changes."""
    import duckdb

    from output.arrow import to_arrow
    from output.database import write_database
    from transform.schema import TABLES

    frames = _build("perchapter-2023.txt", "perchapter-2024.txt")
    assert set(frames["notices"]["numbering"]) == {"per_chapter"}
    path = tmp_path_factory.mktemp("db") / "govtasks.duckdb"
    write_database({t.name: to_arrow(frames[t.name], t) for t in TABLES}, path)
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


# (task_no_to, text_to) in the order of the 2024 notice: chapter 一 tasks 1, 2, then chapter 二 tasks 1, 2
NOTICE_ORDER = [(1, "地区生产总值增长6%。"), (2, "一般公共预算收入增长7%。"),
                (1, "建设高标准农田5万亩。"), (2, "培育农民专业合作社25家。")]


def test_yoy_views_keep_notice_order_when_numbers_repeat_per_chapter(per_chapter_db) -> None:
    con = per_chapter_db
    assert con.execute("SELECT task_no_to, text_to FROM yoy_tasks").fetchall() == NOTICE_ORDER
    assert con.execute("SELECT task_no_to, task_text FROM yoy_leader_handovers").fetchall() == NOTICE_ORDER
    assert con.execute("SELECT task_no_to, task_text FROM yoy_target_moves").fetchall() == NOTICE_ORDER
    assert con.execute("SELECT leaders_from, leaders_to FROM yoy_leader_handovers").fetchall() == [
        (["张明"], ["王强"])] * 2 + [(["李华"], ["陈刚"])] * 2
    assert con.execute("SELECT target_from, target_to FROM yoy_target_moves").fetchall() == [
        ("6.5%以上", "6%"), ("8%以上", "7%"), ("3万亩", "5万亩"), ("20家", "25家")]
