"""The one bracket-aware list splitter (docs/NORMALIZATION.md, "Lists").

A responsibility string is cut on LIST_SEPARATORS (、 , ， ; ；) outside brackets, and never inside a
protected span: a collective phrase that holds a separator itself (各县、市、区人民政府), found by the
pattern the registry builds from collectives.yaml (transform/collectives.py). Matching is done on a
folded copy (full-width punctuation as ASCII, same length), so each piece keeps the text it came from
exactly as printed (`raw`).

Every part of the project that cuts a list calls this module: the unit and leader lists of transform/,
and in extract/ the first item of a 责任单位 list (lead_rules.py), the clauses of an inline bracket
(parse_inline.py), the items of a cell (parse_cells.py) and the last leader of a cut-off task
(damaged_tasks.py). Why here and not in extract/: the splitter is the normalization policy's rule for
lists, and its protected spans come from the registry (transform/registry/collectives.yaml); it
imports nothing but extract/textnorm.py, so extract/ may call it without pulling in the registry (a
caller that needs collectives kept whole passes `Registry.protect`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extract.textnorm import fold, remove_whitespace, strip_line

LIST_SEPARATORS = "、,;"  # the one home of list separators, in folded form (， and ； fold to , and ;)
OPENING, CLOSING = "([〔<《", ")]〕>》"  # brackets in folded form (（ and 【 fold to ( and [)
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


def list_cuts(text: str, protect: re.Pattern[str] | None = None,
              separators: str = LIST_SEPARATORS) -> tuple[int, ...]:
    """Offsets in `text` of the separators that cut it into items: outside brackets, outside the
    spans `protect` matches (on the folded text). `separators` in folded form (、 , ;)."""
    return _cuts(text, protect, separators)


@lru_cache(maxsize=1 << 16)
def _cuts(text: str, protect: re.Pattern[str] | None, separators: str) -> tuple[int, ...]:
    folded = fold(text)
    keep = bytearray(len(text))
    if protect is not None:
        for m in protect.finditer(folded):
            keep[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    out = []
    depth = 0
    for i, ch in enumerate(folded):
        if ch in OPENING:
            depth += 1
        elif ch in CLOSING:
            depth = max(0, depth - 1)
        elif ch in separators and depth == 0 and not keep[i]:
            out.append(i)
    return tuple(out)


def split_list(raw: str, protect: re.Pattern[str] | None = None) -> list[Piece]:
    """Items of a list, cut at `list_cuts`; empty items are dropped. Memoized (a pure function of
    its arguments; the same lists recur in every notice)."""
    return list(_split_list(raw, protect))


@lru_cache(maxsize=1 << 16)
def _split_list(raw: str, protect: re.Pattern[str] | None) -> tuple[Piece, ...]:
    text = strip_line(raw)
    out: list[Piece] = []
    begin = 0
    for end in (*list_cuts(text, protect), len(text)):
        piece_raw = text[begin:end].strip(_TRIM)
        if name := match_key(piece_raw):
            out.append(Piece(name, piece_raw))
        begin = end + 1
    return tuple(out)


def first_item(text: str, protect: re.Pattern[str] | None = None) -> tuple[str, str] | None:
    """(first item, the rest) of a list, cut at its first `list_cuts` separator; None for one item."""
    cuts = list_cuts(text, protect)
    if not cuts:
        return None
    return text[:cuts[0]].strip(), text[cuts[0] + 1:].strip()
