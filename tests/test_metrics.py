"""Issue 13, metrics as reviewed data: one id per indicator for its spellings across notices and levels."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.errors import NoticeError
from extract.read import read_notice
from extract.snapshot import snapshot_local
from transform.metrics import load_metrics, metric_id, metric_name, strip_level_prefixes
from transform.names import load_registry
from transform.tables import build_tables

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("printed", "expected"), [
    ("地区生产总值", "gdp"), ("全省地区生产总值", "gdp"), ("全市生产总值", "gdp"), ("生产总值", "gdp"),
    ("GDP", "gdp"), ("ＧＤＰ", "gdp"), ("全县 地区生产总值", "gdp"),
    ("一般公共预算收入", "general_budget_revenue"), ("地方一般公共预算收入", "general_budget_revenue"),
    ("全市地方一般公共预算收入", "general_budget_revenue"),
    ("固定资产投资", "fixed_asset_investment"), ("社会消费品零售总额", "retail_sales"),
    ("城镇居民人均可支配收入", "urban_disposable_income"), ("农村居民人均可支配收入", "rural_disposable_income"),
    ("规模以上工业增加值", "industrial_value_added"), ("规上工业增加值", "industrial_value_added"),
    ("城镇新增就业", "urban_new_jobs"), ("全省城镇新增就业", "urban_new_jobs"),
    ("城镇调查失业率", "surveyed_unemployment"), ("登记失业率", "registered_unemployment"),
    ("居民消费价格涨幅", "cpi"), ("外贸进出口总额", "trade_total"), ("进出口总额", "trade_total"),
    ("实际利用外资", "foreign_investment"), ("实际使用外资", "foreign_investment"),
])
def test_spellings_share_one_id(printed: str, expected: str) -> None:
    assert metric_id(printed) == expected


@pytest.mark.parametrize("printed", ["新建学校", "能耗", "高新技术企业", "全省", "", None, "地区生产总值增速目标"])
def test_unlisted_metrics_have_no_id(printed: str | None) -> None:
    assert metric_id(printed) is None


def test_surveyed_and_registered_unemployment_are_two_metrics() -> None:
    assert metric_id("城镇调查失业率") != metric_id("城镇登记失业率")


def test_level_prefixes_are_stripped_repeatedly_but_not_to_nothing() -> None:
    assert strip_level_prefixes("全省地区生产总值") == "地区生产总值"
    assert strip_level_prefixes("我市全市生产总值") == "生产总值"
    assert strip_level_prefixes("全市") == "全市"


def test_every_metric_has_its_name_among_its_spellings_with_a_reason() -> None:
    vocab = load_metrics()
    assert metric_name("gdp") == "地区生产总值"
    reasons = {"official", "short", "english", "scope", "former", "variant"}
    for m in vocab.metrics.values():
        assert m.spellings[m.name] == "official"
        assert set(m.spellings.values()) <= reasons


def test_bundled_notice_targets_carry_metric_ids() -> None:
    frames = build_tables([read_notice(snapshot_local(ROOT / "data" / "notices" / "haicheng-2023.txt"))],
                          load_registry())
    t = frames["targets"]
    ids = {(r.task_id.rsplit("-", 1)[1], r.metric): r.metric_id for r in t.itertuples() if isinstance(r.metric_id, str)}
    assert ids == {
        ("t001", "地区生产总值"): "gdp",
        ("t002", "一般公共预算收入"): "general_budget_revenue",
        ("t003", "固定资产投资"): "fixed_asset_investment",
        ("t004", "社会消费品零售总额"): "retail_sales",
        ("t005", "规模以上工业增加值"): "industrial_value_added",
        ("t046", "粮食播种面积"): "grain_area",
        ("t081", "城镇新增就业"): "urban_new_jobs",
        ("t081", "登记失业率"): "registered_unemployment",
    }


def _vocab(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "metrics.yaml"
    p.write_text("level_prefixes: [全省, 全市]\nreasons: {official: o, short: s}\nmetrics:\n" + body, encoding="utf-8")
    return p


@pytest.mark.parametrize(("body", "problem"), [
    ("  gdp: {name: 地区生产总值, en: x, spellings: {地区生产总值: official, 生产总值: guessed}}\n",
     "spelling '生产总值' has reason 'guessed'"),
    ("  gdp: {name: 地区生产总值, en: x, spellings: {地区生产总值: official}}\n"
     "  gdp2: {name: 生产总值, en: y, spellings: {生产总值: official, 地区生产总值: short}}\n",
     "spelling '地区生产总值' is listed for both gdp and gdp2"),
    ("  gdp: {name: 地区生产总值, en: x, spellings: {地区生产总值: official, 全省生产总值: short}}\n",
     "starts with a level prefix"),
    ("  GDP: {name: 地区生产总值, en: x, spellings: {地区生产总值: official}}\n", "must be lower_snake_case"),
    ("  gdp: {name: 地区生产总值, en: x, spellings: {生产总值: official}}\n", "must be one of its spellings"),
])
def test_a_bad_vocabulary_fails_with_its_file_and_entry(tmp_path: Path, body: str, problem: str) -> None:
    path = _vocab(tmp_path, body)
    with pytest.raises(NoticeError, match=problem) as e:
        load_metrics(path)
    assert str(path) in str(e.value)
