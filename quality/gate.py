"""The quality gate: validate every table of a staged release with Great Expectations.

Great Expectations is imported here, inside the quality stage, and nowhere else (it costs ~3 s).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd

from extract.errors import GovtasksError
from transform.schema import TABLES, Table


class GateFailure(GovtasksError):
    """A blocking check failed; the message is the readable summary."""


def _suite_expectations(tbl: Table) -> list:
    import great_expectations as gx

    exps: list = []
    if len(tbl.primary_key) == 1:
        exps.append(gx.expectations.ExpectColumnValuesToBeUnique(column=tbl.primary_key[0]))
    else:
        exps.append(gx.expectations.ExpectCompoundColumnsToBeUnique(column_list=list(tbl.primary_key)))
    for c in tbl.columns:
        if c.required:
            exps.append(gx.expectations.ExpectColumnValuesToNotBeNull(column=c.name))
        if c.enum:
            exps.append(gx.expectations.ExpectColumnValuesToBeInSet(column=c.name, value_set=list(c.enum)))
    return exps


def run_gate(staging: Path, allow_unknown: bool = False) -> str:
    """Validate `staging/data/*.parquet`; write quality/validation.json; raise GateFailure on failure."""
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = gx.data_context.types.base.ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("release")
    results, failures = {}, []
    for tbl in TABLES:
        df = pd.read_parquet(staging / "data" / f"{tbl.name}.parquet")
        batch_def = source.add_dataframe_asset(tbl.name).add_batch_definition_whole_dataframe("all")
        suite = context.suites.add(gx.ExpectationSuite(name=tbl.name))
        for e in _suite_expectations(tbl):
            suite.add_expectation(e)
        vd = context.validation_definitions.add(gx.ValidationDefinition(name=tbl.name, data=batch_def, suite=suite))
        res = vd.run(batch_parameters={"dataframe": df})
        results[tbl.name] = res.to_json_dict()
        for r in res.results:
            if not r.success:
                failures.append(f"{tbl.name}: {r.expectation_config.type} {r.expectation_config.kwargs}")
    qdir = staging / "quality"
    qdir.mkdir(exist_ok=True)
    (qdir / "validation.json").write_text(json.dumps(results, ensure_ascii=False, indent=1, sort_keys=True,
                                                     default=str), encoding="utf-8")
    if failures:
        raise GateFailure("quality gate failed:\n" + "\n".join(failures))
    return "passed"
