"""Rules in a notice's intro on who leads, and applying them to the tasks.

Some notices give only a 责任单位 list and say in the intro how to read it: the first listed unit is
the lead (`first_listed`), or where no lead unit is given the 责任单位 lead (`units_lead`). The phrases
are reviewed data (header_words.yaml `lead_rules`). The rule is recorded with the notice
(`notices.lead_rule`) and applied to each task that has 责任单位 but no 牵头单位: `units_lead` makes the
whole list the lead units; `first_listed` moves the first item of the list (cut by the one list
splitter, transform/split.py: outside brackets and collective phrases) to the lead units, and refuses
a first item that does not read like a unit name (a shared suffix such as 西四、牛庄等镇 would be cut
wrongly).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from extract.errors import NoticeError
from extract.model import Line, RawTask
from extract.parse_cells import line_kind
from extract.textnorm import fold, remove_whitespace
from transform.reference_files import read_yaml
from transform.registry_load import load_registry
from transform.split import first_item

RULES = ("units_lead", "first_listed")
_SENTENCE_END = "。;"


@cache
def _words() -> tuple[str, dict[str, tuple[str, ...]]]:
    data = read_yaml(Path(__file__).with_name("header_words.yaml"))
    return data["lead_rule_word"], {r: tuple(data["lead_rules"][r]) for r in RULES}


def find_lead_rule(lines: list[Line], name: str) -> str | None:
    """The lead rule stated in `lines` (the header and intro), or None; two different rules are refused."""
    word, phrases = _words()
    found: dict[str, int] = {}
    text, line_at = "", []
    for ln in lines:
        t = remove_whitespace(fold(ln.text))
        text += t
        line_at += [ln.no] * len(t)
    start = 0
    for m in [*re.finditer(f"[{re.escape(_SENTENCE_END)}]", text), None]:
        end = m.end() if m else len(text)
        sentence = text[start:end]
        if word in sentence:
            rule = next((r for r in RULES if any(p in sentence for p in phrases[r])), None)
            if rule is not None:
                found.setdefault(rule, line_at[start])
        start = end
    if len(found) > 1:
        raise NoticeError(name, "the intro states two different rules on who leads (where no lead unit is "
                                "given the 责任单位 lead; the first listed 责任单位 leads)", max(found.values()))
    return next(iter(found), None)


def apply_lead_rule(rule: str | None, tasks: list[RawTask], name: str) -> None:
    """Give each task with 责任单位 but no 牵头单位 its lead units by `rule` (in place)."""
    if rule is None:
        return
    for t in tasks:
        if t.lead_units or not t.other_units:
            continue
        if rule == "units_lead":
            t.lead_units, t.other_units = t.other_units, None
            continue
        cut = first_item(t.other_units, load_registry().protect)  # a collective such as 各县、市、区政府 stays whole
        first, rest = cut if cut else (t.other_units, None)
        if line_kind(first) != "units":
            raise NoticeError(name, f"task {t.task_no}: the intro says the first listed 责任单位 leads, but "
                                    f"the list's first item {first!r} does not read like a unit name", t.line)
        t.lead_units, t.other_units = first, rest or None
