"""CLI failures that are caught before any work: one line on stderr, exit 1, nothing created."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

GOVTASKS = [sys.executable, "-m", "flows.cli"]  # the interpreter running the tests, wherever it lives


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GOVTASKS, "release", *args], capture_output=True, text=True, timeout=120,
                          cwd=ROOT, env={**os.environ, **(env or {})})


def test_out_that_is_a_file(tmp_path: Path) -> None:
    f = tmp_path / "afile"
    f.write_text("x", encoding="utf-8")
    proc = run("--out", str(f))
    assert proc.returncode == 1
    assert proc.stderr == f"govtasks: {f} is a file, not a folder for releases\n"
    assert f.read_text(encoding="utf-8") == "x"


def test_latest_that_is_a_real_folder_is_refused_before_any_work(tmp_path: Path) -> None:
    (tmp_path / "latest").mkdir()
    proc = run("--out", str(tmp_path))
    assert proc.returncode == 1
    assert "latest is a folder, not a link" in proc.stderr and proc.stderr.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest"]  # no cache, no staging


def test_unwritable_prefect_home(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    proc = run("--out", str(tmp_path / "out"), env={"PREFECT_HOME": str(blocker / "prefect")})
    assert proc.returncode == 1
    assert proc.stderr.startswith("govtasks: Prefect needs a writable folder for its local database")
    assert "PREFECT_HOME" in proc.stderr and "Traceback" not in proc.stderr
