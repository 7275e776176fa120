"""Lead leaders (牵头领导): a list cut into entries, each typed person, role or group heading, by the
rules of registry/leaders.yaml (docs/NORMALIZATION.md, "Leaders").

White space is removed from a name and names are never merged by similarity (王威 and 王巍 stay two).
A role in the list is an entry of its own (`王威、市政府常务副市长、夏应` → 王威, 市政府常务副市长, 夏应:
two persons and a role). Two kinds of bad entries:
  - a parsing slip (a lone character, a label mark, a unit ending) stops the release (LeaderNameError,
    the caller adds the notice, task and line);
  - a name with the start of a cut label glued on (`张三牵`, where `牵头…` was cut off) is not a name:
    the name is published without it (张三, raw name 张三牵) and the entry is returned as a fragment,
    for a non-blocking finding (extract/damaged_tasks.py does the same for a task cut off at the end
    of a notice, where any label start may be cut; here, in any task, only the starts leaders.yaml
    lists, which no name ends in).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extract.textnorm import remove_whitespace
from transform.registry_load import leader_rules
from transform.split import Piece, split_list

_TOKEN_RE = re.compile(r"[^\s\u3000\u00a0\u200b\ufeff]+")
LEADER_FRAGMENT_CHECK = "leader_fragment"  # quality_findings.check of a fragment


class LeaderNameError(ValueError):
    """A lead-leader entry that cannot be a name as printed. Raised without a source; the caller that
    knows the notice, task and line (transform/tables.py) turns it into a NoticeError."""


@dataclass(frozen=True)
class Fragment:
    """A leader entry with the start of a cut-off label glued on: `raw` 张三牵, `cut` 牵, `name` 张三."""

    raw: str
    cut: str
    name: str


@dataclass(frozen=True)
class Leaders:
    """The entries of one 牵头领导 list: `names` to publish (in order), and the `fragments` among them
    that were published without a glued-on label start (for a finding)."""

    names: tuple[Piece, ...]
    fragments: tuple[Fragment, ...] = ()


def _leader_names(item: str) -> list[Piece]:
    """One list item → its names. White space separates names, except that two adjacent one-character
    pieces are one padded two-character name: `刘 哲` → 刘哲; `刘兴达 王丽敏 张 三` → 刘兴达, 王丽敏, 张三."""
    tokens = [(m.start(), m.end()) for m in _TOKEN_RE.finditer(item)]
    out: list[Piece] = []
    i = 0
    while i < len(tokens):
        start, end = tokens[i]
        if end - start == 1:
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if nxt is None or nxt[1] - nxt[0] != 1:
                raise LeaderNameError(
                    f"leader entry {item!r} has the single character {item[start:end]!r} that is not part "
                    "of a two-character name (write names whole, separated by 、)")
            end = nxt[1]
            i += 1
        raw = item[start:end]
        out.append(Piece(remove_whitespace(raw), raw))
        i += 1
    return out


def split_leaders(raw: str | None) -> list[Piece]:
    """Leader entries with every kind of white space removed; raw entries kept as printed.

    Split like any list (transform/split.py), then each item on white space (see `_leader_names`):
    `刘 哲` is one name, `刘兴达 王丽敏` two, `刘 哲 王丽敏` two (刘哲, 王丽敏). A one-character piece
    left over raises LeaderNameError."""
    if not raw:
        return []
    out: list[Piece] = []
    for item in split_list(raw):
        out.extend(_leader_names(item.raw))
    return out


@lru_cache(maxsize=1 << 16)
def leader_kind(name: str) -> str:
    """person, role (市政府常务副市长) or group (…市长负责事项), by the rules of registry/leaders.yaml."""
    rules = leader_rules()
    if name.endswith(tuple(rules["group_suffixes"])):
        return "group"
    if any(w in name for w in rules["role_words"]) or len(name) > int(rules["person_max_chars"]):
        return "role"
    return "person"


def label_start(name: str) -> str | None:
    """The start of a cut-off label glued to the end of `name` (`张三牵` → 牵), or None: `name` ends in
    one of leaders.yaml `label_fragments` (starts of the labels of extract/labels.yaml) and what stands
    before it is a person's name of two characters or more."""
    rules = leader_rules()
    for frag in sorted(map(str, rules.get("label_fragments") or ()), key=len, reverse=True):
        stem = name[: -len(frag)]
        if name.endswith(frag) and len(stem) >= 2 and leader_kind(stem) == "person":
            return frag
    return None


def read_leaders(raw: str | None) -> Leaders:
    """The entries of a 牵头领导 list: names (persons, roles, group headings) and the fragments among them.

    Raises LeaderNameError for an entry that cannot be a name: a lone character (`刘 王丽敏`), or an
    entry holding a label mark or ending like a unit (registry/leaders.yaml: `牵头单位:市发展和改革局`).
    Memoized (pure)."""
    return _leaders(raw)


def resolve_leaders(raw: str | None) -> list[Piece]:
    """The names of a 牵头领导 list to publish (`read_leaders(raw).names`), label fragments taken off."""
    return list(_leaders(raw).names)


@lru_cache(maxsize=1 << 16)
def _leaders(raw: str | None) -> Leaders:
    rules = leader_rules()
    names, fragments = [], []
    for p in split_leaders(raw):
        label = any(m in p.name for m in rules["label_marks"])
        unit = p.name.endswith(tuple(rules["unit_endings"])) and not p.name.endswith(tuple(rules["role_words"]))
        if label or unit:
            raise LeaderNameError(f"leader {p.raw!r} looks like a unit or a label")
        if cut := label_start(p.name):
            fragments.append(Fragment(p.raw, cut, p.name[: -len(cut)]))
            p = Piece(p.name[: -len(cut)], p.raw)
        names.append(p)
    return Leaders(tuple(names), tuple(fragments))
