"""The quality gate: validate every table of a staged release with Great Expectations.

Runs one suite per published table (quality.suites) on the validation frames (quality.frames) with an
ephemeral GX context, writes `quality/validation.json` and `quality/summary.md` into the staging
folder (deterministic: run ids, times and expectation ids are left out), and raises GateFailure with
a short readable summary when a blocking check fails. Non-blocking findings are rows of the
quality_findings table, written by transform.

Great Expectations is imported here, inside the quality stage, and nowhere else (it costs ~3 s).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pandas as pd

from extract.errors import GovtasksError, write_text
from quality.frames import load_tables, validation_frames
from quality.suites import UNKNOWN_UNIT_CHECK, Check, build_suites, checked_columns, suite_checks
from quality.summary import SUMMARY_COLUMNS, failure_message, summary_markdown

QUALITY_DIR = "quality"
VALIDATION_FILE = "validation.json"
SUMMARY_FILE = "summary.md"


class GateFailure(GovtasksError):
    """A blocking check failed; the message is the readable summary."""


def _normalize(result: dict[str, Any], check: Check) -> dict[str, Any]:
    """One expectation result without run-specific fields (ids, batch ids)."""
    cfg = result["expectation_config"]
    exc = result.get("exception_info") or {}
    out = {
        "table": check.table,
        "check": check.check,
        "about": check.about,
        "expectation": cfg["type"],
        "kwargs": {k: v for k, v in cfg["kwargs"].items() if k != "batch_id"},
        "shows": list(check.shows),
        "success": bool(result["success"]),
        "result": result.get("result") or {},
    }
    if exc.get("raised_exception"):
        out["success"] = False
        out["exception"] = str(exc.get("exception_message"))
    return out


def no_batch_fingerprints() -> None:
    """GX's pandas engine hashes every frame it is given (all its values, or a pickle of the frame
    when a column holds lists) for a batch marker, `pandas_data_fingerprint`, below HASH_THRESHOLD
    bytes. The gate never reads it (`_normalize` leaves batch ids out), and it cost 1.1 s of the
    gate's 8 s at 1,000 notices: a threshold of 0 turns it off."""
    from great_expectations.execution_engine import pandas_execution_engine

    pandas_execution_engine.HASH_THRESHOLD = 0


def validate(frames: dict[str, pd.DataFrame], checks: dict[str, list[Check]]) -> dict[str, Any]:
    """Run every suite; the normalized report (same input, same report, byte for byte)."""
    import great_expectations as gx

    no_batch_fingerprints()

    # GX sets INFO on one of its own loggers at import ("Created temporary directory …"): quiet all.
    for name in ("great_expectations", "great_expectations.data_context.types.base"):
        logging.getLogger(name).setLevel(logging.ERROR)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = gx.data_context.types.base.ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("release")
    suites = build_suites(checks)
    report: dict[str, Any] = {"great_expectations_version": gx.__version__, "suites": []}
    for table, suite in suites.items():
        batch = source.add_dataframe_asset(table).add_batch_definition_whole_dataframe("all")
        vd = gx.ValidationDefinition(name=table, data=batch, suite=context.suites.add(suite))
        res = context.validation_definitions.add(vd).run(
            batch_parameters={"dataframe": frames[table]}, result_format={"result_format": "SUMMARY"})
        by_id = {c.check: c for c in checks[table]}
        order = {c.check: i for i, c in enumerate(checks[table])}
        raw = json.loads(json.dumps(res.to_json_dict(), default=str))
        results = sorted((_normalize(r, by_id[r["expectation_config"]["meta"]["check"]]) for r in raw["results"]),
                         key=lambda r: order[r["check"]])
        report["suites"].append({
            "suite": table,
            "success": all(r["success"] for r in results),
            "evaluated": len(results),
            "failed": sum(not r["success"] for r in results),
            "results": results,
        })
    report["success"] = all(s["success"] for s in report["suites"])
    return report


def _unknown_units_text(tables: dict[str, pd.DataFrame]) -> str:
    from transform.registry_load import load_registry
    from transform.suggestions import unknown_message, unknown_names

    return unknown_message(unknown_names(tables, load_registry()))


def run_gate(staging: Path, allow_unknown: bool = False, tables: dict[str, pd.DataFrame] | None = None) -> str:
    """Validate `staging/data/*.parquet` (`tables`: those files, already read by `load_tables`);
    write quality/validation.json and quality/summary.md; raise GateFailure with a readable summary
    when a blocking check fails."""
    tables = load_tables(staging) if tables is None else tables
    checks = suite_checks(allow_unknown)
    keep = {table: checked_columns(cs) | SUMMARY_COLUMNS.get(table, set()) for table, cs in checks.items()}
    frames = validation_frames(tables, keep)
    report = {"allow_unknown": allow_unknown, **validate(frames, checks)}
    failed = [r for s in report["suites"] for r in s["results"] if not r["success"]]
    total = sum(len(cs) for cs in checks.values())
    message = None
    if failed:
        unknown = _unknown_units_text(tables) if any(r["check"] == UNKNOWN_UNIT_CHECK for r in failed) else None
        message = failure_message(failed, frames, unknown, total)
    qdir = staging / QUALITY_DIR
    qdir.mkdir(exist_ok=True)
    results = json.dumps(report, ensure_ascii=False, indent=1, sort_keys=True, default=str)
    write_text(qdir / VALIDATION_FILE, results + "\n")
    write_text(qdir / SUMMARY_FILE, summary_markdown(report, frames, message))
    if message:
        raise GateFailure(message)
    findings = len(tables["quality_findings"])
    return f"quality gate passed: {total} checks on {len(checks)} tables, {findings} non-blocking finding(s)"


def preload() -> None:
    """Import Great Expectations now (it takes seconds), e.g. while a Prefect server starts, so the
    gate does not wait for it later."""
    import great_expectations  # noqa: F401
