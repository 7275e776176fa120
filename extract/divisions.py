"""China's administrative divisions (GB/T 2260 codes): the one loader of extract/divisions.csv.

The gazetteer lists every province, prefecture and county — code, name, short name, level, parent
code — built from packages by extract/divisions_build.py (provenance: extract/divisions.md). Used to
recognise a place in a title, issuer or field (`find_in_text`, `place_in`), to check a place given by
an option or a manifest (`resolve`) and to give every notice its division code, level and parent.

Recognition, in one pass from left to right: at each position the longest full or short name wins
(`海城市` before `海城`, `鞍山市` before `鞍山`). A name several divisions share (朝阳区, 铁东区) is
narrowed, in order, to those whose province or prefecture the text also names (`鞍山市铁东区` →
210302, `重庆市江北区` → 500105, since withdrawn), to the divisions still current (a withdrawn one
only when no current one has the name), and to the one of the highest level when just one is
(`河南` → 河南省, not 河南蒙古族自治县); what is still shared stays ambiguous (no division), never
guessed.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from extract.errors import GovtasksError

GAZETTEER = Path(__file__).with_name("divisions.csv")
LEVELS = ("province", "prefecture", "county")  # highest first
_SUFFIX_CHARS = frozenset("省市县区州旗盟")  # what a division's name ends in (a short name followed by one is not it)


@dataclass(frozen=True)
class Division:
    """One row of the gazetteer."""

    code: str  # GB/T 2260, six digits
    name: str  # 海城市
    short_name: str  # 海城 (the name itself where nothing shorter is used: 赵县)
    level: str  # province | prefecture | county
    parent_code: str | None  # None for a province; a province for a county under it directly
    kind: str = ""  # as the source lists it: 省, 地级市, 县级市, 市辖区, 自治县 … ("" for a withdrawn one)
    current: bool = True  # False: in the 2022 list, since withdrawn (renamed, merged, promoted)


@dataclass(frozen=True)
class PlaceMatch:
    """A place name found in a text: where, as printed, and the divisions it can be."""

    start: int
    end: int
    text: str
    candidates: tuple[Division, ...]  # every division of that name, before narrowing
    division: Division | None  # the one it names; None when the text leaves it ambiguous
    full: bool  # the full name (海城市), not the short one (海城)


class DivisionError(GovtasksError):
    """A place the gazetteer does not know, or knows several of."""


@dataclass(frozen=True)
class _Gazetteer:
    by_code: dict[str, Division]
    by_name: dict[str, tuple[Division, ...]]  # full names
    by_short: dict[str, tuple[Division, ...]]  # short names that differ from the full name
    pattern: re.Pattern[str]


@cache
def _gazetteer() -> _Gazetteer:
    by_code: dict[str, Division] = {}
    by_name: dict[str, list[Division]] = {}
    by_short: dict[str, list[Division]] = {}
    with GAZETTEER.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            d = Division(row["code"], row["name"], row["short_name"], row["level"], row["parent_code"] or None,
                         row["kind"], row["current"] == "yes")
            by_code[d.code] = d
            by_name.setdefault(d.name, []).append(d)
            if d.short_name != d.name:
                by_short.setdefault(d.short_name, []).append(d)
    names = sorted(set(by_name) | set(by_short), key=lambda n: (-len(n), n))
    return _Gazetteer(by_code, {k: tuple(v) for k, v in by_name.items()},
                      {k: tuple(v) for k, v in by_short.items()},
                      re.compile("|".join(map(re.escape, names))))


def divisions() -> Iterator[Division]:
    """Every division, in code order."""
    yield from _gazetteer().by_code.values()


def by_code(code: str) -> Division | None:
    """The division of a six-digit GB/T 2260 code; None if the gazetteer does not list it."""
    return _gazetteer().by_code.get(code)


def named(name: str) -> tuple[Division, ...]:
    """Every division whose full name, else whose short name, is `name` (no narrowing)."""
    g = _gazetteer()
    return g.by_name.get(name) or g.by_short.get(name, ())


def ancestors(d: Division) -> list[Division]:
    """The division's parents, nearest first (海城市 → 鞍山市, 辽宁省)."""
    out: list[Division] = []
    while d.parent_code and (p := by_code(d.parent_code)) is not None:
        out.append(p)
        d = p
    return out


def chain_name(d: Division) -> str:
    """The full chain as written in a notice: 辽宁省鞍山市海城市."""
    return "".join(a.name for a in reversed(ancestors(d))) + d.name


def _narrow(candidates: tuple[Division, ...], context: set[str]) -> Division | None:
    """The one division among `candidates` the text means, or None (see the module docstring)."""
    pool = list(candidates)
    if len(pool) > 1:
        pool = [d for d in pool if any(a.code in context for a in ancestors(d))] or pool
    if len(pool) > 1:
        pool = [d for d in pool if d.current] or pool
    if len(pool) > 1:
        top = min(LEVELS.index(d.level) for d in pool)
        highest = [d for d in pool if LEVELS.index(d.level) == top]
        if len(highest) == 1 and top < max(LEVELS.index(d.level) for d in pool):
            pool = highest
    return pool[0] if len(pool) == 1 else None


def _named_codes(text: str) -> set[str]:
    g = _gazetteer()
    return {d.code for m in g.pattern.finditer(text) for d in g.by_name.get(m.group()) or g.by_short[m.group()]}


def find_in_text(text: str, context: str = "") -> list[PlaceMatch]:
    """Every place name in `text`, left to right, the longest name at each position; each resolved to
    one division where the text (or `context`, e.g. the issuer of a title) tells which, by its parents
    also named, else left ambiguous."""
    g = _gazetteer()
    found: list[tuple[re.Match[str], tuple[Division, ...], bool]] = []
    for m in g.pattern.finditer(text):
        full = m.group() in g.by_name
        if not full and text[m.end():m.end() + 1] in _SUFFIX_CHARS:
            continue  # 青川省, 南湖市: a short name followed by a kind names another (unknown) place
        found.append((m, g.by_name.get(m.group()) or g.by_short[m.group()], full))
    named = {d.code for _, cands, _ in found for d in cands} | (_named_codes(context) if context else set())
    out = []
    for m, cands, full in found:
        others = named - {d.code for d in cands}
        out.append(PlaceMatch(m.start(), m.end(), m.group(), cands, _narrow(cands, others), full))
    return out


def place_in(text: str) -> Division | None:
    """The most specific place a text names, when its places form one chain: `辽宁省鞍山市海城市`,
    `海城市` and `鞍山市海城` give 海城市; two places that are not one inside the other give None."""
    return _deepest_of_chain([m.division for m in find_in_text(text) if m.division is not None])


def _deepest_of_chain(places: list[Division]) -> Division | None:
    if not places:
        return None
    deepest = max(places, key=lambda d: (LEVELS.index(d.level), len(ancestors(d))))
    line = {deepest.code} | {a.code for a in ancestors(deepest)}
    return deepest if all(d.code in line for d in places) else None


def leading_places(text: str, context: str = "") -> list[PlaceMatch]:
    """The run of place names `text` starts with, each right after the other (`辽宁省鞍山市海城市2024年…`
    → 辽宁省, 鞍山市, 海城市); empty when it starts with anything else."""
    run: list[PlaceMatch] = []
    for m in find_in_text(text, context):
        if m.start != (run[-1].end if run else 0):
            break
        run.append(m)
    return run


def place_of(matches: list[PlaceMatch]) -> Division | None:
    """The most specific division of `matches` when they all lie on one chain (辽宁省, 鞍山市, 海城市 →
    海城市); None when one is ambiguous or two are not one inside the other."""
    if any(m.division is None for m in matches):
        return None
    return _deepest_of_chain([m.division for m in matches if m.division is not None])


def exact_place(text: str) -> Division | None:
    """The division `text` names when it is nothing but place names on one chain (海城市, 海城,
    鞍山市海城市); None otherwise (unknown, ambiguous, or more than a place)."""
    run = leading_places(text)
    return place_of(run) if run and run[-1].end == len(text) else None


def closest_names(name: str, limit: int = 3) -> list[str]:
    """The gazetteer's names nearest to `name` (fewest edits, rapidfuzz), for a message."""
    g = _gazetteer()
    hits = process.extract(name, list(g.by_name), scorer=Levenshtein.normalized_similarity, limit=limit)
    return [h[0] for h in hits]


def _describe(ds: tuple[Division, ...] | list[Division]) -> str:
    return ", ".join(f"{chain_name(d)} {d.code}" for d in ds)


def resolve(name: str) -> Division:
    """The division `name` means: a code (210381), a full or short name (海城市, 海城) or a chain
    (辽宁省鞍山市海城市, 鞍山市铁东区). Raises DivisionError for an unknown name (with the closest
    names) or one several divisions share (with each one's chain)."""
    text = re.sub(r"\s+", "", name)
    if re.fullmatch(r"\d{6}", text):
        if (d := by_code(text)) is None:
            raise DivisionError(f"{text} is not a division code in the gazetteer (extract/divisions.csv)")
        return d
    matches = leading_places(text)
    if matches and matches[-1].end == len(text):
        if (d := place_of(matches)) is not None:
            return d
        last = next((m for m in matches if m.division is None), matches[-1])
        pool = [d for d in last.candidates if d.current] or list(last.candidates)
        raise DivisionError(f"{name!r} names several divisions: {_describe(pool)}; give the chain "
                            f"(e.g. {chain_name(pool[0])}) or the code")
    hint = ", ".join(closest_names(text))
    raise DivisionError(f"{name!r} is not a division the gazetteer (extract/divisions.csv) knows; closest: {hint}")
