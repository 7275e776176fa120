"""The shared worker pool (extract.pool): results in input order, the first failing job's own error
raised here, a dead worker's jobs run here, and workers that are really other processes."""

from __future__ import annotations

import operator
import os

import pytest

from extract.pool import chunks, map_in_order, shared_pool, workers

pytestmark = pytest.mark.skipif(workers() < 2, reason="needs two cores for worker processes")


def pid_and(x: int) -> tuple[int, int]:
    return os.getpid(), x


def die_in_worker(parent: int, x: int) -> int:
    """Kills the worker process that runs it; in the parent, just returns x."""
    if os.getpid() != parent:
        os._exit(3)
    return x


def test_results_come_in_input_order_from_other_processes() -> None:
    done: list[int] = []
    out = map_in_order(pid_and, ((i,) for i in range(40)), on_done=done.append)
    assert [x for _, x in out] == list(range(40))
    assert done == list(range(40))
    assert os.getpid() not in {pid for pid, _ in out}


def test_the_first_failing_job_raises_its_own_error_here() -> None:
    jobs = [(6, 3), (1, 0), (4, 2), (5, 0)]
    with pytest.raises(ZeroDivisionError, match="division by zero"):
        map_in_order(operator.truediv, jobs)
    assert map_in_order(operator.truediv, [(6, 3), (4, 2)]) == [2.0, 2.0]


def test_a_dead_worker_sends_its_jobs_back_here() -> None:
    parent = os.getpid()
    done: list[int] = []
    assert map_in_order(die_in_worker, [(parent, i) for i in range(6)], on_done=done.append) == list(range(6))
    assert done == list(range(6))
    assert shared_pool() is not None  # a later stage gets a new pool
    assert [x for _, x in map_in_order(pid_and, [(i,) for i in range(3)])] == [0, 1, 2]


def test_without_parallel_everything_runs_here() -> None:
    out = map_in_order(pid_and, [(i,) for i in range(5)], parallel=False)
    assert {pid for pid, _ in out} == {os.getpid()}


def test_chunks_keep_order_and_bound_their_size() -> None:
    parts = chunks(list(range(1000)), 4, 64)
    assert [x for p in parts for x in p] == list(range(1000))
    assert max(len(p) for p in parts) <= 64
    assert len({len(p) for p in parts[:-1]}) == 1  # equal slices, the last one maybe shorter
    assert len(chunks(list(range(10)), 4, 64)) >= workers()  # a small job still reaches every worker
    assert chunks(list(range(100)), 4, 3)[0] == [0, 1, 2]  # `most` bounds a slice
    assert chunks([], 4, 64) == []


def test_fresh_pool_gives_new_workers_and_none_without_a_pool() -> None:
    from extract import pool

    pool.close_pool()
    pool.fresh_pool("json")
    assert pool._pool is None  # no workers: none started
    before = {pid for pid, _ in map_in_order(pid_and, [(i,) for i in range(8)])}
    pool.fresh_pool("json")
    after = {pid for pid, _ in map_in_order(pid_and, [(i,) for i in range(8)])}
    assert before and after and not before & after  # the old workers are gone, their memory with them
    assert os.getpid() not in after
    pool.close_pool()
    pool.fresh_pool("json", start=True)  # asked for: started without earlier workers
    assert pool._pool is not None
    pool.close_pool()
