"""Collectives that hold a separator, the towns concerned versus every town, role-mixed leader lists and
leader fragments (issue 9, items 5 and 8; docs/NORMALIZATION.md, "Collectives" and "Leaders")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from extract.errors import NoticeError
from extract.model import Header, ParsedNotice, RawTask, Source
from extract.read import read_notice
from extract.snapshot import snapshot_local
from transform.leaders import read_leaders, resolve_leaders
from transform.naming import REGISTRY_DIR
from transform.registry_load import load_registry
from transform.split import first_item, list_cuts, split_list
from transform.tables import build_tables
from transform.unit_resolution import resolve_units

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "names"
REFERENCE = ROOT / "data" / "notices" / "haicheng-2023.txt"
COUNTIES = "各县（市、区）人民政府"


@pytest.fixture(scope="module")
def reg():  # type: ignore[no-untyped-def]
    return load_registry()


def units(raw: str, reg, jur: str = "海城市") -> list[str]:  # type: ignore[no-untyped-def]
    return [r.unit for r in resolve_units(raw, jur, reg)]


def tables_of(name: str) -> dict[str, pd.DataFrame]:
    return build_tables([read_notice(snapshot_local(FIXTURES / name))], load_registry())


def by_task(t: dict[str, pd.DataFrame]) -> dict[int, dict[str, list[str]]]:
    """task_no → {"lead": [...], "other": [...], "leaders": [...]}, in notice order."""
    nos = dict(zip(t["tasks"]["task_id"], t["tasks"]["task_no"], strict=True))
    out: dict[int, dict[str, list[str]]] = {n: {"lead": [], "other": [], "leaders": []} for n in nos.values()}
    for r in t["task_units"].sort_values(["task_id", "role", "position"]).itertuples():
        out[nos[r.task_id]][r.role].append(r.unit)
    for r in t["task_leaders"].sort_values(["task_id", "position"]).itertuples():
        out[nos[r.task_id]]["leaders"].append(r.leader)
    return out


# ---------------------------------------------------------------- one spelling, never cut


@pytest.mark.parametrize("raw", ["各县、市、区人民政府", "各县（市）区政府", "各县(市、区)政府", "各县，市，区政府",
                                 "各县市区政府", "各县（市、区）人民政府"])
def test_county_governments_are_one_collective(reg, raw: str) -> None:  # type: ignore[no-untyped-def]
    got = resolve_units(raw, "海城市", reg)
    assert [(r.unit, r.raw) for r in got] == [(COUNTIES, raw)]
    assert got[0].record is not None and got[0].record.unit_type == "collective"


def test_a_collective_inside_a_list_is_not_cut(reg) -> None:  # type: ignore[no-untyped-def]
    assert units("市财政局、各县、市、区人民政府、市教育局", reg) == ["市财政局", COUNTIES, "市教育局"]
    assert units("市财政局等各县、市、区人民政府", reg) == ["市财政局", COUNTIES]
    # a level followed by a department is a list, not a collective
    assert units("各县、市财政局", reg) == ["各县", "市财政局"]


@pytest.mark.parametrize(("jur", "raw", "unit"), [
    ("海城市", "市政府各部门、各直属机构", "市政府各部门、各直属机构"),
    ("岫岩满族自治县", "县政府各部门，各直属机构", "县政府各部门、各直属机构"),
    ("辽宁省", "省政府各部门、直属机构", "省政府各部门、各直属机构"),
    ("辽宁省", "省政府各有关直属单位", "省政府各有关直属单位"),
    ("阿拉善盟", "盟政府各有关直属单位", "盟政府各有关直属单位"),
    ("延边朝鲜族自治州", "州直各有关部门", "州直各部门"),
])
def test_prefix_collectives_hold_for_every_level(reg, jur: str, raw: str, unit: str) -> None:  # type: ignore[no-untyped-def]
    got = resolve_units(raw, jur, reg)
    assert [r.unit for r in got] == [unit]
    assert got[0].match == "canonical" and got[0].in_registry


def test_the_towns_concerned_are_not_every_town(reg) -> None:  # type: ignore[no-untyped-def]
    assert units("相关镇(街道)", reg) == ["各有关镇（街道）"]
    assert units("有关镇（街道）", reg) == ["各有关镇（街道）"]
    assert units("各镇（街道）", reg) == ["各镇（街道）"]
    assert units("各开发区、镇(街道)", reg) == ["各开发区", "各镇（街道）"]


def test_task_71_of_the_bundled_notice_keeps_the_towns_concerned(reg) -> None:  # type: ignore[no-untyped-def]
    t = by_task(build_tables([read_notice(snapshot_local(REFERENCE))], reg))
    assert t[71]["lead"] == ["市财政局"]
    assert t[71]["other"] == ["市发展和改革局", "市住房和城乡建设局", "各有关部门", "各有关镇（街道）"]
    assert "各镇（街道）" in t[72]["other"]  # 各开发区、镇(街道): every town


# ---------------------------------------------------------------- the three layouts


def test_label_layout_collectives_and_role_mixed_leaders() -> None:
    t = tables_of("collectives_labels.txt")
    assert t["notices"]["layout"].tolist() == ["labels"]
    got = by_task(t)
    assert got[1] == {"leaders": ["王威", "市政府常务副市长", "夏应"],
                      "lead": [COUNTIES, "市发展改革委"], "other": ["市政府各部门、各直属机构"]}
    assert got[2]["other"] == [COUNTIES, "市财政局"]
    assert got[3]["other"] == ["市财政局", "各有关部门", "各有关镇（街道）"]
    assert got[4]["other"] == ["各有关部门", "各镇（街道）"]
    kinds = dict(zip(t["leaders"]["name"], t["leaders"]["kind"], strict=True))
    assert kinds == {"王威": "person", "夏应": "person", "市政府常务副市长": "role"}


def test_inline_layout_collectives_of_a_province() -> None:
    t = tables_of("collectives_inline.txt")
    assert t["notices"]["layout"].tolist() == ["inline"]
    assert t["notices"]["jurisdiction"].tolist() == ["吉林省"]
    got = by_task(t)
    assert got[1]["lead"] == ["省发展改革委"] and got[1]["other"] == ["省政府各部门、各直属机构"]
    assert got[2]["lead"] == ["各市（州）人民政府"] and got[2]["other"] == ["省政府各有关直属单位"]
    assert got[3]["lead"] == ["省统计局", "各市（州）人民政府"] and got[3]["other"] == []
    assert got[4] == {"leaders": ["李明", "省政府分管副省长"], "lead": [COUNTIES],
                      "other": ["省发展改革委", "各有关镇（街道）"]}


def test_table_layout_collectives_leaders_and_a_fragment() -> None:
    t = tables_of("collectives_table.html")
    assert t["notices"]["layout"].tolist() == ["table"]
    got = by_task(t)
    assert got[1] == {"leaders": ["王威", "市政府常务副市长", "夏应"], "lead": [COUNTIES],
                      "other": ["市政府各部门、各直属机构", "各有关镇（街道）"]}
    assert got[2]["other"] == [COUNTIES, "各镇（街道）"]
    assert got[3]["leaders"] == ["张三"]  # 张三牵 is not a name
    assert "张三牵" not in set(t["leaders"]["name"])
    assert t["task_leaders"].query("leader == '张三'")["raw_name"].tolist() == ["张三牵"]
    qf = t["quality_findings"].query("check == 'leader_fragment'")
    assert qf[["task_no", "subject"]].values.tolist() == [[3, "张三牵"]]
    assert "collectives_table.html:" in qf["detail"].iloc[0]


# ---------------------------------------------------------------- leaders


def test_role_mixed_leader_list_gives_two_persons_and_a_role() -> None:
    got = read_leaders("王威、市政府常务副市长、夏应")
    assert [p.name for p in got.names] == ["王威", "市政府常务副市长", "夏应"]
    assert got.fragments == ()


@pytest.mark.parametrize(("raw", "names", "fragment"), [
    ("张三牵", ["张三"], ("张三牵", "牵")),
    ("李四、张三牵头", ["李四", "张三"], ("张三牵头", "牵头")),
    ("王 五 、刘兴达责任", ["王五", "刘兴达"], ("刘兴达责任", "责任")),
])
def test_a_name_with_a_cut_label_is_a_fragment(raw: str, names: list[str], fragment: tuple[str, str]) -> None:
    got = read_leaders(raw)
    assert [p.name for p in got.names] == names
    assert [(f.raw, f.cut) for f in got.fragments] == [fragment]
    assert [p.name for p in resolve_leaders(raw)] == names


@pytest.mark.parametrize("raw", ["李主任", "王建时", "市政府常务副市长", "王牵", "牵头"])
def test_names_and_roles_are_not_fragments(raw: str) -> None:
    assert read_leaders(raw).fragments == ()


def test_label_fragments_are_starts_of_labels() -> None:
    from extract.markers import vocabulary
    from transform.registry_load import leader_rules

    labels = vocabulary().field_by_label
    for frag in leader_rules()["label_fragments"]:
        assert any(lab.startswith(frag) and lab != frag for lab in labels), frag


def test_fragments_are_findings_not_leaders() -> None:
    notice = ParsedNotice(
        source=Source(name="cut.txt", sha256="0" * 64),
        header=Header(jurisdiction="海城市", year=2023, title="海城市2023年政府工作报告任务分解方案"),
        sections=[],
        tasks=[RawTask(1, None, None, "加强作风建设。", 3, lead_leaders="刘兴达、张三牵", lead_units="市财政局")],
    )
    t = build_tables([notice], load_registry())
    assert t["task_leaders"][["leader", "raw_name"]].values.tolist() == [["刘兴达", "刘兴达"], ["张三", "张三牵"]]
    qf = t["quality_findings"].query("check != 'yoy'")
    assert qf[["task_no", "check", "subject"]].values.tolist() == [[1, "leader_fragment", "张三牵"]]
    assert qf["detail"].iloc[0] == ("cut.txt:3: task 1: leader '张三牵' ends in '牵', the start of a label cut off "
                                    "(牵…); published as '张三'")


# ---------------------------------------------------------------- the one splitter


def test_one_splitter_for_extract_and_transform(reg) -> None:  # type: ignore[no-untyped-def]
    text = "各县、市、区人民政府、市财政局(含金融办、国资办)、市教育局"
    assert [p.raw for p in split_list(text, reg.protect)] == [
        "各县、市、区人民政府", "市财政局(含金融办、国资办)", "市教育局"]
    assert first_item(text, reg.protect) == ("各县、市、区人民政府", "市财政局(含金融办、国资办)、市教育局")
    assert list_cuts("A(B,C)牵头,D负责", separators=",") == (8,)  # not the comma inside the bracket


def test_cells_are_told_apart_with_the_one_splitter() -> None:
    """A unit cell whose bracket holds a separator still reads as a unit list (extract/parse_cells.py)."""
    from extract.parse_cells import line_kind

    assert line_kind("市财政局(含金融办、国资办)") == "units"
    assert line_kind("市商务局、市财政局（金融办）") == "units"


def test_first_listed_rule_keeps_a_collective_whole(tmp_path: Path) -> None:
    text = (ROOT / "tests" / "fixtures" / "extract" / "lead_rule_first.txt").read_text(encoding="utf-8")
    path = tmp_path / "collective_first.txt"
    path.write_text(text.replace("县交通运输局、县财政局、各乡镇", "各乡、镇人民政府、县财政局"), encoding="utf-8")
    n = read_notice(snapshot_local(path))
    assert (n.tasks[0].lead_units, n.tasks[0].other_units) == ("各乡、镇人民政府", "县财政局")
    assert by_task(build_tables([n], load_registry()))[1]["lead"] == ["各乡（镇）人民政府"]


def test_collectives_file_is_checked(tmp_path: Path) -> None:
    d = tmp_path / "registry"
    shutil.copytree(REGISTRY_DIR, d)
    with (d / "collectives.yaml").open("a", encoding="utf-8") as f:
        f.write("\n")
    text = (d / "collectives.yaml").read_text(encoding="utf-8")
    (d / "collectives.yaml").write_text(text.replace(
        '{phrase: "相关镇(街道)", units: [各有关镇（街道）],', '{phrase: "相关镇(街道)", units: [各相关镇],'),
        encoding="utf-8")
    with pytest.raises(NoticeError, match=r"collectives\.yaml: phrase '相关镇\(街道\)' maps to \['各相关镇'\]"):
        load_registry(d)


def test_a_release_with_a_fragment_passes_the_gate(prefect_harness: None, tmp_path: Path) -> None:
    """The real flow and gate: the fragment is a non-blocking finding, the collectives are published."""
    import duckdb

    from flows.release import release

    folder = Path(release(sources=[str(FIXTURES / "collectives_table.html")], out=str(tmp_path))["folder"])
    con = duckdb.connect(str(folder / "govtasks.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT task_no, subject FROM quality_findings WHERE \"check\" = 'leader_fragment'"
                           ).fetchall() == [(3, "张三牵")]
        assert con.execute("SELECT lead_units, other_units FROM task_responsibilities WHERE task_no = 1"
                           ).fetchone() == ([COUNTIES], ["市政府各部门、各直属机构", "各有关镇（街道）"])
        assert con.execute("SELECT unit_type FROM units WHERE name = ?", [COUNTIES]).fetchone() == ("collective",)
    finally:
        con.close()


def test_cli_rules_show_the_level_lists() -> None:
    from typer.testing import CliRunner

    from flows.names_cli import names_app

    out = CliRunner().invoke(names_app, ["rules"])
    assert out.exit_code == 0, out.output
    assert f"各县、市、区人民政府 → {COUNTIES}" in out.output


def test_the_policy_document_is_in_the_project_and_cited_by_section() -> None:
    """Every citation of the policy names docs/NORMALIZATION.md, and a cited section is one of its headings."""
    import re

    doc = ROOT / "docs" / "NORMALIZATION.md"
    headings = set(re.findall(r"^## (.+)$", doc.read_text(encoding="utf-8"), flags=re.M))
    assert {"Leaders", "Units", "Lists", "Collectives", "Punctuation"} <= headings
    cited = 0
    for path in [*ROOT.glob("transform/**/*.py"), *ROOT.glob("transform/registry/*.yaml"), *ROOT.glob("extract/*.py")]:
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"(\S*)NORMALIZATION\.md(?:, \"([^\"]+)\")?", text):
            assert m.group(1).endswith("docs/"), f"{path}: cites {m.group(0)!r}"
            for section in filter(None, re.split(r"\" and \"", m.group(2) or "")):
                assert section in headings, f"{path}: cites a section {section!r} the document does not have"
            cited += 1
    assert cited >= 5


def test_units_concerned_are_not_departments_concerned(reg) -> None:  # type: ignore[no-untyped-def]
    assert units("有关单位", reg) == units("相关单位", reg) == units("各有关单位", reg) == ["各有关单位"]
    assert units("相关部门", reg) == ["各有关部门"]


def test_every_collective_phrase_gives_its_reason(tmp_path: Path) -> None:
    d = tmp_path / "registry"
    shutil.copytree(REGISTRY_DIR, d)
    text = (d / "collectives.yaml").read_text(encoding="utf-8")
    (d / "collectives.yaml").write_text(text.replace(", reason: 各 dropped}", "}"), encoding="utf-8")
    with pytest.raises(NoticeError, match=r"collectives\.yaml: each phrase entry needs exactly a quoted phrase, "
                                          r"its units and the reason"):
        load_registry(d)
