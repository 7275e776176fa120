"""Readable summaries of the gate's results: the failure message and the summary.md of a release.

Both are deterministic (no times, no run ids) and short: a failed check names its table and what it
expects, with up to five offending rows located by notice, task number and source line.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from extract.messages import more as more_text
from quality.suites import UNKNOWN_UNIT_CHECK, expectation_columns

MAX_ROWS = 5
_CONTEXT_COLS = ("notice_id", "task_no", "source_name", "line")
SUMMARY_COLUMNS = {"quality_findings": {"check"}}  # what the summary reads beside the checked columns
_HIDDEN = ("numbering_scope",)  # helper columns that mean nothing to a reader


def _value(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return "—"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, str) and (not v or v != v.strip()):
        return repr(v)  # white space at either end (or nothing at all) shows in quotes
    return str(v)


def where(row: pd.Series) -> str:
    """`file:line notice N, task M` for a row with context columns (parts it lacks are left out)."""
    src, line = row.get("source_name"), row.get("line")
    loc = _value(src) if src is not None and _value(src) != "—" else ""
    if loc and _value(line) != "—":
        loc += f":{_value(line)}"
    parts = [loc] if loc else []
    if _value(row.get("notice_id")) != "—":
        parts.append(f"notice {row['notice_id']}")
    if _value(row.get("task_no")) != "—":
        parts.append(f"task {_value(row['task_no'])}")
    return ", ".join(parts)


def offending_rows(result: dict[str, Any], frame: pd.DataFrame) -> list[str]:
    """Up to MAX_ROWS lines, one per offending row in file and line order: where it is, then the
    values checked."""
    index = [i for i in result["result"].get("partial_unexpected_index_list") or [] if i in frame.index]
    checked = result.get("shows") or expectation_columns(result["kwargs"])
    cols = [c for c in checked if c in frame.columns and c not in _HIDDEN]
    pair = "column_A" in result["kwargs"]
    rows = frame.loc[index].sort_values(["source_name", "line"], kind="stable", na_position="last")
    lines = []
    for _, row in rows.head(MAX_ROWS).iterrows():
        # Context values are already in `where`, except in a comparison of two columns.
        shown = [c for c in cols if pair or c not in _CONTEXT_COLS or _value(row[c]) == "—"]
        values = ", ".join(f"{c}={_value(row[c])}" for c in shown)
        lines.append(": ".join(p for p in (where(row), values) if p))
    return lines


def failure_line(result: dict[str, Any]) -> str:
    """`table: what it expects [expectation] — N of M rows fail`."""
    r = result["result"]
    exc = result.get("exception")
    if exc:
        tail = f"could not run: {exc}"
    elif "unexpected_count" in r:
        tail = f"{r['unexpected_count']} of {r.get('element_count', '?')} rows fail"
    else:
        tail = f"observed {r.get('observed_value')}"
    return f"{result['table']}: {result['about']} [{result['expectation']}] — {tail}"


def failure_message(failed: list[dict[str, Any]], frames: dict[str, pd.DataFrame],
                    unknown_units: str | None, total: int) -> str:
    """The GateFailure message: one paragraph per failed check, nothing published."""
    out = [f"quality gate failed: {len(failed)} of {total} checks did not pass; nothing was published."]
    for res in failed:
        out.append("✗ " + failure_line(res))
        if res["check"] == UNKNOWN_UNIT_CHECK and unknown_units:
            out.extend("    " + ln for ln in unknown_units.splitlines())
            continue
        rows = offending_rows(res, frames[res["table"]])
        out.extend("    " + ln for ln in rows)
        more = res["result"].get("unexpected_count", 0) - len(rows)
        if rows and more > 0:
            out.append(f"    {more_text(more)}")
    return "\n".join(out)


def summary_markdown(report: dict[str, Any], frames: dict[str, pd.DataFrame], message: str | None) -> str:
    """summary.md: the outcome, every check with its result, and the non-blocking findings by check."""
    n_ok = sum(r["success"] for s in report["suites"] for r in s["results"])
    n_all = sum(len(s["results"]) for s in report["suites"])
    findings = frames["quality_findings"]
    lines = [
        "# Quality gate",
        "",
        f"Result: **{'passed' if report['success'] else 'FAILED'}** — {n_ok} of {n_all} checks passed "
        f"on {len(report['suites'])} tables (Great Expectations {report['great_expectations_version']}).",
        f"Unknown unit names allowed (--allow-unknown): {'yes' if report['allow_unknown'] else 'no'}.",
        f"Non-blocking findings (table quality_findings): {len(findings)}.",
        "",
        "Full results: validation.json (one suite per table).",
    ]
    if message:
        lines += ["", "```", message, "```"]
    for s in report["suites"]:
        lines += ["", f"## {s['suite']}", "", "| | check | expectation | rows checked | failing |",
                  "|---|---|---|---|---|"]
        for r in s["results"]:
            mark = "✓" if r["success"] else "✗"
            res = r["result"]
            lines.append(f"| {mark} | {r['about']} | {r['expectation']} | {res.get('element_count', '')} "
                         f"| {res.get('unexpected_count', '')} |")
    if len(findings):
        lines += ["", "## Findings by check", "", "| check | findings |", "|---|---|"]
        for check, n in findings.groupby("check").size().sort_index().items():
            lines.append(f"| {check} | {n} |")
    return "\n".join(lines) + "\n"
