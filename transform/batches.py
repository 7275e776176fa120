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

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from extract.cache import load_parsed
from extract.header import with_overrides
from extract.model import ParsedNotice
from extract.notes import note
from extract.pool import PARALLEL_FROM, chunks, map_in_order
from extract.snapshot import Snapshot
from transform import rows_cache
from transform.registry_load import load_registry
from transform.tables import Rows, notice_rows
from transform.yoy import YOY_TABLES, jurisdiction_batches, jurisdiction_frames, yoy_rows

Override = tuple[str | None, int | None]  # (jurisdiction, year) a manifest entry gives, or None
NOTICES_PER_BATCH = 64  # at most, so that a worker holds the rows of a few notices at a time
JURISDICTION_NOTICES_PER_BATCH = 400  # at most, in year over year (each batch has fixed costs)


def with_manifest(n: ParsedNotice, snap: Snapshot, jurisdiction: str | None, year: int | None,
                  entry: Override) -> ParsedNotice:
    """`n` as published from `snap`: (jurisdiction, year) of the options win over those of the
    manifest `entry`, which win over the notice's own; the source as the snapshot records it."""
    mj, my = entry
    header = with_overrides(with_overrides(n.header, mj, my, "manifest"), jurisdiction, year, "option")
    source = replace(n.source, name=snap.name, url=snap.url, fetched_at=snap.fetched_at, final_url=snap.final_url)
    return replace(n, header=header, source=source)


def notices(parsed: Sequence[str], snapshots: Sequence[Snapshot], jurisdiction: str | None, year: int | None,
            entries: Sequence[Override], on_each: Callable[[], None] | None = None) -> Iterator[ParsedNotice]:
    """The parsed notices, loaded one at a time (only one is in memory while its rows are built)."""
    for p, s, entry in zip(parsed, snapshots, entries, strict=True):
        yield with_manifest(load_parsed(Path(p), s), s, jurisdiction, year, entry)
        if on_each:
            on_each()


def _cached_rows(cache: str, key: str) -> Rows | None:
    doc = rows_cache.load(cache, "rows", key)
    if doc is None:
        return None
    try:
        return Rows.from_doc(doc)
    except (KeyError, TypeError, AttributeError) as e:
        note(f"the cached rows {key} do not decode ({type(e).__name__}); building them again")
        return None


def batch_rows(parsed: Sequence[str], snapshots: Sequence[Snapshot], jurisdiction: str | None,
               year: int | None, entries: Sequence[Override], cache: str | None = None,
               on_each: Callable[[], None] | None = None) -> Rows:
    """The per-notice rows of one batch of notices, in this process (`on_each()` after each notice).
    With a `cache` folder (transform/rows_cache.py), a notice whose rows are cached and verify is
    read from there, and the rows of the others are written there; `keys` records each key."""
    if cache is None:
        return notice_rows(notices(parsed, snapshots, jurisdiction, year, entries, on_each), load_registry())
    out = Rows()
    for p, s, entry in zip(parsed, snapshots, entries, strict=True):
        key = rows_cache.rows_key(p, s, jurisdiction, year, entry)
        part = _cached_rows(cache, key)
        if part is None:
            part = notice_rows(notices([p], [s], jurisdiction, year, [entry]), load_registry())
            rows_cache.save(cache, "rows", key, part.to_doc())
        for r in part.tables["notices"]:
            part.keys[r["notice_id"]] = key
        out.extend(part)
        if on_each:
            on_each()
    return out


def all_rows(parsed: Sequence[str], snapshots: Sequence[Snapshot], jurisdiction: str | None, year: int | None,
             entries: Sequence[Override], on_done: Callable[[int], None] | None = None,
             cache: str | None = None) -> Rows:
    """The per-notice rows of every notice (`on_done(k)` after each k notices), in batches in the
    worker pool when there are many notices, else here, one notice at a time (`batch_rows`)."""
    if len(parsed) < PARALLEL_FROM:
        return batch_rows(parsed, snapshots, jurisdiction, year, entries, cache,
                          (lambda: on_done(1)) if on_done else None)
    cuts = [slice(c.start, c.stop) for c in chunks(range(len(parsed)), 4, NOTICES_PER_BATCH)]
    parts = map_in_order(batch_rows, ((parsed[c], snapshots[c], jurisdiction, year, entries[c], cache)
                                      for c in cuts),
                         on_done=(lambda i: on_done(len(parsed[cuts[i]]))) if on_done else None)
    out = Rows()
    for part in parts:
        out.extend(part)
    return out


YoyPart = dict[str, list[dict[str, Any]]]


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
        doc = rows_cache.load(cache, "yoy", key)
        if isinstance(doc, dict) and all(isinstance(doc.get(t), list) for t in (*YOY_TABLES, "quality_findings")):
            hits.append(doc)
        else:
            todo[jur] = key
    groups = jurisdiction_batches(notices[notices["jurisdiction"].isin(list(todo))], size) if todo else []
    return hits, groups, todo


def yoy_batch_rows(frames: dict[str, pd.DataFrame], cache: str | None = None,
                   keys: dict[str, str] | None = None) -> YoyPart:
    """`yoy_rows` of one cut of whole jurisdictions; with a `cache`, each jurisdiction's share of the
    rows is written there under its key in `keys` (jurisdiction → key)."""
    part = yoy_rows(frames)
    if cache is None or not keys:
        return part
    jur_of = dict(zip(frames["notices"]["notice_id"], frames["notices"]["jurisdiction"], strict=True))
    shares: dict[str, YoyPart] = {str(j): {t: [] for t in part} for j in frames["notices"]["jurisdiction"]}
    for table_name, rows in part.items():
        for r in rows:
            jur = r["jurisdiction"] if "jurisdiction" in r else jur_of.get(r.get("notice_id"))
            if jur is None or str(jur) not in shares:  # a row of no one jurisdiction: cache nothing
                return part
            shares[str(jur)][table_name].append(r)
    for jur, share in shares.items():
        if jur in keys:
            rows_cache.save(cache, "yoy", keys[jur], share)
    return part


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
