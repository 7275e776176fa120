"""Benchmark: N notices end to end through the real flow (temporary Prefect server included).

    .venv/bin/python benchmarks/bench_release.py [N ...]      default: 1 100 1000

Each copy is the reference notice under another (invented) jurisdiction name, so every notice is a
distinct jurisdiction-year; they are published with --allow-unknown because the registry does not
know the invented jurisdictions. Prints wall time and peak memory (the max RSS of the largest process:
the CLI itself; parse workers and the Prefect server are smaller) per N.
Run it as a script, never as a timed test.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTICE = ROOT / "data" / "notices" / "haicheng-2023.txt"


def make_notices(n: int, folder: Path) -> list[str]:
    text = NOTICE.read_text(encoding="utf-8")
    paths = []
    for i in range(n):
        p = folder / f"notice-{i:04d}.txt"
        p.write_text(text.replace("海城市", f"样例{i:04d}市"), encoding="utf-8")
        paths.append(str(p))
    return paths


def run(n: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sources = make_notices(n, folder)
        listfile = folder / "sources.txt"
        listfile.write_text("\n".join(sources), encoding="utf-8")
        start = time.perf_counter()
        proc = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "govtasks"), "release", *sources, "--out", str(folder / "out"),
             "--allow-unknown"], capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            sys.exit(f"release of {n} notices failed:\n{proc.stderr}")
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        return elapsed, peak_mib


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [1, 100, 1000]
    print("notices  seconds  peak MiB")
    for n in sizes:
        elapsed, peak = run(n)
        print(f"{n:7d}  {elapsed:7.1f}  {peak:8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
