"""Which higher-level notices each notice of a release implements (the rows of `cascade_notices`).

A notice implements, besides its own work report, the reports of the jurisdictions above it: a
county's notice (海城市) those of its city (鞍山市) and province (辽宁省). Two sources say which:

- the division gazetteer: the notice's `parent_code`, and that parent's parent (steps 1 and 2);
- the title's report list (`notices.reports`: 《辽宁省政府工作报告》《鞍山市政府工作报告》…): each report
  names a jurisdiction (the words before 政府工作报告, a year and 人民 aside); the notice's own is skipped.

Each higher jurisdiction gets one row, with the report the title names for it (or none) and its
notice of the same year when the release holds one. Only notices of the same year are compared.
Findings: a report the title names whose notice is not in the release (`cascade_report`), and a notice
whose parent has no notice in the release (`cascade_parent`, saying which ancestor is compared instead).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

MAX_STEPS = 2  # parent and grandparent: province → prefecture → county
_REPORT_RE = re.compile(r"^(?:\d{4}\s*年度?)?(?P<place>.*?)(?:人民)?政府工作报告$")


@dataclass(frozen=True)
class Place:
    """A jurisdiction as the gazetteer knows it."""

    code: str
    name: str
    level: str | None
    parent_code: str | None
    short_name: str | None = None


def _value(x: Any) -> Any:
    return None if x is None or (isinstance(x, float) and x != x) or x is pd.NA else x


def report_place(report: str) -> str | None:
    """The jurisdiction a work report's name names: 辽宁省政府工作报告 → 辽宁省, 2023年鞍山市人民政府工作报告 →
    鞍山市; '' for a bare 政府工作报告 (the notice's own); None for a document that is no work report."""
    m = _REPORT_RE.match(re.sub(r"\s+", "", report))
    return m.group("place") if m else None


def places_of(notices: pd.DataFrame, gazetteer: Iterable[Place] = ()) -> dict[str, Place]:
    """code → Place: the gazetteer's divisions, and each notice's own jurisdiction (its division_code,
    parent_code and level), which the gazetteer's entry wins over."""
    out: dict[str, Place] = {}
    for r in notices.itertuples():
        code = _value(getattr(r, "division_code", None))
        if code:
            out[str(code)] = Place(str(code), str(r.jurisdiction), _value(getattr(r, "level", None)),
                                   _value(getattr(r, "parent_code", None)))
    for p in gazetteer:
        out[p.code] = p
    return out


def gazetteer_places(notices: pd.DataFrame) -> list[Place]:
    """The divisions of the gazetteer (extract/divisions.py) a release needs: each notice's own division
    and its parents, up to the province."""
    from extract.divisions import ancestors as parents_of
    from extract.divisions import by_code

    out: dict[str, Place] = {}
    for code in sorted({str(c) for c in notices["division_code"] if _value(c)}):
        d = by_code(code)
        for x in ([d, *parents_of(d)] if d else []):
            out[x.code] = Place(x.code, x.name, x.level, x.parent_code, x.short_name)
    return list(out.values())


def ancestors(code: str | None, places: Mapping[str, Place]) -> list[tuple[int, Place]]:
    """(steps, place) of the parent, grandparent … up to MAX_STEPS; a code the gazetteer lacks ends
    the chain (its name is then the code itself)."""
    out: list[tuple[int, Place]] = []
    here = places.get(code) if code else None
    parent = here.parent_code if here else None
    for steps in range(1, MAX_STEPS + 1):
        if not parent:
            break
        p = places.get(parent) or Place(parent, parent, None, None)
        out.append((steps, p))
        parent = p.parent_code
    return out


def _same_place(place: str, p: Place) -> bool:
    return place in (p.name, p.short_name)


def notice_places(notices: pd.DataFrame, places: Mapping[str, Place]) -> dict[str, Place | None]:
    """notice_id → the place of its jurisdiction: by its division code, else by its name where exactly
    one place has that name; None when neither finds it."""
    named_once: dict[str, Place | None] = {}
    for p in places.values():
        named_once[p.name] = None if p.name in named_once else p  # a name two places share finds neither
    out = {}
    for r in notices.itertuples():
        code = _value(getattr(r, "division_code", None))
        out[str(r.notice_id)] = places.get(str(code)) if code else named_once.get(str(r.jurisdiction))
    return out


def cascade_notices(notices: pd.DataFrame, gazetteer: Iterable[Place] = ()) -> list[dict[str, Any]]:
    """Rows of cascade_notices: per notice, its ancestors (steps 1, 2) and the other jurisdictions its
    title's reports name, with the report and the upper notice of the same year where present."""
    places = places_of(notices, gazetteer)
    where = notice_places(notices, places)
    by_name_year = {(str(r.jurisdiction), int(r.year)): str(r.notice_id) for r in notices.itertuples()}
    by_code_year = {(str(c), int(y)): str(n) for c, y, n in
                    zip(notices.get("division_code", pd.Series(dtype=object)), notices["year"],
                        notices["notice_id"], strict=False) if _value(c)}
    rows = []
    for r in notices.itertuples():
        year, jur = int(r.year), str(r.jurisdiction)
        here = where[str(r.notice_id)]
        named = [(rep, report_place(rep)) for rep in (_value(r.reports) if _value(r.reports) is not None else [])]
        named = [(rep, p) for rep, p in named if p and p != jur and not (here and _same_place(p, here))]
        upper: dict[str, dict[str, Any]] = {}
        for steps, p in ancestors(here.code if here else None, places):
            nid = by_code_year.get((p.code, year)) or by_name_year.get((p.name, year))
            report = next((rep for rep, place in named if _same_place(place, p)), None)
            upper[p.name] = {"upper_division_code": p.code, "steps": steps, "report": report,
                             "upper_notice_id": nid}
        for rep, place in named:
            if any(row["report"] == rep for row in upper.values()):
                continue
            upper.setdefault(place, {"upper_division_code": None, "steps": None, "report": rep,
                                     "upper_notice_id": by_name_year.get((place, year))})
        for name, row in upper.items():
            rows.append({"notice_id": str(r.notice_id), "year": year, "jurisdiction": jur,
                         "upper_jurisdiction": name, **row})
    return rows


def compared_pairs(rows: list[dict[str, Any]]) -> list[tuple[str, str, int | None]]:
    """(lower notice, upper notice, steps) of every cascade_notices row whose upper notice is present,
    in a fixed order."""
    return sorted(((r["notice_id"], r["upper_notice_id"], r["steps"]) for r in rows if r["upper_notice_id"]),
                  key=lambda x: (x[0], x[1]))


def hierarchy_findings(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """quality_findings rows: reports named in a title whose notice is not in the release
    (`cascade_report`), and notices whose parent has no notice in the release (`cascade_parent`)."""
    out = []
    by_notice: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_notice.setdefault(r["notice_id"], []).append(r)
        if r["report"] and not r["upper_notice_id"]:
            out.append({"notice_id": r["notice_id"], "task_no": None, "task_id": None, "check": "cascade_report",
                        "subject": r["report"],
                        "detail": f"the title names {r['report']}, but no {r['upper_jurisdiction']} {r['year']} "
                                  "notice is in the release: its tasks are not compared"})
    for nid, rs in by_notice.items():
        parent = next((r for r in rs if r["steps"] == 1), None)
        if parent is None or parent["upper_notice_id"]:
            continue
        present = [r["upper_jurisdiction"] for r in rs if r["upper_notice_id"]]
        instead = (f"compared with {', '.join(present)} instead" if present
                   else "nothing above it is compared")
        out.append({"notice_id": nid, "task_no": None, "task_id": None, "check": "cascade_parent",
                    "subject": parent["upper_jurisdiction"],
                    "detail": f"no {parent['year']} notice of its parent {parent['upper_jurisdiction']} is in "
                              f"the release; {instead}"})
    return out
