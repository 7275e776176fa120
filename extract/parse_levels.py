"""Which numbering level is the task: decided from which level carries the responsibilities.

A notice numbers its lines at up to three levels: chapters 一、, sub-items (一) and items 1.. The
tasks are the items that carry responsibilities — a bracket ending the item (`…。(X负责)`) or label
lines under it (`牵头单位:…`) before the next numbered line. The levels above the task level are
headings:

- 1. items carry them (the usual notice): 一、 chapters, (一) sub-chapters, 1. tasks;
- (一) items carry more of them than 1. items in the same chapter: (一) tasks under 一、 chapters, or
  with no chapter at all (an excerpt); a notice may hold (一) tasks in one chapter and (一)
  sub-chapters with 1. tasks in another — the choice is made chapter by chapter;
- 一、 items carry more of them than the lower levels: 一、 tasks (numbered on past 一百), with no
  chapters; (一) and 1. lines under a task are part of its text (`二、…:(一)…;(二)….(X负责)`).

Within a chapter the level carrying more responsibilities wins (1. on a tie); a chapter with none
takes the level of the notice (1. where any 1. item carries one, else (一)). A heading line ending
in a bracket of its own (`一、稳增长(县发改局牵头)`) stays a heading while its tasks carry more.
Roles are per line: `chapter`, `subchapter`, `task` or None (a line that continues the one
before); the kind says which marker the line has (`chapter`, `paren`, `number`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from extract.markers import CHAPTER_RE, SUBCHAPTER_RE, TASK_RE, vocabulary
from extract.model import Line
from extract.parse_inline import split_inline


@dataclass(frozen=True)
class Role:
    role: str | None  # chapter | subchapter | task | stray (a 1. line among (一) tasks) | None
    kind: str | None  # chapter | paren | number | None: the line's marker


def marker_kind(folded: str) -> str | None:
    """chapter (一、), paren ((一)), number (1.) or None."""
    if TASK_RE.match(folded):
        return "number"
    if SUBCHAPTER_RE.match(folded):
        return "paren"
    if CHAPTER_RE.match(folded):
        return "chapter"
    return None


def carrying_lines(nonblank: list[Line], folded: list[str], start: int) -> set[int]:
    """Indices of the numbered lines (from `start`) whose item carries a responsibility."""
    voc = vocabulary()
    out: set[int] = set()
    marked = [i for i in range(start, len(folded)) if marker_kind(folded[i])]
    for k, i in enumerate(marked):
        end = marked[k + 1] if k + 1 < len(marked) else len(folded)
        texts = []
        for j in range(i, end):
            if voc.tail_re.match(folded[j]):
                break
            if voc.label_re.match(folded[j]):
                out.add(i)
                break
            texts.append(nonblank[j].text)
        if i not in out and split_inline("".join(texts)) is not None:
            out.add(i)
    return out


def task_roles(nonblank: list[Line], folded: list[str], start: int) -> list[Role]:
    """The role of every line from `start` on (see the module doc), in line order."""
    kinds = [marker_kind(f) for f in folded[start:]]
    carriers = carrying_lines(nonblank, folded, start)
    count = Counter(kinds[i - start] for i in carriers)
    if count["chapter"] > count["number"] + count["paren"]:
        return [Role("task" if k == "chapter" else None, k) for k in kinds]
    default = "number" if count["number"] or not count["paren"] else "paren"
    # Chapter blocks: the lines from one 一、 heading to the next (the first block may have none).
    blocks: list[list[int]] = [[]]
    for off, k in enumerate(kinds):
        if k == "chapter":
            blocks.append([])
        blocks[-1].append(off)
    roles: list[Role] = []
    for block in blocks:
        here = Counter(kinds[off] for off in block if off + start in carriers)
        level = "number" if here["number"] and here["number"] >= here["paren"] else \
            "paren" if here["paren"] else default
        for off in block:
            k = kinds[off]
            if k == "chapter":
                roles.append(Role("chapter", k))
            elif k == level:
                roles.append(Role("task", k))
            elif k == "paren":
                roles.append(Role("subchapter", k))
            elif k == "number":
                roles.append(Role("stray", k))  # a 1. line in a chapter of (一) tasks: refused by the caller
            else:
                roles.append(Role(None, k))
    return roles
