"""The page around a notice: a portal's metadata block, breadcrumb and repost lines.

Portals print label–value pairs before the notice (`索引号:… 信息分类:…`, `发布机构:…`, `文       号:…`,
`发布日期:2024-03-01`), a breadcrumb (`网站首页 > 政务公开 > …`) and repost lines (`发表时间:… 来源:…
作者:…`). These lines are read here as facts of the page, and kept out of the title and the issuer.
The labels are reviewed data in header_words.yaml (`metadata_fields`, `breadcrumb_*`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from extract.textnorm import fold, remove_whitespace

_LEAD = " \t•·●◆■□*-[【"
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?$")
_DOCNO_RE = re.compile(r"^[\u4e00-\u9fff]{1,10}[〔\[(【]\d{4}[〕\])】]\d+号$")
_CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z/\-_.]{3,40}$")


@dataclass(frozen=True)
class _Labels:
    field_of: dict[str, str]  # label → field
    rank: dict[str, int]  # label → its place in the field's list (0 = the surest label: 发布日期 before 生成日期)
    pattern: re.Pattern[str]  # a label (white space allowed inside) followed by a colon
    same_line_only: frozenset[str]
    breadcrumb_starts: tuple[str, ...]
    breadcrumb_separators: tuple[str, ...]


@cache
def _labels() -> _Labels:
    d = yaml.safe_load(Path(__file__).with_name("header_words.yaml").read_text(encoding="utf-8"))
    field_of = {label: name for name, labels in d["metadata_fields"].items() for label in labels}
    rank = {label: i for labels in d["metadata_fields"].values() for i, label in enumerate(labels)}
    alts = sorted(field_of, key=len, reverse=True)
    spaced = "|".join(r"\s*".join(map(re.escape, label)) for label in alts)
    return _Labels(field_of, rank, re.compile(rf"({spaced})\s*:"), frozenset(d["metadata_same_line_only"]),
                   tuple(d["breadcrumb_starts"]), tuple(d["breadcrumb_separators"]))


@dataclass
class PageFacts:
    """What the page around the notice says: field → value as printed (white space removed)."""

    fields: dict[str, str] = field(default_factory=dict)
    lines: set[int] = field(default_factory=set)  # indexes of the lines that are page, not notice
    ranks: dict[str, int] = field(default_factory=dict)  # field → rank of the label its value came from


def _pairs(folded: str) -> list[tuple[str, str, int]] | None:
    """(field, value, rank of the label) of each label on a metadata line; None when the line does not
    start with a label."""
    lab = _labels()
    text = folded.lstrip(_LEAD)
    matches = list(lab.pattern.finditer(text))
    if not matches or matches[0].start() != 0:
        return None
    out = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        label = remove_whitespace(m.group(1))
        out.append((lab.field_of[label], text[m.end():end].strip(" \t[]【】|"), lab.rank[label]))
    return out


def is_breadcrumb(folded: str) -> bool:
    """`网站首页 > 政务公开 > 政府文件`, `当前位置:首页>信息公开`."""
    lab = _labels()
    t = remove_whitespace(folded)
    seps = sum(t.count(s) for s in lab.breadcrumb_separators)
    return seps >= 2 or (seps >= 1 and t.startswith(lab.breadcrumb_starts))


def is_page_line(text: str) -> bool:
    """A metadata, repost or breadcrumb line: page around the notice, never part of the title."""
    f = fold(text)
    return is_breadcrumb(f) or _pairs(f) is not None


def _fits(name: str, value: str) -> bool:
    """Whether a line below a label standing alone is that label's value (has the field's shape)."""
    if name in ("issued_on", "published_on"):
        return portal_date(value) is not None
    if name == "doc_number":
        return bool(_DOCNO_RE.match(value))
    if name == "index_no":
        return bool(_CODE_RE.match(value))
    return len(value) <= 40 and ":" not in value  # publisher: an organ's name


def read_page(lines: list[str]) -> PageFacts:
    """The page facts of the lines before the notice's text. A field given by several labels takes the
    value of the one listed first in header_words.yaml (发布日期 before 生成日期), else the first given."""
    page = PageFacts()
    same_line_only = _labels().same_line_only
    for i, text in enumerate(lines):
        f = fold(text).strip()
        if is_breadcrumb(f):
            page.lines.add(i)
            continue
        pairs = _pairs(f)
        if pairs is None:
            continue
        page.lines.add(i)
        for name, value, rank in pairs:
            if not value and len(pairs) == 1 and name not in same_line_only and i + 1 < len(lines):
                below = fold(lines[i + 1]).strip()
                if _pairs(below) is None and not is_breadcrumb(below) and _fits(name, remove_whitespace(below)):
                    value = below
                    page.lines.add(i + 1)
            value = remove_whitespace(value) if name not in ("title", "summary") else value.strip()
            if value and rank < page.ranks.get(name, len(_labels().rank)):
                page.fields[name], page.ranks[name] = value, rank
    return page


def portal_date(value: str) -> str | None:
    """`2024-03-01`, `2024/3/1 10:20`, `2024年03月01日 16:40` as an ISO date; None otherwise."""
    m = _DATE_RE.match(fold(value).strip())
    if m is None:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31 and 1990 <= y <= 2100):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"
