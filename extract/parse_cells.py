"""A tasks table copied out as text, one cell per line, regrouped into table rows for
extract.parse_table.

The table starts with a block of heading lines, one known column name per line (序号, 主要工作举措,
牵头单位, 配合单位, 责任领导…: labels.yaml `columns` and `fields`), holding at least 序号, a
task-text column and a responsibility column. Then each row starts with its number on a line of its
own; chapter headings (一、…) may stand between rows. An empty cell vanishes, so the columns are told
apart by what each line holds (labels.yaml `cells`): a unit list, a leader list, a deadline, or free
text (any line with a 。). Lines of one kind fill that kind's columns in order. When a row has fewer
unit lists than there are unit columns, the 牵头单位 is filled first (a task has a lead unit; the
others are optional); likewise the task text before 落实措施 or 任务来源. A row whose lines cannot be
assigned that way (more lines of a kind than columns, two free-text lines for three free-text columns,
lines out of column order, no task text) is refused with its line, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from extract.damaged_tasks import DAMAGED
from extract.errors import NoticeError
from extract.markers import CHAPTER_RE, INT_NO_RE, SUBCHAPTER_RE, labels_data, vocabulary
from extract.model import RESPONSIBILITY_FIELDS, Finding, Line
from extract.textnorm import fold, remove_whitespace, strip_line
from transform.split import split_list

# Which kind of line fills a column, and the order a kind's columns are filled in when lines are missing.
_KIND = {"lead_units": "units", "other_units": "units", "lead_leaders": "leaders", "deadline": "deadline",
         "text": "free", "measures": "free", "task_source": "free"}
_FILL_FIRST = ("lead_units", "text")
_KIND_WORDS = {"units": "a unit list", "leaders": "a leader's name", "deadline": "a deadline", "free": "free text"}
_NAME_RE = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_DATE_RE = re.compile(r"\d{4}\s*年|\d{1,2}\s*月")
_TRAILING_BRACKET_RE = re.compile(r"(\([^()]*\))+$")
_MAX_SHORT = 30  # a unit list item, a leader entry or a deadline is no longer than this


@dataclass(frozen=True)
class _Shapes:
    unit_endings: tuple[str, ...]
    leader_endings: tuple[str, ...]
    deadline_words: tuple[str, ...]


@cache
def _shapes() -> _Shapes:
    cells = labels_data()["cells"]
    return _Shapes(tuple(cells["unit_endings"]), tuple(cells["leader_endings"]), tuple(cells["deadline_words"]))


def line_kind(text: str) -> str:
    """units | leaders | deadline | free: what a table cell copied out as a line holds."""
    s = _shapes()
    f = remove_whitespace(fold(text))
    if "。" in f or not f:  # a sentence: cells of units, names and deadlines carry no 。
        return "free"
    items = [p.raw for p in split_list(f)]  # the one list splitter: outside brackets
    if items and all(len(i) <= _MAX_SHORT for i in items):
        last = _TRAILING_BRACKET_RE.sub("", items[-1]) or items[-1]
        if last.endswith(s.unit_endings):
            return "units"
    if len(f) <= _MAX_SHORT and (_DATE_RE.search(f) or any(w in f for w in s.deadline_words)):
        return "deadline"
    if items and all(len(i) <= _MAX_SHORT and (_NAME_RE.match(i) or i.endswith(s.leader_endings))
                     and not i.endswith(s.unit_endings) for i in items):
        return "leaders"
    return "free"


def _heading_field(text: str) -> str | None:
    return vocabulary().column_by_heading.get(remove_whitespace(fold(text)).rstrip(":"))


def _header_block(nonblank: list[Line]) -> tuple[int, int, list[str]] | None:
    """[start, end) of the first run of heading lines that makes a tasks table, and its fields."""
    i = 0
    while i < len(nonblank):
        j, fields = i, []
        while j < len(nonblank) and nonblank[j].cells is None and (fld := _heading_field(nonblank[j].text)) \
                and fld not in fields:
            fields.append(fld)
            j += 1
        if "task_no" in fields and "text" in fields and any(f in fields for f in RESPONSIBILITY_FIELDS):
            return i, j, fields
        i = max(j, i + 1)
    return None


def _is_heading(f: str) -> bool:
    return bool(CHAPTER_RE.match(f) or SUBCHAPTER_RE.match(f))


def _assign(row: list[Line], fields: list[str], name: str) -> dict[str, Line]:
    """Column field → the line that fills it, for the lines of one row after its number."""
    by_kind: dict[str, list[Line]] = {}
    for ln in row:
        by_kind.setdefault(line_kind(ln.text), []).append(ln)
    out: dict[str, Line] = {}
    for kind, lines in by_kind.items():
        cols = [f for f in fields if _KIND.get(f) == kind]
        if len(lines) > len(cols):
            raise NoticeError(name, f"a row of the table copied out as text has {len(lines)} lines that read "
                                    f"like {_KIND_WORDS[kind]} but the table has {len(cols)} such "
                                    f"column(s); it reads {strip_line(lines[-1].text)[:30]!r}", lines[-1].no)
        if len(lines) < len(cols):
            first = [c for c in cols if c in _FILL_FIRST]
            if len(lines) > 1 or not first:
                raise NoticeError(name, f"a row of the table copied out as text has {len(lines)} line(s) of "
                                        f"{_KIND_WORDS[kind]} for {len(cols)} columns: which cell is "
                                        f"empty cannot be told ({strip_line(lines[0].text)[:30]!r})",
                                  lines[0].no)
            cols = first
        out.update(zip(cols, lines, strict=True))
    placed = sorted(out, key=lambda f: out[f].no)
    if placed != sorted(placed, key=fields.index):
        ln = next(out[f] for a, f in zip(sorted(placed, key=fields.index), placed, strict=True) if a != f)
        raise NoticeError(name, "a row of the table copied out as text holds its cells out of column order: "
                                f"{strip_line(ln.text)[:30]!r} cannot be told apart", ln.no)
    if "text" not in out:
        raise NoticeError(name, "a row of the table copied out as text has no line that reads like the "
                                "task text", row[0].no if row else None)
    return out


def _row_line(no_line: Line, row: list[Line], fields: list[str], name: str) -> Line:
    filled = _assign(row, fields, name)
    filled["task_no"] = no_line
    cells = [strip_line(filled[f].text) if f in filled else "" for f in fields]
    original = None
    if any(ln.original is not None for ln in [no_line, *row]):
        original = "\t".join(strip_line(filled[f].original or filled[f].text) if f in filled else ""
                             for f in fields)
    return Line(no_line.no, "\t".join(cells), cells, original)


def _cut_row_line(no_line: Line, row: list[Line], fields: list[str], problem: NoticeError,
                  findings: list[Finding]) -> Line | None:
    """The last row of the table, cut off (or followed by stray lines) so that its cells cannot be
    told apart: its number and the longest run of its first lines that can be assigned, else its first
    line as the task text (nothing more is sure), with a Finding; None when only the number is left."""
    m = INT_NO_RE.match(strip_line(fold(no_line.text)))
    no = int(m.group(1)) if m else None
    if not row:
        findings.append(Finding(DAMAGED, None, no_line.no, strip_line(no_line.text),
                                f"the last row of the table copied out as text, numbered {no}, is cut off "
                                "after its number; not published"))
        return None
    for k in range(len(row) - 1, 0, -1):
        try:
            line = _row_line(no_line, row[:k], fields, "")
        except NoticeError:
            continue
        break
    else:
        k = 1
        cells = [strip_line(no_line.text) if f == "task_no" else strip_line(row[0].text) if f == "text" else ""
                 for f in fields]
        original = None
        if row[0].original is not None:
            original = "\t".join(strip_line(row[0].original or "") if f == "text" else c
                                  for f, c in zip(fields, cells, strict=True))
        line = Line(no_line.no, "\t".join(cells), cells, original)
    dropped = "; ".join(strip_line(ln.text)[:30] for ln in row[k:])
    findings.append(Finding(DAMAGED, no, no_line.no, None,
                            f"task {no}: the last row of the table copied out as text is cut off "
                            f"({problem.problem}); published with its first {k} line(s) after the number"
                            + (f", without: {dropped}" if dropped else "")))
    return line


def regroup_cells(nonblank: list[Line], name: str, findings: list[Finding] | None = None) -> list[Line]:
    """`nonblank` with a one-cell-per-line table regrouped into rows with cells; unchanged without one.

    The table's last row (before the end of the text or a tail line) may be cut off: when its cells
    cannot be assigned it is kept as far as it is sure, with a Finding in `findings`."""
    findings = findings if findings is not None else []
    block = _header_block(nonblank)
    if block is None:
        return nonblank
    start, end, fields = block
    heads = [strip_line(ln.text) for ln in nonblank[start:end]]
    out = [*nonblank[:start], Line(nonblank[start].no, "\t".join(heads), heads)]
    tail_re = vocabulary().tail_re
    no_line: Line | None = None
    row: list[Line] = []

    def flush(last: bool = False) -> None:
        nonlocal no_line, row
        if no_line is not None:
            try:
                out.append(_row_line(no_line, row, fields, name))
            except NoticeError as e:
                if not last:
                    raise
                if (cut := _cut_row_line(no_line, row, fields, e, findings)) is not None:
                    out.append(cut)
        no_line, row = None, []

    for k in range(end, len(nonblank)):
        ln = nonblank[k]
        f = strip_line(fold(ln.text))
        if ln.cells is not None or tail_re.match(f):
            flush(last=True)
            out.extend(nonblank[k:])
            return out
        if INT_NO_RE.match(f):
            flush()
            no_line = ln
        elif _is_heading(f):
            flush()
            out.append(ln)
        elif no_line is None:
            raise NoticeError(name, "a line in the table copied out as text before the first row number "
                                    f"({strip_line(ln.text)[:30]!r})", ln.no)
        else:
            row.append(ln)
    flush(last=True)
    return out
