"""Worker processes shared by the stages of one run: parsing, names and targets, year over year.

One pool per process, started the first time a stage has enough work for it and kept for the next
stages (a spawned worker costs about a second of imports; started once, it pays for itself). Workers
are spawned, never forked (the run has threads: Prefect's, DuckDB's), and die with their parent, so
a killed run leaves none behind (extract.lifetime).

`map_in_order` runs plain, picklable functions in the workers. It gives exactly what running them
one after another in this process gives: results in input order, and the error of the first job (in
input order) that fails, raised by running that job again here, so that its type, message and
traceback are those of a run without workers. A job never fails differently because it ran in a
worker: a worker that dies (out of memory, killed) only sends its jobs back here.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")
PARALLEL_FROM = 16  # notices before workers pay off (a spawned worker starts in about a second)

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None


class _Failed:
    """What a worker sends back for a job that raised (its error is raised again here: errors do
    not always survive pickling, and a sentinel object() would not survive it as itself)."""


def workers() -> int:
    """Cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


GC_THRESHOLDS = (50_000, 20, 10)  # CPython's are (700, 10, 10)


def batch_gc() -> None:
    """Collect garbage less often in a process that builds many small objects that live long (the
    rows of thousands of notices): with CPython's default, a collection runs every 700 new objects and
    one of every generation rescans every row built so far, most of the time of decoding
    cached rows (measured: the cached rows of 1,000 notices decode in 3.4 s, in 1.4 s with these
    thresholds). The rows
    hold no reference cycles, so memory is the same."""
    import gc

    gc.set_threshold(*GC_THRESHOLDS)


def give_back_memory() -> None:
    """Return the heap memory this process freed to the system (glibc's malloc_trim): after a stage
    that built and dropped many objects, the pages it freed otherwise stay in the process's resident
    size, counted until it exits. Nothing where the C library is not glibc."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if name is None:
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(name).malloc_trim(0)


def _worker_start(parent: int) -> None:
    """In a worker process: die with the parent (a killed run leaves no worker behind), and collect
    garbage as the run's main process does (`batch_gc`)."""
    from extract.lifetime import die_with_parent

    die_with_parent(parent)
    batch_gc()


def shared_pool() -> ProcessPoolExecutor | None:
    """The worker pool of this process (one worker per core), started on first use; None on one core."""
    global _pool
    if workers() < 2:
        return None
    with _lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(workers(), mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_worker_start, initargs=(os.getpid(),))
        return _pool


def close_pool(wait: bool = True) -> bool:
    """Stop the workers (at exit, or after a worker died); without `wait`, they exit (in about half a
    second) while this process goes on. True when there were workers."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=wait, cancel_futures=True)
    return pool is not None


atexit.register(close_pool)


def _import(modules: tuple[str, ...]) -> None:
    import importlib

    for name in modules:
        importlib.import_module(name)


def fresh_pool(*modules: str, start: bool = False) -> None:
    """Stop the workers, and the memory they hold (a worker's heap stays as large as the largest job
    it ran, though its jobs are done), then, when there were workers (or `start`), start one new
    worker that imports `modules` at once, ready for the jobs still to come. Measured at 1,000
    notices: the workers kept about 350 MiB each after year over year, when only the outputs were
    left to run; with `start`, a rerun whose few changed notices needed no worker so far still finds
    one ready for the outputs (started when they begin, its imports delayed them by about a second)."""
    if not close_pool(wait=False) and not start:
        return
    pool = shared_pool()
    if pool is not None:
        with contextlib.suppress(BrokenProcessPool):
            pool.submit(_import, modules)


def _call(fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    """In a worker: `fn(*args)`, or `_Failed()` when it raises (this process raises it again)."""
    give_back_memory()  # what the previous job freed
    try:
        return fn(*args)
    except Exception:
        return _Failed()


def map_in_order(fn: Callable[..., T], jobs: Iterable[tuple[Any, ...]],
                 on_done: Callable[[int], None] | None = None, parallel: bool = True) -> list[T]:
    """`[fn(*job) for job in jobs]`, the jobs in worker processes when `parallel` (and there is more
    than one core), `on_done(i)` after job i, in input order. Jobs are taken from `jobs` as workers
    free up (at most two per worker wait at a time, so a generator of large jobs is never all in
    memory). The first failing job raises its own error, run again in this process; a job whose
    worker died runs here too, and so does every later one."""
    todo = iter(jobs)
    pool = shared_pool() if parallel else None
    results: list[T] = []
    if pool is None:
        for job in todo:
            results.append(fn(*job))
            if on_done:
                on_done(len(results) - 1)
        return results
    pending: deque[tuple[tuple[Any, ...], Future[Any]]] = deque()

    def fill() -> None:
        for job in itertools.islice(todo, max(0, 2 * workers() - len(pending))):
            try:
                fut = pool.submit(_call, fn, job)
            except BrokenProcessPool as e:  # answered below like a worker that died
                fut = Future()
                fut.set_exception(e)
            pending.append((job, fut))

    fill()
    while pending:
        job, fut = pending.popleft()
        try:
            result = fut.result()
        except BrokenProcessPool:  # a worker died: the rest runs here (a later stage starts a new pool)
            close_pool()
            rest = itertools.chain([job], (j for j, _ in pending), todo)
            return results + map_in_order(fn, rest, _shifted(on_done, len(results)), parallel=False)
        if isinstance(result, _Failed):
            try:
                result = fn(*job)  # raises the job's own error, as a run without workers does
            except BaseException:
                for _, later in pending:
                    later.cancel()
                raise
        results.append(result)
        if on_done:
            on_done(len(results) - 1)
        fill()
    return results


def _shifted(on_done: Callable[[int], None] | None, start: int) -> Callable[[int], None] | None:
    return (lambda k: on_done(start + k)) if on_done else None


def chunks(items: Sequence[T], parts: int, most: int) -> list[Sequence[T]]:
    """`items` cut, in order, into slices of equal size: about `parts` per worker for load balance,
    but never more than `most` items each (what one worker holds at once)."""
    if not items:
        return []
    size = max(1, min(most, -(-len(items) // (parts * workers()))))
    return [items[i:i + size] for i in range(0, len(items), size)]


class Beside:
    """`fn(*args)` started in a worker (`beside`), while this process goes on; `result()` waits."""

    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...], parallel: bool) -> None:
        self.fn, self.args = fn, args
        pool = shared_pool() if parallel else None
        self.future: Future[Any] | None = None
        if pool is not None:
            try:
                self.future = pool.submit(_call, fn, args)
            except BrokenProcessPool:
                close_pool()

    def result(self) -> Any:
        """The job's result; its own error raised here (run again in this process, as `map_in_order`
        does), and a job not started in a worker (one core, no pool, a dead worker) runs now, here."""
        fut, self.future = self.future, None
        if fut is not None:
            try:
                out = fut.result()
            except BrokenProcessPool:
                close_pool()
            else:
                if not isinstance(out, _Failed):
                    return out
        return self.fn(*self.args)

    def settle(self) -> None:
        """Wait until a job running in a worker is over, whatever its outcome (before its files are
        removed); a job not started is never run."""
        fut, self.future = self.future, None
        if fut is not None:
            with contextlib.suppress(BaseException):
                fut.result()


def beside(fn: Callable[..., Any], *args: Any, parallel: bool = True) -> Beside:
    """Start `fn(*args)` in a worker process, so that this process can do other work meanwhile."""
    return Beside(fn, args, parallel)
