"""A tasks table copied out as text, one cell per line (extract/parse_cells.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.errors import NoticeError
from extract.model import ParsedNotice
from extract.parse_cells import line_kind
from extract.read import read_notice
from extract.snapshot import snapshot_local
from tests import extract_renditions as R

FIXTURE = Path(__file__).parent / "fixtures" / "extract" / "cells_table.txt"
# Empty cells in the bundled notice's table: no 配合单位 for four tasks, no 责任领导 for two.
DROPPED = frozenset({(9, "other_units"), (16, "other_units"), (60, "other_units"), (102, "other_units"),
                     (7, "lead_leaders"), (61, "lead_leaders")})


def _read(tmp_path: Path, name: str, data: bytes) -> ParsedNotice:
    path = tmp_path / name
    path.write_bytes(data)
    return read_notice(snapshot_local(path))


def test_bundled_table_with_empty_cells_gives_the_same_data(tmp_path: Path) -> None:
    cells = _read(tmp_path, "cells", R.cells_text(DROPPED))
    labels = _read(tmp_path, "labels", R.labels_text(DROPPED))
    assert cells.layout == "table" and labels.layout == "labels"
    R.assert_same_data(cells, labels)
    by_no = {t.task_no: t for t in cells.tasks}
    assert by_no[16].other_units is None and by_no[16].lead_units == "市商务局"
    assert by_no[7].lead_leaders is None and by_no[7].other_units == "各有关部门,各开发区、镇(街道)"
    assert by_no[17].lead_leaders == "汪忠野"


def test_fixture_rows_with_missing_cells(tmp_path: Path) -> None:
    n = _read(tmp_path, "cells_table.txt", FIXTURE.read_bytes())
    assert n.header.jurisdiction == "清河县" and n.header.year == 2024
    assert [(s.chapter_no, s.title) for s in n.sections] == [(1, "稳住经济大盘"), (2, "办好民生实事")]
    got = [(t.task_no, t.chapter_no, t.lead_units, t.other_units, t.deadline, t.lead_leaders) for t in n.tasks]
    assert got == [
        (1, 1, "县交通运输局", "县财政局、各乡镇", "2024年底", "张 明"),
        (2, 1, "县住房和城乡建设局", None, None, "李晓红"),  # no 配合单位, no 完成时限
        (3, 2, "县人力资源和社会保障局", "县财政局", "2024年12月底前", None),  # no 责任领导
        (4, 2, "县文化旅游体育局", None, "长期坚持", "王建国、张 明"),
    ]
    assert n.tasks[1].text == "推进县城供热管网改造。" and n.tasks[0].line == 15


@pytest.mark.parametrize(("old", "new", "line", "problem"), [
    # A third unit list: is 县教育局 a cell of its own or a second line of 配合单位? Not guessed.
    ("县财政局\n2024年12月", "县财政局\n县教育局\n2024年12月", 30, "3 lines that read like a unit list"),
    # The task text broken over two lines: a second free-text line for one free-text column.
    ("新增城镇就业岗位1200个。\n", "新增城镇就业岗位\n1200个,其中高校毕业生400个。\n", 28,
     "2 lines that read like free text"),
    # The leader before the units: out of column order.
    ("县住房和城乡建设局\n李晓红", "李晓红\n县住房和城乡建设局", 23, "out of column order"),
])
def test_row_that_cannot_be_assigned_is_refused(tmp_path: Path, old: str, new: str, line: int,
                                                problem: str) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(NoticeError) as e:
        _read(tmp_path, "bad.txt", text.replace(old, new).encode("utf-8"))
    assert e.value.line == line and problem in e.value.problem


def test_line_kinds() -> None:
    assert line_kind("市财政局(金融局)") == "units"
    assert line_kind("西四、牛庄、岔沟等镇(街道)") == "units"
    assert line_kind("各有关部门,各开发区、镇(街道)") == "units"
    assert line_kind("刘 哲、汪忠野") == "leaders"
    assert line_kind("市政府常务副市长") == "leaders"
    assert line_kind("2024年6月底前") == "deadline"
    assert line_kind("建成区域物流中心。") == "free"  # a sentence, though it ends like a unit
    assert line_kind("推进县城供热管网改造和老旧小区改造") == "free"


def test_heading_lines_in_a_label_notice_are_not_a_table(tmp_path: Path) -> None:
    # One heading word alone on a line is not a table: the label layout reads on.
    n = _read(tmp_path, "labels", R.labels_text())
    assert n.layout == "labels" and len(n.tasks) == 102
