"""Issue 9 item 2: the gazetteer of China's divisions (extract/divisions.csv) and its one loader."""

from __future__ import annotations

import collections
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from extract.divisions import (
    GAZETTEER,
    DivisionError,
    ancestors,
    by_code,
    chain_name,
    divisions,
    exact_place,
    find_in_text,
    place_in,
    resolve,
)
from extract.errors import NoticeError
from extract.manifest import read_manifest

BUNDLED = Path(__file__).parents[1] / "data" / "notices" / "haicheng-2023.txt"


def test_a_rebuild_from_the_pinned_packages_gives_the_committed_file() -> None:
    from extract.divisions_build import render

    assert render() == GAZETTEER.read_text(encoding="utf-8")


def test_every_province_prefecture_and_county() -> None:
    current = collections.Counter(d.level for d in divisions() if d.current)
    assert current == {"province": 34, "prefecture": 333, "county": 2845}
    withdrawn = sorted(d.name for d in divisions() if not d.current)
    assert withdrawn == ["江北区", "渝北区", "米林县", "错那县"]


def test_every_parent_is_listed_and_one_level_up() -> None:
    for d in divisions():
        if d.level == "province":
            assert d.parent_code is None, d
            continue
        parent = by_code(d.parent_code or "")
        assert parent is not None, d
        assert parent.level == "province" if d.level == "prefecture" else parent.level in ("province", "prefecture")
        assert parent.code[:2] == d.code[:2], d


def test_codes_levels_and_parents_of_the_bundled_notices_places() -> None:
    haicheng = by_code("210381")
    assert haicheng is not None
    assert (haicheng.name, haicheng.short_name, haicheng.level, haicheng.parent_code, haicheng.kind) == \
        ("海城市", "海城", "county", "210300", "县级市")
    assert [a.name for a in ancestors(haicheng)] == ["鞍山市", "辽宁省"]
    assert chain_name(haicheng) == "辽宁省鞍山市海城市"
    assert by_code("110105").parent_code == "110000"  # a municipality's district: under the province-level city
    assert by_code("429004").parent_code == "420000"  # 仙桃市: a county-level city under the province
    assert by_code("999999") is None


@pytest.mark.parametrize(("code", "short"), [
    ("210381", "海城"), ("150000", "内蒙古"), ("450000", "广西"), ("222400", "延边"), ("654000", "伊犁"),
    ("622926", "东乡"), ("622927", "积石山"), ("429021", "神农架"), ("520203", "六枝"), ("140109", "万柏林"),
    ("441803", "清新"), ("120116", "滨海"), ("130133", "赵县"), ("810000", "香港"), ("542500", "阿里"),
])
def test_short_names_are_derived_by_rule(code: str, short: str) -> None:
    assert by_code(code).short_name == short


def test_longest_name_first_in_a_title_and_an_issuer() -> None:
    title = "海城市关于贯彻落实2024年《海城市政府工作报告》重点工作任务分解方案"
    assert [(m.text, m.start, m.division.code) for m in find_in_text(title)] == [
        ("海城市", 0, "210381"), ("海城市", 15, "210381")]
    issuer = "中共海城市委员会海城市人民政府"
    assert [m.division.code for m in find_in_text(issuer)] == ["210381", "210381"]
    assert place_in("辽宁省鞍山市海城市") == by_code("210381")


def test_a_shared_name_is_resolved_by_the_parents_named_else_left_ambiguous() -> None:
    (alone,) = find_in_text("铁东区")
    assert alone.division is None and {d.code for d in alone.candidates} == {"210302", "220303"}
    assert find_in_text("鞍山市铁东区")[1].division.code == "210302"
    assert find_in_text("四平市铁东区")[1].division.code == "220303"
    assert exact_place("鞍山市海城") == by_code("210381")  # short name 海城: also 北海市海城区
    assert exact_place("海城") is None
    assert find_in_text("重庆市江北区")[1].division.code == "500105"  # withdrawn 2025, named with its parent
    assert find_in_text("江北区")[0].division.code == "330205"  # else the current one (宁波市)
    assert find_in_text("河南")[0].division.code == "410000"  # the province, not 河南蒙古族自治县


def test_a_short_name_followed_by_a_kind_is_another_place() -> None:
    assert find_in_text("青川省2024年") == []  # not 青川县: an (unknown) 青川省
    assert exact_place("南湖市") is None and find_in_text("南湖区")[0].full


def test_two_places_not_on_one_chain_name_no_single_place() -> None:
    assert place_in("鞍山市海城市") == by_code("210381")
    assert place_in("海城市和大连市") is None
    assert exact_place("海城市人民政府") is None  # more than a place


def test_resolve_accepts_a_name_a_short_name_a_chain_or_a_code() -> None:
    assert resolve("海城市").code == resolve("鞍山市海城").code == resolve("辽宁省鞍山市海城市").code == "210381"
    assert resolve(" 210381 ").name == "海城市"
    assert resolve("鞍山").code == "210300"


def test_resolve_refuses_an_unknown_place_with_the_closest_names() -> None:
    with pytest.raises(DivisionError) as e:
        resolve("海成市")
    assert str(e.value).startswith("'海成市' is not a division the gazetteer (extract/divisions.csv) knows; "
                                   "closest: 海城市")
    with pytest.raises(DivisionError, match="999999 is not a division code"):
        resolve("999999")


def test_resolve_refuses_a_shared_name_with_each_chain() -> None:
    with pytest.raises(DivisionError) as e:
        resolve("铁东区")
    assert "辽宁省鞍山市铁东区 210302" in str(e.value) and "吉林省四平市铁东区 220303" in str(e.value)


def test_a_manifest_jurisdiction_is_checked_and_written_in_full(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    m = tmp_path / "notices.csv"
    m.write_text("jurisdiction,year,source\n鞍山市海城,2023,a.txt\n", encoding="utf-8")
    assert [e.jurisdiction for e in read_manifest(m)] == ["海城市"]
    m.write_text("jurisdiction,year,source\n海城市,2023,a.txt\n海成市,2024,a.txt\n", encoding="utf-8")
    with pytest.raises(NoticeError) as e:
        read_manifest(m)
    assert str(e.value).startswith("notices.csv:3: jurisdiction '海成市' is not a division the gazetteer")
    assert "closest: 海城市" in str(e.value)


def test_an_unknown_jurisdiction_option_is_refused_before_any_work(tmp_path: Path) -> None:
    from flows.cli import app

    res = CliRunner().invoke(app, ["release", str(BUNDLED), "--out", str(tmp_path), "--jurisdiction", "海成市"])
    assert res.exit_code == 1
    assert res.output.startswith("govtasks: --jurisdiction '海成市' is not a division the gazetteer")
    assert "closest: 海城市" in res.output and "Traceback" not in res.output
    assert not any(tmp_path.iterdir())


def test_the_bundled_notice_carries_its_code_level_and_parent(reference_release: Path) -> None:
    con = duckdb.connect(str(reference_release / "govtasks.duckdb"), read_only=True)
    try:
        row = con.execute("SELECT jurisdiction, division_code, level, parent_code, jurisdiction_source, "
                          "year, year_source FROM notices").fetchone()
    finally:
        con.close()
    assert row == ("海城市", "210381", "county", "210300", "title", 2023, "title")


def test_an_option_sets_the_division_code_and_says_so(prefect_harness: None, tmp_path: Path) -> None:
    from flows.cli import app

    res = CliRunner().invoke(app, ["release", str(BUNDLED), "--out", str(tmp_path), "--jurisdiction", "鞍山",
                                   "--year", "2023", "--allow-unknown"])
    assert res.exit_code == 0, res.output
    con = duckdb.connect(str(tmp_path / "latest" / "govtasks.duckdb"), read_only=True)
    try:
        row = con.execute("SELECT notice_id, division_code, level, parent_code, jurisdiction_source, "
                          "year_source FROM notices").fetchone()
    finally:
        con.close()
    assert row == ("鞍山市-2023", "210300", "prefecture", "210000", "option", "option")
