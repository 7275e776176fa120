"""Unit names resolved against the registry (docs/NORMALIZATION.md, "Units" and "Lists").

Units are scoped by jurisdiction. A unit name is resolved, in this order, by
  1. the registry: units.csv (canonical) and aliases.csv (alias) of its jurisdiction, and the
     collectives of collectives.yaml (phrases; level lists such as 各县、市、区人民政府 by rule);
  2. rules (match "rule"): a full name (海城市财政局 → 市财政局), a prefix dropped after the first list
     item (商务局 → 市商务局), a collective suffix (…领导小组各成员单位), and the standard departments of
     standard_departments.yaml for names the registry does not list (市发改局 → 市发展和改革局, or the
     notice's own spelling of that department).
A name none of these resolve is never passed through silently: it comes back with match="unknown",
suggestions.unknown_names reports it with its task and the closest registry candidates, and the gate
decides.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from extract.textnorm import fold, remove_whitespace, strip_line
from transform.naming import full_name, jurisdiction_prefix
from transform.registry_load import ANY, Department, Registry, UnitRecord, canon, memo
from transform.split import split_list, to_fullwidth_brackets


@dataclass(frozen=True)
class Resolved:
    """One unit of a task's list, resolved. `raw` is the list item as printed."""

    unit: str
    raw: str
    match: str  # canonical | alias | rule | unknown
    record: UnitRecord | None
    in_registry: bool = False  # the unit itself is listed in the registry files


def _rule_record(jurisdiction: str, name: str, unit_type: str) -> UnitRecord:
    return UnitRecord(jurisdiction, name, full_name(jurisdiction, name, unit_type), unit_type)


def _department(name: str, jurisdiction: str, prefix: str,
                registry: Registry) -> tuple[Department, str] | None:
    """(department, name without prefix) when `name` is a standard department's name or abbreviation."""
    bodies = []
    if jurisdiction and name.startswith(jurisdiction):
        bodies.append(name[len(jurisdiction):])
    if prefix and name.startswith(prefix):
        bodies.append(name[len(prefix):])
    bodies.append(name)  # a dropped prefix
    for body in bodies:
        if body in registry.bodies:
            return registry.bodies[body][0], body
    return None


def _resolve_name(name: str, jurisdiction: str, registry: Registry, spellings: Mapping[str, str]) -> Resolved:
    """One name (registry form) → its resolution; `raw` is left empty for the caller."""

    def known(unit: str, match: str) -> Resolved:
        return Resolved(unit, "", match, registry.record(jurisdiction, unit), True)

    if found := registry.lookup(jurisdiction, name):
        return known(*found)
    prefix = jurisdiction_prefix(jurisdiction)
    if unit := registry.by_full_name.get((jurisdiction, name)):
        return known(unit, "rule")
    short = prefix + name[len(jurisdiction):] if prefix and name.startswith(jurisdiction) else None
    if short and (found := registry.lookup(jurisdiction, short)):
        return known(found[0], "rule")
    if prefix and (found := registry.lookup(jurisdiction, prefix + name)):
        return known(found[0], "rule")
    if name.endswith(registry.collective_suffixes):
        return Resolved(name, "", "rule", UnitRecord(jurisdiction, name, None, "collective"))
    if hit := _department(name, jurisdiction, prefix, registry):
        dept, body = hit
        if unit := registry.department_units.get((jurisdiction, dept.key)):
            return known(unit, "rule")
        unit = spellings[dept.key] if dept.key in spellings else prefix + registry.bodies[body][1]
        return Resolved(unit, "", "rule", _rule_record(jurisdiction, unit, dept.unit_type))
    return Resolved(name, "", "unknown", None)


def notice_spellings(raws: Iterable[str | None], jurisdiction: str,
                     registry: Registry) -> tuple[tuple[str, str], ...]:
    """How one notice spells the standard departments the registry does not list for its jurisdiction:
    department key → the notice's most used official name (ties: the order in standard_departments.yaml).
    Pass the result to `resolve_units(..., spellings=...)` so that an abbreviation becomes the notice's own
    full spelling (市发改局 → 市发展改革委 in a notice that says 市发展改革委 elsewhere)."""
    prefix = jurisdiction_prefix(jurisdiction)
    counts: Counter[tuple[str, str]] = Counter()
    for raw, times in Counter(r for r in raws if r).items():  # each distinct list once
        for p in split_list(raw, registry.protect):
            name = canon(p.name)
            if registry.lookup(jurisdiction, name):
                continue
            if (hit := _department(name, jurisdiction, prefix, registry)) is None:
                continue
            dept, body = hit
            if body in dept.names and (jurisdiction, dept.key) not in registry.department_units:
                counts[(dept.key, body)] += times
    order = {(d.key, n): i for d in registry.departments for i, n in enumerate(d.names)}
    best: dict[str, tuple[int, int, str]] = {}
    for (key, body), n in counts.items():
        rank = (-n, order[(key, body)], body)
        if key not in best or rank < best[key]:
            best[key] = rank
    return tuple(sorted((k, prefix + r[2]) for k, r in best.items()))


# ---------------------------------------------------------------- lists


def _is_bare(r: Resolved, registry: Registry) -> bool:
    """A stem waiting for a shared suffix: 西四 in 西四、牛庄、岔沟等镇(街道)."""
    return r.match == "unknown" and len(r.unit) <= 4 and not any(
        r.unit.endswith(e) for ends in registry.shared_suffixes.values() for e in ends)


def _with_suffix(stem: str, endings: tuple[str, ...], jurisdiction: str, registry: Registry,
                 spellings: Mapping[str, str]) -> Resolved:
    tries = [_resolve_name(stem + e, jurisdiction, registry, spellings) for e in endings]
    return next((r for r in tries if r.match != "unknown"), tries[0])


def _resolve_list(raw: str, jurisdiction: str, registry: Registry,
                  spellings: Mapping[str, str]) -> list[Resolved]:
    text = strip_line(raw)
    pieces = split_list(text, registry.protect)
    out: list[tuple[Resolved, bool, str]] = []  # (resolution, bare stem, raw)

    def add_collective(found: tuple[tuple[str, ...], str], p_raw: str) -> None:
        names, match = found
        for u in names:
            rec = registry.record(jurisdiction, u)  # None for a level list the registry does not list
            out.append((Resolved(u, p_raw, match, rec or UnitRecord(ANY, u, None, "collective"), rec is not None),
                        False, p_raw))

    for p in pieces:
        key = p.name
        if found := registry.collective(key):
            add_collective(found, p.raw)
            continue
        done = False
        for i, ch in enumerate(key):
            if ch != "等" or i == 0:
                continue
            head, tail = key[:i], key[i + 1:]
            head_r = _resolve_name(canon(head), jurisdiction, registry, spellings)
            shared = tail in registry.shared_suffixes and head_r.match == "unknown"
            if (tail_found := registry.collective(tail)) and not shared:
                out.append((head_r, False, p.raw))
                add_collective(tail_found, p.raw)
                done = True
            elif tail in registry.shared_suffixes:
                stems = [head]
                first_raw = p.raw
                while out and out[-1][1]:
                    r, _, r_raw = out.pop()
                    stems.insert(0, r.unit)
                    first_raw = r_raw
                start, end = text.find(first_raw), text.find(p.raw) + len(p.raw)
                span = text[start:end] if 0 <= start < end else p.raw
                endings = registry.shared_suffixes[tail]
                for stem in stems:
                    res = _with_suffix(canon(stem), endings, jurisdiction, registry, spellings)
                    out.append((res, False, span))
                done = True
            if done:
                break
        if done:
            continue
        name = canon(key[:-1] if key.endswith("等") else key)
        r = _resolve_name(name, jurisdiction, registry, spellings)
        out.append((r, _is_bare(r, registry), p.raw))
    return [Resolved(r.unit, r_raw, r.match, r.record, r.in_registry) for r, _, r_raw in out]


def resolve_units(raw: str | None, jurisdiction: str, registry: Registry, *,
                  spellings: tuple[tuple[str, str], ...] = ()) -> list[Resolved]:
    """The units of one responsibility string, in order, each resolved against the registry.

    `spellings` (from `notice_spellings`) carries the notice's own spelling of standard departments.
    Results are cached per (jurisdiction, raw string, spellings), and shared between jurisdictions
    the registry does not list, by prefix (see `_shared_by_prefix`)."""
    if not raw:
        return []
    key = (jurisdiction, raw, spellings)
    if key not in memo(registry._cache):
        shared = None
        if _shared_by_prefix(raw, jurisdiction, registry):
            shared = (ANY, jurisdiction_prefix(jurisdiction), raw, spellings)
            if shared in registry._cache:
                registry._cache[key] = _rebind(registry._cache[shared], jurisdiction)
        if key not in registry._cache:
            registry._cache[key] = tuple(_resolve_list(raw, jurisdiction, registry, dict(spellings)))
            if shared is not None and shared not in registry._cache:
                registry._cache[shared] = registry._cache[key]
    return list(registry._cache[key])


def _shared_by_prefix(raw: str, jurisdiction: str, registry: Registry) -> bool:
    """True when resolving `raw` for `jurisdiction` gives what it gives for any other jurisdiction with
    the same prefix, but for the jurisdiction in the rule records (`_rebind`): the registry lists
    nothing of the jurisdiction, and no name looked at can start with its name (the jurisdiction
    occurs nowhere in the list, and no shared suffix can complete a stem into it)."""
    if jurisdiction in registry.listed or not jurisdiction:
        return False
    names = remove_whitespace(fold(strip_line(raw)))
    if jurisdiction in names or jurisdiction in to_fullwidth_brackets(names):
        return False
    return not any(jurisdiction.endswith(e[:k]) for ends in registry.shared_suffixes.values()
                   for e in ends for k in range(1, len(e) + 1))


def _rebind(resolved: tuple[Resolved, ...], jurisdiction: str) -> tuple[Resolved, ...]:
    """Resolutions made for another unlisted jurisdiction of the same prefix, for `jurisdiction`: the
    registry's own records stay, rule records are made again (as `_resolve_name` makes them)."""
    out = []
    for r in resolved:
        rec = r.record
        if rec is not None and rec.jurisdiction != ANY:
            rec = (UnitRecord(jurisdiction, rec.name, None, rec.unit_type) if rec.full_name is None
                   else _rule_record(jurisdiction, rec.name, rec.unit_type))
            r = Resolved(r.unit, r.raw, r.match, rec, r.in_registry)
        out.append(r)
    return tuple(out)
