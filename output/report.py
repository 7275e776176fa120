"""report.html: one self-contained page about a release, Chinese first with English beside it.

The page reads the release's own database (the tables and views it publishes; nothing is recomputed
in another way) and draws its charts with pygal as inline SVG: no script, no stylesheet, font or image
from the network, so it opens offline.

Sections are plain functions registered with `@section(...)`; each gets the read-only database
connection and returns its HTML, or None when it has nothing to show (then it is left out). To add
one (e.g. targets by level from a later table), write a function in a module and decorate it:

    @section("targets_by_level", "各级目标", "Targets by level", order=55)
    def _targets_by_level(db: duckdb.DuckDBPyConnection) -> str | None:
        if not has_table(db, "target_cascade"):
            return None
        ...

and add that module to `SECTION_MODULES` below.
"""

from __future__ import annotations

import html
import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pygal
from pygal.style import Style

from extract.errors import write_text

REPORT = "report.html"
MAX_GROUPS = 12  # notices (or jurisdiction-years) drawn one by one; the rest are named, not drawn
MAX_BARS = 15  # bars in a ranking chart
MAX_ROWS = 60  # rows in a table on the page (the data files hold all)
SECTION_MODULES = ("output.report", "output.report_levels")  # modules whose @section functions make up the page

FONTS = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif'
CHART_STYLE = Style(font_family=FONTS, background="white", plot_background="white",
                    colors=("#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#e53e3e", "#718096"),
                    label_font_size=11, major_label_font_size=11, legend_font_size=12, title_font_size=14,
                    value_font_size=10, tooltip_font_size=11)


@dataclass(frozen=True)
class Section:
    key: str
    title_zh: str
    title_en: str
    order: int
    render: Callable[[duckdb.DuckDBPyConnection], str | None]


SECTIONS: dict[str, Section] = {}


def section(key: str, title_zh: str, title_en: str, order: int) -> Callable:
    """Register a report section (sections are drawn by `order`, then key)."""
    def register(fn: Callable[[duckdb.DuckDBPyConnection], str | None]) -> Callable:
        SECTIONS[key] = Section(key, title_zh, title_en, order, fn)
        return fn
    return register


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def has_table(db: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(db.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [name]).fetchone()[0]
                or db.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = ?", [name]).fetchone()[0])


def rows(db: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cur = db.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def table_html(headers: list[tuple[str, str]], body: list[list[object]], total: int | None = None) -> str:
    """An HTML table with bilingual headers (zh, en); at most MAX_ROWS rows, the rest counted."""
    head = "".join(f"<th>{esc(zh)}<br><span class=en>{esc(en)}</span></th>" for zh, en in headers)
    lines = "".join("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in r) + "</tr>" for r in body[:MAX_ROWS])
    more = (total if total is not None else len(body)) - min(len(body), MAX_ROWS)
    note = f"<p class=note>另有 {more} 行，见数据文件 · {more} more rows in the data files</p>" if more > 0 else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{lines}</tbody></table>{note}"


_UUID = re.compile(r"chart-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_COMMENT = re.compile(r"<!--.*?-->", re.S)  # pygal's comments carry the date of the run
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)  # its tooltip configuration (no tooltips offline)


def svg(chart: Any, chart_id: str) -> str:
    """A pygal chart as inline SVG: no script, no comment, no XML declaration, and a stable id instead
    of pygal's random one (so the page is byte-identical on reruns)."""
    text = chart.render(is_unicode=True)
    text = _SCRIPT.sub("", _COMMENT.sub("", text))
    text = _UUID.sub(f"chart-{chart_id}", text)
    return f'<figure class=chart data-chart="{esc(chart_id)}">{text}</figure>'


def _chart_config(**kw: Any) -> dict[str, Any]:
    return {"style": CHART_STYLE, "js": [], "disable_xml_declaration": True, "explicit_size": True,
            "print_values": True, "show_legend": True, "legend_at_bottom": True, "truncate_label": -1,
            "truncate_legend": -1, **kw}


def hbar(chart_id: str, title: str, labels: list[str], series: list[tuple[str, list[int]]],
         stacked: bool = False) -> str:
    """Horizontal bars, one per label (first label on top)."""
    cls = pygal.HorizontalStackedBar if stacked else pygal.HorizontalBar
    height = 80 + 26 * max(len(labels), 1)
    # pygal sizes the label column for Latin letters; a CJK character is about twice as wide
    wide = max((sum(2 if ord(ch) > 0x2E80 else 1 for ch in label) for label in labels), default=0)
    chart = cls(**_chart_config(width=860, height=height, title=title, show_legend=len(series) > 1,
                                margin_left=int(wide * 3.2)))
    chart.x_labels = list(reversed(labels))
    for name, values in series:
        chart.add(name, list(reversed(values)))
    return svg(chart, chart_id)


# ---- sections -----------------------------------------------------------------------------------------

@section("overview", "本次发布包含什么", "What the release holds", order=10)
def _overview(db: duckdb.DuckDBPyConnection) -> str:
    notices = rows(db, "SELECT n.notice_id, n.jurisdiction, n.year, n.title, n.issuer, n.issued_on, "
                       "(SELECT count(*) FROM tasks t WHERE t.notice_id = n.notice_id) AS tasks, "
                       "(SELECT count(*) FROM targets g JOIN tasks t USING (task_id) "
                       " WHERE t.notice_id = n.notice_id) AS targets "
                       "FROM notices n ORDER BY n.jurisdiction, n.year")
    places = sorted({n["jurisdiction"] for n in notices})
    years = sorted({n["year"] for n in notices})
    tasks = sum(n["tasks"] for n in notices)
    facts = (f"<p class=lead>{len(notices)} 份通知 · {len(places)} 个地区 · {len(years)} 个年份"
             f"（{esc('、'.join(str(y) for y in years))}）· {tasks} 项任务<br>"
             f"<span class=en>{len(notices)} notice(s) · {len(places)} jurisdiction(s) · {len(years)} year(s) "
             f"({esc(', '.join(str(y) for y in years))}) · {tasks} tasks</span></p>")
    body = [[n["jurisdiction"], n["year"], n["title"], n["issuer"], n["issued_on"], n["tasks"], n["targets"]]
            for n in notices]
    return facts + table_html([("地区", "jurisdiction"), ("年份", "year"), ("方案标题", "title"),
                               ("发文机关", "issuer"), ("成文日期", "issued"), ("任务数", "tasks"),
                               ("量化目标", "targets")], body)


@section("chapters", "各章任务数", "Tasks per chapter", order=20)
def _chapters(db: duckdb.DuckDBPyConnection) -> str | None:
    data = rows(db, "SELECT c.notice_id, c.chapter_no, c.title, count(t.task_id) AS tasks FROM chapters c "
                    "LEFT JOIN tasks t ON t.notice_id = c.notice_id AND t.chapter_no = c.chapter_no "
                    "WHERE c.level = 'chapter' GROUP BY ALL ORDER BY c.notice_id, c.chapter_no")
    if not data:
        return None
    out, ids = [], sorted({r["notice_id"] for r in data})
    for i, nid in enumerate(ids[:MAX_GROUPS]):
        part = [r for r in data if r["notice_id"] == nid]
        out.append(hbar(f"chapters-{i + 1}", f"{nid} 各章任务数 · tasks per chapter",
                        [f"{r['chapter_no']}. {r['title']}" for r in part],
                        [("任务 tasks", [r["tasks"] for r in part])]))
    return "".join(out) + _more(ids)


def _more(groups: list[str]) -> str:
    rest = groups[MAX_GROUPS:]
    if not rest:
        return ""
    return (f"<p class=note>另有 {len(rest)} 组未绘图：{esc('、'.join(rest))} · "
            f"{len(rest)} more not drawn</p>")


def _latest_years(db: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    return [(r[0], r[1]) for r in db.execute("SELECT jurisdiction, max(year) FROM notices GROUP BY ALL "
                                              "ORDER BY jurisdiction").fetchall()]


@section("units", "牵头单位工作量", "Lead units by workload", order=30)
def _units(db: duckdb.DuckDBPyConnection) -> str | None:
    out, groups = [], _latest_years(db)
    for i, (place, year) in enumerate(groups[:MAX_GROUPS]):
        top = rows(db, "SELECT unit, lead_tasks, other_tasks FROM unit_workload WHERE jurisdiction = ? "
                       "AND year = ? AND lead_tasks + other_tasks > 0 ORDER BY lead_tasks DESC, other_tasks DESC, "
                       "unit LIMIT ?", [place, year, MAX_BARS])
        if top:
            out.append(hbar(f"units-{i + 1}",
                            f"{place} {year} 牵头与参与任务最多的单位 · units leading and sharing most tasks",
                            [r["unit"] for r in top],
                            [("牵头 lead", [r["lead_tasks"] for r in top]),
                             ("参与 other", [r["other_tasks"] for r in top])], stacked=True))
    return "".join(out) + _more([f"{p} {y}" for p, y in groups]) if out else None


@section("leaders", "牵头领导分工", "Leaders' portfolios", order=40)
def _leaders(db: duckdb.DuckDBPyConnection) -> str | None:
    out, groups = [], _latest_years(db)
    for i, (place, year) in enumerate(groups[:MAX_GROUPS]):
        data = rows(db, "SELECT leader, tasks_led, status FROM leader_portfolios WHERE jurisdiction = ? "
                        "AND year = ? AND tasks_led > 0 ORDER BY tasks_led DESC, leader LIMIT ?",
                    [place, year, MAX_BARS])
        if data:
            out.append(hbar(f"leaders-{i + 1}", f"{place} {year} 各牵头领导牵头任务数 · tasks led per leader",
                            [r["leader"] for r in data], [("牵头任务 tasks led", [r["tasks_led"] for r in data])]))
    return "".join(out) + _more([f"{p} {y}" for p, y in groups]) if out else None


@section("targets", "量化目标", "Quantitative targets", order=50)
def _targets(db: duckdb.DuckDBPyConnection) -> str | None:
    total = db.execute("SELECT count(*) FROM targets").fetchone()[0]
    if not total:
        return None
    data = db.execute("SELECT t.notice_id, t.task_no, g.metric, g.direction, g.comparator, g.value, g.unit, g.raw "
                      "FROM targets g JOIN tasks t USING (task_id) ORDER BY t.notice_id, t.task_no, g.position "
                      "LIMIT ?", [MAX_ROWS]).fetchall()
    body = [[nid, no, metric, direction, f"{value:g}{unit}{comparator or ''}", raw]
            for nid, no, metric, direction, comparator, value, unit, raw in data]
    return (f"<p>{total} 个量化目标 · {total} targets</p>"
            + table_html([("通知", "notice"), ("任务", "task"), ("指标", "metric"), ("方向", "direction"),
                          ("目标", "target"), ("原文", "as printed")], body, total))


@section("changes", "逐年变化", "What changed year over year", order=60)
def _changes(db: duckdb.DuckDBPyConnection) -> str | None:
    from output.changelog import YoyPair, yoy_words

    pairs = db.execute("SELECT jurisdiction, year_from, year_to, continued, unchanged, reworded, new, dropped, "
                       "target_changes, leaders_appearing, leaders_leaving FROM yoy_summary "
                       "ORDER BY jurisdiction, year_from").fetchall()
    if not pairs:
        return None
    # At most MAX_ROWS pairs in words and in the chart (thousands of bars say nothing; the view has all)
    summary = [YoyPair(*p[:9], sorted(p[9] or []), sorted(p[10] or [])) for p in pairs[:MAX_ROWS]]
    words = "".join(f"<li>{esc(zh)}<br><span class=en>{esc(en)}</span></li>" for zh, en in map(yoy_words, summary))
    if len(pairs) > len(summary):
        more = len(pairs) - len(summary)
        words += (f"<li class=note>另有 {more} 组相邻年份，见视图 yoy_summary · {more} more pairs of years in the "
                  "view yoy_summary</li>")
    labels = [f"{p.jurisdiction} {p.year_from}→{p.year_to}" for p in summary]
    chart = hbar("changes", "延续、新增与取消的任务 · tasks continued, new and dropped", labels,
                 [("延续 continued", [p.continued for p in summary]), ("新增 new", [p.new for p in summary]),
                  ("取消 dropped", [p.dropped for p in summary])], stacked=True)
    moves = db.execute("SELECT jurisdiction, year_from, year_to, task_no_to, metric, change, target_from, target_to "
                       "FROM yoy_target_moves ORDER BY jurisdiction, year_to, task_no_to, metric").fetchall()
    handovers = db.execute("SELECT jurisdiction, year_from, year_to, task_no_from, task_no_to, leaders_from, "
                           "leaders_to FROM yoy_leader_handovers ORDER BY jurisdiction, year_to, task_no_to"
                           ).fetchall()
    out = f"<ul>{words}</ul>{chart}"
    out += "<h3>目标变化 <span class=en>Targets that moved</span></h3>" + table_html(
        [("地区", "jurisdiction"), ("前一年", "from"), ("后一年", "to"), ("任务", "task"), ("指标", "metric"),
         ("变化", "change"), ("前一年目标", "target before"), ("后一年目标", "target after")],
        [list(m) for m in moves])
    out += "<h3>牵头领导变动 <span class=en>Leaders who took over</span></h3>" + table_html(
        [("地区", "jurisdiction"), ("前一年", "from"), ("后一年", "to"), ("前一年任务", "task before"),
         ("后一年任务", "task after"), ("前一年牵头领导", "led by"), ("后一年牵头领导", "now led by")],
        [[*h[:5], "、".join(h[5] or []), "、".join(h[6] or [])] for h in handovers])
    return out


# ---- the page -----------------------------------------------------------------------------------------

CSS = f"""
body {{ font-family: {FONTS}; margin: 0 auto; max-width: 920px; padding: 1.5em; color: #1a202c; }}
h1 {{ font-size: 1.6em; margin-bottom: .2em; }} h2 {{ border-bottom: 2px solid #2b6cb0; padding-bottom: .2em; }}
.en {{ color: #4a5568; font-size: .92em; }} .lead {{ font-size: 1.1em; }} .note {{ color: #718096; }}
table {{ border-collapse: collapse; width: 100%; font-size: .9em; margin: .5em 0 1em; }}
th, td {{ border: 1px solid #e2e8f0; padding: .3em .5em; text-align: left; vertical-align: top; }}
th {{ background: #edf2f7; }} figure.chart {{ margin: 1em 0; }} figure.chart svg {{ max-width: 100%; height: auto; }}
footer {{ margin-top: 2em; color: #718096; font-size: .85em; }}
"""


def render_report(database: Path, version: str, settings: dict[str, Any]) -> str:
    """The page for the release whose database is `database`."""
    for module in SECTION_MODULES:
        importlib.import_module(module)
    title = settings["title"]
    con = duckdb.connect(str(database), read_only=True)
    try:
        parts = []
        for s in sorted(SECTIONS.values(), key=lambda s: (s.order, s.key)):
            body = s.render(con)
            if body:
                parts.append(f'<section id="{esc(s.key)}"><h2>{esc(s.title_zh)} <span class=en>{esc(s.title_en)}'
                             f"</span></h2>{body}</section>")
    finally:
        con.close()
    lic = settings["license"]
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title['zh'])} {esc(version)} · {esc(title['en'])}</title><style>{CSS}</style></head>"
            f"<body><header><h1>{esc(title['zh'])}<br><span class=en>{esc(title['en'])}</span></h1>"
            f"<p>版本 {esc(version)} · version {esc(version)}</p></header>{''.join(parts)}"
            f"<footer><p>数据许可 · Licence: {esc(lic['title'])} ({esc(lic['path'])})。"
            f"{esc(settings['sources_status']['zh'])}<br><span class=en>{esc(settings['sources_status']['en'])}"
            f"</span></p><p>数据文件、数据字典与更新记录见本文件夹：data/、DATA_DICTIONARY.md、CHANGELOG.md · "
            f"The data files, data dictionary and changelog are in this folder.</p></footer></body></html>\n")


def write_report(path: Path, database: Path, version: str, settings: dict[str, Any]) -> None:
    write_text(path, render_report(database, version, settings))
