"""The Prefect flow `release`: notices → extract → transform → quality → output → publish.

Tasks are one per stage over all notices (never one per row or name), or, with `batch_size`, one per
batch of notices (parse, names and targets) and of jurisdictions (year over year), mapped on the
flow's task runner (a Dask cluster: flows/cli.py --dask). Either way the release is byte for byte the
same. Retries only where I/O can fail transiently (fetching sources). Caching is by content: a
notice already parsed (same sha256, same parser) is read from `<out>/.cache/parsed/` instead of being
parsed again, and its names and targets, and the year over year of a jurisdiction whose notices are
all unchanged, from `<out>/.cache/transform/` (transform/rows_cache.py, keyed by content and the code
version); Prefect's own result cache is off on purpose (NO_CACHE), so a rerun never serves results
of an older code version. A rerun whose inputs, options and code are those of the latest release
(flows/incremental.py) publishes nothing and says so, before building any table.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd
from prefect import flow, task, unmapped
from prefect.cache_policies import NO_CACHE
from prefect.states import State

from extract.cache import is_cached
from extract.errors import GovtasksError
from extract.manifest import check_sha256, expand_sources
from extract.parse_many import parse_all
from extract.pool import PARALLEL_FROM, Beside, beside, fresh_pool, give_back_memory
from extract.snapshot import Snapshot, take_snapshot
from flows import progress
from flows.incremental import BUNDLED_NOTICE, options, run_fingerprint, unchanged_release
from flows.incremental import FIELD as FINGERPRINT_FIELD
from output.provenance import extract_fingerprint
from output.publish import discard, latest, new_staging, prepare_out, publish
from output.release import created_now, finish_release, seal_release, write_tables
from quality.frames import load_tables
from quality.gate import run_gate
from transform.batches import all_rows, all_yoy, batch_rows, yoy_batch_rows, yoy_plan
from transform.rows_cache import prune
from transform.tables import Rows, notice_frames, with_levels, with_yoy
from transform.yoy import jurisdiction_frames


def cache_dir(out: Path) -> Path:
    return out / ".cache"


def transient(task: object, task_run: object, state: State) -> bool:
    """Retry a failed snapshot only when a second try can pass: never a bad or refused source (those
    are GovtasksError, and fetch already retried transient HTTP errors within its limits)."""
    try:
        state.result()
    except GovtasksError:
        return False
    except Exception:
        return True
    return False


@task(name="snapshot", retries=2, retry_delay_seconds=2, retry_condition_fn=transient, cache_policy=NO_CACHE)
def snapshot_sources(sources: list[str], out: str) -> list[Snapshot]:
    """Each source as a snapshot on disk with its sha256 (URLs are fetched here, and only here)."""
    snapdir = cache_dir(Path(out)) / "snapshots"
    return [take_snapshot(s, snapdir) for s in sources]


def parse_plan(snapshots: list[Snapshot], out: str) -> tuple[list[str], list[tuple[Snapshot, str]]]:
    """The parsed-notice file of every snapshot, content-addressed by source sha256 and the extract
    fingerprint (its code, reference data and decoding libraries), and the (snapshot, file) jobs of
    those not in the cache yet (each content once, in input order)."""
    parsed_dir = cache_dir(Path(out)) / "parsed"
    parsed_dir.mkdir(parents=True, exist_ok=True)
    paths = [str(parsed_dir / f"{snap.sha256}-{extract_fingerprint()}.json") for snap in snapshots]
    todo: dict[str, Snapshot] = {}  # path → first snapshot with that content, in input order
    for snap, path in zip(snapshots, paths, strict=True):
        if path not in todo and not is_cached(Path(path), snap.sha256):
            todo[path] = snap
    return paths, [(snap, path) for path, snap in todo.items()]


@task(name="extract", cache_policy=NO_CACHE)
def extract_notices(snapshots: list[Snapshot], out: str) -> list[str]:
    """Parsed notices as JSON files (`parse_plan`); notices not in the cache are parsed by
    `extract.parse_many.parse_all` (worker processes when there are many)."""
    paths, todo = parse_plan(snapshots, out)
    progress.current().stage("extract", len(todo))
    parse_all(todo, on_done=progress.current().advance)
    return paths


@task(name="parse batch", cache_policy=NO_CACHE)
def parse_batch(jobs: list[tuple[Snapshot, str]]) -> int:
    """Parse one batch of notices into the cache, in this process (one worker of the task runner)."""
    parse_all(jobs, parallel=False)
    return len(jobs)


@task(name="names and targets", cache_policy=NO_CACHE)
def notice_rows_batch(parsed: list[str], snapshots: list[Snapshot], jurisdiction: str | None, year: int | None,
                      overrides: list[tuple[str | None, int | None]], cache: str | None = None,
                      report: bool = False) -> Rows:
    """The per-notice rows of some notices: names resolved against the registry, targets read, each
    notice's rows read from the transform `cache` when they are there.
    `overrides`: per source, the (jurisdiction, year) its manifest entry gives; the options win.
    `report`: all notices of the run (in the worker pool when there are many), with progress; else
    one batch in this process (one worker of the task runner)."""
    if report:
        return all_rows(parsed, snapshots, jurisdiction, year, overrides, on_done=progress.current().advance,
                        cache=cache)
    return batch_rows(parsed, snapshots, jurisdiction, year, overrides, cache)


@task(name="year over year", cache_policy=NO_CACHE)
def yoy_batch(frames: dict[str, pd.DataFrame], cache: str | None = None,
              keys: dict[str, str] | None = None) -> dict[str, Any]:
    """Year-over-year rows of some jurisdictions (`transform.yoy.jurisdiction_frames`), here, each
    jurisdiction's share cached under its key in `keys`."""
    return yoy_batch_rows(frames, cache, keys)


@task(name="year over year", cache_policy=NO_CACHE)
def yoy_all(frames: dict[str, pd.DataFrame], keys: dict[str, str],
            cache: str | None = None) -> list[dict[str, Any]]:
    """Year-over-year rows of every jurisdiction (in the worker pool when there are many notices),
    those of jurisdictions whose notices are unchanged read from the transform `cache`."""
    return all_yoy(frames, keys, cache)


@task(name="tables", cache_policy=NO_CACHE)
def write_staged_tables(frames: dict[str, pd.DataFrame], staging: str) -> dict[str, str]:
    """Every published table as Parquet in the staging folder; returns table → sha256."""
    return write_tables(frames, Path(staging))


def transform_notices(parsed: list[str], snapshots: list[Snapshot], staging: str,
                      jurisdiction: str | None, year: int | None,
                      overrides: list[tuple[str | None, int | None]] | None = None,
                      batch_size: int = 0, cache: str | None = None) -> dict[str, str]:
    """Names, targets, tables and year over year: every published table as Parquet in the staging
    folder; returns table → sha256. With `batch_size`, notices (and jurisdictions) go in batches of
    that many, mapped on the flow's task runner. With a `cache` folder (transform/rows_cache.py), the
    rows of unchanged notices and the year over year of unchanged jurisdictions are read from it."""
    overrides = overrides or [(None, None)] * len(parsed)
    if cache:
        prune(cache)
    p = progress.current()
    p.stage("names", len(parsed))
    if batch_size:
        cuts = [slice(i, i + batch_size) for i in range(0, len(parsed), batch_size)]
        futures = notice_rows_batch.map([parsed[c] for c in cuts], [snapshots[c] for c in cuts],
                                        unmapped(jurisdiction), unmapped(year), [overrides[c] for c in cuts],
                                        unmapped(cache))
        parts = Rows()
        for c, fut in zip(cuts, futures, strict=True):
            parts.extend(fut.result())
            p.advance(len(parsed[c]))
    else:
        parts = notice_rows_batch(parsed, snapshots, jurisdiction, year, overrides, cache, report=True)
    p.stage("year over year", None)
    keys = parts.keys
    frames = notice_frames(parts)
    del parts
    if batch_size:
        hits, groups, todo = yoy_plan(frames, keys, cache, batch_size)
        cuts_yoy = list(jurisdiction_frames(frames, groups))
        futures = yoy_batch.map(cuts_yoy, unmapped(cache), [{j: todo[j] for j in g if j in todo} for g in groups])
        yoy = hits + [f.result() for f in futures]
    else:
        yoy = yoy_all(frames, keys, cache)
        # the workers' memory back; one worker for the outputs (`start_outputs` uses one from as many)
        fresh_pool("output.release", start=len(parsed) >= PARALLEL_FROM)
    frames = with_yoy(frames, yoy)
    p.stage("across levels", None)
    frames = with_levels(frames)
    p.stage("tables", None)
    return write_staged_tables(frames, staging)


@task(name="quality", cache_policy=NO_CACHE)
def validate(staging: str, allow_unknown: bool, tables: dict[str, pd.DataFrame] | None = None) -> str:
    """The quality gate: raises with a readable summary when a blocking check fails."""
    return run_gate(Path(staging), allow_unknown=allow_unknown, tables=tables)


def start_outputs(staging: str, snapshots: list[Snapshot], out: str, fingerprint: str | None,
                  parallel: bool) -> Beside:
    """Everything else of the release (`finish_release`, versioned against `out/latest`), started in
    a worker process while the gate runs here (`parallel`), else run when `write_outputs` asks for it.
    Unsealed: SHA256SUMS waits for the gate's files."""
    inputs = [{"source_name": s.name, "sha256": s.sha256, "url": s.url, "final_url": s.final_url} for s in snapshots]
    return beside(finish_release, Path(staging), inputs, latest(Path(out)), created_now(),
                  {FINGERPRINT_FIELD: fingerprint} if fingerprint else None, False, parallel=parallel)


@task(name="output", cache_policy=NO_CACHE)
def write_outputs(pending: Beside, staging: str) -> dict[str, Any]:
    """The outputs `start_outputs` began (change `none`: nothing written), sealed with SHA256SUMS."""
    info: dict[str, Any] = pending.result()
    if info["change"] != "none":
        seal_release(Path(staging))
    return info


@task(name="publish", cache_policy=NO_CACHE)
def publish_release(staging: str, out: str, version: str) -> str:
    return str(publish(Path(staging), Path(out), version))


def _parse_in_batches(snapshots: list[Snapshot], out: str, batch_size: int) -> list[str]:
    """`extract_notices` as mapped tasks of `batch_size` notices each, on the flow's task runner."""
    paths, todo = parse_plan(snapshots, out)
    p = progress.current()
    p.stage("extract", len(todo))
    batches = [todo[i:i + batch_size] for i in range(0, len(todo), batch_size)]
    for fut in parse_batch.map(batches) if batches else []:
        p.advance(fut.result())
    return paths


@flow(name="release", log_prints=False)
def release(sources: list[str] | None = None, out: str = "releases", jurisdiction: str | None = None,
            year: int | None = None, allow_unknown: bool = False, batch_size: int = 0) -> dict[str, Any]:
    """Publish one release of `sources` (default: the bundled notice) under `out`; `out/latest` points
    at it. A failure at any step leaves earlier releases and `latest` untouched. When nothing changed
    since the latest release (same inputs, options, code and reference data), nothing is published:
    the result says `unchanged` and names that release. `batch_size` > 0: per-notice and
    per-jurisdiction work in mapped tasks of that many notices (for a distributed task runner)."""
    prepare_out(Path(out))  # a run that cannot publish stops before doing any work
    p = progress.current()
    planned = expand_sources(sources or [str(BUNDLED_NOTICE)])  # manifests → their entries
    p.stage("snapshot", len(planned))
    snapshots = snapshot_sources([x.source for x in planned], out)
    p.advance(len(snapshots))
    check_sha256(planned, [s.sha256 for s in snapshots])
    overrides = [(x.jurisdiction, x.year) for x in planned]
    fingerprint = run_fingerprint(snapshots, overrides, options(jurisdiction, year, allow_unknown))
    same = unchanged_release(Path(out), fingerprint)
    if same is not None:
        p.done()
        info = json.loads((same / "release.json").read_text(encoding="utf-8"))
        return {**info, "folder": str(same), "unchanged": True, "change": "none", "gate": None,
                "snapshots": [asdict(s) for s in snapshots]}
    parsed = _parse_in_batches(snapshots, out, batch_size) if batch_size else extract_notices(snapshots, out)
    staging = str(new_staging(Path(out)))
    try:
        transform_notices(parsed, snapshots, staging, jurisdiction, year, overrides, batch_size,
                          str(cache_dir(Path(out)) / "transform"))
        give_back_memory()  # what building the tables freed, before the gate's frames
        p.stage("quality", None)
        # The outputs start in a worker when there are many notices; the gate reads the tables and
        # runs here meanwhile (the outputs rewrite each table with the release's metadata by renaming
        # a new file over it: the gate reads either file, whole, with the same rows).
        pending = start_outputs(staging, snapshots, out, fingerprint, parallel=len(snapshots) >= PARALLEL_FROM)
        try:
            tables = load_tables(Path(staging))
            gate_summary = validate(staging, allow_unknown, tables)
        except BaseException:
            pending.settle()  # the worker is done with the staging folder before it is removed
            raise
        del tables
        p.stage("output", None)
        info = write_outputs(pending, staging)
        if info["change"] == "none":  # same schema and data as `latest`: nothing new to publish
            discard(Path(staging))
            current = latest(Path(out))
            published = json.loads((current / "release.json").read_text(encoding="utf-8"))
            p.done()
            return {**published, "folder": str(current), "gate": gate_summary, "change": "none",
                    "unchanged": True, "snapshots": [asdict(s) for s in snapshots]}
        p.stage("publish", None)
        folder = publish_release(staging, out, info["version"])
        p.done()
    except BaseException:
        discard(Path(staging))
        raise
    return {"folder": folder, "unchanged": False, "gate": gate_summary, **info,
            "snapshots": [asdict(s) for s in snapshots]}


__all__ = ["GovtasksError", "release"]
