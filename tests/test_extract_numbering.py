"""Task numbering other than 1. (issue 9 item 3): the level carrying the responsibilities is the task.

Fixtures in tests/fixtures/layouts/, invented in the shapes of real notices; the bundled notice
rendered in two of these layouts gives its own tasks, leaders and units.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from extract.errors import NoticeError
from extract.model import ParsedNotice
from extract.read import read_notice
from extract.snapshot import snapshot_local
from tests import extract_renditions as R
from transform.names import load_registry
from transform.tables import build_tables

FIX = Path(__file__).parent / "fixtures" / "layouts"


def read(name: str) -> ParsedNotice:
    return read_notice(snapshot_local(FIX / name))


def facts(n: ParsedNotice) -> list[tuple[object, ...]]:
    return [(t.task_no, t.chapter_no, t.subchapter_no, t.lead_leaders, t.lead_units, t.other_units)
            for t in n.tasks]


def _sections(tasks: pd.DataFrame) -> list[str]:
    """Each task's section id without its notice id (the invented places resolve as the gazetteer says)."""
    return [sid.removeprefix(f"{nid}-") for sid, nid in zip(tasks["section_id"], tasks["notice_id"], strict=True)]


def test_tasks_numbered_like_chapters_with_no_lower_level() -> None:
    n = read("chapter_tasks.txt")
    assert facts(n) == [
        (1, None, None, None, "区发展改革局", "区统计局"),
        (2, None, None, None, "区住房城乡建设局", None),
        (3, None, None, None, "区人力资源社会保障局", None),
        (4, None, None, None, "区城市管理局", "区公安分局交警大队"),
    ]
    assert n.sections == [] and n.numbering == "continuous" and n.layout == "inline"
    # (一)(二) under a task that carries its own bracket are part of its text
    assert n.tasks[1].text == "推进老旧小区改造，完成改造小区12个：（一）完成雨污分流改造；（二）加装电梯20部。"
    assert n.header.title == "红山区2022年政府工作报告重点任务分解"
    tables = build_tables([n], load_registry())
    assert tables["tasks"]["section_id"].isna().all() and tables["chapters"].empty


def test_paren_tasks_running_on_under_chapters() -> None:
    n = read("paren_tasks_running.txt")
    assert facts(n) == [
        (1, 1, None, None, "市发展改革委", "各县区政府"),
        (2, 1, None, None, "市财政局", "市发展改革委"),  # label lines under a (一) task
        (3, 2, None, None, "市林业局", None),
        (4, 2, None, None, "市生态环境局、市水务局", "各县区政府"),
        (5, 3, None, None, "市人力资源社会保障局", None),
    ]
    assert [(s.chapter_no, s.subchapter_no, s.title) for s in n.sections] == [
        (1, None, "扩大有效投资"), (2, None, "建设美丽南湖"), (3, None, "保障改善民生")]
    assert n.numbering == "continuous"
    tasks = build_tables([n], load_registry())["tasks"]
    assert _sections(tasks) == ["c01", "c01", "c02", "c02", "c03"]


def test_paren_tasks_with_no_chapter_heading_an_excerpt() -> None:
    n = read("paren_excerpt.txt")
    assert facts(n) == [
        (1, None, None, None, "省发展改革委", "省统计局"),
        (2, None, None, None, "省人力资源社会保障厅", None),
        (3, None, None, None, "省发展改革委、省市场监管局", None),
    ]
    assert n.sections == [] and n.tasks[0].text == "全省地区生产总值增长6.5%左右。"


def test_paren_tasks_in_one_chapter_subchapters_with_numbered_tasks_in_another() -> None:
    n = read("paren_and_numbered.txt")
    assert facts(n) == [
        (1, 1, None, None, "县发展改革局", "县统计局"),
        (2, 1, None, None, "县财政局", None),
        (3, 2, 1, None, "县工业和信息化局", "县自然资源局"),
        (4, 2, 1, None, "县工业和信息化局", None),
        (5, 2, 2, None, "县农业农村局", "各乡镇人民政府"),
    ]
    assert [(s.chapter_no, s.subchapter_no, s.title) for s in n.sections] == [
        (1, None, "主要预期目标"), (2, None, "重点工作"), (2, 1, "做强工业经济"), (2, 2, "推进乡村振兴")]
    assert n.numbering == "continuous"
    tasks = build_tables([n], load_registry())["tasks"]
    assert _sections(tasks) == ["c01", "c01", "c02-s01", "c02-s01", "c02-s02"]


def test_several_paren_tasks_on_one_line() -> None:
    n = read("paren_tasks_one_line.txt")
    assert facts(n) == [
        (1, 1, None, None, "市发展改革委", None),
        (2, 1, None, None, "市经济和信息化委", None),
        (3, 1, None, None, "市发展改革委", "市统计局"),
        (4, 2, None, None, "市人力资源社会保障局", None),
        (5, 2, None, None, "市住房城乡建设局", None),
    ]
    assert [t.text for t in n.tasks[:2]] == ["全市生产总值增长8%。", "规模以上工业增加值增长10%。"]
    assert {t.line for t in n.tasks[:3]} == {3}


def test_paren_numbering_restarting_per_chapter() -> None:
    text = (FIX / "paren_tasks_running.txt").read_text(encoding="utf-8")
    for old, new in (("（三）完成", "（一）完成"), ("（四）推进", "（二）推进"), ("（五）新增", "（一）新增")):
        text = text.replace(old, new)
    from extract.decode import decode_text
    from extract.model import Source
    from extract.parse import parse_notice

    n = parse_notice(decode_text(text.encode("utf-8"), "p.txt")[0], Source("p.txt", "0"))
    assert [(t.task_no, t.chapter_no) for t in n.tasks] == [(1, 1), (2, 1), (1, 2), (2, 2), (1, 3)]
    assert n.numbering == "per_chapter"


def test_a_numbered_line_among_paren_tasks_is_refused(tmp_path: Path) -> None:
    text = (FIX / "paren_tasks_running.txt").read_text(encoding="utf-8").replace(
        "三、保障改善民生\n", "三、保障改善民生\n1.稳定就业。\n")
    path = tmp_path / "p.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(NoticeError) as e:
        read_notice(snapshot_local(path))
    assert e.value.line == 11 and "numbered 1." in e.value.problem


@pytest.fixture(scope="module")
def reference() -> tuple[ParsedNotice, dict[str, pd.DataFrame]]:
    ref = read_notice(snapshot_local(R.BUNDLED))
    return ref, build_tables([ref], load_registry())


@pytest.mark.parametrize("builder", [R.chapter_tasks_inline, R.paren_tasks_labels])
def test_bundled_notice_in_other_numberings_gives_its_facts(
        tmp_path: Path, builder: object, reference: tuple[ParsedNotice, dict[str, pd.DataFrame]]) -> None:
    ref, ref_tables = reference
    path = tmp_path / "rendition"
    path.write_bytes(builder())  # type: ignore[operator]
    n = read_notice(snapshot_local(path))
    R.assert_same_responsibilities(n, ref, ref_tables)
    if builder is R.chapter_tasks_inline:
        assert n.sections == [] and n.tasks[-1].task_no == 102  # 一百零二、
        assert all(t.chapter_no is None for t in n.tasks)
    else:
        assert [t.chapter_no for t in n.tasks] == [t.chapter_no for t in ref.tasks]
        assert all(t.subchapter_no is None for t in n.tasks)
        assert [s.title for s in n.sections] == [s.title for s in ref.sections if s.subchapter_no is None]


def test_every_layout_fixture_passes_the_quality_gate_with_consistent_ids(tmp_path: Path) -> None:
    """Chapters, sub-chapters and section ids of every layout read above hold together (foreign keys,
    numbering checks): the real gate on all the fixtures at once (their units are not in the registry)."""
    from output.release import write_tables
    from quality.gate import run_gate

    notices = [read(p.name) for p in sorted(FIX.iterdir())]
    assert len(notices) == 7
    write_tables(build_tables(notices, load_registry()), tmp_path)
    assert run_gate(tmp_path, allow_unknown=True).startswith("quality gate passed:")
