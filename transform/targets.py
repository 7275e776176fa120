"""Quantitative targets in a task text: 地区生产总值增长6.5%以上 → 地区生产总值 | 增长 | 6.5 | % | 以上.

Pure functions over one task text. The vocabulary (units, magnitude words, comparators, directions,
lead-in words…) is reviewed data in units_of_measure.yaml beside this module; the rules are here.

Precision over recall: a quantity is a target only when it closes its clause. A quantity followed
by a noun or by 的 describes a thing (投资1亿元的…项目, 3.6公里园区路网, 5000万元以上项目) and is not
taken; the one exception is a count that directly follows a leading direction
(至少新增1家实质性产学研联盟), where the noun after it is the metric. Numbers without a listed unit
(5G, 66KV, 10千伏, 1号—17号, 2023年), ordinals (第3), ranges (6%—7%), numbers written in Chinese
characters (二十大, 千亿级) and clauses that pair several metrics with several numbers (分别) give nothing.
A negative number (增长-2%, 增长负2%) is skipped, not read (units_of_measure.yaml, negative_signs).
Only an ASCII comma between groups of three digits is a thousands separator (1,200人 → 1200); a
full-width comma always separates clauses (1，200人 is 1 and 200).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path

from extract.textnorm import fold
from transform.reference_files import read_yaml

# Offsets in the folded text are offsets in the original (one character to one).
_EXTRA_FOLD = str.maketrans({"％": "%", "～": "~", "﹪": "%"})

_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z.])(\d{1,3}(?:,\d{3})+(?!\d)|\d+)(\.\d+)?(?![0-9A-Za-z])")
_RANGE_BEFORE_RE = re.compile(r"\d(\S{0,6}?)\s*(?:至|到|[-—–~])\s*$")
_METRIC_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
_CLAUSE_MARKS = ",;。、:!?！？\n"
_CLOSE_MARKS = _CLAUSE_MARKS + ")]."
_QUOTES = "“”‘’\"'「」『』《》"
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_DIGIT_RE = re.compile(r"\d")
_ASIDE_RE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
MAX_METRIC_CHARS = 30


@dataclass(frozen=True)
class Target:
    """One quantitative target of a task, in the order the text gives it."""

    metric: str  # what is measured, as printed without quotes and white space: 地区生产总值
    direction: str | None  # how the number reads: 增长, 达到, 新增, 控制在…; None when the text says none
    value: float  # the number as printed: 6.5, 100
    unit: str  # unit as printed, magnitude word included: %, 亿元, 万株
    base_value: float  # value scaled by the magnitude word: 100万株 → 1000000
    base_unit: str  # unit without magnitude word: %, 元, 株
    comparator: str | None  # 以上, 左右, 以内, 不低于, 超过, 突破…; None for an exact number
    raw: str  # the span of the task text the target was read from


@dataclass(frozen=True)
class Vocabulary:
    """units_of_measure.yaml, ready for matching (every list longest entry first)."""

    magnitudes: dict[str, int]
    units: dict[str, str]
    count_units: frozenset[str]
    suffix_comparators: dict[str, str]
    prefix_comparators: dict[str, str]
    after_directions: dict[str, str]
    before_directions: dict[str, str]
    qualifiers: tuple[str, ...]
    lead_ins: tuple[str, ...]
    lead_in_patterns: tuple[re.Pattern[str], ...]
    negative_signs: tuple[str, ...]
    trailers: tuple[str, ...]
    conjunctions: tuple[str, ...]
    skip_markers: tuple[str, ...]
    not_metrics: frozenset[str]

    @property
    def comparators(self) -> tuple[str, ...]:
        """Every published comparator, sorted."""
        return tuple(sorted({*self.suffix_comparators.values(), *self.prefix_comparators.values()}))

    @property
    def directions(self) -> tuple[str, ...]:
        """Every published direction, sorted."""
        return tuple(sorted({*self.after_directions.values(), *self.before_directions.values()}))


def _longest_first(words: object) -> tuple[str, ...]:
    return tuple(sorted(map(str, words), key=len, reverse=True))  # type: ignore[call-overload]


def _by_length(mapping: dict[str, str]) -> dict[str, str]:
    return {str(k): str(mapping[k]) for k in _longest_first(mapping)}


@cache
def vocabulary() -> Vocabulary:
    """The reviewed vocabulary in units_of_measure.yaml."""
    data = read_yaml(Path(__file__).with_name("units_of_measure.yaml"))
    return Vocabulary(
        magnitudes={str(k): int(v) for k, v in data["magnitudes"].items()},
        units=_by_length(data["units"]),
        count_units=frozenset(map(str, data["count_units"])),
        suffix_comparators=_by_length(data["comparators"]["suffix"]),
        prefix_comparators=_by_length(data["comparators"]["prefix"]),
        after_directions=_by_length(data["directions"]["after_metric"]),
        before_directions=_by_length(data["directions"]["before_metric"]),
        qualifiers=_longest_first(data["qualifiers"]),
        lead_ins=_longest_first(data["lead_ins"]),
        lead_in_patterns=tuple(re.compile(str(x)) for x in data["lead_in_patterns"]),
        negative_signs=tuple(map(str, data["negative_signs"])),
        trailers=_longest_first(data["trailers"]),
        conjunctions=_longest_first(data["conjunctions"]),
        skip_markers=tuple(map(str, data["skip_markers"])),
        not_metrics=frozenset(map(str, data["not_metrics"])),
    )


def _prefix(text: str, pos: int, words: dict[str, str] | tuple[str, ...]) -> str | None:
    """The longest of `words` that `text` has at `pos`."""
    for w in words:
        if text.startswith(w, pos):
            return w
    return None


def _suffix(text: str, words: dict[str, str] | tuple[str, ...]) -> str | None:
    for w in words:
        if text.endswith(w):
            return w
    return None


def _skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] == " ":
        pos += 1
    return pos


def read_unit(text: str, pos: int) -> tuple[str, str, int] | None:
    """(unit as printed, base unit, magnitude) at `pos`: 万株 → ("万株", "株", 10000); None if no unit.

    A unit that begins with a magnitude character (千瓦, 百分点) wins over magnitude + rest when longer.
    """
    v = vocabulary()
    best: tuple[str, str, int] | None = None
    u = _prefix(text, pos, v.units)
    if u:
        best = (u, v.units[u], 1)
    for m, factor in v.magnitudes.items():
        if text.startswith(m, pos):
            u = _prefix(text, pos + len(m), v.units)
            if u and (best is None or len(m) + len(u) > len(best[0])):
                best = (m + u, v.units[u], factor)
    return best


def _clause_start(text: str, pos: int) -> int:
    """Index after the last clause mark before `pos` (a '.' only when it is no decimal point)."""
    i = pos - 1
    while i >= 0:
        c = text[i]
        if c in _CLAUSE_MARKS:
            return i + 1
        if c == "." and not (i + 1 < len(text) and text[i + 1].isdigit() and i > 0 and text[i - 1].isdigit()):
            return i + 1
        if c in "([" and ")" not in text[i:pos] and "]" not in text[i:pos]:
            return i + 1
        i -= 1
    return 0


def _clean_metric(text: str) -> str:
    """Quotes, white space and bracketed asides removed: 地区生产总值(GDP) → 地区生产总值."""
    text = _ASIDE_RE.sub("", text)
    return "".join(c for c in text if c not in _QUOTES and not c.isspace())


def _valid_metric(metric: str) -> bool:
    """A metric names something (a Chinese word, not too long, not a describing word such as 总投资);
    a quantity inside it must be a qualifier (5000万元以上项目), not another target (由5%提高到)."""
    v = vocabulary()
    if not _CJK_RE.search(metric) or len(metric) > MAX_METRIC_CHARS or metric in v.not_metrics:
        return False
    for m in _METRIC_NUMBER_RE.finditer(metric):
        unit = read_unit(metric, m.end())
        if unit is None:
            continue  # 5G基站, PM2.5浓度
        after = m.end() + len(unit[0])
        cmp = _prefix(metric, after, v.suffix_comparators)
        if not cmp or not _CJK_RE.match(metric, after + len(cmp)):
            return False
    return True


def _ends_range(f: str, pos: int) -> bool:
    """Whether the number at `pos` is the second end of a range: 6%—7%, 5-10个, 3至5万亩."""
    m = _RANGE_BEFORE_RE.search(f, 0, pos)
    if m is None:
        return False
    between = m.group(1)
    if between == "" or between in vocabulary().magnitudes:
        return True
    unit = read_unit(between, 0)
    return unit is not None and len(unit[0]) == len(between)


@dataclass
class _Head:
    """The words before a number: where the target starts and what it says."""

    start: int  # where the target's raw span starts
    metric: str
    direction: str | None
    comparator: str | None


def _read_head(f: str, begin: int, end: int) -> _Head:
    """Split f[begin:end] into lead-ins, [comparator] [direction] metric [direction] [comparator]."""
    v = vocabulary()
    direction: str | None = None
    comparator: str | None = None
    tail = f[begin:end].rstrip()
    w = _suffix(tail, v.prefix_comparators)
    if w:
        comparator, tail = v.prefix_comparators[w], tail[: -len(w)].rstrip()
    w = _suffix(tail, v.after_directions)
    if w:
        direction, tail = v.after_directions[w], tail[: -len(w)].rstrip()
        if comparator is None and (w := _suffix(tail, v.prefix_comparators)):
            comparator, tail = v.prefix_comparators[w], tail[: -len(w)].rstrip()
        while w := _suffix(tail, v.qualifiers):
            tail = tail[: -len(w)].rstrip()
    pos = begin
    start = begin
    stop = begin + len(tail)
    while pos < stop:
        pos = _skip_spaces(f, pos)
        if w := _prefix(f[:stop], pos, v.lead_ins):
            pos += len(w)
            start = pos
            continue
        if lead := next((m for x in v.lead_in_patterns if (m := x.match(f, pos, stop)) and m.end() > pos), None):
            pos = start = lead.end()
            continue
        if comparator is None and (w := _prefix(f[:stop], pos, v.prefix_comparators)):
            comparator = v.prefix_comparators[w]
            pos += len(w)
            continue
        if direction is None and (w := _prefix(f[:stop], pos, v.before_directions)):
            direction = v.before_directions[w]
            pos += len(w)
            continue
        break
    start = _skip_spaces(f, start)
    metric = f[pos:stop] if pos < stop else ""
    return _Head(start, metric, direction, comparator)


def _closes_clause(f: str, pos: int) -> int | None:
    """Where the next target may start if f[pos:] closes the clause: [trailer] then a clause mark,
    the end of the text or a conjunction (和, 及…). None when something else follows."""
    v = vocabulary()
    pos = _skip_spaces(f, pos)
    if t := _prefix(f, pos, v.trailers):
        pos = _skip_spaces(f, pos + len(t))
    if pos >= len(f) or f[pos] in _CLOSE_MARKS:
        return pos
    if c := _prefix(f, pos, v.conjunctions):
        return pos + len(c)
    return None


def _next_mark(f: str, pos: int) -> int:
    while pos < len(f) and f[pos] not in _CLOSE_MARKS:
        pos += 1
    return pos


def extract_targets(text: str) -> list[Target]:
    """Every quantitative target in a task text, in text order (see the module doc for the rules).
    Memoized (a pure function of the text: tasks recur across years and notices)."""
    return list(_targets(text))


@lru_cache(maxsize=1 << 15)
def _targets(text: str) -> tuple[Target, ...]:
    v = vocabulary()
    f = fold(text).translate(_EXTRA_FOLD)
    # numbers are read where a full-width comma is no thousands separator (same length as f)
    digits = f if "，" not in text and len(f) == len(text) else "".join(
        "，" if c == "，" else x for c, x in zip(text, f, strict=True))
    found: list[Target] = []
    floor = 0  # a target starts after the previous one closed
    for m in _NUMBER_RE.finditer(digits):
        n_start, n_end = m.span()
        before = f[:n_start].rstrip()
        if before.endswith("第") or before.endswith(v.negative_signs) or _ends_range(f, n_start):
            continue
        if (n_end < len(f) and f[n_end] in "-—–~") or f.startswith(("至", "到"), n_end):
            continue  # first end of a range
        unit = read_unit(f, _skip_spaces(f, n_end))
        if unit is None:
            continue
        printed_unit, base_unit, factor = unit
        q_end = _skip_spaces(f, n_end) + len(printed_unit)
        comparator: str | None = None
        after = _skip_spaces(f, q_end)
        if w := _prefix(f, after, v.suffix_comparators):
            comparator, q_end = v.suffix_comparators[w], after + len(w)
        c_start = max(_clause_start(f, n_start), floor)
        head = _read_head(f, c_start, n_start)
        closed = _closes_clause(f, q_end)
        if closed is not None:
            metric, raw_end = head.metric, q_end
        elif (head.metric == "" and head.direction in v.before_directions.values()
              and printed_unit in v.count_units and comparator is None):
            # a count before its noun: 至少新增1家实质性产学研联盟
            raw_end = closed = _next_mark(f, q_end)
            metric = f[q_end:raw_end]
            if _DIGIT_RE.search(metric):
                continue
        else:
            continue
        clause = f[c_start:raw_end]
        if any(s in clause for s in v.skip_markers):
            continue
        metric = _clean_metric(metric)
        if not _valid_metric(metric):
            continue
        number = Decimal(m.group(0).replace(",", ""))
        floor = closed
        found.append(Target(
            metric=metric,
            direction=head.direction,
            value=float(number),
            unit=printed_unit,
            base_value=float(number * factor),
            base_unit=base_unit,
            comparator=head.comparator or comparator,
            raw=text[head.start:raw_end],
        ))
    return tuple(found)
