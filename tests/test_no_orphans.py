"""A killed run leaves no process behind: `kill -9` of the CLI takes its temporary Prefect server and
its parse workers with it (flows/server.py, extract/lifetime.py)."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def parents() -> dict[int, int]:
    """pid -> parent pid of every process, from /proc/<pid>/stat (works on kernels without
    /proc/<pid>/task/<tid>/children, which needs CONFIG_PROC_CHILDREN)."""
    out: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        out[int(name)] = int(fields[1])
    return out


def descendants(pid: int) -> set[int]:
    kids: dict[int, list[int]] = {}
    for child, parent in parents().items():
        kids.setdefault(parent, []).append(child)
    out: set[int] = set()
    todo = [pid]
    while todo:
        for k in kids.get(todo.pop(), []):
            if k not in out:
                out.add(k)
                todo.append(k)
    return out


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_sigkill_of_the_cli_leaves_no_server_and_no_worker(tmp_path: Path) -> None:
    text = (ROOT / "data" / "notices" / "haicheng-2023.txt").read_text(encoding="utf-8")
    with (ROOT / "extract" / "divisions.csv").open(encoding="utf-8") as f:  # real places: the gazetteer checks
        cities = [r["name"] for r in csv.DictReader(f) if r["level"] == "prefecture" and r["name"].endswith("市")]
    sources = []
    for i, city in enumerate(cities[:24]):  # enough to parse in worker processes (extract.parse_many.PARALLEL_FROM)
        p = tmp_path / f"n{i:02d}.txt"
        p.write_text(text.replace("海城市", city), encoding="utf-8")
        sources.append(str(p))
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home")}
    env.pop("PREFECT_API_URL", None)
    cmd = [sys.executable, "-m", "flows.cli", "release", *sources, "--out", str(tmp_path / "out"), "--allow-unknown",
           "--timings"]  # stage lines on stderr: without them a quick run prints nothing until it has ended
    proc = subprocess.Popen(cmd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    seen: set[int] = set()
    try:
        assert proc.stderr is not None
        lines = []
        for line in proc.stderr:  # the flow runs once the server answers: snapshot is its first stage
            lines.append(line)
            seen |= descendants(proc.pid)
            if line.startswith("govtasks: snapshot done"):
                break
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(seen) < 2:  # the server, then parse workers
            seen |= descendants(proc.pid)
            time.sleep(0.05)
        seen |= descendants(proc.pid)
        assert seen, (f"the CLI started no child process (exit status {proc.poll()}); it printed:\n"
                      + "".join(lines[-20:]))
        assert proc.poll() is None, f"the CLI ended (exit status {proc.poll()}) before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(alive(p) for p in seen):
        time.sleep(0.1)
    survivors = [p for p in seen if alive(p)]
    for p in survivors:  # do not leave them to the machine if the test fails
        os.kill(p, signal.SIGKILL)
    assert survivors == []
