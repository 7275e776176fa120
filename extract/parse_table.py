"""The table layout: a tasks table (HTML, DOCX) with columns such as 序号 / 工作任务 / 牵头领导 /
牵头单位 / 责任单位 / 完成时限 / 任务来源, and chapter rows spanning the columns.

Rows arrive as Lines with `cells` (merged cells repeated in every grid position they cover).
Chapter headings may also stand as paragraphs between tables. A leader group heading
(`一、张三同志负责事项(共12项)`, extract.leader_groups) gives the lead leader of the rows below it.
"""

from __future__ import annotations

from typing import Any

from extract.errors import NoticeError
from extract.leader_groups import group_leader
from extract.markers import (
    CHAPTER_RE,
    CN_NO_RE,
    CN_PAREN_NO_RE,
    INT_NO_RE,
    SUBCHAPTER_RE,
    TASK_RE,
    next_chapter,
    section_number,
    vocabulary,
)
from extract.model import RESPONSIBILITY_FIELDS, Line, RawTask, Section
from extract.parse_lines import Body, clean_value
from extract.textnorm import fold, remove_whitespace, strip_line


def header_columns(cells: list[str]) -> dict[int, str] | None:
    """Column index → RawTask field, when `cells` is a tasks-table heading row."""
    voc = vocabulary()
    cols: dict[int, str] = {}
    for i, cell in enumerate(cells):
        key = remove_whitespace(fold(cell)).rstrip(":")
        if (fld := voc.column_by_heading.get(key)) and fld not in cols.values():
            cols[i] = fld
    if "text" in cols.values() and any(f in cols.values() for f in RESPONSIBILITY_FIELDS):
        return cols
    return None


def _heading(ln: Line, body: Body, name: str, state: dict[str, Any]) -> bool:
    """A chapter or sub-chapter heading given as a line or a spanning row; updates `state`."""
    cells = [c for c in (ln.cells or [ln.text]) if strip_line(c)]
    distinct = list(dict.fromkeys(strip_line(c) for c in cells))
    text = None
    if len(distinct) == 1:
        text = distinct[0]
    elif len(distinct) == 2 and (CN_NO_RE.match(fold(distinct[0]))
                                 or CN_PAREN_NO_RE.match(fold(distinct[0]))):
        sep = "、" if CN_NO_RE.match(fold(distinct[0])) and not distinct[0].endswith(("、", ".")) else ""
        text = distinct[0] + sep + distinct[1]
    if text is None:
        return False
    f = fold(text)
    if (m := SUBCHAPTER_RE.match(f)) and state["chapter"] is not None:
        state["sub"] = section_number(m.group(1), name, ln.no)
        title = strip_line(text[m.start(2):])
        body.sections.append(Section(state["chapter"], state["sub"], title, ln.no))
        _set_group(state, "sub", group_leader(title))
        return True
    if m := CHAPTER_RE.match(f):
        state["chapter"], state["sub"] = next_chapter(m.group(1), state["chapter"], name, ln.no), None
        title = strip_line(text[m.start(2):])
        body.sections.append(Section(state["chapter"], None, title, ln.no))
        _set_group(state, "chapter", group_leader(title))
        return True
    if len(distinct) == 1 and (who := group_leader(text)) is not None:
        _set_group(state, "row", who)  # an unnumbered group heading: only the leader
        return True
    return False


_GROUP_LEVELS = ("chapter", "sub", "row")


def _set_group(state: dict[str, Any], level: str, leader: str | None) -> None:
    """A heading at `level` ends the leader group of its level and below; a group heading starts one."""
    if state.get("group_level") is not None and \
            _GROUP_LEVELS.index(state["group_level"]) >= _GROUP_LEVELS.index(level):
        state["leader"], state["group_level"] = None, None
    if leader is not None:
        state["leader"], state["group_level"] = leader, level


def parse_table(nonblank: list[Line], name: str) -> Body | None:
    """Chapters and tasks of a tasks table; None when the lines hold no tasks-table heading row."""
    voc = vocabulary()
    first_header = next((i for i, ln in enumerate(nonblank) if ln.cells and header_columns(ln.cells)), None)
    if first_header is None:
        return None
    folded = [fold(ln.text) for ln in nonblank]
    chapter_at = next((i for i, f in enumerate(folded[:first_header]) if CHAPTER_RE.match(f)), first_header)
    body = Body(chapter_at, layout="table")
    state: dict[str, Any] = {"chapter": None, "sub": None, "leader": None, "group_level": None}
    cols: dict[int, str] | None = None
    for ln, f in zip(nonblank[chapter_at:], folded[chapter_at:], strict=True):
        if ln.cells is None:
            if voc.tail_re.match(f):
                break
            if _heading(ln, body, name, state):
                continue
            if TASK_RE.match(f):
                raise NoticeError(name, "a numbered task outside the tasks table", ln.no)
            continue  # notes between tables
        if (new := header_columns(ln.cells)) is not None:
            cols = new
            continue
        if cols is None or _heading(ln, body, name, state):
            continue
        _task_row(ln, cols, body, state, name)
    return body


def _task_row(ln: Line, cols: dict[int, str], body: Body, state: dict[str, Any], name: str) -> None:
    cells = ln.cells or []
    originals = ln.original.split("\t") if ln.original is not None else None
    values: dict[str, str] = {}
    text_original = None
    for i, fld in cols.items():
        if i < len(cells) and strip_line(cells[i]):
            values[fld] = strip_line(cells[i]) if fld in ("text", "task_no") else clean_value(cells[i])
            if fld == "text" and originals is not None and i < len(originals):
                text_original = strip_line(originals[i])
    numbered = "task_no" in cols.values()
    previous = body.tasks[-1] if body.tasks else None
    text = values.get("text")
    no_text = values.pop("task_no", None)
    if numbered and previous is not None and (text is None or text == previous.text) \
            and no_text in (None, str(previous.task_no)):
        _continue(previous, values)  # one task over several rows: merged 序号 and text, a unit per row
        return
    if not text:
        return  # an empty row
    if no_text is None:
        if numbered:
            raise NoticeError(name, f"the 序号 cell is empty in a row with a new task text ({text[:20]!r}): "
                                    "number the task, or merge the row into the task above", ln.no)
        no = (previous.task_no + 1) if previous else 1
    elif m := INT_NO_RE.match(fold(no_text)):
        no = int(m.group(1))
    else:
        raise NoticeError(name, f"the task number cell reads {no_text!r}, not a number", ln.no)
    task = RawTask(no, state["chapter"], state["sub"], values.pop("text"), ln.no, text_original=text_original)
    for fld, value in values.items():
        setattr(task, fld, value)
    if not task.lead_leaders and state["leader"]:
        task.lead_leaders = state["leader"]  # the leader group heading above the task
    body.tasks.append(task)


def _continue(task: RawTask, values: dict[str, str]) -> None:
    """Add a continuation row's cells to `task`: each value not already in the field's list."""
    for fld, value in values.items():
        if fld == "text":
            continue
        old = getattr(task, fld)
        if not old:
            setattr(task, fld, value)
        elif value != old and value not in old.split("、"):
            setattr(task, fld, f"{old}、{value}")
