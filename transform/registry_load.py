"""The name registry: reviewed data files in transform/registry/, loaded and checked once.

units.csv, aliases.csv, collectives.yaml, standard_departments.yaml, type_hints.yaml, leaders.yaml and
naming.yaml are read through transform/reference_files.py; a bad row fails with its file and line.
Policy: docs/NORMALIZATION.md. How names are resolved against the registry: unit_resolution.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from extract.errors import NoticeError
from transform.collectives import LevelLists, collective_key, expand_prefix, protect_pattern
from transform.naming import REGISTRY_DIR, jurisdiction_prefix, naming, unit_prefixes
from transform.reference_files import read_csv, read_yaml
from transform.schema import UNITS
from transform.split import match_key, to_fullwidth_brackets

ANY = "*"  # jurisdiction of registry rows that hold everywhere (collectives)
UNIT_TYPES = UNITS.column("unit_type").enum
MEMO_LIMIT = 200_000  # entries per memo of a registry; a full memo is emptied (memory stays bounded)


@dataclass(frozen=True)
class UnitRecord:
    jurisdiction: str
    name: str
    full_name: str | None
    unit_type: str


@dataclass(frozen=True)
class Department:
    """A standard department of city and county governments (standard_departments.yaml)."""

    key: str
    unit_type: str
    names: tuple[str, ...]  # official names, without the one-character jurisdiction prefix
    abbreviations: dict[str, str]  # abbreviation → the standard full name it expands to


def canon(name: str) -> str:
    """A name in the registry's form: no white space, full-width brackets."""
    return to_fullwidth_brackets(match_key(name))


@dataclass(frozen=True, eq=False)
class Registry:
    units: dict[tuple[str, str], UnitRecord]
    aliases: dict[tuple[str, str], tuple[str, str]]  # (jurisdiction, alias) → (canonical, reason)
    collectives: dict[str, tuple[str, ...]]  # phrase (collective_key form) → canonical collective units
    collective_suffixes: tuple[str, ...] = ()
    shared_suffixes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    departments: tuple[Department, ...] = ()
    type_hints: tuple[tuple[str, str], ...] = ()
    level_lists: LevelLists | None = None
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False)  # see unit_resolution.resolve_units
    _suggestions: dict[Any, Any] = field(default_factory=dict, repr=False)  # see suggestions.suggest

    def lookup(self, jurisdiction: str, name: str) -> tuple[str, str] | None:
        """(canonical name, match) for `name` in `jurisdiction`, or None."""
        for scope in (jurisdiction, ANY):
            if (scope, name) in self.units:
                return name, "canonical"
            if (scope, name) in self.aliases:
                return self.aliases[(scope, name)][0], "alias"
        return None

    def record(self, jurisdiction: str, name: str) -> UnitRecord | None:
        return self.units.get((jurisdiction, name)) or self.units.get((ANY, name))

    def collective(self, name: str) -> tuple[tuple[str, ...], str] | None:
        """(collective units, match) for a list item (match_key form): a phrase of collectives.yaml
        (match canonical), or a level list in its one spelling (match rule); None otherwise."""
        key = collective_key(name)
        if key in self.collectives:
            return self.collectives[key], "canonical"
        if self.level_lists is not None and (unit := self.level_lists.canonical(key)):
            return (to_fullwidth_brackets(unit),), "rule"
        return None

    @cached_property
    def protect(self) -> re.Pattern[str] | None:
        """What `split_list` must not cut: collective phrases that hold a separator, and level lists."""
        return protect_pattern(self.collectives, self.level_lists)

    @cached_property
    def bodies(self) -> dict[str, tuple[Department, str]]:
        """Department name or abbreviation (no prefix) → (department, the full name it stands for)."""
        out: dict[str, tuple[Department, str]] = {}
        for d in self.departments:
            for n in d.names:
                out[n] = (d, n)
            for a, full in d.abbreviations.items():
                out[a] = (d, full)
        return out

    @cached_property
    def by_full_name(self) -> dict[tuple[str, str], str]:
        return {(r.jurisdiction, canon(r.full_name)): r.name for r in self.units.values() if r.full_name}

    @cached_property
    def department_units(self) -> dict[tuple[str, str], str]:
        """(jurisdiction, department key) → the registry's canonical unit for that department."""
        out: dict[tuple[str, str], str] = {}
        for jur, name in self.units:
            prefix = jurisdiction_prefix(jur)
            if prefix and name.startswith(prefix) and (hit := self.bodies.get(name[len(prefix):])):
                out.setdefault((jur, hit[0].key), name)
        return out

    @cached_property
    def listed(self) -> frozenset[str]:
        """Jurisdictions with units or aliases of their own in the registry."""
        return frozenset(j for j, _ in self.units) | frozenset(j for j, _ in self.aliases)

    def jurisdictions(self) -> list[str]:
        return sorted({j for j, _ in self.units})


def memo(store: dict[Any, Any]) -> dict[Any, Any]:
    """A registry memo, emptied when full (memory stays bounded)."""
    if len(store) >= MEMO_LIMIT:
        store.clear()
    return store


@cache
def leader_rules(path: Path = REGISTRY_DIR / "leaders.yaml") -> dict[str, Any]:
    """registry/leaders.yaml: how a lead-leader entry is typed and when it is a parsing slip."""
    return dict(read_yaml(path))


def _collectives(path: Path, units: dict[tuple[str, str], UnitRecord]) -> tuple[
        dict[str, tuple[str, ...]], LevelLists | None, dict[str, Any]]:
    """collectives.yaml: its units added to `units` (jurisdiction ANY), its phrases checked."""
    col = read_yaml(path)
    prefixes = unit_prefixes()
    for template in col["units"]:
        for name in expand_prefix(str(template), prefixes):
            units[(ANY, canon(name))] = UnitRecord(ANY, canon(name), None, "collective")
    collectives: dict[str, tuple[str, ...]] = {}
    for c in col["phrases"]:
        if not isinstance(c, dict) or set(c) != {"phrase", "units", "reason"} or not isinstance(c["phrase"], str):
            raise NoticeError(str(path), "each phrase entry needs exactly a quoted phrase, its units and the reason "
                                         f"it means them, not {c!r}")
        for prefix in (prefixes if "{prefix}" in c["phrase"] else ("",)):
            targets = tuple(canon(str(u).replace("{prefix}", prefix)) for u in c["units"])
            if missing := [u for u in targets if (ANY, u) not in units]:
                raise NoticeError(str(path),
                                  f"phrase {c['phrase']!r} maps to {missing}, which are not listed under units")
            collectives[collective_key(match_key(c["phrase"].replace("{prefix}", prefix)))] = targets
    for name in [n for (j, n) in units if j == ANY]:  # every collective unit is a phrase of itself
        collectives.setdefault(collective_key(match_key(name)), (name,))
    lv = col.get("level_lists")
    levels = (LevelLists(tuple(map(str, lv["levels"])), {str(k): str(v) for k, v in lv["endings"].items()})
              if lv else None)
    return collectives, levels, col


@cache
def load_registry(directory: Path = REGISTRY_DIR) -> Registry:
    """The registry files, checked: units.csv, aliases.csv, collectives.yaml, standard_departments.yaml,
    type_hints.yaml, naming.yaml (alias reasons). A bad row fails with its file and line."""
    reasons = tuple(map(str, naming(directory / "naming.yaml")["alias_reasons"]))
    units_path, aliases_path = directory / "units.csv", directory / "aliases.csv"
    units: dict[tuple[str, str], UnitRecord] = {}
    for line, r in read_csv(units_path, ("jurisdiction", "name", "full_name", "unit_type"), optional=("full_name",)):
        key = (r["jurisdiction"], canon(r["name"]))
        if r["unit_type"] not in UNIT_TYPES:
            raise NoticeError(str(units_path),
                              f"unit_type {r['unit_type']!r} is not one of {', '.join(UNIT_TYPES)}", line)
        if key in units:
            raise NoticeError(str(units_path), f"{key[1]} is listed twice for {key[0]}", line)
        units[key] = UnitRecord(key[0], key[1], r["full_name"] or None, r["unit_type"])

    collectives, levels, col = _collectives(directory / "collectives.yaml", units)

    aliases: dict[tuple[str, str], tuple[str, str]] = {}
    for line, r in read_csv(aliases_path, ("jurisdiction", "alias", "canonical", "reason")):
        jur, alias, target = r["jurisdiction"], canon(r["alias"]), canon(r["canonical"])
        if r["reason"] not in reasons:
            raise NoticeError(str(aliases_path),
                              f"reason {r['reason']!r} is not one of {', '.join(reasons)}", line)
        if (jur, target) not in units and (ANY, target) not in units:
            raise NoticeError(str(aliases_path), f"canonical {target!r} is not in units.csv for {jur}", line)
        if (jur, alias) in units:
            raise NoticeError(str(aliases_path),
                              f"alias {alias!r} is itself a unit in units.csv for {jur}", line)
        if (jur, alias) in aliases:
            raise NoticeError(str(aliases_path), f"alias {alias!r} is listed twice for {jur}", line)
        aliases[(jur, alias)] = (target, r["reason"])

    departments = tuple(
        Department(d["key"], d["unit_type"], tuple(d["names"]), dict(d.get("abbreviations") or {}))
        for d in read_yaml(directory / "standard_departments.yaml")
    )
    official = {n for d in departments for n in d.names}
    for d in departments:
        where = str(directory / "standard_departments.yaml")
        if d.unit_type not in UNIT_TYPES:
            raise NoticeError(where, f"{d.key}: unit_type {d.unit_type!r} is not one of {', '.join(UNIT_TYPES)}")
        for abbr, full in d.abbreviations.items():
            if full not in d.names:
                raise NoticeError(where, f"{d.key}: abbreviation {abbr!r} expands to {full!r}, not one of its names")
            if abbr in official:
                raise NoticeError(where, f"{d.key}: {abbr!r} is the official name of a department, "
                                         "not an abbreviation (a renamed or different body is a department of its own)")
    hints = tuple((str(e), str(t)) for e, t in read_yaml(directory / "type_hints.yaml"))
    return Registry(units, aliases, collectives, tuple(col.get("suffixes") or ()),
                    {match_key(k): tuple(v) for k, v in (col.get("shared_suffixes") or {}).items()},
                    departments, hints, levels)
