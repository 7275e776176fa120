"""The year-over-year tables, built from the per-notice tables of one release.

Called by transform.tables.build_tables once every notice is in: it needs only the DataFrames
(notices, chapters, tasks, task_units, task_leaders, targets). A jurisdiction with a single year gets
a quality_findings row (check `yoy`) saying there is no earlier year to compare with.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from transform.compare import coverage_findings, yoy_target_changes, yoy_task_links
from transform.workload import leader_portfolios, unit_workload

YOY_TABLES = ("yoy_task_links", "yoy_target_changes", "unit_workload", "leader_portfolios")


def yoy_rows(frames: dict[str, pd.DataFrame]) -> dict[str, list[dict[str, Any]]]:
    """Rows of the four year-over-year tables, plus extra `quality_findings` rows."""
    notices, tasks = frames["notices"], frames["tasks"]
    links = yoy_task_links(notices, tasks, frames["chapters"])
    return {
        "yoy_task_links": links,
        "yoy_target_changes": yoy_target_changes(links, frames["targets"]),
        "unit_workload": unit_workload(notices, tasks, frames["task_units"]),
        "leader_portfolios": leader_portfolios(notices, tasks, frames["task_leaders"], links),
        "quality_findings": coverage_findings(notices),
    }


def jurisdiction_frames(frames: dict[str, pd.DataFrame], groups: list[set[str]]) -> Iterator[dict[str, pd.DataFrame]]:
    """Per group of jurisdictions, the tables `yoy_rows` reads cut to the notices of that group (each
    jurisdiction is compared only with itself, so `yoy_rows` of disjoint cuts together are `yoy_rows`
    of all). Rows keep their order and index labels. Every row's group is found once, by position
    (not a set lookup per group), and each cut is made only when it is asked for."""
    notices = frames["notices"]
    group_of = {j: i for i, g in enumerate(groups) for j in g}
    notice_group = notices["jurisdiction"].map(group_of).fillna(-1).to_numpy(dtype="int64")
    tasks = frames["tasks"]
    task_group = _group_by_key(tasks["notice_id"], notices["notice_id"], notice_group)
    codes = {"notices": notice_group, "tasks": task_group,
             "chapters": _group_by_key(frames["chapters"]["notice_id"], notices["notice_id"], notice_group)}
    for name in ("targets", "task_units", "task_leaders"):
        codes[name] = _group_by_key(frames[name]["task_id"], tasks["task_id"], task_group)
    for i in range(len(groups)):
        yield {name: frames[name].iloc[np.flatnonzero(code == i)] for name, code in codes.items()}


def _group_by_key(values: pd.Series, keys: pd.Series, key_group: np.ndarray) -> np.ndarray:
    """Per value: the group of the row of `keys` it names (a key is unique within a jurisdiction, so
    the first such row), -1 where none."""
    first = ~keys.duplicated().to_numpy()
    pos = pd.Index(keys[first]).get_indexer(values)
    groups = key_group[first]
    if not len(groups):
        return np.full(len(values), -1, dtype="int64")
    return np.where(pos >= 0, groups[pos], -1)


def jurisdiction_batches(notices: pd.DataFrame, size: int) -> list[set[str]]:
    """Jurisdictions in name order, cut into groups of about `size` notices (a jurisdiction is never
    split)."""
    counts = notices.groupby("jurisdiction").size().sort_index()
    batches: list[set[str]] = []
    current: set[str] = set()
    n = 0
    for jur, k in counts.items():
        current.add(str(jur))
        n += int(k)
        if n >= size:
            batches.append(current)
            current, n = set(), 0
    if current:
        batches.append(current)
    return batches
