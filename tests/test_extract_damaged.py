"""One damaged task does not sink a notice (issue 9 item 7): it is published and flagged in
quality_findings; more than a tenth of the tasks damaged refuses the notice."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.errors import NoticeError
from extract.model import ParsedNotice
from extract.read import read_notice
from extract.snapshot import snapshot_local
from tests import extract_renditions as R
from transform.names import load_registry
from transform.tables import build_tables

ALL = ("lead_leaders", "lead_units", "other_units")


def _read(tmp_path: Path, data: bytes) -> ParsedNotice:
    path = tmp_path / "notice.txt"
    path.write_bytes(data)
    return read_notice(snapshot_local(path))


def _drop(*task_nos: int) -> frozenset[tuple[int, str]]:
    return frozenset((no, f) for no in task_nos for f in ALL)


def test_a_task_without_responsibilities_is_published_and_flagged(tmp_path: Path) -> None:
    n = _read(tmp_path, R.labels_text(_drop(42)))
    assert len(n.tasks) == 102
    t42 = n.tasks[41]
    assert (t42.task_no, t42.lead_leaders, t42.lead_units, t42.other_units) == (42, None, None, None)
    assert [(f.check, f.task_no, f.line) for f in n.findings] == [("damaged_task", 42, t42.line)]
    assert ParsedNotice.from_dict(__import__("json").loads(n.to_json())).findings == n.findings
    qf = build_tables([n], load_registry())["quality_findings"]
    row = qf[qf["check"] == "damaged_task"]
    assert row["task_id"].tolist() == ["海城市-2023-t042"] and row["task_no"].tolist() == [42]
    assert "no responsibility" in row["detail"].iloc[0]


def test_the_last_task_cut_off_with_a_label_fragment_on_its_leader(tmp_path: Path) -> None:
    text = R.labels_text().decode("utf-8")
    cut = text[: text.rindex("牵头单位:")] + "牵"  # the notice ends in the middle of 牵头单位:
    n = _read(tmp_path, cut.encode("utf-8"))
    last = n.tasks[-1]
    assert (last.task_no, last.lead_leaders, last.lead_units, last.other_units) == (102, "刘兴达", None, None)
    (f,) = n.findings
    assert (f.check, f.task_no, f.subject) == ("damaged_task", 102, "刘兴达牵")
    leaders = build_tables([n], load_registry())["leaders"]
    assert "刘兴达牵" not in set(leaders["name"])


def test_more_than_a_tenth_damaged_refuses_the_notice(tmp_path: Path) -> None:
    n = _read(tmp_path, R.labels_text(_drop(*range(1, 11))))  # 10 of 102: published
    assert len(n.findings) == 10
    with pytest.raises(NoticeError) as e:
        _read(tmp_path, R.labels_text(_drop(*range(1, 12))))  # 11 of 102
    assert "11 of 102 tasks" in e.value.problem and "layout was not understood" in e.value.problem
    assert e.value.line == n.tasks[0].line


def test_the_gate_passes_a_flagged_task_without_units_and_still_blocks_an_unflagged_one(tmp_path: Path) -> None:
    from output.release import write_tables
    from quality.gate import GateFailure, run_gate

    frames = build_tables([_read(tmp_path, R.labels_text(_drop(42)))], load_registry())
    write_tables(frames, tmp_path / "ok")
    assert run_gate(tmp_path / "ok").startswith("quality gate passed:")
    qf = frames["quality_findings"]
    frames["quality_findings"] = qf[qf["check"] != "damaged_task"].reset_index(drop=True)
    write_tables(frames, tmp_path / "unflagged")
    with pytest.raises(GateFailure) as e:
        run_gate(tmp_path / "unflagged")
    assert "every task names at least one unit" in str(e.value) and "task 42" in str(e.value)
