"""Naming conventions of jurisdictions (registry/naming.yaml): the prefix a notice puts before its own
units, and the full name the rules give a unit the registry does not list."""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from transform.reference_files import read_yaml

REGISTRY_DIR = Path(__file__).with_name("registry")


@cache
def naming(path: Path = REGISTRY_DIR / "naming.yaml") -> dict[str, Any]:
    """registry/naming.yaml: jurisdiction levels and their unit prefixes, the party organ prefix,
    the alias reasons."""
    return dict(read_yaml(path))


def unit_prefixes() -> tuple[str, ...]:
    """Every prefix a jurisdiction level puts before its units (市, 县, 区, 州, 盟, 自治区 …), longest first."""
    return tuple(sorted({str(p) for p in naming()["jurisdiction_levels"].values()}, key=len, reverse=True))


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
