"""End to end through the command line: `govtasks release` on a DOCX table and on a bad file."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from tests import extract_renditions as R

ROOT = Path(__file__).resolve().parents[1]


def govtasks(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=False)


def test_release_of_a_docx_table_publishes_its_tasks(tmp_path: Path) -> None:
    src = tmp_path / "plan.docx"
    src.write_bytes(R.docx_table())
    run = govtasks("release", str(src), "--out", str(tmp_path / "out"))
    assert run.returncode == 0, run.stderr
    data = tmp_path / "out" / "latest" / "data"
    with (data / "notices.csv").open(encoding="utf-8-sig") as f:  # the BOM of the published CSV
        notice = next(csv.DictReader(f))
    assert (notice["form"], notice["layout"], notice["jurisdiction"]) == ("docx", "table", "海城市")
    with (data / "tasks.csv").open(encoding="utf-8-sig") as f:  # the BOM of the published CSV
        tasks = list(csv.DictReader(f))
    assert len(tasks) == 102
    with (data / "task_leaders.csv").open(encoding="utf-8-sig") as f:  # the BOM of the published CSV
        t21 = [r["leader"] for r in csv.DictReader(f) if r["task_id"] == "海城市-2023-t021"]
    assert t21 == ["王威", "刘兴达", "夏应"]


def test_release_of_a_bad_file_fails_with_file_and_line(tmp_path: Path) -> None:
    src = tmp_path / "repost.txt"
    lines = R.bundled_text().split("\n")
    lines[40] = "锟斤拷锟斤拷" + lines[40]
    src.write_text("\n".join(lines), encoding="utf-8")
    run = govtasks("release", str(src), "--out", str(tmp_path / "out"))
    assert run.returncode != 0
    assert "repost.txt:41: mojibake" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert not (tmp_path / "out" / "latest").exists()  # nothing published
