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
from collections.abc import Callable
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


def _worker_start(parent: int) -> None:
    """In a worker process: die with the parent (a killed run leaves no worker behind)."""
    from extract.lifetime import die_with_parent

    die_with_parent(parent)


def parse_all(jobs: list[tuple[Snapshot, str]], on_done: Callable[[int], None] | None = None,
              parallel: bool = True) -> None:
    """Run `parse_snapshot` for every (snapshot, path), in input order as far as results and errors go;
    `on_done(1)` after each notice (progress). `parallel=False`: in this process only."""
    n = min(workers(), len(jobs))
    if len(jobs) < PARALLEL_FROM or n < 2 or not parallel:
        for snap, path in jobs:
            parse_snapshot(snap, path)
            if on_done:
                on_done(1)
        return
    snaps, paths = [s for s, _ in jobs], [p for _, p in jobs]
    done = []
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(n, mp_context=spawn, initializer=_worker_start, initargs=(os.getpid(),)) as pool:
        for result in pool.map(_parse_or_none, snaps, paths, chunksize=max(1, min(16, len(jobs) // (n * 8)))):
            done.append(result)
            if on_done:
                on_done(1)
    for snap, path, result in zip(snaps, paths, done, strict=True):
        if result is None:
            parse_snapshot(snap, path)  # raises the error of the first failing notice
