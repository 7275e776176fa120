"""Decoded lines → a parsed notice: header, chapters, sub-chapters and tasks with raw responsibilities.

Detects the layout (label lines, inline brackets, or a tasks table), parses the body with the
matching parser, then the header from the lines before it. Matching is done on a folded copy of each
line (full-width punctuation as ASCII), so full-width and ASCII renditions give the same data; texts
are taken from the line as printed.
"""

from __future__ import annotations

from extract.damaged_tasks import flag_damaged, flag_no_lead
from extract.errors import NoticeError
from extract.header import is_header_fact, is_title_line, is_title_part, parse_header

# Re-exported: the markers lived here first.
from extract.joined_tasks import split_joined_tasks
from extract.lead_rules import apply_lead_rule, find_lead_rule
from extract.limits import MAX_TASKS
from extract.markers import CHAPTER_RE, SUBCHAPTER_RE, TASK_RE, cn_number  # noqa: F401
from extract.model import RESPONSIBILITY_FIELDS, Finding, Line, ParsedNotice, RawTask, Source
from extract.parse_cells import regroup_cells
from extract.parse_lines import Body, parse_lines
from extract.parse_table import parse_table
from extract.textnorm import fold, punctuation_form, strip_line


def _has_responsibility(t: RawTask) -> bool:
    return any(getattr(t, f) for f in RESPONSIBILITY_FIELDS)


def check_task_count(tasks: list[RawTask], name: str) -> None:
    """Refuse a notice of more than MAX_TASKS tasks, or a task numbered beyond it, at that task's line."""
    for i, t in enumerate(tasks, 1):
        if i > MAX_TASKS or t.task_no > MAX_TASKS:
            raise NoticeError(name, f"refused: more than {MAX_TASKS:,} tasks (task {t.task_no:,} here; "
                                    f"the notice has {len(tasks):,})", t.line)


def numbering(tasks: list[RawTask]) -> str:
    """per_chapter when task numbers start again at 1 in each of two or more chapters, else continuous."""
    firsts: dict[int | None, int] = {}
    for t in tasks:
        firsts.setdefault(t.chapter_no, t.task_no)
    if len(firsts) >= 2 and all(v == 1 for v in firsts.values()):
        return "per_chapter"
    return "continuous"


def _body(nonblank: list[Line], folded: list[str], name: str) -> Body:
    """The body in the first layout that fits: a tasks table, else numbered lines (the level that
    carries the responsibilities is the task: extract.parse_levels)."""
    body = parse_table(nonblank, name)
    if body is not None and body.tasks:
        return body
    body = parse_lines(nonblank, folded, name)  # a NoticeError here is the notice's problem: raised
    if body is None:
        raise NoticeError(name, "no tasks found: no chapter heading (一、), no numbered task (1.) "
                                "and no tasks table (序号/工作任务/牵头单位 columns)", nonblank[0].no)
    if not body.tasks:
        raise NoticeError(name, "no tasks found after the title", nonblank[body.body_start].no)
    if not any(_has_responsibility(t) for t in body.tasks):
        raise NoticeError(name, "no responsibilities at all: no task has a 牵头领导, 牵头单位 or 责任单位 "
                                "(as label lines, a bracket after the text, or table columns)",
                          body.tasks[0].line)
    return body


def _title_span(nonblank: list[Line], folded: list[str], body_start: int, name: str) -> tuple[int, int]:
    """[start, end) of the plan title's lines: the last title-like line before the body (date, issuer,
    publicity and other lines may stand between), with the lines above it that belong to it."""
    end = body_start
    while end > 0:
        f = folded[end - 1]
        if nonblank[end - 1].cells is None and is_title_line(f) and not is_header_fact(f) \
                and not (f.startswith("(") or TASK_RE.match(f) or CHAPTER_RE.match(f)):
            break
        end -= 1
    if end == 0:
        raise NoticeError(name, "no plan title found: no line before the tasks reads like a title "
                                "(…任务分解方案, …分工方案, …清单)", nonblank[body_start].no)
    start = end - 1
    while start > 0 and nonblank[start - 1].cells is None and is_title_part(folded[start - 1]) \
            and not (TASK_RE.match(folded[start - 1]) or CHAPTER_RE.match(folded[start - 1])):
        start -= 1
    return start, end


def parse_notice(lines: list[Line], source: Source) -> ParsedNotice:
    """Parse a notice in any supported layout."""
    nonblank = [Line(ln.no, strip_line(ln.text), ln.cells, ln.original)
                for ln in lines if strip_line(ln.text)]
    if not nonblank:
        raise NoticeError(source.name, "the notice is empty: no text was found in it")
    findings: list[Finding] = []
    nonblank = split_joined_tasks(regroup_cells(nonblank, source.name, findings))
    folded = [fold(ln.text) for ln in nonblank]
    body = _body(nonblank, folded, source.name)
    check_task_count(body.tasks, source.name)

    start, end = _title_span(nonblank, folded, body.body_start, source.name)
    intro = nonblank[:start] + nonblank[end:body.body_start]
    header = parse_header(intro, nonblank[start:end])
    lead_rule = find_lead_rule(intro, source.name)
    apply_lead_rule(lead_rule, body.tasks, source.name)
    findings += body.findings
    flag_damaged(body.tasks, findings, source.name)
    flag_no_lead(body.shared, findings)
    body_texts = [ln.text for ln in nonblank[body.body_start:]]
    script = "traditional" if any(ln.original is not None for ln in nonblank) else "simplified"
    return ParsedNotice(source, header, body.sections, body.tasks, body.layout, punctuation_form(body_texts),
                        numbering(body.tasks), script, lead_rule, findings)
