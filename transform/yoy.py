"""The year-over-year tables, built from the per-notice tables of one release.

Called by transform.tables.build_tables once every notice is in: it needs only the DataFrames
(notices, chapters, tasks, task_units, task_leaders, targets). A jurisdiction with a single year gets
a quality_findings row (check `yoy`) saying there is no earlier year to compare with.
"""

from __future__ import annotations

from typing import Any

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


def jurisdiction_frames(frames: dict[str, pd.DataFrame], jurisdictions: set[str]) -> dict[str, pd.DataFrame]:
    """The tables `yoy_rows` reads, cut to the notices of `jurisdictions` (each jurisdiction is
    compared only with itself, so `yoy_rows` of disjoint cuts together are `yoy_rows` of all)."""
    notices = frames["notices"][frames["notices"]["jurisdiction"].isin(jurisdictions)]
    ids = set(notices["notice_id"])
    tasks = frames["tasks"][frames["tasks"]["notice_id"].isin(ids)]
    task_ids = set(tasks["task_id"])
    out = {"notices": notices, "tasks": tasks,
           "chapters": frames["chapters"][frames["chapters"]["notice_id"].isin(ids)]}
    for name in ("targets", "task_units", "task_leaders"):
        out[name] = frames[name][frames[name]["task_id"].isin(task_ids)]
    return out


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
