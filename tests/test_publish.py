"""Issue 5: atomic publishing. A release appears complete or not at all; `latest` always names a
complete release, even when the publishing process is killed at any step (real SIGKILL, in a
subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from output.metadata import write_checksums
from output.publish import PublishError, clean_stale, discard, latest, new_staging, publish, verify_release

ROOT = Path(__file__).resolve().parents[1]


def fill(staging: Path, text: str) -> Path:
    """A small but complete release: data, a database file, quality results and checksums."""
    (staging / "data").mkdir()
    (staging / "data" / "tasks.csv").write_text(f"task_id,text\n1,{text}\n", encoding="utf-8")
    (staging / "quality").mkdir()
    (staging / "quality" / "summary.md").write_text("# Quality gate\n", encoding="utf-8")
    (staging / "govtasks.duckdb").write_bytes(b"db " + text.encode())
    write_checksums(staging, [p for p in staging.rglob("*") if p.is_file()])
    return staging


def release(out: Path, text: str, name: str) -> Path:
    return publish(fill(new_staging(out), text), out, name)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def hidden(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith(".staging-"))


def test_publish_moves_a_complete_release_into_place_and_latest_last(tmp_path: Path) -> None:
    out = tmp_path / "releases"
    first = release(out, "one", "r1")
    assert first == out / "r1" and latest(out) == first.resolve()
    assert os.readlink(out / "latest") == "r1"  # relative: the folder can be moved or served as is
    assert verify_release(first) == []
    assert first.stat().st_mode & 0o777 == 0o777 & ~_umask()  # readable by the portal, not 0700
    second = release(out, "two", "r2")
    assert latest(out) == second.resolve() and snapshot(first)["data/tasks.csv"] == b"task_id,text\n1,one\n"
    assert hidden(out) == []  # no staging folder, lock or link left behind


def _umask() -> int:
    m = os.umask(0)
    os.umask(m)
    return m


def test_same_version_never_replaces_a_release(tmp_path: Path) -> None:
    out = tmp_path / "releases"
    first = release(out, "one", "1.0.0")
    before = snapshot(first)
    staging = fill(new_staging(out), "two")  # another run that computed the same version meanwhile
    with pytest.raises(PublishError, match=r"release 1\.0\.0 already exists .*nothing was published"):
        publish(staging, out, "1.0.0")
    discard(staging)
    assert snapshot(first) == before and latest(out) == first.resolve() and hidden(out) == []


def test_incomplete_release_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "releases"
    good = release(out, "one", "r1")
    before = snapshot(good)
    staging = fill(new_staging(out), "two")
    (staging / "data" / "tasks.csv").write_text("changed after the checksums\n", encoding="utf-8")
    with pytest.raises(PublishError, match=r"data/tasks\.csv does not match its checksum"):
        publish(staging, out, "r2")
    (staging / "SHA256SUMS").unlink()
    with pytest.raises(PublishError, match=r"SHA256SUMS is missing"):
        publish(staging, out, "r2")
    discard(staging)
    assert latest(out) == good.resolve() and snapshot(good) == before and hidden(out) == []


@pytest.mark.parametrize("kind", ["folder", "file"])
def test_latest_that_is_not_a_link_is_refused_before_any_work(tmp_path: Path, kind: str) -> None:
    out = tmp_path / "releases"
    out.mkdir()
    if kind == "folder":
        (out / "latest").mkdir()
        (out / "latest" / "keep.txt").write_text("mine", encoding="utf-8")
    else:
        (out / "latest").write_text("mine", encoding="utf-8")
    with pytest.raises(PublishError, match=f"latest is a {kind}, not a link"):
        new_staging(out)
    assert hidden(out) == []
    assert (out / "latest" / "keep.txt").exists() if kind == "folder" else (out / "latest").read_text() == "mine"


def test_dangling_latest_is_replaced(tmp_path: Path) -> None:
    out = tmp_path / "releases"
    out.mkdir()
    (out / "latest").symlink_to("gone")
    assert latest(out) is None
    assert latest(release(out, "one", "r1").parent) == (out / "r1").resolve()


HOLD = """
import sys, time
from pathlib import Path
from output.publish import new_staging
s = new_staging(Path(sys.argv[1]))
(s / "partial.txt").write_text("half a release")
print(s, flush=True)
time.sleep(60)
"""


def test_stale_staging_of_a_killed_run_is_removed_but_a_running_one_is_kept(tmp_path: Path) -> None:
    out = tmp_path / "releases"
    out.mkdir()
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(out)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        staging = Path(proc.stdout.readline().strip())
        assert (staging / "partial.txt").exists()
        assert clean_stale(out) == [] and staging.exists()  # its run holds the lock
        mine = new_staging(out)  # a second run beside it leaves it alone too
        assert staging.exists()
        discard(mine)
    finally:
        proc.kill()
        proc.wait()
    assert clean_stale(out) == [staging]
    assert hidden(out) == []


KILL = """
import os, signal, sys
from pathlib import Path
sys.path.insert(0, {root!r})
from output import publish as P
from tests.test_publish import fill

out, step = Path(sys.argv[1]), sys.argv[2]
staging = fill(P.new_staging(out), "two")
real = {{"fsync": os.fsync, "rename": os.rename, "replace": os.replace}}

def wrap(name):
    def f(*a, **k):
        if step == name:
            os.kill(os.getpid(), signal.SIGKILL)
        r = real[name](*a, **k)
        if step == "after_" + name:
            os.kill(os.getpid(), signal.SIGKILL)
        return r
    return f

for name in real:
    setattr(os, name, wrap(name))
P.publish(staging, out, "r2")
"""


@pytest.mark.parametrize("step", ["fsync", "rename", "after_rename", "replace", "after_replace"])
def test_kill_during_publishing_leaves_latest_on_a_complete_release(tmp_path: Path, step: str) -> None:
    out = tmp_path / "releases"
    first = release(out, "one", "r1")
    before = snapshot(first)
    script = textwrap.dedent(KILL.format(root=str(ROOT)))
    proc = subprocess.run([sys.executable, "-c", script, str(out), step], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == -9, proc.stderr  # really killed, mid-publish

    current = latest(out)
    assert current is not None and verify_release(current) == []
    assert snapshot(first) == before
    new = out / "r2"
    if step in ("fsync", "rename"):  # killed before the rename: nothing visible changed
        assert current == first.resolve() and not new.exists()
        assert hidden(out)  # the staging folder of the killed run…
    elif step in ("after_rename", "replace"):  # renamed, `latest` not yet moved: both releases complete
        assert current == first.resolve() and verify_release(new) == []
    else:
        assert current == new.resolve()
    clean_stale(out)  # …is removed by the next run
    assert hidden(out) == []
    assert latest(out) == current


def test_clean_stale_leaves_a_folder_govtasks_did_not_make(tmp_path: Path) -> None:
    from output.publish import clean_stale

    notes = tmp_path / ".staging-my-notes"
    notes.mkdir()
    (notes / "important.txt").write_text("keep", encoding="utf-8")
    assert clean_stale(tmp_path) == []
    assert (notes / "important.txt").read_text(encoding="utf-8") == "keep"
