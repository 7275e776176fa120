"""Tables (issue 9 item 6): leader group headings, unit cells, a table copied out as text whose
last row is cut off."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from extract.model import ParsedNotice
from extract.parse_cells import line_kind
from extract.read import read_notice
from extract.snapshot import snapshot_local
from tests import extract_renditions as R
from transform.names import load_registry
from transform.tables import build_tables

FIX = Path(__file__).parent / "fixtures" / "layouts"


def _read(tmp_path: Path, data: bytes, name: str = "notice") -> ParsedNotice:
    path = tmp_path / name
    path.write_bytes(data)
    return read_notice(snapshot_local(path))


def test_leader_group_headings_give_the_lead_leader_of_the_tasks_below() -> None:
    n = read_notice(snapshot_local(FIX / "leader_groups.html"))
    assert n.layout == "table"
    got = [(t.task_no, t.chapter_no, t.lead_leaders, t.lead_units, t.other_units) for t in n.tasks]
    assert got == [
        (1, 1, "张明", "县发展改革局", "县统计局"),  # 一、张明同志负责事项（共2项）
        (2, 1, "张明", "县财政局", "县税务局"),
        (3, 2, "李华副县长", "县农业农村局", "各乡镇人民政府"),  # 二、李华副县长负责事项
        (4, 2, "李华副县长", "县交通运输局", None),
        (5, 2, "县长", "县政务服务中心", "县政府各部门、各直属机构"),  # unnumbered: 县长负责事项
    ]
    assert [s.title for s in n.sections] == ["张明同志负责事项（共2项）", "李华副县长负责事项（共2项）"]
    leaders = build_tables([n], load_registry())["leaders"]
    assert dict(zip(leaders["name"], leaders["kind"], strict=True)) == {
        "张明": "person", "李华副县长": "role", "县长": "role"}


@pytest.fixture(scope="module")
def reference() -> tuple[ParsedNotice, dict[str, pd.DataFrame]]:
    ref = read_notice(snapshot_local(R.BUNDLED))
    return ref, build_tables([ref], load_registry())


def test_bundled_notice_as_a_table_grouped_by_leader_gives_its_leaders(
        tmp_path: Path, reference: tuple[ParsedNotice, dict[str, pd.DataFrame]]) -> None:
    ref, ref_tables = reference
    n = _read(tmp_path, R.leader_groups_table())
    assert n.layout == "table"
    R.assert_same_data(n, ref, ref_tables)


@pytest.mark.parametrize("cell", ["市政府各部门、各直属机构", "市直各部门", "各有关单位", "省政府各有关直属单位"])
def test_unit_cells_ending_in_a_collective_word_are_unit_lists(cell: str) -> None:
    assert line_kind(cell) == "units"


def _cut_last_row(keep: int) -> bytes:
    """The bundled notice as a table copied out as text, cut `keep` lines into the last row (after its
    number), the last row's text broken over two lines."""
    text = R.cells_text().decode("utf-8").split("\n")
    at = max(i for i, ln in enumerate(text) if ln == "102")
    row = text[at + 1:-1]  # up to the 附件 line
    first, second = row[0][:40], row[0][40:]
    return "\n".join(text[: at + 1] + [first, second, *row[1:]][:keep]).encode("utf-8")


def test_a_cut_last_row_of_a_table_copied_out_as_text_is_published_and_flagged(tmp_path: Path) -> None:
    n = _read(tmp_path, _cut_last_row(2))  # the text over two lines, no unit cell: cannot be assigned
    assert len(n.tasks) == 102 and n.layout == "table"
    last = n.tasks[-1]
    assert (last.task_no, last.lead_units, last.other_units, last.lead_leaders) == (102, None, None, None)
    assert last.text == R.reference().tasks[-1].text[:40]
    (f,) = n.findings
    assert (f.check, f.task_no) == ("damaged_task", 102) and "cut off" in f.detail
    assert n.tasks[-2].lead_units == "市政府办公室"
    qf = build_tables([n], load_registry())["quality_findings"]
    assert qf.loc[qf["check"] == "damaged_task", "task_id"].tolist() == ["海城市-2023-t102"]


def test_a_last_row_cut_after_its_number_is_left_out_and_flagged(tmp_path: Path) -> None:
    n = _read(tmp_path, _cut_last_row(0))
    assert len(n.tasks) == 101
    (f,) = n.findings
    assert (f.check, f.task_no) == ("damaged_task", None) and "numbered 102" in f.detail


def test_a_row_that_cannot_be_assigned_before_the_last_is_still_refused(tmp_path: Path) -> None:
    from extract.errors import NoticeError

    text = R.cells_text().decode("utf-8").replace("\n101\n", "\n101\n多出的一行自由文字。\n")
    with pytest.raises(NoticeError) as e:
        _read(tmp_path, text.encode("utf-8"))
    assert "free text" in e.value.problem


def test_leader_group_chapters_in_a_line_layout(tmp_path: Path) -> None:
    text = ("泉水县2024年政府工作报告重点任务分解方案\n一、王刚同志负责事项（共2项）\n1.新增就业3000人。\n"
            "牵头单位:县人社局\n2.建成县城污水处理厂。\n牵头领导:赵青\n牵头单位:县住建局\n"
            "二、重点民生工程\n3.改造老旧小区5个。\n牵头单位:县住建局\n")
    n = _read(tmp_path, text.encode("utf-8"), "lines.txt")
    assert [(t.task_no, t.chapter_no, t.lead_leaders) for t in n.tasks] == [
        (1, 1, "王刚"), (2, 1, "赵青"), (3, 2, None)]  # the task's own 牵头领导 wins; a new chapter ends the group
