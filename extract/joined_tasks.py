"""Two or more tasks printed on one line (`1.…。(牵头单位:…)2.…。(牵头单位:…)`, `(一)…(X负责)(二)…`),
as in some older notices, cut into one line per task before the layout is parsed.

A line that starts with item number N (1., (一) or 一、) is cut before the marker of N+1 in the same
style (`N+1.`, `(N+1)`, `N+1、`; then N+2 …) only where that
marker follows a sentence end (。) or a closing bracket, is not followed by a digit (2.5亿元), and the
part before it ends in its own responsibility bracket (extract.parse_inline). Anything else stays one
line: a numbered list inside a task (`做好三项工作:1.…2.…`) restarts at 1 and is never cut.
"""

from __future__ import annotations

import re

import cn2an

from extract.markers import CHAPTER_RE, CN_DIGITS, SUBCHAPTER_RE, TASK_RE, cn_number
from extract.model import Line
from extract.parse_inline import split_inline
from extract.textnorm import fold, strip_line

_AFTER = "。)]〕】"


def _marker(no: int, kind: str) -> str:
    """The pattern of the marker numbered `no` in the style `kind` (folded text)."""
    if kind == "number":
        return rf"(?<!\d){no}\s*[.、](?!\d)"
    cn = re.escape(str(cn2an.an2cn(no)))
    if kind == "paren":
        return rf"\(\s*{cn}\s*\)"
    return rf"(?<![{CN_DIGITS}]){cn}\s*、"


def _cut_at(folded: str, no: int, kind: str = "number") -> int | None:
    """Offset of the marker of item `no` in `folded`, where a cut is allowed, or None."""
    for m in re.finditer(_marker(no, kind), folded):
        before = folded[: m.start()].rstrip(" ")
        if before and before[-1] in _AFTER:
            return m.start()
    return None


def _start(folded: str) -> tuple[int, str] | None:
    """(number, style) of the item a line starts with."""
    for kind, pattern in (("number", TASK_RE), ("paren", SUBCHAPTER_RE), ("chapter", CHAPTER_RE)):
        if m := pattern.match(folded):
            try:
                return (int(m.group(1)) if kind == "number" else cn_number(m.group(1))), kind
            except ValueError:
                return None
    return None


def split_joined_tasks(lines: list[Line]) -> list[Line]:
    """`lines` with each line holding several tasks cut into one line per task (same line number)."""
    out: list[Line] = []
    for ln in lines:
        start = _start(fold(ln.text)) if ln.cells is None else None
        if start is None:
            out.append(ln)
            continue
        (no, kind), text, original = start, ln.text, ln.original
        while (at := _cut_at(fold(text), no + 1, kind)) is not None and split_inline(text[:at]) is not None:
            same = original is not None and len(original) == len(text)
            out.append(Line(ln.no, strip_line(text[:at]), None, strip_line(original[:at]) if same else None))
            text = strip_line(text[at:])
            original = strip_line(original[at:]) if same and original is not None else None
            no += 1
        out.append(Line(ln.no, text, None, original if text != ln.text else ln.original))
    return out
