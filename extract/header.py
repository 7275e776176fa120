"""Header facts: title, issuer, date, document number, reports, jurisdiction and year.

Works on the lines before the first chapter (the title block given apart); records only what the
notice says. A date the notice does not print stays None: never invented. The words that recognise
titles, issuers, place names and the stated task count are reviewed data in header_words.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import yaml

from extract.divisions import Division, exact_place, leading_places, place_of, resolve
from extract.markers import CN_DIGIT_VALUES, cn_digits
from extract.model import Header, Line
from extract.page_meta import is_page_line, portal_date, read_page
from extract.textnorm import fold, remove_whitespace

_DATE_RE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_CN = f"[{CN_DIGIT_VALUES}零十]"
_DATE_CN_RE = re.compile(rf"^({_CN}{{4}})年({_CN}{{1,3}})月({_CN}{{1,3}})日$")
_DOCNO = r"[\u4e00-\u9fff]{1,10}[〔\[(]\d{4}[〕\])]\d+号"
_DOCNO_HEAD_RE = re.compile(r"^[\u4e00-\u9fff]{1,10}[〔\[(]\d{4}[〕\])]$")  # 文号 broken before its number
_DOCNO_TAIL_RE = re.compile(r"^\d+号$")
_PUBLICITY_RE = re.compile(r"^\((此件[^()]{1,10})\)$")
_REPORT_RE = re.compile(r"[《<]([^《》<>]{2,60}?)[》>]")
_YEAR_RE = re.compile(r"(\d{4})\s*年")
_DOCNO_YEAR_RE = re.compile(r"[〔\[(](\d{4})[〕\])]")
_REPORT_YEAR_RE = re.compile(r"(\d{4})\s*年度?\s*[《<]?[^《》<>。;]{0,20}?政府工作报告")
_SENTENCE_RE = re.compile(r"[^。;!?]+")


def _alt(words: list[str]) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


@dataclass(frozen=True)
class _Words:
    """header_words.yaml as tuples and patterns."""

    title_words: tuple[str, ...]
    title_start_words: tuple[str, ...]
    title_end_words: tuple[str, ...]
    organ_words: tuple[str, ...]
    jurisdiction_suffixes: tuple[str, ...]
    issuer_re: re.Pattern[str]
    jurisdiction_re: re.Pattern[str]
    title_lead_re: re.Pattern[str]  # what may stand before the place a title starts with
    docno_re: re.Pattern[str]  # a line that is a document number and nothing else (or a 文号 field)
    count_res: tuple[re.Pattern[str], ...]


@cache
def _words() -> _Words:
    d = yaml.safe_load(Path(__file__).with_name("header_words.yaml").read_text(encoding="utf-8"))
    suffixes = _alt(d["jurisdiction_suffixes"])
    return _Words(
        tuple(d["title_words"]), tuple(d["title_start_words"]), tuple(d["title_end_words"]),
        tuple(d["issuer_organ_words"]), tuple(d["jurisdiction_suffixes"]),
        re.compile(rf"^(\S{{2,40}}?)({_alt(d['issuer_suffixes'])})$"),
        re.compile(rf"^(.{{1,12}}?(?:{suffixes}))(?:{_alt(d['title_after_jurisdiction'])}|\d{{4}}年)"),
        re.compile(rf"^(?:{_alt(d['title_place_prefixes'])})?(?:\d{{4}}年度?)?[《<]?"),
        re.compile(rf"^(?:(?:{_alt(d['doc_number_fields'])}):)?({_DOCNO})$"),
        (re.compile(rf"(?:{_alt(d['stated_count_verbs'])})(\d{{1,4}})项"),
         re.compile(rf"共(\d{{1,4}})项[\u4e00-\u9fff]{{0,4}}?(?:{_alt(d['stated_count_nouns'])})")),
    )


def _squeeze(text: str) -> str:
    return remove_whitespace(fold(text))


def parse_date(text: str) -> str | None:
    """`2023年3月17日` or `二〇二三年三月十七日` as an ISO date; None if `text` is not a date line."""
    t = _squeeze(text)
    if m := _DATE_RE.match(t):
        y, mo, d = (int(g) for g in m.groups())
    elif m := _DATE_CN_RE.match(t):
        parts = [cn_digits(g) for g in m.groups()]
        if None in parts:
            return None
        y, mo, d = (p or 0 for p in parts)
    else:
        return None
    if not (1 <= mo <= 12 and 1 <= d <= 31 and 1990 <= y <= 2100):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def is_issuer_line(text: str) -> bool:
    """`海城市人民政府`, `鞍山市人民政府办公室`, `中共海城市委员会　海城市人民政府`; not `各镇人民政府`
    nor a list of units."""
    t = _squeeze(text)
    return bool(_words().issuer_re.match(t)) and not t.startswith("各") and not any(c in t for c in "、,;:")


def is_header_fact(text: str) -> bool:
    """A date, issuer, publicity or document number line, or a line of the page around the notice
    (metadata, breadcrumb, repost): never part of a title."""
    t = _squeeze(text)
    return bool(parse_date(t) or is_issuer_line(t) or _PUBLICITY_RE.match(t) or _words().docno_re.match(t)
                or is_page_line(text))


def is_title_line(folded: str) -> bool:
    """A line that reads like (part of) the plan's title."""
    return any(w in folded for w in _words().title_words) and not folded.endswith(("。", ":")) \
        and len(folded) <= 120


def is_title_part(folded: str) -> bool:
    """A line that can stand above a title line as part of the same title: a title-like line or the
    first lines of a broken title (`…关于贯彻落实2024年`, `《海城市政府工作报告》`)."""
    f = remove_whitespace(folded)
    if not f or f.endswith(("。", ":", ";", ",", "通知")) or len(f) > 60 or is_header_fact(f):
        return False
    return is_title_line(f) or any(w in f for w in _words().title_start_words)


def is_plan_title(folded: str) -> bool:
    """A line that is a whole plan title (`海城市2024年民生实事任务分解方案`): where a task or a value
    should continue, it starts a second plan."""
    f = remove_whitespace(folded)
    return len(f) <= 60 and f.endswith(_words().title_end_words) and not f.startswith(("(", "《")) \
        and bool(_YEAR_RE.search(f) or "政府工作报告" in f or "关于" in f)


def _issuer_jurisdiction(issuer: str) -> str | None:
    """The place named last before 人民政府: `中共海城市委员会海城市人民政府` → 海城市."""
    w = _words()
    m = w.issuer_re.match(issuer)
    if m is None:
        return None
    prefix = m.group(1)
    start = max((prefix.rfind(o) + len(o) for o in w.organ_words if o in prefix), default=0)
    place = prefix[start:]
    return place if len(place) >= 2 and place.endswith(w.jurisdiction_suffixes) else None


def _title_jurisdiction(title: str) -> str | None:
    m = _words().jurisdiction_re.match(_squeeze(title))
    return m.group(1) if m else None


def _title_place(title: str, context: str = "") -> Division | None:
    """The division the title starts with (after `关于印发`, a year, `《`): `辽宁省鞍山市海城市2024年…`,
    `关于印发2024年海城市…` → 海城市; a short name shared by several (`海城2024年…`: 海城市 and
    北海市海城区) is told apart by the places `context` (issuer, 发布机构) names."""
    t = _words().title_lead_re.sub("", _squeeze(title))
    return place_of(leading_places(t, context))


def _place(text: str | None) -> Division | None:
    return exact_place(text) if text else None


def _doc_number(lines: list[str]) -> str | None:
    """A 文号 standing alone on its line (or in a 文号 field, or broken before its number)."""
    for i, t in enumerate(lines):
        if i + 1 < len(lines) and _DOCNO_HEAD_RE.match(t) and _DOCNO_TAIL_RE.match(lines[i + 1]):
            t += lines[i + 1]
        if m := _words().docno_re.match(t):
            return m.group(1).replace("[", "〔").replace("]", "〕")
    return None


def _stated_count(lines: list[str]) -> int | None:
    """From a sentence saying the plan is split into N tasks (`分解为102项`, `共102项任务`) only."""
    for t in lines:
        for sentence in _SENTENCE_RE.findall(t):
            for pattern in _words().count_res:
                if m := pattern.search(sentence):
                    return int(m.group(1))
    return None


def _organ_place(text: str | None) -> Division | None:
    """The division an organ's name starts with or names before 人民政府: `海城市人民政府办公室`,
    `中共海城市委员会海城市人民政府`, `海城市发展和改革局` → 海城市; None for `县政府网站`."""
    if not text:
        return None
    if (before := _issuer_jurisdiction(text)) is not None:
        return exact_place(before)
    return place_of(leading_places(text.removeprefix("中共")))


def _report_year(lines: list[str]) -> int | None:
    """The year of the work report a line says the plan implements: `落实2013年《政府工作报告》`."""
    for t in lines:
        if m := _REPORT_YEAR_RE.search(fold(t)):
            return int(m.group(1))
    return None


def _first_year(candidates: list[tuple[str, int | None]]) -> tuple[int | None, str | None]:
    return next(((y, src) for src, y in candidates if y is not None), (None, None))


def parse_header(header: list[Line], title_lines: list[Line]) -> Header:
    """Header facts from the lines before the body; `title_lines` are the plan title's lines.

    The page around the notice (a portal's metadata block, breadcrumb and repost lines) is read apart
    (extract/page_meta.py) and never taken for the title, the issuer or a date of the notice.
    Jurisdiction, first found in: the place the title starts with (`海城市2024年…方案` → 海城市);
    the place named last before 人民政府 in the issuer line (`中共海城市委员会　海城市人民政府` →
    海城市), the issuer line above the notice's date being its signature; the 发布机构 field. The
    title wins when they differ: an office of a parent level sometimes issues a plan. Year, first
    found in: the title, the 文号's 〔YYYY〕, the work report a line says the plan implements
    (`2013年《政府工作报告》`), the issue date, the publication date. Each records its source.
    """
    h = Header()
    page = read_page([ln.text for ln in header])
    notice = [_squeeze(ln.text) for i, ln in enumerate(header) if i not in page.lines]
    signature = False
    for i, f in enumerate(notice):
        if h.issued_on is None and (d := parse_date(f)):
            h.issued_on = d
        elif h.issuer is None and is_issuer_line(f):
            h.issuer = f
            signature = i + 1 < len(notice) and parse_date(notice[i + 1]) is not None
        elif h.publicity is None and (m := _PUBLICITY_RE.match(f)):
            h.publicity = m.group(1)
    fields = page.fields
    h.issued_on = h.issued_on or (portal_date(fields["issued_on"]) or parse_date(fields["issued_on"])
                                  if "issued_on" in fields else None)
    h.published_on = portal_date(fields["published_on"]) if "published_on" in fields else None
    h.doc_number = _doc_number(notice) or (_doc_number([fields["doc_number"]]) if "doc_number" in fields else None)
    h.stated_task_count = _stated_count(notice)
    if title_lines:
        h.title = "".join(ln.text.strip() for ln in title_lines)
    elif "title" in fields:
        h.title = fields["title"]
    title = h.title or ""
    h.reports = _REPORT_RE.findall(title)
    m = _YEAR_RE.search(fold(title))
    docno = _DOCNO_YEAR_RE.search(h.doc_number) if h.doc_number else None
    h.year, h.year_source = _first_year([
        ("title", int(m.group(1)) if m else None),
        ("doc_number", int(docno.group(1)) if docno else None),
        ("report", _report_year(notice)),
        ("issued_date", int(h.issued_on[:4]) if h.issued_on else None),
        ("published_date", int(h.published_on[:4]) if h.published_on else None),
    ])
    publisher = fields.get("publisher")
    context = " ".join(x for x in (h.issuer, publisher) if x)
    issuer_from = "signature" if signature else "issuer"
    for source, place in (("title", _title_place(title, context) if title else None),
                          (issuer_from, _organ_place(h.issuer)), ("metadata", _organ_place(publisher))):
        if place is not None:
            h.jurisdiction, h.division_code, h.jurisdiction_source = place.name, place.code, source
            return h
    # a place the gazetteer does not know (yet) is kept as printed, without a code
    if title_place := _title_jurisdiction(title) if title else None:
        h.jurisdiction, h.jurisdiction_source = title_place, "title"
    elif issuer_place := _issuer_jurisdiction(h.issuer) if h.issuer else None:
        h.jurisdiction, h.jurisdiction_source = issuer_place, issuer_from
    return h


def with_overrides(h: Header, jurisdiction: str | None, year: int | None, source: str) -> Header:
    """`h` with the jurisdiction and year given by an option or a manifest (`source`: option | manifest).
    The jurisdiction is checked against the gazetteer and takes its full name and division code
    (`海城` → 海城市, 210381); an unknown or ambiguous place raises DivisionError."""
    if jurisdiction is not None:
        d = resolve(jurisdiction)
        h = replace(h, jurisdiction=d.name, division_code=d.code, jurisdiction_source=source)
    if year is not None:
        h = replace(h, year=year, year_source=source)
    return h
