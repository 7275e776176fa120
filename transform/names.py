"""Name normalization, the public functions in one import (docs/NORMALIZATION.md).

The code lives in modules by job; this module only re-exports them, for callers that import the
whole set:
  registry_load.py    the registry files, loaded and checked (Registry, load_registry)
  naming.py           jurisdiction prefixes and full names (naming.yaml)
  collectives.py      collective phrases, prefix templates and level lists (collectives.yaml)
  split.py            the one bracket-aware list splitter
  unit_resolution.py  unit names → canonical units (resolve_units, notice_spellings)
  leaders.py          lead-leader lists → names, roles, group headings and fragments
  suggestions.py      unknown names: candidates, likely type, the failing message
"""

from __future__ import annotations

from transform.leaders import (
    LEADER_FRAGMENT_CHECK,
    LeaderNameError,
    Leaders,
    leader_kind,
    read_leaders,
    resolve_leaders,
    split_leaders,
)
from transform.naming import REGISTRY_DIR, full_name, jurisdiction_prefix, naming
from transform.registry_load import ANY, UNIT_TYPES, Department, Registry, UnitRecord, canon, load_registry
from transform.split import Piece, match_key, split_list, to_fullwidth_brackets
from transform.suggestions import (
    UnknownName,
    format_unknown,
    suggest,
    suggested_type,
    unknown_message,
    unknown_names,
)
from transform.unit_resolution import Resolved, notice_spellings, resolve_units

__all__ = [
    "ANY", "LEADER_FRAGMENT_CHECK", "REGISTRY_DIR", "UNIT_TYPES", "Department", "LeaderNameError", "Leaders",
    "Piece", "Registry", "Resolved", "UnitRecord", "UnknownName", "canon", "format_unknown", "full_name",
    "jurisdiction_prefix", "leader_kind", "load_registry", "match_key", "naming", "notice_spellings",
    "read_leaders", "resolve_leaders", "resolve_units", "split_leaders", "split_list", "suggest",
    "suggested_type", "to_fullwidth_brackets", "unknown_message", "unknown_names",
]
