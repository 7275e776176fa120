"""Who carries what, per jurisdiction and year, and how it changed since the previous year present.

- Unit workload: for each unit, the number of tasks it leads (牵头单位) and the number it shares
  (责任单位), and the change against the jurisdiction's previous year present. A unit named in the
  previous year but not in this one gets a row with 0 tasks, so the drop shows.
- Leader portfolios: for each lead leader, the tasks led, split by what became of them through the
  year-over-year task links (transform/compare.py): kept (led both years), taken over (the task
  continued but someone else led it before), new (the task is new); and of the previous year's tasks:
  handed over (the task continued under someone else) and dropped. A leader with no tasks this year
  but some the year before gets a row with status `leaves`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pandas as pd

from transform.compare import year_pairs


def _previous_years(notices: pd.DataFrame) -> dict[tuple[str, int], int | None]:
    """(jurisdiction, year) → the jurisdiction's previous year present, or None for its first."""
    prev: dict[tuple[str, int], int | None] = {}
    for r in notices.itertuples():
        prev[(str(r.jurisdiction), int(r.year))] = None
    for jur, yf, yt in year_pairs(notices):
        prev[(jur, yt)] = yf
    return prev


def _columns(df: pd.DataFrame, *names: str) -> Iterator[tuple[Any, ...]]:
    """The rows of `df`'s columns `names` as tuples of Python values (no per-row pandas objects)."""
    return zip(*(df[n].tolist() for n in names), strict=True)


def _task_years(tasks: pd.DataFrame, notices: pd.DataFrame) -> dict[str, tuple[str, int]]:
    where = {str(n): (str(j), int(y)) for n, j, y in _columns(notices, "notice_id", "jurisdiction", "year")}
    return {str(t): where[str(n)] for t, n in _columns(tasks, "task_id", "notice_id")}


def _unit_counts(notices: pd.DataFrame, tasks: pd.DataFrame, task_units: pd.DataFrame
                 ) -> tuple[dict[tuple[str, int], dict[str, dict[str, int]]], dict[str, str]]:
    """((jurisdiction, year) → unit id → role → number of distinct tasks, unit id → its name as the
    last row naming it spells it), counted by pandas over whole columns (a Python step per task_units
    row cost 1.4 s at 1,000 notices)."""
    where = tasks[["task_id", "notice_id"]].merge(notices[["notice_id", "jurisdiction", "year"]], on="notice_id",
                                                  how="left")
    rows = task_units[["task_id", "unit_id", "role", "unit"]].merge(where, on="task_id", how="left")
    if rows["jurisdiction"].isna().any():  # a task_units row naming no task of a notice
        missing = rows.loc[rows["jurisdiction"].isna(), "task_id"].iloc[0]
        raise KeyError(str(missing))
    counts: dict[tuple[str, int], dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: {"lead": 0, "other": 0}))
    distinct = rows.drop_duplicates(["task_id", "unit_id", "role"])
    sizes = distinct.groupby(["jurisdiction", "year", "unit_id", "role"], sort=False, observed=True).size()
    for (jur, year, uid, role), n in zip(sizes.index.tolist(), sizes.tolist(), strict=True):
        counts[(str(jur), int(year))][str(uid)][str(role)] = int(n)
    last = rows.drop_duplicates("unit_id", keep="last")
    names = {str(u): str(n) for u, n in zip(last["unit_id"].tolist(), last["unit"].tolist(), strict=True)}
    return counts, names


def unit_workload(notices: pd.DataFrame, tasks: pd.DataFrame,
                  task_units: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of unit_workload."""
    counts, names = _unit_counts(notices, tasks, task_units)
    rows = []
    for (jur, year), prev in sorted(_previous_years(notices).items()):
        now = counts.get((jur, year), {})
        before = counts.get((jur, prev), {}) if prev is not None else {}
        for uid in sorted(set(now) | set(before)):
            lead, other = (now[uid]["lead"], now[uid]["other"]) if uid in now else (0, 0)
            row: dict[str, Any] = {"jurisdiction": jur, "year": year, "unit_id": uid, "unit": names[uid],
                                   "lead_tasks": lead, "other_tasks": other, "previous_year": prev,
                                   "lead_tasks_before": None, "other_tasks_before": None,
                                   "lead_change": None, "other_change": None}
            if prev is not None:
                lb, ob = (before[uid]["lead"], before[uid]["other"]) if uid in before else (0, 0)
                row |= {"lead_tasks_before": lb, "other_tasks_before": ob,
                        "lead_change": lead - lb, "other_change": other - ob}
            rows.append(row)
    return rows


def _ordered(names: list[str]) -> list[str]:
    """Distinct names, by how often they occur (most first), then by name."""
    freq: dict[str, int] = defaultdict(int)
    for n in names:
        freq[n] += 1
    return sorted(freq, key=lambda n: (-freq[n], n))


def leader_portfolios(notices: pd.DataFrame, tasks: pd.DataFrame, task_leaders: pd.DataFrame,
                      links: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of leader_portfolios."""
    year_of = _task_years(tasks, notices)
    leaders_of: dict[str, list[str]] = defaultdict(list)  # task_id → leader ids
    names: dict[str, str] = {}
    led: dict[tuple[str, int], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    ordered = task_leaders.sort_values(["task_id", "position"])
    for tid, lid, leader in _columns(ordered, "task_id", "leader_id", "leader"):
        tid, lid = str(tid), str(lid)
        leaders_of[tid].append(lid)
        names[lid] = str(leader)
        led[year_of[tid]][lid].add(tid)

    # What each continued link means for each leader, keyed by the later year.
    kept: dict[tuple[str, int, str], int] = defaultdict(int)
    taken: dict[tuple[str, int, str], list[str]] = defaultdict(list)  # leader → tasks taken over: from whom
    taken_n: dict[tuple[str, int, str], int] = defaultdict(int)
    handed: dict[tuple[str, int, str], list[str]] = defaultdict(list)
    handed_n: dict[tuple[str, int, str], int] = defaultdict(int)
    new_n: dict[tuple[str, int, str], int] = defaultdict(int)
    dropped_n: dict[tuple[str, int, str], int] = defaultdict(int)
    for ln in links:
        jur, yt = ln["jurisdiction"], ln["year_to"]
        before = leaders_of.get(ln["task_id_from"], []) if ln["task_id_from"] else []
        after = leaders_of.get(ln["task_id_to"], []) if ln["task_id_to"] else []
        if ln["status"] == "new":
            for lid in after:
                new_n[(jur, yt, lid)] += 1
        elif ln["status"] == "dropped":
            for lid in before:
                dropped_n[(jur, yt, lid)] += 1
        else:
            for lid in after:
                if lid in before:
                    kept[(jur, yt, lid)] += 1
                else:
                    taken_n[(jur, yt, lid)] += 1
                    taken[(jur, yt, lid)] += [names[x] for x in before if x not in after]
            for lid in before:
                if lid not in after:
                    handed_n[(jur, yt, lid)] += 1
                    handed[(jur, yt, lid)] += [names[x] for x in after if x not in before]

    rows = []
    for (jur, year), prev in sorted(_previous_years(notices).items()):
        now = led.get((jur, year), {})
        before_led = led.get((jur, prev), {}) if prev is not None else {}
        for lid in sorted(set(now) | set(before_led)):
            n_now = len(now.get(lid, ()))
            row: dict[str, Any] = {"jurisdiction": jur, "year": year, "leader_id": lid, "leader": names[lid],
                                   "tasks_led": n_now, "previous_year": prev, "tasks_led_before": None,
                                   "status": "first_year", "tasks_kept": None, "tasks_taken_over": None,
                                   "taken_over_from": None, "tasks_new": None, "tasks_handed_over": None,
                                   "handed_over_to": None, "tasks_dropped": None}
            if prev is not None:
                n_before = len(before_led.get(lid, ()))
                key = (jur, year, lid)
                row |= {
                    "tasks_led_before": n_before,
                    "status": "continues" if n_now and n_before else ("appears" if n_now else "leaves"),
                    "tasks_kept": kept[key], "tasks_taken_over": taken_n[key],
                    "taken_over_from": _ordered(taken[key]), "tasks_new": new_n[key],
                    "tasks_handed_over": handed_n[key], "handed_over_to": _ordered(handed[key]),
                    "tasks_dropped": dropped_n[key],
                }
            rows.append(row)
    return rows
