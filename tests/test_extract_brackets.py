"""Responsibility brackets after the task text (issue 9 item 4): tests/fixtures/layouts/brackets.txt."""

from __future__ import annotations

from pathlib import Path

from extract.parse_inline import split_inline
from extract.read import read_notice
from extract.snapshot import snapshot_local
from transform.names import load_registry
from transform.tables import build_tables

FIX = Path(__file__).parent / "fixtures" / "layouts"


def test_every_bracket_shape_gives_its_lead_and_other_units() -> None:
    n = read_notice(snapshot_local(FIX / "brackets.txt"))
    assert n.layout == "inline" and n.findings == []
    got = [(t.task_no, t.lead_units, t.other_units) for t in n.tasks]
    assert got == [
        (1, "县发展改革局、县统计局", "县财政局、县税务局"),  # A、B牵头,C、D按职责分工负责
        (2, None, "县发展改革局、县自然资源局"),  # A、B等按职责分工负责: no lead, 等 is not a name
        (3, "县市场监管局", "县商务局、县工商联"),  # 主办 / 协办
        (4, "县交通运输局、县住房城乡建设局", None),  # 分别负责: each leads
        (5, "县教育局", None),  # X负责
        (6, "县民政局、各乡镇（街道）", "县卫生健康局（县医保局）"),  # 〔…〕 holding （ ）
        (7, "各主要经济指标牵头单位", "县统计局"),  # a unit named …牵头单位 is a unit
        (8, "县政府办公室", "县政府各部门、各直属机构"),  # clauses cut at ；
    ]
    assert n.tasks[5].text == "推进养老服务设施建设，每个乡镇建成1个养老服务中心。"
    assert all(t.lead_leaders is None for t in n.tasks)


def test_bracket_units_are_published_by_role() -> None:
    n = read_notice(snapshot_local(FIX / "brackets.txt"))
    tu = build_tables([n], load_registry())["task_units"]
    t2 = tu[tu["task_id"] == "青石县-2021-t002"]
    assert set(t2["role"]) == {"other"} and t2["raw_name"].tolist() == ["县发展改革局", "县自然资源局"]
    t4 = tu[tu["task_id"] == "青石县-2021-t004"]
    assert t4["role"].tolist() == ["lead", "lead"]


def test_first_listed_rule_gives_a_lead_to_a_bracket_without_one() -> None:
    from extract.decode import decode_text
    from extract.model import Source
    from extract.parse import parse_notice

    text = (FIX / "brackets.txt").read_text(encoding="utf-8").replace(
        "请认真贯彻执行。", "请认真贯彻执行。排在第一位的为牵头单位。")
    lines, _ = decode_text(text.encode("utf-8"), "b.txt")
    n = parse_notice(lines, Source("b.txt", "0"))
    assert n.lead_rule == "first_listed"
    assert (n.tasks[1].lead_units, n.tasks[1].other_units) == ("县发展改革局", "县自然资源局")
    assert (n.tasks[0].lead_units, n.tasks[0].other_units) == ("县发展改革局、县统计局", "县财政局、县税务局")


def test_brackets_that_are_not_responsibilities() -> None:
    assert split_inline("推进项目建设(含续建项目)。") is None
    assert split_inline("建设三个中心(物流中心,会展中心)。") is None  # no verb in the last clause
    hit = split_inline("推进项目建设。(市发改局牵头,市财政局,市统计局配合)")
    assert hit is not None and hit[2] == {"lead_units": "市发改局", "other_units": "市财政局,市统计局"}


def test_units_lead_rule_makes_the_units_of_a_bracket_without_lead_the_leads() -> None:
    from extract.decode import decode_text
    from extract.model import Source
    from extract.parse import parse_notice

    text = (FIX / "brackets.txt").read_text(encoding="utf-8").replace(
        "请认真贯彻执行。", "请认真贯彻执行。未明确牵头单位的，责任单位均为牵头单位。")
    n = parse_notice(decode_text(text.encode("utf-8"), "b.txt")[0], Source("b.txt", "0"))
    assert n.lead_rule == "units_lead"
    assert (n.tasks[1].lead_units, n.tasks[1].other_units) == ("县发展改革局、县自然资源局", None)
