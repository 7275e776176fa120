"""The inline layout: responsibilities in a bracket after the task text.

`(牵头领导:…;牵头单位:…;责任单位:…)`, `[牵头单位:…;责任单位:…]`, `(X负责)`, `(X牵头,Y按职责分工负责)`,
`(X主办,Y协办)`, `(A、B分别负责)`, `(A、B等按职责分工负责)`, and 〔…〕 when the list itself holds
parentheses. Matching is on the folded text;
values are cut from the text as printed (same offsets), so the notice's punctuation is kept.
"""

from __future__ import annotations

from itertools import pairwise

from extract.markers import vocabulary
from extract.textnorm import fold
from transform.split import list_cuts

_OPEN = {")": "(", "]": "[", "〕": "〔"}
_SENTENCE_END = "。.;"
_VALUE_TRIM = " ;,。.、\u3000"


def _trailing_bracket(folded: str) -> tuple[int, int] | None:
    """(open, close) offsets of a balanced bracket group ending the text (before a final 。)."""
    end = len(folded.rstrip(" 。.\u3000"))
    if end == 0 or folded[end - 1] not in _OPEN:
        return None
    depth = 0
    for i in range(end - 1, -1, -1):
        ch = folded[i]
        if ch in _OPEN:
            depth += 1
        elif ch in _OPEN.values():
            depth -= 1
            if depth == 0:
                return i, end - 1
    return None


def _labelled(content: str, folded: str) -> dict[str, str] | None:
    voc = vocabulary()
    hits = list(voc.label_anywhere_re.finditer(folded))
    if not hits or folded[: hits[0].start()].strip(" ;,"):
        return None
    fields: dict[str, str] = {}
    for k, m in enumerate(hits):
        stop = hits[k + 1].start() if k + 1 < len(hits) else len(content)
        value = content[m.end(): stop].strip(_VALUE_TRIM)
        field = voc.field_by_label[m.group(1)]
        old = fields.get(field, "")
        fields[field] = f"{old}、{value}" if old and value else value or old
    return fields


def _clauses(folded: str) -> list[tuple[int, int]]:
    """[start, end) of the clauses of a bracket, cut at , and ; outside inner brackets (the one list
    splitter's cuts)."""
    bounds = [-1, *list_cuts(folded, separators=",;"), len(folded)]
    return [(a + 1, b) for a, b in pairwise(bounds)]


def _verb(folded: str, words: tuple[str, ...]) -> str | None:
    return next((w for w in words if folded.endswith(w) and len(folded.rstrip(_VALUE_TRIM)) > len(w)), None)


def _verbal(content: str, folded: str) -> dict[str, str] | None:
    """Clauses `units verb`: `X负责`, `A、B牵头,C、D按职责分工负责`, `X主办,Y协办`, `A、B分别负责`,
    `A、B等按职责分工负责` (no lead: all other units).

    Each clause ends in a verb (labels.yaml `inline`); a clause without one (`市财政局,市统计局配合`)
    belongs to the next. The first clause's bare 负责 leads; after a lead clause it takes part. A
    trailing 等 closes a list (A、B等) and is not part of a name. None when the last clause has no verb.
    """
    voc = vocabulary()
    lead: list[str] = []
    other: list[str] = []
    start = 0
    for c_start, c_end in _clauses(folded):
        clause = folded[c_start:c_end].rstrip(_VALUE_TRIM)
        other_w = _verb(clause, voc.inline_other)
        lead_w = _verb(clause, voc.inline_lead)
        if other_w and (other_w != "负责" or lead or other):
            role, w = other, other_w
        elif lead_w:
            role, w = lead, lead_w
        else:
            continue  # no verb: the clause is part of the next one's list
        value = content[start: c_start + len(clause) - len(w)].strip(_VALUE_TRIM)
        value = value.removesuffix("等").strip(_VALUE_TRIM)
        if not value:
            return None
        role.append(value)
        start = c_end + 1
    if start <= len(folded.rstrip(_VALUE_TRIM)) or not (lead or other):
        return None
    fields = {"lead_units": "、".join(lead), "other_units": "、".join(other)}
    return {k: v for k, v in fields.items() if v}


def split_inline(text: str) -> tuple[int, int, dict[str, str]] | None:
    """Where a trailing responsibility bracket starts and ends in `text`, and the fields it gives.

    None when the text does not end in such a bracket (a bracket of other content is left alone).
    """
    folded = fold(text)
    span = _trailing_bracket(folded)
    if span is None:
        return None
    o, c = span
    content, fcontent = text[o + 1: c], folded[o + 1: c]
    fields = _labelled(content, fcontent) or _verbal(content, fcontent)
    if not fields or not any(fields.values()):
        return None
    return o, c, fields


def task_body(text: str, open_at: int, close_at: int) -> str:
    """The task text without its bracket; a sentence end printed after the bracket is kept."""
    body = text[:open_at].rstrip(" \u3000")
    after = text[close_at + 1:].strip(" \u3000")
    if after and not body.endswith(tuple(_SENTENCE_END + "。")):
        body += after[:1]
    return body
