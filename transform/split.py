"""Responsibility strings → ordered lists of names (NORMALIZATION.md, "Lists").

Splits on 、 , ， ; ； outside brackets, after protecting known collective phrases that contain a
separator themselves. Matching is done on a folded copy (full-width punctuation as ASCII, same length),
so each piece keeps the text it came from exactly as printed (`raw`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.textnorm import WHITESPACE_RE, fold, remove_whitespace, strip_line

_SEPARATORS = "、,;"
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
    """Items of a list, split outside brackets; `protected` phrases (match_key form) are never split."""
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
        elif ch in _SEPARATORS and depth == 0 and (i == len(text) or not keep[i]):
            piece_raw = text[begin:i].strip(_TRIM)
            if name := match_key(piece_raw):
                out.append(Piece(name, piece_raw))
            begin = i + 1
    return out


_LEADER_SEP = re.compile(r"[、,;，；]")


def split_leaders(raw: str | None) -> list[Piece]:
    """Leader names with every kind of white space removed; raw names kept as printed.

    `刘 哲` (a two-character name padded to three) is one name; `刘兴达 王丽敏` (white space between
    names of two characters or more) is two.
    """
    if not raw:
        return []
    out = []
    for item in _LEADER_SEP.split(strip_line(raw).rstrip("。.")):
        item = strip_line(item)
        if not item:
            continue
        tokens = WHITESPACE_RE.split(item)
        if len(tokens) > 1 and all(len(t) >= 2 for t in tokens):
            out.extend(Piece(t, t) for t in tokens)
        else:
            out.append(Piece(remove_whitespace(item), item))
    return out
