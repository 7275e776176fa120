"""Across levels: which higher-level task each task implements, and how its targets are passed down.

For every pair of notices of the same year where one implements the other (transform/hierarchy.py:
parent, grandparent, or a report the title names), each task of the lower notice is linked to the
task(s) of the upper notice it implements:

- basis `target_metric`: the two tasks set targets of the same metric (targets.metric_id, same base
  unit). For each metric a lower task shares, it links to the upper task setting that metric whose
  text is most like its own (several metrics may link it to several upper tasks).
- basis `text`: otherwise, the upper task whose text is most alike, when the similarity is at least
  THRESHOLD. The similarity is year over year's (`transform.compare.similarity_matrix`: Dice of
  character bigrams, digits as #, a little weight on the chapter titles), not a copy of it. A text
  link is refused when both tasks set targets of known metrics and share none (an upper task on GDP
  is not what a lower task on industrial output implements, however alike the two short texts read).

Many lower tasks, in many jurisdictions, may link to one upper task; a lower task links to at most
one upper task per notice by text. Level words (全省, 全市, 本地 …: the level_prefixes of
registry/metrics.yaml) are removed from both texts before they are compared, so that 全省地区生产总值…
and 全市地区生产总值… read alike.

THRESHOLD = 0.5, chosen from data (tests/test_cascade_threshold.py keeps these facts true). On the
fixtures (辽宁省, 鞍山市, 大连市 2023, written for the tests, against the bundled 海城市 2023 notice)
every lower task that implements an upper task by text scores 0.51 or more against it (the lowest:
the city's shorter wording of the county's 安全生产 task), and every other pair a text link could join
scores at most 0.31. Within the bundled notice (102 tasks; it stands for two levels that share one
chapter plan, the hard case) the most similar pair of different tasks scores 0.52 (地区生产总值 /
规模以上工业增加值, refused by the metric rule) and the next 0.48 (two 覆盖率 targets of one chapter).
0.5 keeps all of these out and every true link in. Links across levels join texts written by
different offices, so true pairs score lower than a reworded task year over year (THRESHOLD 0.6
there). A wrong link (a task credited to the wrong higher-level task) is worse than a missed one,
so the threshold sits just under the lowest true link rather than lower: recall may be lost on
longer rewordings, never precision on what the fixtures show.

Targets of a `target_metric` link are paired by metric id, base unit and direction, one to one in
text order; the difference is lower minus upper, in the printed unit when both print the same one,
else in the base unit (values scaled).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from transform.compare import TaskRef, similarity_matrix, task_refs
from transform.hierarchy import (
    Place,
    cascade_notices,
    compared_pairs,
    gazetteer_places,
    hierarchy_findings,
    notice_places,
    places_of,
)
from transform.metrics import load_metrics, metric_name

THRESHOLD = 0.5

TargetKey = tuple[str, str, str | None]  # metric_id, base unit, direction


def _missing(x: Any) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and x != x)


def _clean(rec: dict[str, Any]) -> dict[str, Any]:
    return {k: None if _missing(v) else v for k, v in rec.items()}


def strip_level_words(text: str, words: Sequence[str] | None = None) -> str:
    """`text` without the level words (全省, 全市, 本地 …), which tell the levels apart but say nothing
    about the task."""
    for w in load_metrics().level_prefixes if words is None else words:
        text = text.replace(w, "")
    return text


def _refs(tasks: pd.DataFrame, chapters: pd.DataFrame, nid: str) -> list[TaskRef]:
    return [TaskRef(r.task_id, r.task_no, strip_level_words(r.text), strip_level_words(r.chapter))
            for r in task_refs(tasks, chapters, nid)]


def _targets_by_task(targets: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """task_id → its targets with a metric id, in position order."""
    out: dict[str, list[dict[str, Any]]] = {}
    known = targets[targets["metric_id"].notna()].sort_values(["task_id", "position"], kind="stable")
    for rec in known.to_dict("records"):
        out.setdefault(str(rec["task_id"]), []).append(_clean(rec))
    return out


def _metric_keys(ts: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(t["metric_id"], t["base_unit"]) for t in ts}


def link_pair(lower: Sequence[TaskRef], upper: Sequence[TaskRef], targets: dict[str, list[dict[str, Any]]],
              threshold: float = THRESHOLD) -> list[tuple[int, int, float, str, list[str]]]:
    """(lower index, upper index, similarity, basis, shared metric ids) of every link between the
    tasks of a lower and an upper notice, in the lower notice's order."""
    if not lower or not upper:
        return []
    scores = similarity_matrix(lower, upper)
    keys_low = [_metric_keys(targets.get(t.task_id, [])) for t in lower]
    keys_up = [_metric_keys(targets.get(t.task_id, [])) for t in upper]
    holders: dict[tuple[str, str], list[int]] = {}
    for j, ks in enumerate(keys_up):
        for k in ks:
            holders.setdefault(k, []).append(j)
    out = []
    for i in range(len(lower)):
        by_metric: dict[int, set[str]] = {}
        for k in sorted(keys_low[i]):
            if k in holders:
                best = max(holders[k], key=lambda j: (scores[i, j], -j))
                by_metric.setdefault(best, set()).add(k[0])
        if by_metric:
            out += [(i, j, float(scores[i, j]), "target_metric", sorted(ms)) for j, ms in sorted(by_metric.items())]
            continue
        row = np.where([not (keys_low[i] and keys_up[j]) for j in range(len(upper))], scores[i], -1.0)
        j = int(np.argmax(row))  # the first of equal scores: notice order
        if row[j] >= threshold:
            out.append((i, j, float(scores[i, j]), "text", []))
    return out


def _pair_targets(low: list[dict[str, Any]], up: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Targets of the same metric id, base unit and direction, one to one in text order."""
    pending: dict[TargetKey, list[dict[str, Any]]] = {}
    for t in up:
        pending.setdefault((t["metric_id"], t["base_unit"], t["direction"]), []).append(t)
    out = []
    for t in low:
        queue = pending.get((t["metric_id"], t["base_unit"], t["direction"]))
        if queue:
            out.append((t, queue.pop(0)))
    return out


def _difference(low: dict[str, Any], up: dict[str, Any]) -> tuple[str, float]:
    if low["unit"] == up["unit"]:
        return low["unit"], round(float(low["value"]) - float(up["value"]), 6)
    return low["base_unit"], round(float(low["base_value"]) - float(up["base_value"]), 6)


def _side(prefix: str, notice: dict[str, Any], task: TaskRef) -> dict[str, Any]:
    return {f"{prefix}_notice_id": notice["notice_id"], f"{prefix}_jurisdiction": notice["jurisdiction"],
            f"{prefix}_level": notice.get("level"), f"{prefix}_task_id": task.task_id,
            f"{prefix}_task_no": task.task_no}


def _target_side(prefix: str, t: dict[str, Any]) -> dict[str, Any]:
    return {f"{prefix}_target_position": t["position"], f"{prefix}_metric": t["metric"],
            f"{prefix}_direction": t["direction"], f"{prefix}_value": t["value"], f"{prefix}_unit": t["unit"],
            f"{prefix}_comparator": t["comparator"]}


def cascade_rows(frames: dict[str, pd.DataFrame],
                 gazetteer: Iterable[Place] | None = None) -> dict[str, list[dict[str, Any]]]:
    """Rows of cascade_notices, cascade_links and target_cascade, plus extra quality_findings rows.
    `gazetteer`: the divisions to place the notices in; by default the division gazetteer's."""
    notices, tasks, chapters = frames["notices"], frames["tasks"], frames["chapters"]
    gazetteer = gazetteer_places(notices) if gazetteer is None else list(gazetteer)
    hierarchy = cascade_notices(notices, gazetteer)
    where = notice_places(notices, places_of(notices, gazetteer))
    info = {}
    for r in notices.to_dict("records"):
        rec = _clean(r)
        place = where[str(rec["notice_id"])]
        rec["level"] = rec.get("level") or (place.level if place else None)  # notices.level, else the gazetteer's
        info[str(rec["notice_id"])] = rec
    targets = _targets_by_task(frames["targets"])
    refs: dict[str, list[TaskRef]] = {}
    links: list[dict[str, Any]] = []
    cascade: list[dict[str, Any]] = []
    for low_id, up_id, steps in compared_pairs(hierarchy):
        low_refs = refs.setdefault(low_id, _refs(tasks, chapters, low_id))
        up_refs = refs.setdefault(up_id, _refs(tasks, chapters, up_id))
        low_n, up_n = info[low_id], info[up_id]
        for i, j, sim, basis, shared in link_pair(low_refs, up_refs, targets):
            lo, up = low_refs[i], up_refs[j]
            links.append({"year": low_n["year"], **_side("lower", low_n, lo), **_side("upper", up_n, up),
                          "steps": steps, "similarity": round(sim, 4), "basis": basis, "shared_metrics": shared})
            if basis != "target_metric":
                continue
            for lt, ut in _pair_targets(targets[lo.task_id], targets[up.task_id]):
                unit, diff = _difference(lt, ut)
                cascade.append({"year": low_n["year"], "metric_id": lt["metric_id"],
                                "metric_name": metric_name(lt["metric_id"]),
                                **_side("upper", up_n, up), **_target_side("upper", ut),
                                **_side("lower", low_n, lo), **_target_side("lower", lt),
                                "steps": steps, "unit": unit, "difference": diff})
    return {"cascade_notices": hierarchy, "cascade_links": links, "target_cascade": cascade,
            "quality_findings": hierarchy_findings(hierarchy)}


def chains(cascade_notices_rows: pd.DataFrame | list[dict[str, Any]]) -> list[list[str]]:
    """Every chain of notices the release compares, top down, as notice ids: each notice with no
    compared notice below it, preceded by the compared notices above it (farthest first)."""
    rows = pd.DataFrame(list(cascade_notices_rows)) if isinstance(cascade_notices_rows, list) else cascade_notices_rows
    if rows.empty:
        return []
    present = rows[rows["upper_notice_id"].notna()]
    uppers = set(present["upper_notice_id"])
    out = []
    for nid, group in present.groupby("notice_id", sort=True):
        if nid in uppers:
            continue
        above = group.sort_values("steps", ascending=False, na_position="first", kind="stable")
        out.append([*map(str, above["upper_notice_id"]), str(nid)])
    return out


def coverage(cascade_notices_frame: pd.DataFrame, links: pd.DataFrame, cascade: pd.DataFrame,
             limit: int = 5) -> list[str]:
    """Sentences for the release summary: the chains compared (with their task links and targets
    passed down), then the notices whose parent has no notice in the release (the first `limit`, then
    how many more: quality_findings lists them all)."""
    out = []
    missing = []
    for chain in chains(cascade_notices_frame):
        names = [nid.rsplit("-", 1)[0] for nid in chain]
        year = chain[-1].rsplit("-", 1)[1]
        in_chain = links["lower_notice_id"].isin(chain) & links["upper_notice_id"].isin(chain)
        passed = cascade["lower_notice_id"].isin(chain) & cascade["upper_notice_id"].isin(chain)
        out.append(f"{year} {' → '.join(names)}: {int(in_chain.sum())} task links, "
                   f"{int(passed.sum())} targets passed down")
    rows = cascade_notices_frame.sort_values(["notice_id", "steps"], kind="stable", na_position="last")
    # Per notice, by whole columns (a pandas group per notice cost 0.5 s at 1,000 notices): its first
    # parent row (steps 1), whether every parent row, and every row, has no upper notice.
    nid, is_parent, no_upper = rows["notice_id"], rows["steps"] == 1, rows["upper_notice_id"].isna()
    parent_missing = (no_upper | ~is_parent).groupby(nid).all()
    all_missing = no_upper.groupby(nid).all()
    parents = rows[is_parent].drop_duplicates("notice_id").set_index("notice_id")
    reports: dict[str, list[str]] = {}
    for n, report in zip(nid.tolist(), rows["report"].tolist(), strict=True):
        if isinstance(report, str):
            reports.setdefault(n, []).append(report)
    for n in sorted(set(nid.tolist())):
        if n in parents.index:
            if parent_missing[n]:
                r = parents.loc[n]
                missing.append(f"{n}: no {r['year']} notice of its parent {r['upper_jurisdiction']} in the release")
        elif all_missing[n]:
            missing.append(f"{n}: no notice of the reports its title names is in the release "
                           f"({', '.join(reports.get(n, []))})")
    out += missing[:limit]
    if len(missing) > limit:
        out.append(f"… and {len(missing) - limit} more notices without a higher-level notice in the release "
                   "(quality_findings, checks cascade_parent and cascade_report)")
    if not out:
        out.append("no notice implements another notice of the release")
    return out
