"""Two or more tasks printed on one line (extract/joined_tasks.py)."""

from __future__ import annotations

from pathlib import Path

from extract.joined_tasks import split_joined_tasks
from extract.model import Line
from extract.read import read_notice
from extract.snapshot import snapshot_local

FIXTURE = Path(__file__).parent / "fixtures" / "extract" / "joined_tasks.txt"


def test_tasks_on_one_line_are_cut_at_the_next_number() -> None:
    n = read_notice(snapshot_local(FIXTURE))
    assert n.layout == "inline"
    got = [(t.task_no, t.line, t.text, t.lead_units, t.other_units) for t in n.tasks]
    assert got == [
        (1, 8, "新建改建农村公路50公里。", "县交通局", None),
        (2, 8, "推进县城供热管网改造，完成投资2.5亿元。", "县建设局", "县财政局"),  # 2.5 is no marker
        (3, 8, "新增城镇就业岗位1200个。", "县劳动局", None),
        # A numbered list inside a task starts again at 1: never cut.
        (4, 9, "做好三项工作：1.春耕备耕。2.防汛抗旱。3.秸秆禁烧。", "县农业局", None),
        (5, 10, "开展全民健身赛事活动20场。", "县体育局", None),
        # Its bracket on the next line: 6 is still a task of its own.
        (6, 10, "完成“十一五”规划目标。", "县发改局", None),
    ]


def test_no_cut_without_a_bracket_before_the_next_number() -> None:
    line = Line(3, "1.新建农村公路。2.改造供热管网。")
    assert split_joined_tasks([line]) == [line]
    wrong_no = Line(4, "1.新建农村公路。(县交通局负责)3.改造供热管网。(县建设局负责)")
    assert split_joined_tasks([wrong_no]) == [wrong_no]  # 3 is not the next number
    no_end = Line(5, "1.新建农村公路(县交通局负责)，2.改造供热管网。")
    assert [ln.text for ln in split_joined_tasks([no_end])] == [no_end.text]  # 2 follows a comma
