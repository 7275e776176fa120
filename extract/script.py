"""Traditional-character reposts: detect them and convert every line to simplified characters.

Conversion keeps each line's length (OpenCC t2s phrase by phrase where that keeps the length,
character by character otherwise), so offsets in the converted line are offsets in the original,
which each Line keeps in `original`.
"""

from __future__ import annotations

from functools import cache

from opencc import OpenCC

from extract.model import Line
from extract.textnorm import HAN_RE

_TRADITIONAL_SHARE = 0.02  # share of Han characters that t2s changes
_MIN_CHANGED = 5


@cache
def t2s() -> OpenCC:
    """The one OpenCC traditional → simplified converter (also used by extract.decode)."""
    return OpenCC("t2s")


def _convert(text: str) -> str:
    out = t2s().convert(text)
    if len(out) == len(text):
        return out
    return "".join(c2 if len(c2 := t2s().convert(c)) == 1 else c for c in text)


def is_traditional(lines: list[Line]) -> bool:
    texts = [ln.text for ln in lines] + [c for ln in lines for c in (ln.cells or [])]
    han = HAN_RE.findall("\n".join(texts))
    if not han:
        return False
    sample = "".join(han)
    converted = _convert(sample)
    changed = 0 if converted == sample else sum(a != b for a, b in zip(sample, converted, strict=True))
    return changed >= _MIN_CHANGED and changed / len(han) > _TRADITIONAL_SHARE


def to_simplified(lines: list[Line]) -> list[Line]:
    """Each line converted, with the printed text kept in `original` (cells joined by tabs)."""
    out = []
    for ln in lines:
        cells = [_convert(c) for c in ln.cells] if ln.cells is not None else None
        text = "\t".join(cells) if cells is not None else _convert(ln.text)
        out.append(Line(ln.no, text, cells, ln.text))
    return out
