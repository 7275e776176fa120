"""Damaged tasks: published and flagged, unless so many are damaged that the layout was not understood.

A task is damaged when it has text but no responsibility at all (no 牵头领导, 牵头单位 or 责任单位: the
last task cut off, or one whose lines were lost), when its row was cut off (extract.parse_cells), or
when its leader list ends in the start of a label (`张三牵` where `牵头单位:…` was cut): that fragment
is not part of a name, so it is taken off and the leader published as `张三`. Each damaged task
gives one Finding (check `damaged_task`), published in quality_findings; the quality gate does not
block on a flagged task missing its units.

When more than a tenth of a notice's tasks are damaged, the notice's layout was not understood: the
notice is refused, naming how many tasks and the first of them.

A task whose bracket names no lead unit on purpose (`(A、B等按职责分工负责)`) is not damaged: it gets
a Finding `no_lead_unit`, so that the gate's lead-unit check does not block it.
"""

from __future__ import annotations

from extract.errors import NoticeError
from extract.markers import vocabulary
from extract.model import RESPONSIBILITY_FIELDS, Finding, RawTask
from transform.split import list_cuts, split_list

DAMAGED = "damaged_task"
NO_LEAD = "no_lead_unit"  # a bracket that names no lead unit on purpose: (A、B等按职责分工负责)
MAX_DAMAGED_SHARE = 0.1  # more than this share of a notice's tasks damaged: the layout was not understood
_MIN_NAME = 2  # a name left after taking off a label fragment has at least this many characters


def _label_prefixes() -> tuple[str, ...]:
    """Proper starts of the label words (牵, 牵头, 牵头单, 责, 责任…), longest first."""
    starts = {lab[:k] for lab in vocabulary().field_by_label for k in range(1, len(lab))}
    return tuple(sorted(starts, key=len, reverse=True))


def drop_label_fragment(value: str) -> str:
    """`value` without a last list item that is only the start of a label (`刘兴达;牵头单` → 刘兴达)."""
    cuts = list_cuts(value)  # the one list splitter's cuts
    if cuts and value[cuts[-1] + 1:].strip() in _label_prefixes() + tuple(vocabulary().field_by_label):
        return value[: cuts[-1]].strip()
    return "" if value.strip() in _label_prefixes() else value


def _leader_fragment(t: RawTask) -> Finding | None:
    """Take a label fragment off the end of a cut-off task's leader list (in place); its Finding."""
    if not t.lead_leaders or t.lead_units or t.other_units:
        return None
    items = split_list(t.lead_leaders)  # the one list splitter
    last = items[-1].raw if items else t.lead_leaders.strip()
    cut = next((p for p in _label_prefixes() if last.endswith(p) and len(last) - len(p) >= _MIN_NAME), None)
    if cut is None:
        return None
    raw = t.lead_leaders
    t.lead_leaders = raw[: len(raw.rstrip()) - len(cut)].rstrip()
    return Finding(DAMAGED, t.task_no, t.line, last,
                   f"task {t.task_no}: the leader {last!r} ends in {cut!r}, the start of a label cut off "
                   f"(…{cut}…:); published as {last[: -len(cut)]!r}, without units")


def _no_responsibility(t: RawTask) -> Finding | None:
    if any(getattr(t, f) for f in RESPONSIBILITY_FIELDS):
        return None
    return Finding(DAMAGED, t.task_no, t.line, None,
                   f"task {t.task_no} has text but no responsibility (no 牵头领导, 牵头单位 or 责任单位): "
                   "cut off or damaged; published without them")


def flag_no_lead(shared: list[RawTask], findings: list[Finding]) -> None:
    """A Finding for each task whose bracket names no lead unit (all units share it) and that no lead
    rule of the intro gave one: published with other units only, not a damaged task."""
    for t in shared:
        if not t.lead_units:
            findings.append(Finding(NO_LEAD, t.task_no, t.line, None,
                                    f"task {t.task_no}: its bracket names no lead unit (…等按职责分工负责): "
                                    "all its units are published as other units (责任单位)"))


def flag_damaged(tasks: list[RawTask], findings: list[Finding], name: str) -> None:
    """Add a Finding for each damaged task not already flagged (in place); refuse the notice when more
    than a tenth of its tasks are damaged."""
    flagged = {(f.task_no, f.line) for f in findings if f.check == DAMAGED}
    for t in tasks:
        if (t.task_no, t.line) in flagged:
            continue
        if (f := _leader_fragment(t) or _no_responsibility(t)) is not None:
            findings.append(f)
            flagged.add((t.task_no, t.line))
    damaged = [t for t in tasks if (t.task_no, t.line) in flagged]
    if tasks and len(damaged) > MAX_DAMAGED_SHARE * len(tasks):
        first = damaged[0]
        raise NoticeError(name, f"the layout was not understood: {len(damaged)} of {len(tasks)} tasks have no "
                                "responsibilities or are cut off (more than a tenth may be damaged); the first "
                                f"is task {first.task_no}", first.line)
