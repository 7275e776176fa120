"""Unknown unit names: where they stand, the closest registry names, a likely type, and the message
that fails a release (README, "Name registry")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from extract.limits import MAX_MESSAGES
from extract.messages import capped, more
from transform.naming import jurisdiction_prefix
from transform.registry_load import ANY, Registry
from transform.registry_load import memo as registry_memo

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class UnknownName:
    """A unit name the registry and the rules do not know, with where it stands and what it may be."""

    notice_id: str
    source_name: str
    jurisdiction: str
    task_no: int
    line: int
    role: str  # lead | other
    position: int
    unit: str  # the name as resolved (registry form)
    raw: str  # the list item as printed
    candidates: tuple[str, ...]
    suggested_type: str


def suggest(name: str, jurisdiction: str, registry: Registry, limit: int = 3) -> tuple[str, ...]:
    """The closest canonical names for `name` (registry units and aliases of the jurisdiction, collectives,
    standard department names with the jurisdiction's prefix), best first, by rapidfuzz.

    The candidates depend on the jurisdiction only through its registry entries and its prefix, so
    they and the answers are memoized by (jurisdiction if the registry lists it, prefix)."""
    pool = (jurisdiction if jurisdiction in registry.listed else "", jurisdiction_prefix(jurisdiction))
    memo = registry_memo(registry._suggestions)
    if (pool, name, limit) not in memo:
        if pool not in memo:
            target = _candidates(jurisdiction, registry)
            memo[pool] = (target, list(target))
        target, choices = memo[pool]
        hits = process.extract(name, choices, scorer=fuzz.ratio, limit=limit * 4, score_cutoff=40)
        out: list[str] = []
        for choice, _, _ in hits:
            if target[choice] not in out:
                out.append(target[choice])
        memo[(pool, name, limit)] = tuple(out[:limit])
    return memo[(pool, name, limit)]


def _candidates(jurisdiction: str, registry: Registry) -> dict[str, str]:
    """Names `suggest` compares with → the canonical name each stands for."""
    prefix = jurisdiction_prefix(jurisdiction)
    target: dict[str, str] = {}
    for (jur, n) in registry.units:
        if jur in (jurisdiction, ANY):
            target.setdefault(n, n)
    for (jur, a), (c, _) in registry.aliases.items():
        if jur == jurisdiction:
            target.setdefault(a, c)
    for d in registry.departments:
        unit = registry.department_units.get((jurisdiction, d.key)) or prefix + d.names[0]
        for n in (*d.names, *d.abbreviations):
            target.setdefault(prefix + n, unit)
    return target


def suggested_type(name: str, registry: Registry) -> str:
    """A likely unit_type for an unknown name, from type_hints.yaml (for suggestions only)."""
    return next((t for ending, t in registry.type_hints if name.endswith(ending)), "other")


def unknown_names(tables: Mapping[str, pd.DataFrame], registry: Registry) -> list[UnknownName]:
    """Every task_units row with match "unknown", with its notice, task, line and candidates."""
    tu = tables["task_units"]
    unknown = tu[tu["match"] == "unknown"]
    if unknown.empty:
        return []
    tasks = tables["tasks"].set_index("task_id")
    notices = tables["notices"].set_index("notice_id")
    out = []
    memo: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {}  # a name repeated in many tasks is looked up once
    for row in unknown.itertuples(index=False):
        task = tasks.loc[row.task_id]
        notice = notices.loc[task["notice_id"]]
        jur, unit = str(notice["jurisdiction"]), str(row.unit)
        if (jur, unit) not in memo:
            memo[jur, unit] = (suggest(unit, jur, registry), suggested_type(unit, registry))
        out.append(UnknownName(
            str(task["notice_id"]), str(notice["source_name"]), jur, int(task["task_no"]), int(task["line"]),
            str(row.role), int(row.position), unit, str(row.raw_name), *memo[jur, unit]))
    return sorted(out, key=lambda u: (u.notice_id, u.line, u.role, u.position))


def format_unknown(u: UnknownName) -> str:
    """One line: `file:line: task N (lead #1): unknown unit '…' (printed '…'); closest: A, B, C`."""
    closest = ", ".join(u.candidates) if u.candidates else "none"
    printed = f" (printed {u.raw!r})" if u.raw != u.unit else ""
    return (f"{u.source_name}:{u.line}: task {u.task_no} ({u.role} #{u.position}): unknown unit {u.unit!r}"
            f"{printed}; closest in the registry: {closest}")


def unknown_message(unknown: list[UnknownName]) -> str:
    """The release-failing message: a count, what to do, and one `format_unknown` line per name."""
    names = sorted({u.unit for u in unknown})
    head = (f"{len(unknown):,} unknown unit name(s) ({len(names):,} distinct: {', '.join(capped(names))}). "
            "Add each to transform/registry/units.csv or aliases.csv (see README, 'Name registry'), "
            "or publish anyway with --allow-unknown:")
    lines = [format_unknown(u) for u in unknown[:MAX_MESSAGES]]
    if len(unknown) > MAX_MESSAGES:
        lines.append(more(len(unknown) - MAX_MESSAGES))
    return "\n".join([head, *("  " + ln for ln in lines)])
