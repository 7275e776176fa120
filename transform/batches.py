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
from extract.pool import PARALLEL_FROM, chunks, map_in_order
from extract.snapshot import Snapshot
from transform.registry_load import load_registry
from transform.tables import Rows, notice_rows
from transform.yoy import jurisdiction_batches, jurisdiction_frames, yoy_rows

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


def batch_rows(parsed: Sequence[str], snapshots: Sequence[Snapshot], jurisdiction: str | None,
               year: int | None, entries: Sequence[Override]) -> Rows:
    """The per-notice rows of one batch of notices, in this process."""
    return notice_rows(notices(parsed, snapshots, jurisdiction, year, entries), load_registry())


def all_rows(parsed: Sequence[str], snapshots: Sequence[Snapshot], jurisdiction: str | None, year: int | None,
             entries: Sequence[Override], on_done: Callable[[int], None] | None = None) -> Rows:
    """The per-notice rows of every notice (`on_done(k)` after each k notices), in batches in the
    worker pool when there are many notices, else here, one notice at a time."""
    if len(parsed) < PARALLEL_FROM:
        return notice_rows(notices(parsed, snapshots, jurisdiction, year, entries,
                                   (lambda: on_done(1)) if on_done else None), load_registry())
    cuts = [slice(c.start, c.stop) for c in chunks(range(len(parsed)), 4, NOTICES_PER_BATCH)]
    parts = map_in_order(batch_rows, ((parsed[c], snapshots[c], jurisdiction, year, entries[c]) for c in cuts),
                         on_done=(lambda i: on_done(len(parsed[cuts[i]]))) if on_done else None)
    out = Rows()
    for part in parts:
        out.extend(part)
    return out


def all_yoy(frames: dict[str, pd.DataFrame]) -> list[dict[str, list[dict[str, Any]]]]:
    """Year-over-year rows of every jurisdiction, in batches of whole jurisdictions in the worker pool
    when there are many notices (each batch's tables cut from `frames` only when a worker is free)."""
    n = len(frames["notices"])
    if n < PARALLEL_FROM:
        return [yoy_rows(frames)]
    size = len(chunks(range(n), 2, JURISDICTION_NOTICES_PER_BATCH)[0])
    groups = jurisdiction_batches(frames["notices"], size)
    return map_in_order(yoy_rows, ((cut,) for cut in jurisdiction_frames(frames, groups)))
