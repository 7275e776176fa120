"""Decoded lines → a parsed notice: header, chapters, sub-chapters and tasks with raw responsibilities.

Detects the layout (label lines, inline brackets, or a tasks table), parses the body with the
matching parser, then the header from the lines before it. Matching is done on a folded copy of each
line (full-width punctuation as ASCII), so full-width and ASCII renditions give the same data; texts
are taken from the line as printed.
"""

from __future__ import annotations

from extract.errors import NoticeError
from extract.header import is_title_line, is_title_start, parse_header

# Re-exported: the markers lived here first.
from extract.markers import CHAPTER_RE, SUBCHAPTER_RE, TASK_RE, cn_number  # noqa: F401
from extract.model import Line, ParsedNotice, RawTask, Source
from extract.parse_lines import Body, parse_lines
from extract.parse_table import parse_table
from extract.textnorm import fold, punctuation_form, strip_line

_RESPONSIBILITY = ("lead_leaders", "lead_units", "other_units")


def _has_responsibility(t: RawTask) -> bool:
    return any(getattr(t, f) for f in _RESPONSIBILITY)


def numbering(tasks: list[RawTask]) -> str:
    """per_chapter when task numbers start again at 1 in each of two or more chapters, else continuous."""
    firsts: dict[int | None, int] = {}
    for t in tasks:
        firsts.setdefault(t.chapter_no, t.task_no)
    if len(firsts) >= 2 and all(v == 1 for v in firsts.values()):
        return "per_chapter"
    return "continuous"


def _try(nonblank: list[Line], folded: list[str], name: str,
         paren: bool) -> tuple[Body | None, NoticeError | None]:
    try:
        return parse_lines(nonblank, folded, name, paren_tasks=paren), None
    except NoticeError as e:
        return None, e


def _body(nonblank: list[Line], folded: list[str], name: str) -> Body:
    body = parse_table(nonblank, name)
    if body is not None and body.tasks:
        return body
    body, error = _try(nonblank, folded, name, False)
    if body is not None and body.tasks and any(_has_responsibility(t) for t in body.tasks):
        return body
    # Some notices number tasks (一) (二)… under 一、 chapters.
    paren, _ = _try(nonblank, folded, name, True)
    if paren is not None and any(_has_responsibility(t) for t in paren.tasks):
        return paren
    if error is not None:
        raise error
    if body is None:
        raise NoticeError(name, "no tasks found: no chapter heading (一、), no numbered task (1.) "
                                "and no tasks table (序号/工作任务/牵头单位 columns)", nonblank[0].no)
    if not body.tasks:
        raise NoticeError(name, "no tasks found after the title", nonblank[body.body_start].no)
    raise NoticeError(name, "no responsibilities at all: no task has a 牵头领导, 牵头单位 or 责任单位 "
                            "(as label lines, a bracket after the text, or table columns)",
                      body.tasks[0].line)


def parse_notice(lines: list[Line], source: Source) -> ParsedNotice:
    """Parse a notice in any supported layout."""
    nonblank = [Line(ln.no, strip_line(ln.text), ln.cells, ln.original)
                for ln in lines if strip_line(ln.text)]
    if not nonblank:
        raise NoticeError(source.name, "the notice is empty: no text was found in it")
    folded = [fold(ln.text) for ln in nonblank]
    body = _body(nonblank, folded, source.name)

    # The title is the block of title-like lines just before the body.
    t = body.body_start
    while t > 0 and nonblank[t - 1].cells is None and is_title_line(folded[t - 1]) \
            and not folded[t - 1].startswith("("):
        t -= 1
    # A title broken over lines: its first line may lack the words that make a line a title.
    while t > 0 and t < body.body_start and nonblank[t - 1].cells is None and is_title_start(folded[t - 1]):
        t -= 1
    header = parse_header(nonblank[:t], nonblank[t:body.body_start])
    body_texts = [ln.text for ln in nonblank[body.body_start:]]
    script = "traditional" if any(ln.original is not None for ln in nonblank) else "simplified"
    return ParsedNotice(source, header, body.sections, body.tasks, body.layout, punctuation_form(body_texts),
                        numbering(body.tasks), script)
