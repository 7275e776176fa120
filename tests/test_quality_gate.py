"""Issue 5: the quality gate on small notices (no Prefect): what passes, what blocks, and what it writes.

Each broken notice in tests/fixtures/quality/ differs from good.txt in one place.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from extract.errors import GovtasksError
from extract.read import read_notice
from extract.snapshot import snapshot_local
from output.release import write_tables
from quality.gate import GateFailure, run_gate
from transform.names import load_registry
from transform.tables import build_tables

FIXTURES = Path(__file__).parent / "fixtures" / "quality"


def frames_of(name: str) -> dict[str, pd.DataFrame]:
    notice = read_notice(snapshot_local(FIXTURES / name))
    return build_tables([notice], load_registry())


def stage(name: str, folder: Path, edit=None) -> Path:
    """A staging folder holding the Parquet tables of one fixture notice (optionally edited)."""
    frames = frames_of(name)
    if edit:
        edit(frames)
    write_tables(frames, folder)
    return folder


def gate_message(name: str, tmp_path: Path, **kw) -> str:
    with pytest.raises(GateFailure) as e:
        run_gate(stage(name, tmp_path), **kw)
    return str(e.value)


def test_good_notice_passes_and_writes_deterministic_results(tmp_path: Path) -> None:
    staging = stage("good.txt", tmp_path / "a")
    line = run_gate(staging)
    assert line.startswith("quality gate passed:")
    validation = (staging / "quality" / "validation.json").read_bytes()
    summary = (staging / "quality" / "summary.md").read_text(encoding="utf-8")
    report = json.loads(validation)
    assert report["success"] is True
    suites = {s["suite"] for s in report["suites"]}
    assert {"notices", "tasks", "task_units", "task_leaders", "units", "leaders", "quality_findings"} <= suites
    checks = {(r["table"], r["check"]) for s in report["suites"] for r in s["results"]}
    for expected in [("tasks", "key_unique"), ("tasks", "task_no_unique"), ("tasks", "task_no_contiguous"),
                     ("tasks", "task_has_unit"), ("tasks", "task_has_lead_unit"),
                     ("task_units", "unit_in_registry"), ("task_units", "task_id_foreign_key"),
                     ("task_units", "unit_id_foreign_key"), ("notices", "stated_task_count"),
                     ("notices", "year_matches_issue_date"), ("task_leaders", "leader_without_white_space")]:
        assert expected in checks
    assert "Result: **passed**" in summary
    # No run ids, times or expectation ids: a second run gives the same bytes.
    for word in ("run_id", "validation_time", "ge_load_time", '"id"', "batch_id"):
        assert word.encode() not in validation
    staging2 = stage("good.txt", tmp_path / "b")
    run_gate(staging2)
    assert (staging2 / "quality" / "validation.json").read_bytes() == validation
    assert (staging2 / "quality" / "summary.md").read_text(encoding="utf-8") == summary


def test_duplicated_task_number_blocks(tmp_path: Path) -> None:
    msg = gate_message("duplicate_number.txt", tmp_path)
    assert msg.startswith("quality gate failed: 2 of ")
    assert "tasks: a task number appears once in its notice" in msg
    assert "duplicate_number.txt:12, notice 海城市-2023, task 2" in msg
    assert "duplicate_number.txt:17, notice 海城市-2023, task 2" in msg
    assert "task numbers run 1, 2, 3" in msg and "task_no=2, expected_task_no=3" in msg
    assert isinstance(GateFailure(msg), GovtasksError)


def test_task_without_units_blocks(tmp_path: Path) -> None:
    msg = gate_message("task_without_units.txt", tmp_path)
    assert "tasks: every task names at least one unit" in msg
    assert "task_without_units.txt:17, notice 海城市-2023, task 3: unit_count=0" in msg
    assert "every task has a lead unit (牵头单位) when its notice gives them" in msg


def test_unknown_unit_blocks_with_candidates(tmp_path: Path) -> None:
    msg = gate_message("unknown_unit.txt", tmp_path)
    assert "task_units: every unit name is in the registry" in msg
    assert "市星际旅行局" in msg
    assert "unknown_unit.txt:17: task 3 (lead #1)" in msg
    assert "closest in the registry:" in msg
    assert "--allow-unknown" in msg


def test_unknown_unit_is_a_finding_under_allow_unknown(tmp_path: Path) -> None:
    staging = stage("unknown_unit.txt", tmp_path)
    assert run_gate(staging, allow_unknown=True).startswith("quality gate passed")
    findings = pd.read_parquet(staging / "data" / "quality_findings.parquet")
    row = findings[findings["check"] == "unknown_unit"].iloc[0]
    assert row["task_no"] == 3 and "市星际旅行局" in row["detail"]
    report = json.loads((staging / "quality" / "validation.json").read_text(encoding="utf-8"))
    assert report["allow_unknown"] is True
    checks = {r["check"] for s in report["suites"] for r in s["results"]}
    assert "unknown_unit_recorded" in checks and "unit_in_registry" not in checks


def test_unknown_unit_without_its_finding_blocks_even_under_allow_unknown(tmp_path: Path) -> None:
    def drop_findings(frames: dict[str, pd.DataFrame]) -> None:
        f = frames["quality_findings"]
        frames["quality_findings"] = f[f["check"] != "unknown_unit"].reset_index(drop=True)

    with pytest.raises(GateFailure, match="recorded in quality_findings"):
        run_gate(stage("unknown_unit.txt", tmp_path, drop_findings), allow_unknown=True)


def test_stated_count_that_disagrees_blocks(tmp_path: Path) -> None:
    msg = gate_message("stated_count_differs.txt", tmp_path)
    assert "notices: a notice has as many tasks as it says it has" in msg
    assert "stated_count_differs.txt, notice 海城市-2023: stated_task_count=5, task_count=4" in msg


def test_year_and_issue_date_must_agree(tmp_path: Path) -> None:
    msg = gate_message("year_differs.txt", tmp_path)
    assert "year=2023, issued_year=2021" in msg


def test_numbers_restarting_in_each_chapter_pass(tmp_path: Path) -> None:
    assert frames_of("per_chapter.txt")["notices"]["numbering"].tolist() == ["per_chapter"]
    assert run_gate(stage("per_chapter.txt", tmp_path)).startswith("quality gate passed")


def test_foreign_key_to_a_missing_task_blocks(tmp_path: Path) -> None:
    def orphan(frames: dict[str, pd.DataFrame]) -> None:
        frames["task_units"].loc[0, "task_id"] = "海城市-2023-t999"

    with pytest.raises(GateFailure) as e:
        run_gate(stage("good.txt", tmp_path, orphan))
    assert "task_units: every task_id is a task_id of tasks" in str(e.value)
    assert "task_id=海城市-2023-t999" in str(e.value)


def test_leader_name_with_white_space_blocks(tmp_path: Path) -> None:
    def pad(frames: dict[str, pd.DataFrame]) -> None:
        frames["task_leaders"].loc[0, "leader"] = "刘 兴达"

    with pytest.raises(GateFailure) as e:
        run_gate(stage("good.txt", tmp_path, pad))
    msg = str(e.value)
    assert "task_leaders: leader has no white space" in msg
    assert "good.txt:8, notice 海城市-2023, task 1: leader=刘 兴达" in msg


def test_failure_message_is_short(tmp_path: Path) -> None:
    msg = gate_message("duplicate_number.txt", tmp_path)
    assert len(msg.splitlines()) < 12
    for gx_noise in ("expectation_config", "partial_unexpected", "{", "Traceback"):
        assert gx_noise not in msg
