"""Header facts: title, issuer, date, document number, reports, jurisdiction and year.

Works on the lines before the first chapter (and the title block); records only what the notice
says. A date the notice does not print stays None: never invented.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

import cn2an

from extract.model import Header, Line
from extract.textnorm import fold, remove_whitespace

_HAN_DIGITS = "〇零一二三四五六七八九十"
_DATE_RE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_DATE_CN_RE = re.compile(rf"^([{_HAN_DIGITS}]{{4}})年([{_HAN_DIGITS}]{{1,3}})月([{_HAN_DIGITS}]{{1,3}})日$")
_ISSUER_RE = re.compile(r"^(\S{2,20}?)(人民政府办公室|人民政府办公厅|人民政府)$")
_DOCNO_RE = re.compile(r"([\u4e00-\u9fff]{1,10}\s*[〔\[(]\s*(\d{4})\s*[〕\])]\s*\d+\s*号)")
_PUBLICITY_RE = re.compile(r"^\((此件[^()]{1,10})\)$")
_REPORT_RE = re.compile(r"[《<]([^《》<>]{2,60}?)[》>]")
_YEAR_RE = re.compile(r"(\d{4})\s*年")
_STATED_COUNT_RE = re.compile(r"(?:共|分解为|分解成|梳理出|细化为)[^。;]{0,12}?(\d{1,4})\s*项")
_TITLE_WORDS = ("方案", "分工", "分解", "任务", "清单")
_JURISDICTION_RE = re.compile(
    r"^(.{1,12}?(?:省|自治区|市|自治州|州|地区|盟|县|自治县|旗|区))(?:关于|贯彻|落实|人民政府|政府|\d{4}年)")


@cache
def _division_codes() -> dict[str, str]:
    path = Path(__file__).with_name("jurisdictions.csv")
    with path.open(encoding="utf-8", newline="") as f:
        return {row["jurisdiction"]: row["division_code"] for row in csv.DictReader(f)}


def _cn_int(text: str) -> int:
    if all(c in "〇零一二三四五六七八九" for c in text):  # digit by digit: 二〇二三
        return int("".join(str("〇一二三四五六七八九".index(c) if c != "零" else 0) for c in text))
    return int(cn2an.cn2an(text, "smart"))


def parse_date(text: str) -> str | None:
    """`2023年3月17日` or `二〇二三年三月十七日` as an ISO date; None if `text` is not a date line."""
    t = remove_whitespace(fold(text))
    m = _DATE_RE.match(t)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _DATE_CN_RE.match(t)
        if not m:
            return None
        y, mo, d = (_cn_int(g) for g in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31 and 1990 <= y <= 2100):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def is_title_line(folded: str) -> bool:
    """A line that reads like (part of) the plan's title."""
    return any(w in folded for w in _TITLE_WORDS) and not folded.endswith(("。", ":")) and len(folded) <= 120


_TITLE_START_WORDS = ("关于", "落实", "贯彻", "《", "政府工作报告")


def is_title_start(folded: str) -> bool:
    """The first line of a title broken over lines (`…关于贯彻落实2024年《…》`), not a header fact."""
    f = remove_whitespace(folded)
    if not f or f.endswith(("。", ":", ")", ",")) or len(f) > 60:
        return False
    if parse_date(f) or _ISSUER_RE.match(f) or _DOCNO_RE.search(f) or _PUBLICITY_RE.match(f):
        return False
    return any(w in f for w in _TITLE_START_WORDS) and bool(_YEAR_RE.search(f) or "关于" in f)


def parse_header(header: list[Line], title_lines: list[Line]) -> Header:
    """Header facts from the lines before the body; `title_lines` are the plan title's lines."""
    h = Header()
    for ln in header:
        f = remove_whitespace(fold(ln.text))
        if h.issued_on is None and (d := parse_date(f)):
            h.issued_on = d
            continue
        if h.issuer is None and (m := _ISSUER_RE.match(f)):
            h.issuer = f
            continue
        if h.publicity is None and (m := _PUBLICITY_RE.match(f)):
            h.publicity = m.group(1)
            continue
        if h.doc_number is None and (m := _DOCNO_RE.search(f)):
            h.doc_number = re.sub(r"\s+", "", m.group(1)).replace("[", "〔").replace("]", "〕")
        if h.stated_task_count is None and (m := _STATED_COUNT_RE.search(f)):
            h.stated_task_count = int(m.group(1))
    if title_lines:
        h.title = "".join(ln.text.strip() for ln in title_lines)
        h.reports = _REPORT_RE.findall(h.title)
        if m := _YEAR_RE.search(fold(h.title)):
            h.year = int(m.group(1))
    if h.year is None and h.issued_on:
        h.year = int(h.issued_on[:4])
    m = _ISSUER_RE.match(h.issuer) if h.issuer else None
    if m is None and h.title:
        m = _JURISDICTION_RE.match(fold(h.title))
    if m:
        h.jurisdiction = m.group(1)
    if h.jurisdiction:
        h.division_code = _division_codes().get(h.jurisdiction)
    return h
