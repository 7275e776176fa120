"""Issue 5, end to end: the real `release` flow stops at the quality gate on a broken notice, and the
earlier release and `latest` stay byte for byte what they were. The gate's results ship with a release."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from extract.errors import GovtasksError
from output.publish import latest, verify_release

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "quality"


def digest(folder: Path) -> dict[str, str]:
    """sha256 of every file of a release folder (govtasks.duckdb too: nothing reopens it for writing)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def published(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(releases folder, the good release in it), published by the real flow."""
    from flows.release import release

    out = tmp_path_factory.mktemp("releases")
    result = release(sources=[str(FIXTURES / "good.txt")], out=str(out))
    return out, Path(result["folder"])


def test_release_ships_its_quality_results(published: tuple[Path, Path]) -> None:
    out, folder = published
    assert latest(out) == folder.resolve()
    report = json.loads((folder / "quality" / "validation.json").read_text(encoding="utf-8"))
    assert report["success"] is True and report["allow_unknown"] is False
    assert "Result: **passed**" in (folder / "quality" / "summary.md").read_text(encoding="utf-8")
    listed = (folder / "SHA256SUMS").read_text(encoding="utf-8")
    assert "quality/validation.json" in listed and "quality/summary.md" in listed
    assert verify_release(folder) == []


@pytest.mark.parametrize(("notice", "expected"), [
    ("duplicate_number.txt", "a task number appears once in its notice"),
    ("task_without_units.txt", "every task names at least one unit"),
    ("unknown_unit.txt", "unknown unit '市星际旅行局'"),
    ("stated_count_differs.txt", "stated_task_count=5, task_count=4"),
])
def test_gate_failure_leaves_the_earlier_release_untouched(published: tuple[Path, Path], notice: str,
                                                           expected: str) -> None:
    from flows.release import release

    out, folder = published
    before = digest(folder)
    entries = sorted(p.name for p in out.iterdir())
    with pytest.raises(GovtasksError) as e:
        release(sources=[str(FIXTURES / notice)], out=str(out))
    assert str(e.value).startswith("quality gate failed:") and expected in str(e.value)
    assert digest(folder) == before
    assert latest(out) == folder.resolve()
    assert sorted(p.name for p in out.iterdir()) == entries  # no new release, no staging left behind


def test_cli_failure_is_one_readable_message(published: tuple[Path, Path]) -> None:
    out, folder = published
    before = digest(folder)
    proc = subprocess.run([sys.executable, "-m", "flows.cli", "release",
                           str(FIXTURES / "duplicate_number.txt"), "--out", str(out), "-q"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    assert proc.stderr.startswith("govtasks: quality gate failed:")
    assert "duplicate_number.txt:17, notice 海城市-2023, task 2" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "expectation_config" not in proc.stderr
    assert "| WARNING |" not in proc.stderr and "| ERROR |" not in proc.stderr  # no Prefect log lines
    assert proc.stdout == ""
    assert digest(folder) == before and latest(out) == folder.resolve()
