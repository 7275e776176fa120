"""The line layouts: tasks as numbered lines, responsibilities as label lines (`牵头领导:…`) after the
task or as a bracket after the task text (extract.parse_inline).

The body starts at the chapter heading 一、 that opens the chapter holding the first responsibility
(so a numbered list of chapters in the intro is header) or, in notices without chapters, at the task
numbered 1 that opens the run holding the first responsibility (so numbered requirements in the
intro are header). Matching is on a folded copy of each line; texts are cut from the line as printed.

A line that cannot continue a task (a label inside it, a date, an issuer or a plan title) is refused
with its line number rather than glued onto the task: that is where the closing block of the notice
or a second plan starts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.errors import NoticeError
from extract.header import is_issuer_line, is_plan_title, is_title_line, parse_date
from extract.leader_groups import group_leader
from extract.markers import (
    CHAPTER_RE,
    SECOND_PLAN,
    SUBCHAPTER_RE,
    TASK_RE,
    Vocabulary,
    cn_number,
    next_chapter,
    section_number,
    vocabulary,
)
from extract.model import Line, RawTask, Section
from extract.parse_inline import split_inline, task_body
from extract.parse_levels import marker_kind, task_roles
from extract.textnorm import strip_line

_OPENING, _CLOSING = "([〔【", ")]〕】"
_MARKER_RE = {"number": TASK_RE, "paren": SUBCHAPTER_RE, "chapter": CHAPTER_RE}


@dataclass
class Body:
    """What a layout parser found after the header."""

    body_start: int  # index into the non-blank lines
    sections: list[Section] = field(default_factory=list)
    tasks: list[RawTask] = field(default_factory=list)
    layout: str = "labels"


def clean_value(value: str) -> str:
    return strip_line(value).rstrip("。.;；").strip()


def _original(ln: Line, start: int = 0) -> str:
    return strip_line((ln.original if ln.original is not None else ln.text)[start:])


def _chapter_numeral(folded: str) -> int | None:
    m = CHAPTER_RE.match(folded)
    try:
        return cn_number(m.group(1)) if m else None
    except ValueError:
        return None


def _first_responsibility(nonblank: list[Line], folded: list[str]) -> int | None:
    """The first label line or task line with a responsibility bracket."""
    voc = vocabulary()
    return next((i for i, (ln, f) in enumerate(zip(nonblank, folded, strict=True))
                 if voc.label_re.match(f) or split_inline(ln.text) is not None), None)


def find_body_start(nonblank: list[Line], folded: list[str]) -> int | None:
    """Index of the first body line (see the module doc); None when there is no chapter and no task."""
    resp = _first_responsibility(nonblank, folded)
    chapters = [i for i, f in enumerate(folded) if CHAPTER_RE.match(f)]
    if chapters:
        before = [i for i in chapters if resp is not None and i <= resp]
        ones = [i for i in before if _chapter_numeral(folded[i]) == 1]
        return ones[-1] if ones else chapters[0]
    title_at = next((i for i, f in enumerate(folded) if is_title_line(f)), -1)
    after = range(title_at + 1, len(folded))
    # Tasks numbered 1. 2. …, or else (一) (二) … (an excerpt without chapters).
    kind = "number" if any(marker_kind(folded[i]) == "number" for i in after) else "paren"
    tasks = [i for i in after if marker_kind(folded[i]) == kind]
    if resp is None or not tasks:
        return tasks[0] if tasks else None
    ones = [i for i in tasks if i <= resp and _item_number(folded[i], kind) == 1]
    return ones[-1] if ones else tasks[0]


def _item_number(folded: str, kind: str) -> int | None:
    m = (TASK_RE if kind == "number" else SUBCHAPTER_RE).match(folded)
    if m is None:
        return None
    if kind == "number":
        return int(m.group(1))
    try:
        return cn_number(m.group(1))
    except ValueError:
        return None


def _label_values(voc: Vocabulary, ln: Line, f: str, first: str, start: int) -> list[tuple[str, str]]:
    """(field, value) of a label line, cut at every further label: `牵头领导:刘兴达　牵头单位:市发改局`."""
    labels, starts, ends = [first], [start], []
    for hit in voc.label_anywhere_re.finditer(f, start):
        ends.append(hit.start())
        labels.append(hit.group(1))
        starts.append(hit.end())
    ends.append(len(ln.text))
    return [(voc.field_by_label[lab], clean_value(ln.text[s:e]))
            for lab, s, e in zip(labels, starts, ends, strict=True)]


def _inside_bracket(f: str, at: int) -> bool:
    return sum(c in _OPENING for c in f[:at]) > sum(c in _CLOSING for c in f[:at])


def _check_continuation(voc: Vocabulary, ln: Line, f: str, fld: str, name: str) -> None:
    """Refuse a line that cannot continue the task text or a label's value."""
    what = "the task text" if fld == "text" else \
        f"the {next(lab for lab, v in voc.field_by_label.items() if v == fld)} value"
    for hit in voc.label_anywhere_re.finditer(f):
        if not _inside_bracket(f, hit.start()):
            raise NoticeError(name, f"a label ({hit.group(1)}:) inside a line that continues {what}: "
                                    "each label must start its own line", ln.no)
    if fld != "deadline" and parse_date(f):
        raise NoticeError(name, f"a date line where {what} should continue: the closing block of the "
                                "notice inside the task list?", ln.no)
    if is_issuer_line(f):
        raise NoticeError(name, f"an issuer line where {what} should continue: the closing block of the "
                                "notice inside the task list?", ln.no)
    if is_plan_title(f):
        raise NoticeError(name, f"{SECOND_PLAN} ({strip_line(ln.text)[:40]!r})", ln.no)


def parse_lines(nonblank: list[Line], folded: list[str], name: str) -> Body | None:
    """Chapters, sub-chapters and tasks of a line layout; None when no body is found.

    Which numbered lines are the tasks (1., (一) or 一、) follows from which carry the
    responsibilities (extract.parse_levels); a 1. line in a chapter of (一) tasks is an error.
    """
    voc = vocabulary()
    body_start = find_body_start(nonblank, folded)
    if body_start is None:
        return None
    body = Body(body_start)
    roles = task_roles(nonblank, folded, body_start)
    tracking = any(ln.original is not None for ln in nonblank)
    chapter_no: int | None = None
    sub_no: int | None = None
    current: RawTask | None = None
    last_field: str | None = None  # where a continuation line goes
    labelled = 0
    group: str | None = None  # the leader a group heading above names (extract.leader_groups)
    group_level: str | None = None
    grouped: list[tuple[RawTask, str]] = []

    for ln, f, r in zip(nonblank[body_start:], folded[body_start:], roles, strict=True):
        if voc.tail_re.match(f):
            break
        if m := voc.label_re.match(f):
            if current is None:
                raise NoticeError(name, f"label {m.group(1)} before any task", ln.no)
            for fld, value in _label_values(voc, ln, f, m.group(1), m.start(2)):
                old = getattr(current, fld)
                setattr(current, fld, f"{old}、{value}" if old and value else (value or old))
                last_field = fld
            labelled += 1
            continue
        if r.role == "stray":
            raise NoticeError(name, "a task numbered 1. in a chapter whose tasks are numbered (一), (二)…",
                              ln.no)
        if r.role == "task":
            m = _MARKER_RE[r.kind].match(f)
            assert m is not None
            no = int(m.group(1)) if r.kind == "number" else section_number(m.group(1), name, ln.no)
            current = RawTask(no, chapter_no if r.kind != "chapter" else None,
                              sub_no if r.kind == "number" else None, strip_line(ln.text[m.start(2):]), ln.no)
            if tracking:
                current.text_original = _original(ln, m.start(2))
            body.tasks.append(current)
            if group is not None:
                grouped.append((current, group))
            last_field = "text"
            continue
        if r.role == "subchapter" and chapter_no is not None:
            m = SUBCHAPTER_RE.match(f)
            assert m is not None
            sub_no = section_number(m.group(1), name, ln.no)
            title = strip_line(ln.text[m.start(2):])
            body.sections.append(Section(chapter_no, sub_no, title, ln.no))
            if (who := group_leader(title)) is not None:
                group, group_level = who, "sub"
            elif group_level == "sub":  # the chapter's group, if any, goes on
                group, group_level = None, None
            current, last_field = None, None
            continue
        if r.role == "chapter":
            m = CHAPTER_RE.match(f)
            assert m is not None
            chapter_no, sub_no = next_chapter(m.group(1), chapter_no, name, ln.no), None
            title = strip_line(ln.text[m.start(2):])
            body.sections.append(Section(chapter_no, None, title, ln.no))
            group = group_leader(title)
            group_level = "chapter" if group else None
            current, last_field = None, None
            continue
        if current is None or last_field is None:
            raise NoticeError(name, f"text outside any task: {ln.text.strip()[:40]!r}", ln.no)
        # A wrapped line continues whatever came last: the task text or a label's value.
        _check_continuation(voc, ln, f, last_field, name)
        old = getattr(current, last_field) or ""
        more = strip_line(ln.text) if last_field == "text" else clean_value(ln.text)
        setattr(current, last_field, old + more)
        if tracking and last_field == "text":
            current.text_original = (current.text_original or "") + _original(ln)

    for task, leader in grouped:
        if not task.lead_leaders:
            task.lead_leaders = leader
    inline = 0
    for task in body.tasks:
        task.text = task.text.strip()
        if (hit := split_inline(task.text)) is not None:
            o, c, fields = hit
            if task.text_original is not None:
                task.text_original = task_body(task.text_original, o, c)
            task.text = task_body(task.text, o, c)
            for fld, value in fields.items():
                if value and not getattr(task, fld):
                    setattr(task, fld, value)
            inline += 1
    body.layout = "inline" if inline > labelled else "labels"
    return body
