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
from transform.registry_load import load_registry
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


def failure(name: str, tmp_path: Path, edit, **kw) -> str:
    """The gate's failure message for fixture `name` after `edit` changed its tables."""
    with pytest.raises(GateFailure) as e:
        run_gate(stage(name, tmp_path, edit), **kw)
    return str(e.value)


def test_blank_task_text_blocks(tmp_path: Path) -> None:
    def blank(frames: dict[str, pd.DataFrame]) -> None:
        frames["tasks"].loc[1, "text"] = "   "
        frames["tasks"].loc[3, "text"] = "\u3000"  # full-width space only

    msg = failure("good.txt", tmp_path, blank)
    assert "tasks: required columns are filled (task_id, notice_id, task_no, text, line) and no text is only " \
           "white space" in msg
    assert "good.txt:12, notice 海城市-2023, task 2: empty_columns=text" in msg
    assert "good.txt:21, notice 海城市-2023, task 4: empty_columns=text" in msg


def test_only_white_space_reads_texts_as_the_pattern_does() -> None:
    import pyarrow as pa
    import pyarrow.compute as pc

    from quality.frames import NOT_BLANK, only_white_space

    texts = ["", " ", "\u3000", "\u3000\u3000", "\u200b\ufeff", " \t\r\n", "a", " a", "\u3000任务", None,
             "\v", "任务 ", "\u00a0"]
    got = only_white_space(pa.array(texts, pa.string())).tolist()
    assert got == [True, True, True, True, True, True, False, False, False, False, False, False, True]
    # exactly what the pattern alone says, on every text (null: not white space, it is null)
    alone = pc.invert(pc.fill_null(pc.match_substring_regex(pa.array(texts, pa.string()), NOT_BLANK), True))
    assert got == alone.to_pylist()


def test_empty_section_id_in_chapters_and_tasks_blocks(tmp_path: Path) -> None:
    def empty(frames: dict[str, pd.DataFrame]) -> None:
        chapters, tasks = frames["chapters"], frames["tasks"]
        sid = chapters.loc[0, "section_id"]
        chapters.loc[0, "section_id"] = ""
        tasks.loc[tasks["section_id"] == sid, "section_id"] = ""  # the foreign key still holds

    msg = failure("good.txt", tmp_path, empty)
    assert "chapters: required columns are filled" in msg
    assert "good.txt:7, notice 海城市-2023: empty_columns=section_id" in msg
    assert "good.txt:8, notice 海城市-2023, task 1: empty_columns=section_id" in msg


def test_unit_and_leader_of_another_jurisdiction_block(tmp_path: Path) -> None:
    def elsewhere(frames: dict[str, pd.DataFrame]) -> None:
        units, leaders = frames["units"], frames["leaders"]
        units.loc[len(units)] = {"unit_id": "鞍山市:市商务局", "jurisdiction": "鞍山市", "name": "市商务局",
                                 "full_name": None, "unit_type": None, "in_registry": True}
        leaders.loc[len(leaders)] = {"leader_id": "鞍山市:汪忠野", "jurisdiction": "鞍山市", "name": "汪忠野",
                                     "kind": "person"}
        tu, tl = frames["task_units"], frames["task_leaders"]
        tu.loc[(tu["task_id"] == "海城市-2023-t003") & (tu["unit"] == "市商务局"), "unit_id"] = "鞍山市:市商务局"
        tl.loc[tl["task_id"] == "海城市-2023-t003", "leader_id"] = "鞍山市:汪忠野"

    msg = failure("good.txt", tmp_path, elsewhere)
    assert "task_units: every unit_id is a unit of the task's jurisdiction" in msg
    assert ("good.txt:17, notice 海城市-2023, task 3: unit_id=鞍山市:市商务局, unit_jurisdiction=鞍山市, "
            "task_jurisdiction=海城市") in msg
    assert "task_leaders: every leader_id is a leader of the task's jurisdiction" in msg
    assert "good.txt:17, notice 海城市-2023, task 3: leader_id=鞍山市:汪忠野, leader_jurisdiction=鞍山市" in msg


def test_unit_and_leader_names_must_be_those_of_their_ids(tmp_path: Path) -> None:
    def renamed(frames: dict[str, pd.DataFrame]) -> None:
        tu, tl = frames["task_units"], frames["task_leaders"]
        tu.loc[(tu["task_id"] == "海城市-2023-t003") & (tu["unit"] == "市商务局"), "unit"] = "市财政局"
        tl.loc[tl["task_id"] == "海城市-2023-t003", "leader"] = "刘兴达"

    msg = failure("good.txt", tmp_path, renamed)
    assert "task_units: unit is the name of its unit_id's row in units" in msg
    assert "task 3: unit_id=海城市:市商务局, unit=市财政局, unit_name=市商务局" in msg
    assert "task_leaders: leader is the name of its leader_id's row in leaders" in msg
    assert "task 3: leader_id=海城市:汪忠野, leader=刘兴达, leader_name=汪忠野" in msg


def drop_finding(frames: dict[str, pd.DataFrame], text: str) -> None:
    f = frames["quality_findings"]
    frames["quality_findings"] = f[~f["detail"].str.contains(text, regex=False)].reset_index(drop=True)


def test_every_unknown_unit_needs_its_own_finding(tmp_path: Path) -> None:
    # Chapter 1 task 1 names two unknown units; chapter 2 task 1 (numbers restart) names one of them again.
    assert run_gate(stage("per_chapter_unknown.txt", tmp_path / "all"), allow_unknown=True).startswith(
        "quality gate passed")
    msg = failure("per_chapter_unknown.txt", tmp_path / "two", lambda f: drop_finding(f, "市银河管理局"),
                  allow_unknown=True)
    assert "recorded in quality_findings" in msg and "— 1 of " in msg
    assert "per_chapter_unknown.txt:8, notice 海城市-2023, task 1: raw_name=市银河管理局" in msg
    msg = failure("per_chapter_unknown.txt", tmp_path / "chapter2", lambda f: drop_finding(f, ".txt:17:"),
                  allow_unknown=True)
    assert "per_chapter_unknown.txt:17, notice 海城市-2023, task 1: raw_name=市星际旅行局" in msg


def test_unknown_unit_findings_name_the_task_and_the_printed_name() -> None:
    f = frames_of("per_chapter_unknown.txt")["quality_findings"]
    rows = f[f["check"] == "unknown_unit"].sort_values("detail")
    assert rows[["task_id", "subject"]].values.tolist() == [
        ["海城市-2023-t003", "市星际旅行局"], ["海城市-2023-t001", "市星际旅行局"],
        ["海城市-2023-t001", "市银河管理局"]]


def test_line_below_1_blocks(tmp_path: Path) -> None:
    def zero(frames: dict[str, pd.DataFrame]) -> None:
        frames["tasks"].loc[0, "line"] = 0
        frames["chapters"].loc[1, "line"] = -3

    msg = failure("good.txt", tmp_path, zero)
    assert "tasks: line is a line of the source (1 or more)" in msg
    assert "good.txt:0, notice 海城市-2023, task 1" in msg
    assert "chapters: line is a line of the source (1 or more)" in msg
    assert "good.txt:-3, notice 海城市-2023" in msg


def test_offending_rows_come_in_line_order(tmp_path: Path) -> None:
    # leaders rows sort by id (刘兴达, 刘哲, 汪忠野); their first tasks are on lines 8, 21 and 17.
    def pad(frames: dict[str, pd.DataFrame]) -> None:
        frames["leaders"]["name"] = frames["leaders"]["name"] + " "

    msg = failure("good.txt", tmp_path, pad)
    block = msg.split("✗ leaders: name has no white space")[1].split("✗")[0]
    lines = [ln.split(",")[0].strip() for ln in block.splitlines()[1:]]
    assert lines == ["good.txt:8", "good.txt:17", "good.txt:21"]
    assert "good.txt:8, notice 海城市-2023, task 1: name='刘兴达 '" in block  # white space at the end shows


def test_orphan_rows_name_the_notice_of_their_id(tmp_path: Path) -> None:
    def orphan(frames: dict[str, pd.DataFrame]) -> None:
        frames["task_leaders"].loc[0, "task_id"] = "海城市-2023-t042"

    msg = failure("good.txt", tmp_path, orphan)
    assert "task_leaders: every task_id is a task_id of tasks" in msg
    assert "good.txt, notice 海城市-2023: task_id=海城市-2023-t042" in msg


def test_null_in_a_required_column_is_a_readable_error(tmp_path: Path) -> None:
    frames = frames_of("good.txt")
    frames["tasks"].loc[1, "text"] = None
    with pytest.raises(GovtasksError) as e:
        write_tables(frames, tmp_path)
    msg = str(e.value)
    assert msg.startswith("table tasks: required values are missing (null); nothing was published.")
    assert "tasks.text is never empty — 1 of 4 rows fail" in msg
    assert "notice 海城市-2023, task 2, line 12 (task_id=海城市-2023-t002)" in msg
    frames = frames_of("good.txt")
    frames["task_units"].loc[2, "unit"] = None
    with pytest.raises(GovtasksError, match=r"task_id=海城市-2023-t\d+, role=\w+, position=\d"):
        write_tables(frames, tmp_path)


def test_a_name_printed_twice_in_a_task_needs_two_findings() -> None:
    from quality.frames import findings_recorded

    tu = pd.DataFrame({"task_id": ["t1", "t1", "t1", "t2", "t3"], "raw_name": ["甲", "甲", "乙", "甲", "丙"],
                       "match": ["unknown", "unknown", "canonical", "unknown", "unknown"]})
    f = pd.DataFrame({"task_id": ["t1", "t2", "t3"], "subject": ["甲", "甲", "丙"],
                      "check": ["unknown_unit", "unknown_unit", "yoy"]})
    assert findings_recorded(tu, f).tolist() == [True, False, True, True, False]


def test_the_gate_asks_gx_for_no_batch_fingerprint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """GX hashes every frame for a batch marker the gate never reads (1 s at 1,000 notices), below a
    size threshold; the gate sets that threshold to 0. The knob must still be the one GX reads, and a
    gate run must leave no frame hashed."""
    import inspect

    from great_expectations.execution_engine import pandas_execution_engine as engine

    source = inspect.getsource(engine.PandasExecutionEngine.get_batch_data_and_markers)
    assert "HASH_THRESHOLD" in source and "hash_pandas_dataframe" in source
    hashed: list[int] = []
    real = engine.hash_pandas_dataframe
    monkeypatch.setattr(engine, "HASH_THRESHOLD", 1e9)  # GX's own default
    monkeypatch.setattr(engine, "hash_pandas_dataframe", lambda df: hashed.append(len(df)) or real(df))
    run_gate(stage("good.txt", tmp_path))
    assert engine.HASH_THRESHOLD == 0 and hashed == []


def test_frames_cut_to_the_checked_columns_give_the_same_report_and_message() -> None:
    """The gate puts in file order only the columns its checks and the summary read
    (quality.suites.checked_columns): the report and the failure message are those of whole frames."""
    from quality.frames import validation_frames
    from quality.gate import validate
    from quality.suites import checked_columns, suite_checks
    from quality.summary import SUMMARY_COLUMNS, failure_message

    tables = frames_of("duplicate_number.txt")
    checks = suite_checks(False)
    keep = {t: checked_columns(cs) | SUMMARY_COLUMNS.get(t, set()) for t, cs in checks.items()}
    whole, cut = validation_frames(tables), validation_frames(tables, keep)
    assert len(cut["tasks"].columns) < len(whole["tasks"].columns) and "text" not in cut["tasks"].columns
    a, b = validate(whole, checks), validate(cut, checks)
    assert a == b and not a["success"]
    failed = [r for s in a["suites"] for r in s["results"] if not r["success"]]
    assert failure_message(failed, cut, None, 98) == failure_message(failed, whole, None, 98)
    assert "task_no_unique" in {r["check"] for r in failed}


def test_frames_are_put_in_notice_and_line_order_and_left_when_in_it() -> None:
    from quality.frames import in_notice_order

    df = pd.DataFrame({"notice_id": ["乙-2024", "甲-2023", None, "甲-2023", "乙-2024"],
                       "line": [3, 9, 1, 2, None], "x": ["a", "b", "c", "d", "e"]}, index=[10, 11, 12, 13, 14])
    got = in_notice_order(df)
    # by notice id (as text: 乙 U+4E59 before 甲 U+7532), then line; no line or no notice: last
    assert got["x"].tolist() == ["a", "e", "d", "b", "c"] and got.index.tolist() == [10, 14, 13, 11, 12]
    ordered = got.copy()
    assert in_notice_order(ordered) is ordered  # already in order: the same frame, nothing moved
