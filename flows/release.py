"""The Prefect flow `release`: notices → extract → transform → quality → output → publish.

Tasks are one per stage over all notices (never one per row or name), and exchange paths and
content hashes, not DataFrames. Retries only where I/O can fail transiently (fetching sources).
Caching is by content: a notice already parsed (same sha256, same parser) is read from
`<out>/.cache/parsed/` instead of being parsed again; Prefect's own result cache is off on purpose
(NO_CACHE), so a rerun never serves results of an older code version.
"""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.states import State

from extract.errors import GovtasksError
from extract.header import with_overrides
from extract.manifest import check_sha256, expand_sources
from extract.model import ParsedNotice
from extract.parse_many import parse_all
from extract.snapshot import Snapshot, take_snapshot
from output.provenance import extract_fingerprint
from output.publish import discard, latest, new_staging, prepare_out, publish
from output.release import finish_release, write_tables
from quality.gate import run_gate
from transform.registry_load import load_registry
from transform.tables import build_tables

BUNDLED_NOTICE = Path(__file__).resolve().parents[1] / "data" / "notices" / "haicheng-2023.txt"


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


@task(name="extract", cache_policy=NO_CACHE)
def extract_notices(snapshots: list[Snapshot], out: str) -> list[str]:
    """Parsed notices as JSON files, content-addressed by source sha256 and the extract fingerprint (its
    code, reference data and decoding libraries). Notices not in the cache are parsed by
    `extract.parse_many.parse_all` (worker processes when there are many)."""
    parsed_dir = cache_dir(Path(out)) / "parsed"
    parsed_dir.mkdir(parents=True, exist_ok=True)
    paths = [str(parsed_dir / f"{snap.sha256}-{extract_fingerprint()}.json") for snap in snapshots]
    todo: dict[str, Snapshot] = {}  # path → first snapshot with that content, in input order
    for snap, path in zip(snapshots, paths, strict=True):
        if path not in todo and not Path(path).exists():
            todo[path] = snap
    parse_all([(snap, path) for path, snap in todo.items()])
    return paths


def _with_overrides(n: ParsedNotice, snap: Snapshot, overrides: tuple[str | None, int | None, str | None, int | None]
                    ) -> ParsedNotice:
    """`overrides`: (jurisdiction, year) of the options, then of the manifest entry; the options win."""
    oj, oy, mj, my = overrides
    header = with_overrides(with_overrides(n.header, mj, my, "manifest"), oj, oy, "option")
    source = replace(n.source, name=snap.name, url=snap.url, fetched_at=snap.fetched_at)
    return replace(n, header=header, source=source)


@task(name="transform", cache_policy=NO_CACHE)
def transform_notices(parsed: list[str], snapshots: list[Snapshot], staging: str,
                      jurisdiction: str | None, year: int | None,
                      overrides: list[tuple[str | None, int | None]] | None = None) -> dict[str, str]:
    """Every published table as Parquet in the staging folder; returns table → sha256.
    `overrides`: per source, the (jurisdiction, year) its manifest entry gives; the options win."""
    overrides = overrides or [(None, None)] * len(parsed)
    notices = [_with_overrides(ParsedNotice.load(Path(p)), s, (jurisdiction, year, mj, my))
               for p, s, (mj, my) in zip(parsed, snapshots, overrides, strict=True)]
    return write_tables(build_tables(notices, load_registry()), Path(staging))


@task(name="quality", cache_policy=NO_CACHE)
def validate(staging: str, allow_unknown: bool) -> str:
    """The quality gate: raises with a readable summary when a blocking check fails."""
    return run_gate(Path(staging), allow_unknown=allow_unknown)


@task(name="output", cache_policy=NO_CACHE)
def write_outputs(staging: str, snapshots: list[Snapshot], out: str) -> dict[str, Any]:
    """Everything else of the release, versioned against `out/latest` (change `none`: nothing written)."""
    inputs = [{"source_name": s.name, "sha256": s.sha256, "url": s.url} for s in snapshots]
    return finish_release(Path(staging), inputs, latest(Path(out)))


@task(name="publish", cache_policy=NO_CACHE)
def publish_release(staging: str, out: str, version: str) -> str:
    return str(publish(Path(staging), Path(out), version))


@flow(name="release", log_prints=False)
def release(sources: list[str] | None = None, out: str = "releases", jurisdiction: str | None = None,
            year: int | None = None, allow_unknown: bool = False) -> dict[str, Any]:
    """Publish one release of `sources` (default: the bundled notice) under `out`; `out/latest` points
    at it. A failure at any step leaves earlier releases and `latest` untouched."""
    prepare_out(Path(out))  # a run that cannot publish stops before doing any work
    planned = expand_sources(sources or [str(BUNDLED_NOTICE)])  # manifests → their entries
    snapshots = snapshot_sources([p.source for p in planned], out)
    check_sha256(planned, [s.sha256 for s in snapshots])
    parsed = extract_notices(snapshots, out)
    staging = str(new_staging(Path(out)))
    try:
        transform_notices(parsed, snapshots, staging, jurisdiction, year,
                          [(p.jurisdiction, p.year) for p in planned])
        gate_summary = validate(staging, allow_unknown)
        info = write_outputs(staging, snapshots, out)
        if info["change"] == "none":  # same schema and data as `latest`: nothing new to publish
            discard(Path(staging))
            current = latest(Path(out))
            published = json.loads((current / "release.json").read_text(encoding="utf-8"))
            return {**published, "folder": str(current), "gate": gate_summary, "change": "none",
                    "unchanged": True, "snapshots": [asdict(s) for s in snapshots]}
        folder = publish_release(staging, out, info["version"])
    except BaseException:
        discard(Path(staging))
        raise
    return {"folder": folder, "gate": gate_summary, **info, "snapshots": [asdict(s) for s in snapshots]}


__all__ = ["GovtasksError", "release"]
