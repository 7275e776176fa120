"""Name registry: units and leaders normalized, typed and scoped (issue 4, NORMALIZATION.md)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from extract.errors import NoticeError
from extract.model import Header, ParsedNotice, RawTask, Source
from extract.read import read_notice
from extract.snapshot import snapshot_local
from flows.names_cli import names_app
from transform.leaders import LeaderNameError, leader_kind, resolve_leaders
from transform.naming import REGISTRY_DIR, full_name, jurisdiction_prefix
from transform.registry_load import load_registry
from transform.suggestions import format_unknown, suggest, unknown_message, unknown_names
from transform.tables import build_tables
from transform.unit_resolution import notice_spellings, resolve_units

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "notices" / "haicheng-2023.txt"
UNSEEN = Path(__file__).parent / "fixtures" / "names" / "qinghe-2024.txt"
HC = "海城市"

REFERENCE_UNITS = [
    "东四方台街道", "中国移动海城分公司", "中小镇", "人民银行海城支行", "南台镇",
    "各主要经济指标牵头单位", "各开发区", "各有关部门", "各有关镇（街道）", "各镇（街道）", "国网海城供电公司",
    "岔沟镇", "市交通运输局", "市人力资源和社会保障局", "市人民检察院", "市人民法院",
    "市住房和城乡建设局", "市党群服务中心", "市公安局", "市农业农村局", "市医疗保障局",
    "市卫生健康局", "市发展和改革局", "市司法局", "市商务局", "市妇女联合会", "市委宣传部",
    "市委市政府信访局", "市委政法委员会", "市委机构编制委员会办公室", "市委组织部", "市审计局",
    "市工业和信息化局", "市市场监督管理局", "市应急管理局", "市政府办公室", "市教育局",
    "市文化旅游和广播电视局", "市文旅集团", "市残疾人联合会", "市民政局", "市水利局", "市水务集团",
    "市消防救援大队", "市直各部门", "市税务局", "市综合行政执法局", "市自然资源局",
    "市营商环境建设局", "市财政局", "市退役军人事务局", "市金财公司", "感王镇", "海城中心医院",
    "海城市中医院", "海城市创建全国文明城市工作领导小组各成员单位", "海城经济开发区", "牌楼镇",
    "牛庄镇", "腾鳌经济开发区", "腾鳌镇", "西四镇", "西柳镇", "鞍山市生态环境局海城分局",
]


@pytest.fixture(scope="module")
def reg():  # type: ignore[no-untyped-def]
    return load_registry()


@pytest.fixture(scope="module")
def reference(reg) -> dict[str, pd.DataFrame]:  # type: ignore[no-untyped-def]
    return build_tables([read_notice(snapshot_local(REFERENCE))], reg)


def units(raw: str, reg, jur: str = HC, **kw) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.unit for r in resolve_units(raw, jur, reg, **kw)]


# ---------------------------------------------------------------- the reference notice


def test_reference_notice_normalized_unit_set(reference: dict[str, pd.DataFrame]) -> None:
    assert sorted(reference["units"]["name"]) == REFERENCE_UNITS
    assert set(reference["units"]["jurisdiction"]) == {HC}


def test_reference_notice_has_no_unknown_names(reference: dict[str, pd.DataFrame], reg) -> None:  # type: ignore[no-untyped-def]
    assert "unknown" not in set(reference["task_units"]["match"])
    assert unknown_names(reference, reg) == []
    assert reference["quality_findings"].query("check == 'unknown_unit'").empty
    assert reference["units"]["in_registry"].all()


def test_reference_units_are_typed_with_full_names(reference: dict[str, pd.DataFrame]) -> None:
    u = reference["units"].set_index("name")
    assert u.loc["市发展和改革局", "full_name"] == "海城市发展和改革局"
    assert u.loc["市发展和改革局", "unit_type"] == "government_department"
    assert u.loc["市委组织部", "unit_type"] == "party_organ"
    assert u.loc["海城经济开发区", "unit_type"] == "development_zone"
    assert u.loc["西四镇", "unit_type"] == "town"
    assert u.loc["东四方台街道", "unit_type"] == "street"
    assert u.loc["国网海城供电公司", "unit_type"] == "enterprise"
    assert u.loc["市人民法院", "unit_type"] == "court_procuratorate"
    assert u.loc["市妇女联合会", "unit_type"] == "peoples_organization"
    assert u.loc["鞍山市生态环境局海城分局", "unit_type"] == "branch"
    assert u.loc["海城中心医院", "unit_type"] == "hospital_school"
    assert u.loc["各镇（街道）", "unit_type"] == "collective"
    assert u["unit_type"].notna().all()


@pytest.mark.parametrize(("raw", "expected", "match"), [
    ("市卫健局", ["市卫生健康局"], "alias"),
    ("市交通和运输局", ["市交通运输局"], "alias"),
    ("市住建局", ["市住房和城乡建设局"], "alias"),
    ("市住房城乡建设局", ["市住房和城乡建设局"], "alias"),
    ("市发展改革局", ["市发展和改革局"], "alias"),
    ("市工信局", ["市工业和信息化局"], "alias"),
    ("市应急局", ["市应急管理局"], "alias"),
    ("市文化旅游和电视广播局", ["市文化旅游和广播电视局"], "alias"),
    ("市财政局(金融局)", ["市财政局"], "alias"),
    ("市财政局（金融局）", ["市财政局"], "alias"),
    ("海城供电公司", ["国网海城供电公司"], "alias"),
    ("市供电公司", ["国网海城供电公司"], "alias"),
    ("市政法委", ["市委政法委员会"], "alias"),
    ("市检察院", ["市人民检察院"], "alias"),
    ("市发展和改革局", ["市发展和改革局"], "canonical"),
])
def test_reference_merges(reg, raw: str, expected: list[str], match: str) -> None:  # type: ignore[no-untyped-def]
    got = resolve_units(raw, HC, reg)
    assert [r.unit for r in got] == expected
    assert {r.match for r in got} == {match}


def test_dropped_prefix_is_restored(reg) -> None:  # type: ignore[no-untyped-def]
    got = resolve_units("市工业和信息化局、商务局", HC, reg)
    assert [(r.unit, r.raw, r.match) for r in got] == [
        ("市工业和信息化局", "市工业和信息化局", "canonical"), ("市商务局", "商务局", "rule")]


def test_shared_suffix_gives_three_towns(reg) -> None:  # type: ignore[no-untyped-def]
    raw = "市住房和城乡建设局、市财政局等各有关部门,各开发区,西四、牛庄、岔沟等镇(街道)"
    got = resolve_units(raw, HC, reg)
    assert [r.unit for r in got] == ["市住房和城乡建设局", "市财政局", "各有关部门", "各开发区",
                                     "西四镇", "牛庄镇", "岔沟镇"]
    assert {r.raw for r in got[-3:]} == {"西四、牛庄、岔沟等镇(街道)"}
    assert all(r.record and r.record.unit_type == "town" for r in got[-3:])


def test_shared_suffix_picks_street_from_the_registry(reg) -> None:  # type: ignore[no-untyped-def]
    assert units("牌楼、东四方台等镇(街道)", reg) == ["牌楼镇", "东四方台街道"]


@pytest.mark.parametrize("raw", ["各开发区、镇(街道)", "各开发区,镇(街道)", "各开发区，镇（街道）",
                                 "各开发区、镇（街道）"])
def test_development_zones_and_towns_collective(reg, raw: str) -> None:  # type: ignore[no-untyped-def]
    assert units(raw, reg) == ["各开发区", "各镇（街道）"]


def test_etc_before_a_collective_and_list_positions(reg) -> None:  # type: ignore[no-untyped-def]
    got = resolve_units("市人力资源和社会保障局、市残联等各有关部门,各开发区、镇(街道)", HC, reg)
    assert [(r.unit, r.raw) for r in got] == [
        ("市人力资源和社会保障局", "市人力资源和社会保障局"),
        ("市残疾人联合会", "市残联等各有关部门"),
        ("各有关部门", "市残联等各有关部门"),
        ("各开发区", "各开发区、镇(街道)"),
        ("各镇（街道）", "各开发区、镇(街道)"),
    ]


@pytest.mark.parametrize("raw", ["各有关部门", "各相关部门", "有关部门", "相关部门"])
def test_collective_spellings_are_one(reg, raw: str) -> None:  # type: ignore[no-untyped-def]
    assert units(raw, reg) == ["各有关部门"]


def test_towns_collective_variants(reg) -> None:  # type: ignore[no-untyped-def]
    # the towns concerned are not every town (docs/NORMALIZATION.md, "Collectives")
    assert units("相关镇(街道)", reg) == ["各有关镇（街道）"]
    assert units("有关镇（街道）", reg) == ["各有关镇（街道）"]
    assert units("各镇(街道)", reg) == ["各镇（街道）"]
    assert units("各镇、街道", reg) == ["各镇（街道）"]


def test_task_units_keep_role_position_and_raw(reference: dict[str, pd.DataFrame]) -> None:
    tu = reference["task_units"]
    tid = reference["tasks"].query("task_no == 1")["task_id"].iloc[0]
    rows = tu[tu.task_id == tid].sort_values(["role", "position"])
    assert list(zip(rows.role, rows.position, rows.unit, rows.raw_name, strict=True)) == [
        ("lead", 1, "市发展和改革局", "市发展和改革局"),
        ("other", 1, "各有关部门", "各有关部门"),
        ("other", 2, "各开发区", "各开发区、镇(街道)"),
        ("other", 3, "各镇（街道）", "各开发区、镇(街道)"),
    ]


# ---------------------------------------------------------------- scope and unseen jurisdictions


def test_each_city_keeps_its_own_canonical_name(reg) -> None:  # type: ignore[no-untyped-def]
    assert units("市发展改革委", reg, "鞍山市") == ["市发展改革委"]
    assert units("市发展和改革局", reg, "鞍山市") == ["市发展和改革局"]
    assert units("市发展改革局", reg, HC) == ["市发展和改革局"]
    # the registry's spelling wins in a registry jurisdiction, even for a form it lists no alias for
    assert units("市发改委", reg, HC) == ["市发展和改革局"]


def test_abbreviation_expands_to_the_notices_own_spelling(reg) -> None:  # type: ignore[no-untyped-def]
    sp = notice_spellings(["市发展改革委", "市发展改革委、市财政局"], "鞍山市", reg)
    assert units("市发改委", reg, "鞍山市", spellings=sp) == ["市发展改革委"]
    assert units("市发改委", reg, "鞍山市") == ["市发展和改革委员会"]
    assert units("市发改局", reg, "鞍山市") == ["市发展和改革局"]


def test_county_prefix_rule(reg) -> None:  # type: ignore[no-untyped-def]
    got = resolve_units("县发改局、县卫健局、住建局", "岫岩满族自治县", reg)
    assert [(r.unit, r.match) for r in got] == [
        ("县发展和改革局", "rule"), ("县卫生健康局", "rule"), ("县住房和城乡建设局", "rule")]
    assert got[0].record is not None and got[0].record.full_name == "岫岩满族自治县发展和改革局"
    assert not got[0].in_registry


def test_unseen_city_notice_standard_departments_recognized(reg) -> None:  # type: ignore[no-untyped-def]
    t = build_tables([read_notice(snapshot_local(UNSEEN))], reg)
    tu = t["task_units"]
    assert set(t["notices"]["jurisdiction"]) == {"青禾市"}
    got = dict(zip(tu.raw_name, tu.unit, strict=True))
    assert got["市工信局"] == "市工业和信息化局"
    assert got["商务局"] == "市商务局"
    assert got["市住建局"] == "市住房和城乡建设局"
    assert got["市发改委"] == "市发展改革委"  # the notice's own spelling, not the standard one
    assert got["市卫健委"] == "市卫生健康委员会"
    assert got["市人社局"] == "市人力资源和社会保障局"
    assert got["市市场监管局"] == "市市场监督管理局"
    assert got["市应急局"] == "市应急管理局"
    assert got["市文旅广电局"] == "市文化旅游和广播电视局"
    assert got["市残联"] == "市残疾人联合会"
    assert set(tu[tu.unit == "市委组织部"]["match"]) == {"rule"}
    assert t["units"].set_index("name").loc["市委组织部", "full_name"] == "中共青禾市委组织部"
    # only the town, which no general rule can vouch for, is unknown
    assert sorted(set(tu[tu.match == "unknown"]["unit"])) == ["石桥镇"]
    assert not t["units"].set_index("name").loc["石桥镇", "in_registry"]


# ---------------------------------------------------------------- unknown names


def test_unknown_report_names_unit_task_and_candidates(reg) -> None:  # type: ignore[no-untyped-def]
    t = build_tables([read_notice(snapshot_local(UNSEEN))], reg)
    found = unknown_names(t, reg)
    assert [(u.unit, u.task_no, u.line, u.role, u.position) for u in found] == [("石桥镇", 4, 20, "other", 3)]
    assert found[0].source_name == "qinghe-2024.txt"
    assert found[0].suggested_type == "town"
    msg = unknown_message(found)
    assert "石桥镇" in msg and "qinghe-2024.txt:20: task 4 (other #3)" in msg and "--allow-unknown" in msg
    qf = t["quality_findings"]
    qf = qf[qf["check"] == "unknown_unit"]
    assert len(qf) == 1 and "石桥镇" in qf["detail"].iloc[0]


def test_unknown_candidates_come_from_the_registry(reg) -> None:  # type: ignore[no-untyped-def]
    got = resolve_units("市卫生建康局", HC, reg)  # a misspelling nobody has registered
    assert got[0].match == "unknown"
    assert suggest(got[0].unit, HC, reg)[0] == "市卫生健康局"


# ---------------------------------------------------------------- leaders


def test_leaders_whitespace_removed_never_merged(reference: dict[str, pd.DataFrame]) -> None:
    leaders = reference["leaders"]
    assert set(leaders["jurisdiction"]) == {HC}
    names = set(leaders["name"])
    assert {"刘哲", "赵旭", "王威", "王巍", "夏应"} <= names
    assert not any(" " in n or "\u3000" in n for n in names)
    assert leaders["leader_id"].is_unique
    assert set(leaders["kind"]) == {"person"}
    raw = set(reference["task_leaders"]["raw_name"])
    assert "刘 哲" in raw and "刘哲" in raw


def test_leader_splitting_and_kinds() -> None:
    assert [p.name for p in resolve_leaders("刘\u3000哲、王\u00a0巍,李鹏飞")] == ["刘哲", "王巍", "李鹏飞"]
    assert [p.name for p in resolve_leaders("刘兴达 王丽敏")] == ["刘兴达", "王丽敏"]
    assert leader_kind("刘兴达") == "person"
    assert leader_kind("市政府常务副市长") == "role"
    assert leader_kind("省政府分管领导同志") == "role"
    assert leader_kind("市长负责事项") == "group"


# ---------------------------------------------------------------- the registry files and the CLI


def test_registry_rows_are_checked(tmp_path: Path) -> None:
    d = tmp_path / "registry"
    shutil.copytree(REGISTRY_DIR, d)
    with (d / "aliases.csv").open("a", encoding="utf-8") as f:
        f.write("海城市,市发委,市发展和改革局,shorthand\n")
    with pytest.raises(NoticeError, match=r"aliases\.csv:\d+: reason 'shorthand'"):
        load_registry(d)


def test_cli_shows_registry_and_unknown_names() -> None:
    runner = CliRunner()
    shown = runner.invoke(names_app, ["--jurisdiction", HC])
    assert shown.exit_code == 0
    assert "市卫生健康局" in shown.output and "市卫健局 (abbreviation)" in shown.output
    unknown = runner.invoke(names_app, ["unknown", str(UNSEEN)])
    assert unknown.exit_code == 0, unknown.output
    assert "task 4" in unknown.output and "青禾市,石桥镇,青禾市石桥镇,town" in unknown.output
    clean = runner.invoke(names_app, ["unknown", str(REFERENCE)])
    assert "No unknown unit names" in clean.output


def test_cli_does_not_import_prefect() -> None:
    code = "import sys, flows.names_cli; assert 'prefect' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# ---------------------------------------------------------------- review findings (3, 11, duplicated knowledge)


def _notice(leaders: str) -> ParsedNotice:
    return ParsedNotice(
        source=Source(name="leaders.txt", sha256="0" * 64),
        header=Header(jurisdiction=HC, year=2023, title="海城市2023年政府工作报告任务分解方案"),
        sections=[],
        tasks=[RawTask(1, None, None, "加强作风建设。", 3, lead_leaders="刘兴达"),
               RawTask(2, None, None, "推进项目建设。", 7, lead_leaders=leaders, lead_units="市财政局")],
    )


def test_leaders_separated_by_white_space_are_not_merged() -> None:
    got = resolve_leaders("刘 哲 王丽敏")
    assert [(p.name, p.raw) for p in got] == [("刘哲", "刘 哲"), ("王丽敏", "王丽敏")]
    got = resolve_leaders("刘兴达 王丽敏 张 三")
    assert [(p.name, p.raw) for p in got] == [("刘兴达", "刘兴达"), ("王丽敏", "王丽敏"), ("张三", "张 三")]
    assert [p.name for p in resolve_leaders("王\u3000巍　夏 应、李鹏飞")] == ["王巍", "夏应", "李鹏飞"]


def test_reference_notice_gives_its_13_leaders(reference: dict[str, pd.DataFrame]) -> None:
    assert sorted(reference["leaders"]["name"]) == sorted([
        "刘兴达", "刘哲", "汪忠野", "刘鹏", "赵旭", "王丽敏", "李鹏飞", "杨野", "王巍", "夏应", "高光楠",
        "王威", "王宗吉"])


@pytest.mark.parametrize(("leaders", "problem"), [
    ("刘 王丽敏", "single character '刘'"),
    ("刘兴达、王丽敏 张", "single character '张'"),
    ("牵头单位：市发展和改革局", "leader '牵头单位：市发展和改革局' looks like a unit or a label"),
    ("刘兴达、市发改委", "leader '市发改委' looks like a unit or a label"),
    ("市党群服务中心", "looks like a unit or a label"),
])
def test_leader_parsing_slips_fail_with_file_line_and_task(leaders: str, problem: str) -> None:
    with pytest.raises(LeaderNameError, match=re.escape(problem)):
        resolve_leaders(leaders)
    with pytest.raises(NoticeError, match=r"^leaders\.txt:7: task 2: .*" + re.escape(problem)):
        build_tables([_notice(leaders)], load_registry())


def test_roles_ending_like_a_unit_word_stay_roles() -> None:
    assert [p.name for p in resolve_leaders("市委常委、市政府常务副市长")] == ["市委常委", "市政府常务副市长"]


@pytest.mark.parametrize(("printed", "unit", "full"), [
    ("市林业局", "市林业局", "海城市林业局"),  # not 市林业和草原局
    ("市数据局", "市数据局", "海城市数据局"),  # not 市政务服务和数据管理局
    ("市环保局", "市环境保护局", "海城市环境保护局"),  # not 市生态环境局
    ("市农业局", "市农业局", "海城市农业局"),  # not the registry's 市农业农村局
    ("市交通局", "市交通局", "海城市交通局"),  # not the registry's 市交通运输局
    ("市国资局", "市国资局", "海城市国资局"),  # not 市国有资产监督管理委员会
    ("市林草局", "市林业和草原局", "海城市林业和草原局"),  # a true abbreviation still expands
])
def test_renamed_or_different_units_are_not_abbreviations(reg, printed: str, unit: str,  # type: ignore[no-untyped-def]
                                                          full: str) -> None:
    got = resolve_units(printed, HC, reg)
    assert [(r.unit, r.match) for r in got] == [(unit, "rule")]
    assert got[0].record is not None and got[0].record.full_name == full


def test_an_official_name_cannot_be_an_abbreviation(tmp_path: Path) -> None:
    d = tmp_path / "registry"
    shutil.copytree(REGISTRY_DIR, d)
    with (d / "standard_departments.yaml").open("a", encoding="utf-8") as f:
        f.write("- {key: forestry_2, unit_type: government_department, names: [林业和草原局2], "
                "abbreviations: {林业局: 林业和草原局2}}\n")
    with pytest.raises(NoticeError, match="'林业局' is the official name of a department"):
        load_registry(d)


def test_alias_reasons_are_registry_data(tmp_path: Path) -> None:
    d = tmp_path / "registry"
    shutil.copytree(REGISTRY_DIR, d)
    text = (d / "naming.yaml").read_text(encoding="utf-8")
    (d / "naming.yaml").write_text(text.replace("second_name]", "second_name, shorthand]"), encoding="utf-8")
    with (d / "aliases.csv").open("a", encoding="utf-8") as f:
        f.write("海城市,市发委,市发展和改革局,shorthand\n")
    assert load_registry(d).aliases[(HC, "市发委")] == ("市发展和改革局", "shorthand")


def test_jurisdiction_levels_and_full_names() -> None:
    assert jurisdiction_prefix("阿勒泰地区") == "地区"  # the same levels as extract/header.py
    assert jurisdiction_prefix("岫岩满族自治县") == "县"
    assert jurisdiction_prefix("广西壮族自治区") == "自治区"
    assert full_name("青禾市", "市委统战部", "party_organ") == "中共青禾市委统战部"
    assert full_name("青禾市", "青禾供电公司", "enterprise") == "青禾供电公司"
    assert full_name("青禾市", "石桥镇", "town") == "青禾市石桥镇"


def test_prefecture_departments_resolve_by_rule(reg) -> None:  # type: ignore[no-untyped-def]
    got = resolve_units("地区发改委、地区财政局", "阿勒泰地区", reg)
    assert [(r.unit, r.match) for r in got] == [("地区发展和改革委员会", "rule"), ("地区财政局", "rule")]
    assert got[1].record is not None and got[1].record.full_name == "阿勒泰地区财政局"


def test_cli_unknown_lines_are_format_unknown() -> None:
    reg = load_registry()
    notice = read_notice(snapshot_local(UNSEEN))
    expected = [format_unknown(u) for u in unknown_names(build_tables([notice], reg), reg)]
    out = CliRunner().invoke(names_app, ["unknown", str(UNSEEN)])
    assert out.exit_code == 0, out.output
    assert expected and all(line in out.output.splitlines() for line in expected)


def test_names_module_reexports_the_public_functions() -> None:
    """transform/names.py is the one import of the name functions; the code lives in modules by job."""
    import transform.names as names
    from transform import leaders, registry_load, suggestions, unit_resolution

    assert all(hasattr(names, n) for n in names.__all__)
    assert names.resolve_units is unit_resolution.resolve_units
    assert names.load_registry is registry_load.load_registry
    assert names.read_leaders is leaders.read_leaders
    assert names.unknown_names is suggestions.unknown_names
    assert len((ROOT / "transform" / "names.py").read_text(encoding="utf-8").splitlines()) < 60
