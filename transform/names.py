"""Leader and unit names resolved against the registry (reviewed data files in transform/registry/).

Policy: NORMALIZATION.md. Units are scoped by jurisdiction. A unit name is resolved, in this order, by
  1. the registry: units.csv (canonical) and aliases.csv (alias) of its jurisdiction, collectives.yaml;
  2. rules (match "rule"): a full name (海城市财政局 → 市财政局), a prefix dropped after the first list
     item (商务局 → 市商务局), a collective suffix (…领导小组各成员单位), and the standard departments of
     standard_departments.yaml for names the registry does not list (市发改局 → 市发展和改革局, or the
     notice's own spelling of that department).
A name none of these resolve is never passed through silently: it comes back with match="unknown",
`unknown_names` reports it with its task and the closest registry candidates, and the gate decides.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from rapidfuzz import fuzz, process

from extract.errors import NoticeError
from extract.limits import MAX_MESSAGES
from extract.messages import capped, more
from extract.textnorm import fold, remove_whitespace, strip_line
from transform.schema import UNITS
from transform.split import (
    LIST_SEPARATORS,
    LeaderNameError,
    Piece,
    match_key,
    split_leaders,
    split_list,
    to_fullwidth_brackets,
)

if TYPE_CHECKING:
    import pandas as pd

REGISTRY_DIR = Path(__file__).with_name("registry")
ANY = "*"  # jurisdiction of registry rows that hold everywhere (collectives)
UNIT_TYPES = UNITS.column("unit_type").enum


@dataclass(frozen=True)
class UnitRecord:
    jurisdiction: str
    name: str
    full_name: str | None
    unit_type: str


@dataclass(frozen=True)
class Resolved:
    """One unit of a task's list, resolved. `raw` is the list item as printed."""

    unit: str
    raw: str
    match: str  # canonical | alias | rule | unknown
    record: UnitRecord | None
    in_registry: bool = False  # the unit itself is listed in the registry files


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
    collectives: dict[str, tuple[str, ...]]  # phrase (match_key form) → canonical collective units
    collective_suffixes: tuple[str, ...] = ()
    shared_suffixes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    departments: tuple[Department, ...] = ()
    type_hints: tuple[tuple[str, str], ...] = ()
    _cache: dict[Any, tuple[Resolved, ...]] = field(default_factory=dict, repr=False)
    _suggestions: dict[Any, Any] = field(default_factory=dict, repr=False)  # see `suggest`

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

    @cached_property
    def protected(self) -> tuple[str, ...]:
        """Collective phrases that hold a separator themselves."""
        return tuple(p for p in self.collectives if any(s in p for s in LIST_SEPARATORS))

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


def _read_csv(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Rows with their line numbers; lines starting with # are comments."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != columns:
            raise NoticeError(str(path), f"the header must be {','.join(columns)}", 1)
        rows = []
        for row in reader:
            if (row[columns[0]] or "").startswith("#"):
                continue
            line = reader.line_num
            if any(not (row.get(c) or "").strip() for c in columns if c != "full_name"):
                raise NoticeError(str(path), f"empty value in a required column ({', '.join(columns)})", line)
            rows.append((line, {k: strip_line(v or "") for k, v in row.items()}))
        return rows


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@cache
def naming(path: Path = REGISTRY_DIR / "naming.yaml") -> dict[str, Any]:
    """registry/naming.yaml: jurisdiction levels and their unit prefixes, the party organ prefix,
    the alias reasons."""
    return dict(_yaml(path))


@cache
def load_registry(directory: Path = REGISTRY_DIR) -> Registry:
    """The registry files, checked: units.csv, aliases.csv, collectives.yaml, standard_departments.yaml,
    type_hints.yaml, naming.yaml (alias reasons). A bad row fails with its file and line."""
    reasons = tuple(map(str, naming(directory / "naming.yaml")["alias_reasons"]))
    units_path, aliases_path = directory / "units.csv", directory / "aliases.csv"
    units: dict[tuple[str, str], UnitRecord] = {}
    for line, r in _read_csv(units_path, ("jurisdiction", "name", "full_name", "unit_type")):
        key = (r["jurisdiction"], canon(r["name"]))
        if r["unit_type"] not in UNIT_TYPES:
            raise NoticeError(str(units_path),
                              f"unit_type {r['unit_type']!r} is not one of {', '.join(UNIT_TYPES)}", line)
        if key in units:
            raise NoticeError(str(units_path), f"{key[1]} is listed twice for {key[0]}", line)
        units[key] = UnitRecord(key[0], key[1], r["full_name"] or None, r["unit_type"])

    col = _yaml(directory / "collectives.yaml")
    for name in col["units"]:
        units[(ANY, canon(name))] = UnitRecord(ANY, canon(name), None, "collective")
    collectives: dict[str, tuple[str, ...]] = {}
    for c in col["phrases"]:
        if not isinstance(c, dict) or set(c) != {"phrase", "units"} or not isinstance(c["phrase"], str):
            raise NoticeError(str(directory / "collectives.yaml"),
                              f"each phrase entry needs exactly a quoted phrase and its units, not {c!r}")
        targets = tuple(canon(u) for u in c["units"])
        if missing := [u for u in targets if (ANY, u) not in units]:
            raise NoticeError(str(directory / "collectives.yaml"),
                              f"phrase {c['phrase']!r} maps to {missing}, which are not listed under units")
        collectives[match_key(c["phrase"])] = targets

    aliases: dict[tuple[str, str], tuple[str, str]] = {}
    for line, r in _read_csv(aliases_path, ("jurisdiction", "alias", "canonical", "reason")):
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
        for d in _yaml(directory / "standard_departments.yaml")
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
    hints = tuple((str(e), str(t)) for e, t in _yaml(directory / "type_hints.yaml"))
    return Registry(units, aliases, collectives, tuple(col.get("suffixes") or ()),
                    {match_key(k): tuple(v) for k, v in (col.get("shared_suffixes") or {}).items()},
                    departments, hints)


@lru_cache(maxsize=4096)
def _level(jurisdiction: str) -> str:
    """The level ending of a jurisdiction's name (naming.yaml, longest first): 岫岩满族自治县 → 自治县."""
    levels = sorted(map(str, naming()["jurisdiction_levels"]), key=len, reverse=True)
    return next((lv for lv in levels if jurisdiction.endswith(lv)), "")


def jurisdiction_prefix(jurisdiction: str) -> str:
    """The short prefix a notice puts before its own units (naming.yaml): 海城市 → 市, 岫岩满族自治县 → 县."""
    level = _level(jurisdiction)
    return str(naming()["jurisdiction_levels"][level]) if level else ""


@lru_cache(maxsize=1 << 16)
def full_name(jurisdiction: str, name: str, unit_type: str) -> str:
    """The full name the rules give a unit the registry does not list (the one home of this rule):
    the jurisdiction's prefix spelled out (县发展和改革局 → 岫岩满族自治县发展和改革局), a name that
    already starts with the jurisdiction's own name kept (海城供电公司), otherwise the jurisdiction put
    before it; party organs get naming.yaml's party_organ_prefix (中共海城市委组织部)."""
    prefix = jurisdiction_prefix(jurisdiction)
    stem = jurisdiction[: len(jurisdiction) - len(_level(jurisdiction))]
    if prefix and name.startswith(prefix):
        full = jurisdiction + name[len(prefix):]
    elif stem and name.startswith(stem):
        full = name
    else:
        full = jurisdiction + name
    party = str(naming()["party_organ_prefix"])
    if unit_type == "party_organ" and not full.startswith(party):
        full = party + full
    return full


# ---------------------------------------------------------------- one name


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
        for p in split_list(raw, registry.protected):
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
    pieces = split_list(text, registry.protected)
    out: list[tuple[Resolved, bool, str]] = []  # (resolution, bare stem, raw)

    def add_collective(phrase: str, p_raw: str) -> None:
        for u in registry.collectives[phrase]:
            rec = registry.record(jurisdiction, u)
            out.append((Resolved(u, p_raw, "canonical", rec, True), False, p_raw))

    for p in pieces:
        key = p.name
        if key in registry.collectives:
            add_collective(key, p.raw)
            continue
        done = False
        for i, ch in enumerate(key):
            if ch != "等" or i == 0:
                continue
            head, tail = key[:i], key[i + 1:]
            head_r = _resolve_name(canon(head), jurisdiction, registry, spellings)
            shared = tail in registry.shared_suffixes and head_r.match == "unknown"
            if tail in registry.collectives and not shared:
                out.append((head_r, False, p.raw))
                add_collective(tail, p.raw)
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
    if key not in _memo(registry._cache):
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


# ---------------------------------------------------------------- leaders


@cache
def _leader_rules(path: Path = REGISTRY_DIR / "leaders.yaml") -> dict[str, Any]:
    return _yaml(path)


@lru_cache(maxsize=1 << 16)
def leader_kind(name: str) -> str:
    """person, role (市政府常务副市长) or group (…市长负责事项), by the rules of registry/leaders.yaml."""
    rules = _leader_rules()
    if name.endswith(tuple(rules["group_suffixes"])):
        return "group"
    if any(w in name for w in rules["role_words"]) or len(name) > int(rules["person_max_chars"]):
        return "role"
    return "person"


def resolve_leaders(raw: str | None) -> list[Piece]:
    """Leader names, white space removed; never merged by similarity (王威 and 王巍 stay two).

    Raises LeaderNameError (a ValueError, no source) for an entry that cannot be a name: a lone
    character (`刘 王丽敏`), or a name holding a label mark or ending like a unit (registry/leaders.yaml:
    `牵头单位:市发展和改革局`). The caller adds the notice, task and line. Memoized (pure)."""
    return list(_leaders(raw))


@lru_cache(maxsize=1 << 16)
def _leaders(raw: str | None) -> tuple[Piece, ...]:
    rules = _leader_rules()
    pieces = split_leaders(raw)
    for p in pieces:
        label = any(m in p.name for m in rules["label_marks"])
        unit = p.name.endswith(tuple(rules["unit_endings"])) and not p.name.endswith(tuple(rules["role_words"]))
        if label or unit:
            raise LeaderNameError(f"leader {p.raw!r} looks like a unit or a label")
    return tuple(pieces)


# ---------------------------------------------------------------- unknown names


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


MEMO_LIMIT = 200_000  # entries per memo of a registry; a full memo is emptied (memory stays bounded)


def _memo(memo: dict[Any, Any]) -> dict[Any, Any]:
    if len(memo) >= MEMO_LIMIT:
        memo.clear()
    return memo


def suggest(name: str, jurisdiction: str, registry: Registry, limit: int = 3) -> tuple[str, ...]:
    """The closest canonical names for `name` (registry units and aliases of the jurisdiction, collectives,
    standard department names with the jurisdiction's prefix), best first, by rapidfuzz.

    The candidates depend on the jurisdiction only through its registry entries and its prefix, so
    they and the answers are memoized by (jurisdiction if the registry lists it, prefix)."""
    pool = (jurisdiction if jurisdiction in registry.listed else "", jurisdiction_prefix(jurisdiction))
    memo = _memo(registry._suggestions)
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
