"""The line layouts: tasks as numbered lines, responsibilities as label lines (`牵头领导:…`) after the
task or as a bracket after the task text (extract.parse_inline).

The body starts at the first chapter heading (一、) or, in notices without chapters, at the first task
after the title. Matching is on a folded copy of each line; texts are cut from the line as printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.errors import NoticeError
from extract.header import is_title_line
from extract.markers import CHAPTER_RE, SUBCHAPTER_RE, TASK_RE, cn_number, vocabulary
from extract.model import Line, RawTask, Section
from extract.parse_inline import split_inline, task_body
from extract.textnorm import strip_line


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


def find_body_start(folded: list[str], is_task: object = TASK_RE) -> int | None:
    body_start = next((i for i, f in enumerate(folded) if CHAPTER_RE.match(f)), None)
    if body_start is None:  # no chapters: the body starts at the first task after a title line
        title_at = next((i for i, f in enumerate(folded) if is_title_line(f)), -1)
        body_start = next((i for i, f in enumerate(folded) if i > title_at and TASK_RE.match(f)), None)
    return body_start


def parse_lines(nonblank: list[Line], folded: list[str], name: str, *,
                paren_tasks: bool = False) -> Body | None:
    """Chapters, sub-chapters and tasks of a line layout; None when no body is found.

    `paren_tasks`: tasks are numbered (一) (二)… under 一、 chapters, instead of 1. 2. ….
    """
    voc = vocabulary()
    body_start = find_body_start(folded)
    if body_start is None:
        return None
    body = Body(body_start)
    tracking = any(ln.original is not None for ln in nonblank)
    chapter_no: int | None = None
    sub_no: int | None = None
    current: RawTask | None = None
    last_field: str | None = None  # where a continuation line goes
    labelled = 0

    for ln, f in zip(nonblank[body_start:], folded[body_start:], strict=True):
        if voc.tail_re.match(f):
            break
        if m := voc.label_re.match(f):
            if current is None:
                raise NoticeError(name, f"label {m.group(1)} before any task", ln.no)
            fld = voc.field_by_label[m.group(1)]
            value = clean_value(ln.text[m.start(2):])
            old = getattr(current, fld)
            setattr(current, fld, f"{old}、{value}" if old and value else (value or old))
            last_field = fld
            labelled += 1
            continue
        task_m = TASK_RE.match(f) if not paren_tasks else (SUBCHAPTER_RE.match(f) if chapter_no else None)
        if task_m:
            no = int(task_m.group(1)) if not paren_tasks else cn_number(task_m.group(1))
            current = RawTask(no, chapter_no, None if paren_tasks else sub_no,
                              strip_line(ln.text[task_m.start(2):]), ln.no)
            if tracking:
                current.text_original = _original(ln, task_m.start(2))
            body.tasks.append(current)
            last_field = "text"
            continue
        if (m := SUBCHAPTER_RE.match(f)) and chapter_no is not None:
            sub_no = cn_number(m.group(1))
            body.sections.append(Section(chapter_no, sub_no, strip_line(ln.text[m.start(2):]), ln.no))
            current, last_field = None, None
            continue
        if m := CHAPTER_RE.match(f):
            chapter_no, sub_no = cn_number(m.group(1)), None
            body.sections.append(Section(chapter_no, None, strip_line(ln.text[m.start(2):]), ln.no))
            current, last_field = None, None
            continue
        if current is None or last_field is None:
            raise NoticeError(name, f"text outside any task: {ln.text.strip()[:40]!r}", ln.no)
        # A wrapped line continues whatever came last: the task text or a label's value.
        old = getattr(current, last_field) or ""
        more = strip_line(ln.text) if last_field == "text" else clean_value(ln.text)
        setattr(current, last_field, old + more)
        if tracking and last_field == "text":
            current.text_original = (current.text_original or "") + _original(ln)

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
