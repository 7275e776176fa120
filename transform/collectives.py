"""Collective units (各有关部门, 各县（市、区）人民政府, 市政府各部门、各直属机构 …): the rules of
registry/collectives.yaml as code that reads them (docs/NORMALIZATION.md, "Collectives").

Three kinds of entries, all reviewed data:
  - phrases: a spelling and the collective units it stands for (有关部门 → 各有关部门);
  - prefix templates: `{prefix}` in a unit or phrase stands for every unit prefix of naming.yaml
    (市, 县, 区, 州, 盟, 旗, 省, 地区, 自治区), so 省政府各有关直属单位 and 县政府各部门、各直属机构 are
    known in any jurisdiction without listing each;
  - level lists: 各 followed by level words (县、市、区 / 县(市、区) / 县(市)区 / 县市区) and an optional
    government ending: one collective whatever the spelling, named in one canonical form
    (各县（市、区）人民政府), the levels in the order collectives.yaml gives.
Phrases that hold a list separator, and level lists, are protected before a list is split, so they
are never cut into 各县 / 市 / 区人民政府. Separators inside a phrase match any separator (、 , ;).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from transform.split import LIST_SEPARATORS

PREFIX = "{prefix}"
_SEP_CLASS = "[" + re.escape(LIST_SEPARATORS) + "]"
_BOUNDARY_BEFORE = "(?:^|(?<=[" + re.escape(LIST_SEPARATORS) + "等]))"  # a list item starts (or X等…)
_BOUNDARY_AFTER = f"(?={_SEP_CLASS}|$)"


def collective_key(name: str) -> str:
    """The form collective phrases are compared in: a name in match_key form with every list separator
    written 、 (各开发区,镇(街道) and 各开发区、镇(街道) are one phrase)."""
    return re.sub(_SEP_CLASS, "、", name)


def expand_prefix(template: str, prefixes: Iterable[str]) -> list[str]:
    """`{prefix}政府各部门` → 市政府各部门, 县政府各部门, …; a name without `{prefix}` as it is."""
    return [template.replace(PREFIX, p) for p in prefixes] if PREFIX in template else [template]


@dataclass(frozen=True)
class LevelLists:
    """各 + level words + an optional government ending (collectives.yaml `level_lists`)."""

    levels: tuple[str, ...]  # in canonical order
    endings: Mapping[str, str]  # printed ending → canonical ending

    @property
    def pattern(self) -> str:
        """A regex (folded text) for a level list standing as one list item."""
        words = "|".join(map(re.escape, sorted(self.levels, key=len, reverse=True)))
        ends = "|".join(map(re.escape, sorted(self.endings, key=len, reverse=True)))
        return (f"{_BOUNDARY_BEFORE}各(?:{words})(?:{_SEP_CLASS}?\\(?(?:{words})\\)?)*"
                f"(?:{ends})?{_BOUNDARY_AFTER}")

    def canonical(self, key: str) -> str | None:
        """The one spelling of a level list (`collective_key` form), or None when `key` is not one:
        各县、市、区人民政府, 各县(市、区)政府, 各县(市)区政府 → 各县（市、区）人民政府; 各镇、街道 → 各镇（街道）."""
        if not key.startswith("各"):
            return None
        body, ending = key[1:], ""
        for e in sorted(self.endings, key=len, reverse=True):
            if e and body.endswith(e):
                body, ending = body[: -len(e)], self.endings[e]
                break
        found: list[str] = []
        words = sorted(self.levels, key=len, reverse=True)
        depth = 0
        i = 0
        while i < len(body):
            ch = body[i]
            if ch in "、(":
                depth += ch == "("
                i += 1
                continue
            if ch == ")":
                depth -= 1
                if depth < 0:
                    return None
                i += 1
                continue
            word = next((w for w in words if body.startswith(w, i)), None)
            if word is None:
                return None
            if word not in found:
                found.append(word)
            i += len(word)
        if depth or not found:
            return None
        found.sort(key=self.levels.index)
        rest = f"（{'、'.join(found[1:])}）" if len(found) > 1 else ""
        return f"各{found[0]}{rest}{ending}"


def protect_pattern(phrases: Iterable[str], levels: LevelLists | None) -> re.Pattern[str] | None:
    """The spans `split_list` must not cut: phrases holding a separator (any separator in its place),
    and level lists. Longest phrases first."""
    alternatives = []
    for p in sorted({p for p in phrases if any(s in p for s in LIST_SEPARATORS)}, key=len, reverse=True):
        alternatives.append(_BOUNDARY_BEFORE + _SEP_CLASS.join(map(re.escape, re.split(_SEP_CLASS, p)))
                            + _BOUNDARY_AFTER)
    if levels is not None:
        alternatives.append(levels.pattern)
    return re.compile("|".join(alternatives)) if alternatives else None
