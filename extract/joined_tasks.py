"""Two or more tasks printed on one line (`1.…。(牵头单位:…)2.…。(牵头单位:…)`), as in some older
notices, cut into one line per task before the layout is parsed.

A line that starts with task number N is cut before a marker `N+1.` (then `N+2.` …) only where that
marker follows a sentence end (。) or a closing bracket, is not followed by a digit (2.5亿元), and the
part before it ends in its own responsibility bracket (extract.parse_inline). Anything else stays one
line: a numbered list inside a task (`做好三项工作:1.…2.…`) restarts at 1 and is never cut.
"""

from __future__ import annotations

import re

from extract.markers import TASK_RE
from extract.model import Line
from extract.parse_inline import split_inline
from extract.textnorm import fold, strip_line

_AFTER = "。)]〕】"


def _cut_at(folded: str, no: int) -> int | None:
    """Offset of the marker of task `no` in `folded`, where a cut is allowed, or None."""
    for m in re.finditer(rf"(?<!\d){no}\s*[.、](?!\d)", folded):
        before = folded[: m.start()].rstrip(" ")
        if before and before[-1] in _AFTER:
            return m.start()
    return None


def split_joined_tasks(lines: list[Line]) -> list[Line]:
    """`lines` with each line holding several tasks cut into one line per task (same line number)."""
    out: list[Line] = []
    for ln in lines:
        m = TASK_RE.match(fold(ln.text)) if ln.cells is None else None
        if m is None:
            out.append(ln)
            continue
        text, original, no = ln.text, ln.original, int(m.group(1))
        while (at := _cut_at(fold(text), no + 1)) is not None and split_inline(text[:at]) is not None:
            same = original is not None and len(original) == len(text)
            out.append(Line(ln.no, strip_line(text[:at]), None, strip_line(original[:at]) if same else None))
            text = strip_line(text[at:])
            original = strip_line(original[at:]) if same and original is not None else None
            no += 1
        out.append(Line(ln.no, text, None, original if text != ln.text else ln.original))
    return out
