"""Names, targets and year over year of many notices, batch by batch, in the run's worker pool.

The per-notice work (names resolved against the registry, targets read: `transform.tables.notice_rows`)
goes in batches of notices in input order; the per-jurisdiction work (year over year:
`transform.yoy.yoy_rows`) in batches of whole jurisdictions. Batches run in the worker processes of
extract.pool when there are enough notices to pay for them, in this process otherwise; the tables are
the same byte for byte either way (rows of batches in input order are the rows of all notices, and
each jurisdiction is compared only with itself). The same functions are the bodies of the flow's
mapped tasks on a distributed task runner (flows/release.py, `batch_size`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from extract.cache import load_parsed
from extract.header import with_overrides
from extract.model import ParsedNotice
from extract.notes import note
from extract.pool import PARALLEL_FROM, chunks, map_in_order
from extract.snapshot import Snapshot
from transform import rows_cache
from transform.arrow_rows import cached_form
from transform.registry_load import load_registry
from transform.tables import Rows, framed_yoy, notice_rows
from transform.yoy import YOY_TABLES, jurisdiction_batches, jurisdiction_frames, yoy_rows

Override = tuple[str | None, int | None]  # (jurisdiction, year) a manifest entry gives, or None
NOTICES_PER_BATCH = 64  # at most, so that a worker holds the rows of a few notices at a time
JURISDICTION_NOTICES_PER_BATCH = 128  # at most, in year over year (each batch has fixed costs)


def with_manifest(n: ParsedNotice, snap: Snapshot, jurisdiction: str | None, year: int | None,
                  entry: Override) -> ParsedNotice:
    """`n` as published from `snap`: (jurisdiction, year) of the options win over those of the
    manifest `entry`, which win over the notice's own; the source as the snapshot records it."""
    mj, my = entry
    header = with_overrides(with_overrides(n.header, mj, my, "manifest"), jurisdiction, year, "option")
    source = replace(n.source, name=snap.name, url=snap.url, fetched_at=snap.fetched_at, final_url=snap.final_url)
    return replace(n, header=header, source=source)


def published(parsed: str, snap: Snapshot, jurisdiction: str | None, year: int | None,
              entry: Override) -> ParsedNotice:
    """The parsed notice at `parsed` as published (`with_manifest`); one is loaded at a time, so
    only one is in memory while its rows are built."""
    return with_manifest(load_parsed(Path(parsed), snap), snap, jurisdiction, year, entry)


def _keyed(part: Rows, key: str) -> Rows:
    """`part` (one notice's rows) with its cache key recorded in `keys`."""
    ids = [r["notice_id"] for r in part.tables["notices"]]
    ids += [i for t in part.arrow["notices"] for i in t.column("notice_id").to_pylist()]
    part.keys.update(dict.fromkeys(ids, key))
    return part


def _cached_rows(cache: str, key: str) -> Rows | None:
    """The cached rows under `key`, verified and decoded, with their key; None (noted) otherwise."""
    packed = rows_cache.load_packed(cache, "rows", key)
    if packed is None:
        return None
    try:
        return _keyed(Rows.cached(*packed), key)
    except (KeyError, TypeError, AttributeError) as e:
        note(f"{rows_cache.file_of(cache, 'rows', key)}: the cached rows do not decode ({type(e).__name__}); "
             "building them again")
        return None


def _one_rows(p: str, s: Snapshot, jurisdiction: str | None, year: int | None, entry: Override,
              cache: str | None, read: bool = True) -> Rows:
    """The rows of one notice: from the `cache` when they are there and verify (unless `read` is
    False: the caller has looked already), else built and cached, with their key. Either way they
    come back as the cache holds them (Arrow tables, `Rows.cached`), which frame in half the time
    of their dicts."""
    if cache is None:
        return notice_rows([published(p, s, jurisdiction, year, entry)], load_registry())
    key = rows_cache.rows_key(p, s, jurisdiction, year, entry)
    part = _cached_rows(cache, key) if read else None
    if part is None:
        packed = notice_rows([published(p, s, jurisdiction, year, entry)], load_registry()).to_arrow()
        rows_cache.save_packed(cache, "rows", key, *packed)
        part = Rows.cached(*packed)
    return _keyed(part, key)


def each_rows(parsed: Sequence[str], snapshots: Sequence[Snapshot], jurisdiction: str | None,
              year: int | None, entries: Sequence[Override], cache: str | None = None,
              on_each: Callable[[], None] | None = None, read: bool = True) -> list[Rows]:
    """The rows of each notice of a batch, in order, in this process (`on_each()` after each notice);
    with a `cache` folder (transform/rows_cache.py), read from it when there (and `read`), else built
    and cached."""
    out = []
    for p, s, entry in zip(parsed, snapshots, entries, strict=True):
        out.append(_one_rows(p, s, jurisdiction, year, entry, cache, read))
        if on_each:
            on_each()
    return out


def merged(parts: Iterable[Rows]) -> Rows:
    """The rows of `parts` one after another (in notice order: the last notice naming a unit wins)."""
    out = Rows()
    for part in parts:
        out.extend(part)
    return out


def batch_rows(parsed: Sequence[str], snapshots: Sequence[Snapshot], jurisdiction: str | None,
               year: int | None, entries: Sequence[Override], cache: str | None = None,
               on_each: Callable[[], None] | None = None, read: bool = True) -> Rows:
    """The per-notice rows of one batch of notices, in this process (`each_rows`, merged), framed
    (`Rows.compact`: what a worker sends back is the batch's frames, not its dicts)."""
    return merged(each_rows(parsed, snapshots, jurisdiction, year, entries, cache, on_each, read)).compact()


def _runs(indices: Sequence[int]) -> list[list[int]]:
    """`indices` (ascending) cut into runs of consecutive numbers."""
    out: list[list[int]] = []
    for i in indices:
        if out and out[-1][-1] == i - 1:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def all_rows(parsed: Sequence[str], snapshots: Sequence[Snapshot], jurisdiction: str | None, year: int | None,
             entries: Sequence[Override], on_done: Callable[[int], None] | None = None,
             cache: str | None = None) -> Rows:
    """The per-notice rows of every notice (`on_done(k)` after each k notices). Rows in the `cache`
    are read here (sending them from a worker would cost more than reading them: pickling both ways);
    the others are built in batches of consecutive notices in the worker pool when there are many,
    else here. Rows are framed every batch of notices (`Rows.compact`), so the dicts of a few
    notices at most are in memory at a time."""
    segments: list[Rows | None] = [None] * len(parsed)  # by first notice: that notice's run of rows
    todo: list[int] = []
    if cache is None:
        todo = list(range(len(parsed)))
    else:
        run = Rows()
        for i, (p, s, entry) in enumerate(zip(parsed, snapshots, entries, strict=True)):
            part = _cached_rows(cache, rows_cache.rows_key(p, s, jurisdiction, year, entry))
            if part is None:
                todo.append(i)
                run = Rows()
                continue
            if not run.keys:
                segments[i] = run
            run.extend(part)
            if len(run.keys) % NOTICES_PER_BATCH == 0:
                run.compact()
            if on_done:
                on_done(1)
    if len(todo) < PARALLEL_FROM:
        for i in todo:
            segments[i] = _one_rows(parsed[i], snapshots[i], jurisdiction, year, entries[i], cache, read=False)
            if on_done:
                on_done(1)
    else:
        cuts = [c for r in _runs(todo) for c in chunks(r, 4, NOTICES_PER_BATCH)]
        done = map_in_order(batch_rows, (([parsed[i] for i in c], [snapshots[i] for i in c], jurisdiction, year,
                                          [entries[i] for i in c], cache, None, False) for c in cuts),
                            on_done=(lambda k: on_done(len(cuts[k]))) if on_done else None)
        for c, rows in zip(cuts, done, strict=True):
            segments[c[0]] = rows
    return merged(p for p in segments if p is not None).compact()


YoyPart = dict[str, Any]  # table → its rows: a list of dicts, a frame (`framed_yoy`) or an Arrow table (cached)


def yoy_plan(frames: dict[str, pd.DataFrame], keys: dict[str, str], cache: str | None,
             size: int) -> tuple[list[YoyPart], list[set[str]], dict[str, str]]:
    """What year over year has to do: (the cached rows of the jurisdictions whose rows are cached and
    verify, the other jurisdictions in groups of about `size` notices, jurisdiction → cache key of
    those to compute). Without a `cache`, or when a notice's rows have no key, everything is computed
    and nothing is cached."""
    notices = frames["notices"]
    by_jur: dict[str, list[str]] = {}
    for nid, jur in zip(notices["notice_id"], notices["jurisdiction"], strict=True):
        by_jur.setdefault(str(jur), []).append(str(nid))
    if cache is None or any(n not in keys for ns in by_jur.values() for n in ns):
        return [], jurisdiction_batches(notices, size), {}
    hits: list[YoyPart] = []
    todo: dict[str, str] = {}
    for jur, nids in sorted(by_jur.items()):
        key = rows_cache.yoy_key([keys[n] for n in nids])
        packed = rows_cache.load_packed(cache, "yoy", key)
        part = yoy_part(*packed) if packed else None
        if part is not None:
            hits.append(part)
        else:
            todo[jur] = key
    groups = jurisdiction_batches(notices[notices["jurisdiction"].isin(list(todo))], size) if todo else []
    return hits, groups, todo


def yoy_part(tables: dict[str, pa.Table], doc: Any) -> YoyPart | None:
    """One jurisdiction's year-over-year rows as the cache gives them back (`transform.arrow_rows.
    cached_form`: each table an Arrow table or a list of rows), or None when it lacks a table."""
    part = {**tables, **doc} if isinstance(doc, dict) else {}
    return part if all(isinstance(part.get(t), pa.Table | list) for t in (*YOY_TABLES, "quality_findings")) else None


def yoy_batch_rows(frames: dict[str, pd.DataFrame], cache: str | None = None,
                   keys: dict[str, str] | None = None) -> YoyPart:
    """`yoy_rows` of one cut of whole jurisdictions; with a `cache`, each jurisdiction's share of the
    rows is written there under its key in `keys` (jurisdiction → key)."""
    part = yoy_rows(frames)
    if cache is None or not keys:
        return framed_yoy(part)
    jur_of = dict(zip(frames["notices"]["notice_id"], frames["notices"]["jurisdiction"], strict=True))
    shares: dict[str, YoyPart] = {str(j): {t: [] for t in part} for j in frames["notices"]["jurisdiction"]}
    for table_name, rows in part.items():
        for r in rows:
            jur = r["jurisdiction"] if "jurisdiction" in r else jur_of.get(r.get("notice_id"))
            if jur is None or str(jur) not in shares:  # a row of no one jurisdiction: cache nothing
                return framed_yoy(part)
            shares[str(jur)][table_name].append(r)
    for jur, share in shares.items():
        if jur in keys:
            rows_cache.save_packed(cache, "yoy", keys[jur], *cached_form(share))
    return framed_yoy(part)


def all_yoy(frames: dict[str, pd.DataFrame], keys: dict[str, str] | None = None,
            cache: str | None = None) -> list[YoyPart]:
    """Year-over-year rows of every jurisdiction, in batches of whole jurisdictions in the worker pool
    when there are many notices (each batch's tables cut from `frames` only when a worker is free).
    With a `cache` and the notices' row `keys`, jurisdictions whose rows are cached are read from it
    (`yoy_plan`), the others computed and cached."""
    n = len(frames["notices"])
    size = len(chunks(range(n), 2, JURISDICTION_NOTICES_PER_BATCH)[0]) if n else 1
    hits, groups, todo = yoy_plan(frames, keys or {}, cache, size)
    computing = sum(len(g) for g in groups)
    if not computing:
        return hits
    if not todo and n < PARALLEL_FROM:  # nothing cached: the whole release at once
        return [yoy_rows(frames)]
    cuts = jurisdiction_frames(frames, groups)
    todo_notices = int(frames["notices"]["jurisdiction"].isin(list(todo)).sum()) if todo else n
    parallel = todo_notices >= PARALLEL_FROM
    return hits + map_in_order(yoy_batch_rows, ((cut, cache, {j: todo[j] for j in g if j in todo} or None)
                                                for cut, g in zip(cuts, groups, strict=True)),
                               parallel=parallel)
