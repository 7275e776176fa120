"""Responsibility strings → ordered lists of names (NORMALIZATION.md, "Lists").

Splits on LIST_SEPARATORS (、 , ， ; ；) outside brackets, after protecting known collective phrases that contain a
separator themselves. Matching is done on a folded copy (full-width punctuation as ASCII, same length),
so each piece keeps the text it came from exactly as printed (`raw`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extract.textnorm import fold, remove_whitespace, strip_line

LIST_SEPARATORS = "、,;"  # the one home of list separators, in folded form (， and ； fold to , and ;)
_TOKEN_RE = re.compile(r"[^\s\u3000\u00a0\u200b\ufeff]+")
_OPEN, _CLOSE = "([〔<《", ")]〕>》"
_TRIM = " \t\r\n\u3000\u00a0\u200b\ufeff。.;:"


@dataclass(frozen=True)
class Piece:
    """One name cut from a list (`name`: folded, white space removed) with the text it came from."""

    name: str
    raw: str


def to_fullwidth_brackets(text: str) -> str:
    """Canonical names use full-width brackets: `各镇(街道)` → `各镇（街道）`."""
    return text.replace("(", "（").replace(")", "）")


def match_key(text: str) -> str:
    """The form names are matched in: punctuation folded to ASCII, no white space, no trailing 。."""
    return remove_whitespace(fold(text)).strip(_TRIM)


def split_list(raw: str, protected: tuple[str, ...] = ()) -> list[Piece]:
    """Items of a list, split outside brackets; `protected` phrases (match_key form) are never split.
    Memoized (a pure function of its arguments; the same lists recur in every notice)."""
    return list(_split_list(raw, protected))


@lru_cache(maxsize=1 << 16)
def _split_list(raw: str, protected: tuple[str, ...]) -> tuple[Piece, ...]:
    text = strip_line(raw)
    folded = fold(text)
    keep = [False] * len(text)
    for phrase in sorted(protected, key=len, reverse=True):
        start = folded.find(phrase)
        while start >= 0:
            keep[start:start + len(phrase)] = [True] * len(phrase)
            start = folded.find(phrase, start + len(phrase))
    out: list[Piece] = []
    depth, begin = 0, 0
    for i, ch in enumerate(folded + ","):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in LIST_SEPARATORS and depth == 0 and (i == len(text) or not keep[i]):
            piece_raw = text[begin:i].strip(_TRIM)
            if name := match_key(piece_raw):
                out.append(Piece(name, piece_raw))
            begin = i + 1
    return tuple(out)


class LeaderNameError(ValueError):
    """A lead-leader entry that cannot be a name as printed. Raised without a source; the caller that
    knows the notice, task and line (transform/tables.py) turns it into a NoticeError."""


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
    """Leader names with every kind of white space removed; raw names kept as printed.

    Split like any list (LIST_SEPARATORS outside brackets), then each item on white space (see
    `_leader_names`): `刘 哲` is one name, `刘兴达 王丽敏` two, `刘 哲 王丽敏` two (刘哲, 王丽敏).
    A one-character piece left over raises LeaderNameError.
    """
    if not raw:
        return []
    out: list[Piece] = []
    for item in split_list(raw):
        out.extend(_leader_names(item.raw))
    return out
