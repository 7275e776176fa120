"""Parse snapshots into the parsed-notice cache, in worker processes when there are many.

`parse_snapshot` is the per-notice unit of work: snapshot in, parsed JSON file out. It is a plain,
pure, picklable function, so any executor can map it (a Dask cluster later); `parse_all` maps it over a
process pool on this machine, results in input order. Output is the same as parsing one by one: each
file depends only on its snapshot, and the first failing snapshot (in input order) raises its own
error, parsed again in this process so that the error is exactly the one a sequential run gives.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from extract.cache import write_parsed
from extract.read import read_notice
from extract.snapshot import Snapshot

PARALLEL_FROM = 16  # notices to parse before worker processes pay off (each starts in ~1 s)


def parse_snapshot(snap: Snapshot, path: str) -> str:
    """Parse `snap` and write its parsed JSON to `path`, with the sidecar recording its sha256
    (extract/cache.py; atomically: a crash leaves no half file)."""
    write_parsed(Path(path), read_notice(snap))
    return path


def _parse_or_none(snap: Snapshot, path: str) -> str | None:
    """In a worker: None on any failure (the caller parses again to raise the real error; our errors
    do not survive pickling between processes)."""
    try:
        return parse_snapshot(snap, path)
    except Exception:
        return None


def workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def parse_all(jobs: list[tuple[Snapshot, str]]) -> None:
    """Run `parse_snapshot` for every (snapshot, path), in input order as far as results and errors go."""
    n = min(workers(), len(jobs))
    if len(jobs) < PARALLEL_FROM or n < 2:
        for snap, path in jobs:
            parse_snapshot(snap, path)
        return
    snaps, paths = [s for s, _ in jobs], [p for _, p in jobs]
    with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn")) as pool:
        done = list(pool.map(_parse_or_none, snaps, paths, chunksize=max(1, len(jobs) // (n * 8))))
    for snap, path, result in zip(snaps, paths, done, strict=True):
        if result is None:
            parse_snapshot(snap, path)  # raises the error of the first failing notice
