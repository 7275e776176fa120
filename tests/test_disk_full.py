"""A full disk (or a quota, or a file-size limit) while a release is written: the error names the file
that could not be written, and nothing is published."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from extract.errors import GovtasksError, WriteError, write_text
from output.files import write_csv, write_parquet
from output.metadata import write_checksums, write_json
from output.portal import portal_settings
from output.release import DATABASE, load_tables
from output.report import write_report
from tests.conftest import BUNDLED, ROOT
from transform.schema import TABLES

FULL = Path("/dev/full")  # every write to it fails with ENOSPC, as on a full disk
TASKS = next(t for t in TABLES if t.name == "tasks")

Writer = Callable[[Path, Path], None]  # (path to write, reference release folder)
WRITERS: dict[str, Writer] = {
    "parquet": lambda p, ref: write_parquet(load_tables(ref)["tasks"], p),
    "csv": lambda p, ref: write_csv(load_tables(ref)["tasks"], TASKS, p),
    "json": lambda p, ref: write_json({"version": "1.0.0"}, p),
    "text": lambda p, ref: write_text(p, "# 数据字典\n"),
    "report": lambda p, ref: write_report(p, ref / DATABASE, "1.0.0", portal_settings()),
}


@pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_a_full_disk_is_an_error_naming_the_file(kind: str, reference_release: Path, tmp_path: Path) -> None:
    path = tmp_path / f"out-{kind}"
    path.symlink_to(FULL)
    (tmp_path / f".{path.name}.partial").symlink_to(FULL)  # Parquet is written beside, then renamed
    with pytest.raises(WriteError) as e:
        WRITERS[kind](path, reference_release)
    assert str(e.value) == f"cannot write {path}: No space left on device"
    assert isinstance(e.value, GovtasksError)  # so the CLI prints it as one line, no traceback


def test_checksums_on_a_full_disk_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a", encoding="utf-8")
    (tmp_path / "SHA256SUMS").symlink_to(FULL)
    with pytest.raises(WriteError, match=rf"^cannot write {tmp_path}/SHA256SUMS: No space left on device$"):
        write_checksums(tmp_path, [tmp_path / "a.txt"])


_DUCKDB_UNDER_A_SIZE_LIMIT = """
import resource, signal, sys
from pathlib import Path
from output.database import write_database
from output.release import load_tables
tables = load_tables(Path(sys.argv[1]))
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))
from extract.errors import WriteError
try:
    write_database(tables, Path(sys.argv[2]))
except WriteError as e:
    print(e)
    sys.exit(3)
"""


def test_the_database_past_a_file_size_limit_is_an_error_naming_the_file(reference_release: Path,
                                                                          tmp_path: Path) -> None:
    """DuckDB reports its own IOException, not an OSError; it is named the same way."""
    target = tmp_path / "govtasks.duckdb"
    proc = subprocess.run([sys.executable, "-c", _DUCKDB_UNDER_A_SIZE_LIMIT, str(reference_release), str(target)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3, proc.stderr
    assert proc.stdout.startswith(f"cannot write {target}: ")
    assert "File too large" in proc.stdout


@pytest.fixture
def small_disk(tmp_path: Path) -> Path:
    """A 24 MiB tmpfs (needs root, as CI has); skipped where mounting is not allowed."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mnt)], check=True,
                       capture_output=True, timeout=30)
    except (OSError, subprocess.CalledProcessError) as e:
        pytest.skip(f"cannot mount a tmpfs here: {e}")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False, capture_output=True, timeout=30)


def _release(source: Path, out: Path, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flows.cli", "release", str(source), "--out", str(out), "-q"],
                          env={**os.environ, "PREFECT_HOME": str(home)}, capture_output=True, text=True,
                          timeout=300, cwd=ROOT)


def test_a_release_onto_a_full_disk_names_the_file_and_leaves_latest(small_disk: Path, tmp_path: Path) -> None:
    from output.publish import verify_release

    out, home = small_disk / "releases", tmp_path / "prefect-home"
    assert _release(BUNDLED, out, home).returncode == 0
    first = (out / "latest").resolve()
    # the next year's notice, on a disk with little room left
    changed = tmp_path / "haicheng-2024.txt"
    changed.write_text(BUNDLED.read_text(encoding="utf-8").replace("2023", "2024"), encoding="utf-8")
    stat = os.statvfs(small_disk)
    room = 400 * 1024
    with (small_disk / "filler").open("wb") as f:
        f.write(b"\0" * max(0, stat.f_bavail * stat.f_frsize - room))
    proc = _release(changed, out, home)
    assert proc.returncode == 1
    [line] = proc.stderr.strip().splitlines()  # one readable line, no traceback
    assert line.startswith(f"govtasks: cannot write {out}/.staging-"), line  # a file of the release being built
    assert line.endswith("No space left on device; nothing was published (the last release and latest are "
                         "as they were)"), line
    assert (out / "latest").resolve() == first
    assert verify_release(first) == []
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".staging-")) == []
