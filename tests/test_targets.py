"""Quantitative targets in task texts (transform/targets.py, transform/units_of_measure.yaml)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extract.model import Header, ParsedNotice, RawTask, Source
from transform.registry_load import load_registry
from transform.schema import table
from transform.tables import build_tables
from transform.targets import Target, extract_targets, read_unit, vocabulary

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "notices" / "haicheng-2023.txt"


def T(metric: str, direction: str | None, value: float, unit: str, base_value: float, base_unit: str,
      comparator: str | None, raw: str) -> Target:
    return Target(metric, direction, value, unit, base_value, base_unit, comparator, raw)


# Task texts of the reference notice (haicheng-2023), as printed, with every target they hold.
REFERENCE_TASKS: dict[int, tuple[str, list[Target]]] = {
    1: ("地区生产总值增长6.5%以上。",
        [T("地区生产总值", "增长", 6.5, "%", 6.5, "%", "以上", "地区生产总值增长6.5%以上")]),
    2: ("一般公共预算收入增长8%以上。",
        [T("一般公共预算收入", "增长", 8, "%", 8, "%", "以上", "一般公共预算收入增长8%以上")]),
    3: ("固定资产投资增长15%以上。",
        [T("固定资产投资", "增长", 15, "%", 15, "%", "以上", "固定资产投资增长15%以上")]),
    4: ("社会消费品零售总额增长10%以上。",
        [T("社会消费品零售总额", "增长", 10, "%", 10, "%", "以上", "社会消费品零售总额增长10%以上")]),
    5: ("规模以上工业增加值增长7%以上。",
        [T("规模以上工业增加值", "增长", 7, "%", 7, "%", "以上", "规模以上工业增加值增长7%以上")]),
    12: ("积极引进一批投资体量大、带动能力强,有利于壮大产业集群、拉长产业链条的优质项目,"
         "确保全年签约亿元以上项目93个以上,引进域外资金112亿元。",
         [T("签约亿元以上项目", None, 93, "个", 93, "个", "以上", "签约亿元以上项目93个以上"),
          T("引进域外资金", None, 112, "亿元", 11_200_000_000, "元", None, "引进域外资金112亿元")]),
    46: ("深入实施“藏粮于地、藏粮于技”战略,抓好“米袋子”“菜篮子”,确保粮食播种面积稳定在120万亩,"
         "产量保持在11亿斤以上,生猪养殖量稳定在90万头、家禽饲养量稳定在7000万只以上。",
         [T("粮食播种面积", "稳定在", 120, "万亩", 1_200_000, "亩", None, "粮食播种面积稳定在120万亩"),
          T("产量", "保持在", 11, "亿斤", 1_100_000_000, "斤", "以上", "产量保持在11亿斤以上"),
          T("生猪养殖量", "稳定在", 90, "万头", 900_000, "头", None, "生猪养殖量稳定在90万头"),
          T("家禽饲养量", "稳定在", 7000, "万只", 70_000_000, "只", "以上", "家禽饲养量稳定在7000万只以上")]),
    67: ("深入贯彻实施“绿满辽宁”工程,有序推进历史遗留废弃工矿土地整治和闭坑矿山自主修复。"
         "加大村屯绿化力度,完成造林2000亩,义务植树100万株。",
         [T("造林", "完成", 2000, "亩", 2000, "亩", None, "完成造林2000亩"),
          T("义务植树", None, 100, "万株", 1_000_000, "株", None, "义务植树100万株")]),
    81: ("健全就业公共服务体系,继续推进“互联网+就业创业”信息系统应用,保障高校毕业生、退役军人、残疾人、"
         "农民工等重点群众就业,确保城镇新增就业6000人以上、登记失业率控制在5%以内。",
         [T("城镇新增就业", None, 6000, "人", 6000, "人", "以上", "城镇新增就业6000人以上"),
          T("登记失业率", "控制在", 5, "%", 5, "%", "以内", "登记失业率控制在5%以内")]),
}


def reference_task_texts() -> dict[int, str]:
    """Task number → task text, from the numbered lines of the bundled reference notice."""
    texts = {}
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"^(\d+)\.(\S.*)$", line):
            texts[int(m.group(1))] = m.group(2)
    return texts


@pytest.mark.parametrize("task_no", sorted(REFERENCE_TASKS))
def test_reference_tasks_give_exactly_their_targets(task_no: int) -> None:
    text, expected = REFERENCE_TASKS[task_no]
    assert reference_task_texts()[task_no] == text  # the texts above are the notice's own
    assert extract_targets(text) == expected


def test_values_are_the_printed_decimals() -> None:
    (t,) = extract_targets("地区生产总值增长6.5%以上。")
    assert t.value == 6.5 and repr(t.value) == "6.5"
    (t,) = extract_targets("力争市场采购贸易方式试点出口达到6.5亿美元。")
    assert (t.value, t.unit, t.base_value, t.base_unit) == (6.5, "亿美元", 650_000_000, "美元")
    assert repr(t.base_value) == "650000000.0"


def test_whole_reference_notice() -> None:
    """Which of the 102 tasks hold targets, and how many: a guard against new false positives."""
    texts = reference_task_texts()
    assert len(texts) == 102
    counts = {no: len(ts) for no, text in texts.items() if (ts := extract_targets(text))}
    assert counts == {1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 12: 2, 13: 1, 17: 1, 30: 2, 31: 1, 32: 1, 33: 1, 35: 1,
                      40: 1, 46: 4, 49: 1, 55: 2, 59: 1, 60: 1, 61: 1, 62: 1, 63: 1, 67: 2, 69: 1, 81: 2}


@pytest.mark.parametrize(("text", "expected"), [
    # a quantity inside the metric qualifies it; the target is the one closing the clause
    ("确保全年开复工5000万元以上项目超过120个。",
     [T("开复工5000万元以上项目", None, 120, "个", 120, "个", "超过", "开复工5000万元以上项目超过120个")]),
    # a leading direction, a prefix comparator
    ("全年力争新增镁建材产值突破3亿元;",
     [T("镁建材产值", "新增", 3, "亿元", 300_000_000, "元", "突破", "新增镁建材产值突破3亿元")]),
    # a count before its noun, after a leading direction
    ("加大科研院所引进力度,至少新增1家实质性产学研联盟。",
     [T("实质性产学研联盟", "新增", 1, "家", 1, "家", "至少", "至少新增1家实质性产学研联盟")]),
    # a trailer after the target
    ("努力实现能耗下降3.2%的任务目标。", [T("能耗", "下降", 3.2, "%", 3.2, "%", None, "能耗下降3.2%")]),
    # qualifiers and bracketed asides are not part of the metric
    ("地区生产总值(GDP)同比增长6%左右。",
     [T("地区生产总值", "增长", 6, "%", 6, "%", "左右", "地区生产总值(GDP)同比增长6%左右")]),
    # full-width digits and percent sign read like ASCII; raw keeps the printed form
    ("粮食产量达到２５亿斤以上",
     [T("粮食产量", "达到", 25, "亿斤", 2_500_000_000, "斤", "以上", "粮食产量达到２５亿斤以上")]),
    ("城镇登记失业率控制在４.５％以内。",
     [T("城镇登记失业率", "控制在", 4.5, "%", 4.5, "%", "以内", "城镇登记失业率控制在４.５％以内")]),
    # a unit beginning with a magnitude character wins: 个百分点, 万 + 千瓦
    ("单位GDP能耗下降0.5个百分点。",
     [T("单位GDP能耗", "下降", 0.5, "个百分点", 0.5, "个百分点", None, "单位GDP能耗下降0.5个百分点")]),
    ("新增装机15万千瓦。", [T("装机", "新增", 15, "万千瓦", 150_000, "千瓦", None, "新增装机15万千瓦")]),
    # synonyms map to one published word
    ("城镇化率提高到65%", [T("城镇化率", "达到", 65, "%", 65, "%", None, "城镇化率提高到65%")]),
    ("人口约100万人。", [T("人口", None, 100, "万人", 1_000_000, "人", "左右", "人口约100万人")]),
    ("高新技术企业达到50家及以上。",
     [T("高新技术企业", "达到", 50, "家", 50, "家", "以上", "高新技术企业达到50家及以上")]),
    # two targets joined by 和; thousands separators
    ("新增企业10家以上和项目5个。",
     [T("企业", "新增", 10, "家", 10, "家", "以上", "新增企业10家以上"),
      T("项目", None, 5, "个", 5, "个", None, "项目5个")]),
    ("全年新增就业1,200人。", [T("就业", "新增", 1200, "人", 1200, "人", None, "新增就业1,200人")]),
])
def test_reading_rules(text: str, expected: list[Target]) -> None:
    assert extract_targets(text) == expected


@pytest.mark.parametrize("text", [
    "尽快完成5G布局应用。",  # 5G is a name
    "启动3.6公里园区两纵三横路网、3.8公里抚鲅输油管线、10千伏南草干电力线路等配套建设。",  # sizes of things
    "电压等级10千伏。",  # equipment specification, 千伏 is no unit
    "完成开发区66KV海中一二线1号—17号迁移改线、辽宁镁晶建材科技有限公司10KV线路建设。",
    "深入学习党的二十大精神。",  # Chinese numerals are not read
    "2023年3月17日前完成。",  # dates
    "重点推进投资1亿元的海城市鑫荣智能装备等项目建设。",  # the investment describes the project
    "推进投资1.5亿元鞍山辉虹新型特种树脂材料等项目落地。",
    "项目总投资1.2亿元。",  # a describing metric
    "率先完成6000平方米标准化厂房交付。",  # a measure before its noun
    "持续开展广济医院周边小区、隆盛达周边小区等3个开放式住宅区楼本体改造工程。",
    "地区生产总值增长6%—7%。",  # ranges
    "新增3至5万亩。",
    "新增企业5-10个。",
    "由5%提高到7%。",  # from … to …
    "高新技术企业、科技型中小企业分别达到50家、100家。",  # 分别 pairs lists
    "排名第3位。",  # ordinals
    "确保3个月内完成。",
    "增长不低于6.5%。",  # no metric
])
def test_not_targets(text: str) -> None:
    assert extract_targets(text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("万株", ("万株", "株", 10_000)),
    ("亿元", ("亿元", "元", 100_000_000)),
    ("千万元", ("千万元", "元", 10_000_000)),
    ("亩", ("亩", "亩", 1)),
    ("千瓦时", ("千瓦时", "千瓦时", 1)),
    ("万千瓦", ("万千瓦", "千瓦", 10_000)),
    ("个百分点", ("个百分点", "个百分点", 1)),
    ("%以上", ("%", "%", 1)),
])
def test_read_unit(text: str, expected: tuple[str, str, int]) -> None:
    assert read_unit(text, 0) == expected


@pytest.mark.parametrize("text", ["千伏", "KV", "G", "号", "年", "万"])
def test_read_unit_refuses(text: str) -> None:
    assert read_unit(text, 0) is None


def test_schema_enums_match_the_vocabulary() -> None:
    """The targets table's enums are the published words of units_of_measure.yaml, nothing else."""
    tbl = table("targets")
    v = vocabulary()
    assert tuple(sorted(tbl.column("comparator").enum)) == v.comparators
    assert tuple(sorted(tbl.column("direction").enum)) == v.directions
    assert tbl.primary_key == ("task_id", "position")


def test_build_tables_fills_targets() -> None:
    notice = ParsedNotice(
        source=Source(name="t.txt", sha256="0" * 64),
        header=Header(jurisdiction="海城市", year=2023, title="海城市2023年政府工作报告任务分解方案"),
        sections=[],
        tasks=[RawTask(1, None, None, "地区生产总值增长6.5%以上。", 3),
               RawTask(2, None, None, "加强作风建设。", 4),
               RawTask(3, None, None, "完成造林2000亩,义务植树100万株。", 5)],
    )
    df = build_tables([notice], load_registry())["targets"]
    assert list(df.columns) == table("targets").column_names
    rows = df[["task_id", "position", "metric", "base_value", "base_unit"]].to_records(index=False).tolist()
    assert rows == [
        ("海城市-2023-t001", 1, "地区生产总值", 6.5, "%"),
        ("海城市-2023-t003", 1, "造林", 2000.0, "亩"),
        ("海城市-2023-t003", 2, "义务植树", 1e6, "株"),
    ]
    assert df["direction"].isna().tolist() == [False, False, True]
    assert df["comparator"].isna().tolist() == [False, True, True]


# ---------------------------------------------------------------- review finding 10


@pytest.mark.parametrize("text", [
    "实现增长-2%。", "地区生产总值增长-2%。", "地区生产总值增长－2%。", "利润增长负2%。", "增长 - 2%。",
])
def test_negative_numbers_are_skipped(text: str) -> None:
    assert extract_targets(text) == []


def test_a_leading_year_is_no_part_of_the_metric() -> None:
    assert extract_targets("2023年新增高新技术企业10家。") == [
        T("高新技术企业", "新增", 10, "家", 10, "家", None, "新增高新技术企业10家")]
    assert extract_targets("2023年地区生产总值增长6%。") == [
        T("地区生产总值", "增长", 6, "%", 6, "%", None, "地区生产总值增长6%")]
    # 投资 alone is a describing word (not_metrics), with or without the year
    assert extract_targets("2023年完成投资100亿元。") == extract_targets("完成投资100亿元。") == []


def test_only_an_ascii_comma_separates_thousands() -> None:
    assert extract_targets("全年新增就业1,200人以上。") == [
        T("就业", "新增", 1200, "人", 1200, "人", "以上", "新增就业1,200人以上")]
    assert extract_targets("全年新增就业1，200人以上。") == []  # 1 | 200人以上: no metric before 200
    got = extract_targets("新增企业1，新增就业200人。")
    assert [(t.metric, t.value) for t in got] == [("就业", 200)]
