"""report.html section "targets by level": how each shared target is passed down the levels.

Reads the view target_amplification (one row per year, metric and chain): one bar chart per year and
metric with the province's, the prefecture's and the county's value side by side for each chain (in
the view's `unit`), then the chains written out (5.5%左右 → 6%左右 → 6.5%以上) with the comparators.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pygal

from output.report import MAX_GROUPS, _chart_config, _more, esc, has_table, rows, section, svg, table_html

LEVEL_SERIES = (("province", "省级 province"), ("prefecture", "地级 prefecture"), ("county", "县级 county"))


def level_bars(chart_id: str, title: str, chains: list[str], data: list[dict[str, Any]], unit: str) -> str:
    """Vertical bars: one group per chain, one bar per level (province, prefecture, county), each
    labelled with the target as written (6%左右)."""
    chart = pygal.Bar(**_chart_config(width=860, height=380, title=title, x_label_rotation=0,
                                      value_formatter=lambda v: f"{v:g}{unit}"))
    chart.x_labels = chains
    for level, name in LEVEL_SERIES:  # each bar printed as the level writes its target (6%左右)
        chart.add(name, [None if r[f"{level}_value"] is None else
                         {"value": r[f"{level}_value"], "formatter": lambda _v, t=r[f"{level}_target"]: t}
                         for r in data])
    return svg(chart, chart_id)


@section("targets_by_level", "各级目标", "Targets by level", order=55)
def _targets_by_level(db: duckdb.DuckDBPyConnection) -> str | None:
    if not has_table(db, "target_amplification"):
        return None
    data = rows(db, "SELECT year, metric_id, metric_name, chain, targets, comparators, unit, province_value, "
                    "prefecture_value, county_value, province_target, prefecture_target, county_target "
                    "FROM target_amplification ORDER BY year, metric_id, chain")
    if not data:
        return None
    groups = sorted({(r["year"], r["metric_id"], r["metric_name"], r["unit"]) for r in data},
                    key=lambda g: (g[0], g[1], g[3]))
    charts = []
    for i, (year, mid, name, unit) in enumerate(groups[:MAX_GROUPS]):
        part = [r for r in data if (r["year"], r["metric_id"], r["unit"]) == (year, mid, unit)]
        charts.append(level_bars(f"levels-{i + 1}", f"{year} {name} 各级目标 · targets by level ({mid}, {unit})",
                                 [r["chain"] for r in part], part, unit))
    lead = ("<p>同一指标的目标自上而下逐级传导：省、市、县各自的目标并列。<br><span class=en>The same metric's "
            "target as each level sets it, side by side, province → prefecture → county.</span></p>")
    table = table_html([("年份", "year"), ("指标", "metric"), ("层级链", "chain"), ("各级目标", "targets"),
                        ("比较方式", "comparators")],
                       [[r["year"], r["metric_name"], r["chain"], r["targets"], r["comparators"]] for r in data])
    more = _more([f"{y} {n}" for y, _, n, _ in groups])
    return lead + "".join(charts) + more + table + (f"<p class=note>{esc(len(data))} 条层级链 · chains</p>")
