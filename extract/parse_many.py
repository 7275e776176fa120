"""Parse snapshots into the parsed-notice cache, in worker processes when there are many.

`parse_snapshot` is the per-notice unit of work: snapshot in, parsed JSON file out. It is a plain,
pure, picklable function, so any executor can map it (a Dask cluster later); `parse_all` maps it, in chunks,
over the run's worker pool (extract.pool), results in input order. Output is the same as parsing one
by one: each file depends only on its snapshot, and the first failing snapshot (in input order)
raises its own error, parsed again in this process so that the error is exactly the one a sequential
run gives.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from extract.cache import write_parsed
from extract.pool import PARALLEL_FROM, chunks, map_in_order
from extract.read import read_notice
from extract.snapshot import Snapshot

__all__ = ["PARALLEL_FROM", "parse_all", "parse_chunk", "parse_snapshot"]


def parse_snapshot(snap: Snapshot, path: str) -> str:
    """Parse `snap` and write its parsed JSON to `path`, with the sidecar recording its sha256
    (extract/cache.py; atomically: a crash leaves no half file)."""
    write_parsed(Path(path), read_notice(snap))
    return path


def parse_chunk(jobs: Sequence[tuple[Snapshot, str]]) -> int:
    """`parse_snapshot` of each (snapshot, path), in order; the number parsed."""
    for snap, path in jobs:
        parse_snapshot(snap, path)
    return len(jobs)


def parse_all(jobs: list[tuple[Snapshot, str]], on_done: Callable[[int], None] | None = None,
              parallel: bool = True) -> None:
    """Run `parse_snapshot` for every (snapshot, path), in input order as far as results and errors go,
    in the shared worker pool when there are many (extract.pool); `on_done(k)` after each k notices
    (progress). `parallel=False`: in this process only."""
    parallel = parallel and len(jobs) >= PARALLEL_FROM
    parts = chunks(jobs, 8, 16) if parallel else [jobs[i:i + 1] for i in range(len(jobs))]
    map_in_order(parse_chunk, [(c,) for c in parts], parallel=parallel,
                 on_done=(lambda i: on_done(len(parts[i]))) if on_done else None)
