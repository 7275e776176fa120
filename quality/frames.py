"""The frames the quality gate validates: each published table, plus derived and context columns.

A check that needs more than one table (task numbering within a notice, the count a notice states,
a lead unit where the notice gives lead units, …) is computed here in pandas as a derived column of
the table it concerns, so that one Great Expectations suite per published table can validate it with
a stock expectation. Context columns (notice, task number, source file and line) let the summary
point at the notice; they are added to every frame under the same names.

Derived columns are for validation only: they are never published.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from transform.schema import TABLES

# Context columns every frame carries, for the summary (filled from the tables where they apply).
CONTEXT = ("notice_id", "task_no", "source_name", "line")


def load_tables(staging: Path) -> dict[str, pd.DataFrame]:
    """Every published table of a staged release, as pandas DataFrames."""
    return {t.name: pd.read_parquet(staging / "data" / f"{t.name}.parquet") for t in TABLES}


def _first(df: pd.DataFrame, key: str) -> pd.DataFrame:
    """`df` indexed by `key`, first row per key (broken data may repeat a key; the key check reports it)."""
    return df.drop_duplicates(key).set_index(key)


def _with_task_context(df: pd.DataFrame, tasks: pd.DataFrame, notices: pd.DataFrame) -> pd.DataFrame:
    """`df` (with a task_id column) plus notice_id, task_no, line of its task and the notice's source file."""
    t = _first(tasks, "task_id")
    out = df.copy()
    if "notice_id" not in out.columns:
        out["notice_id"] = out["task_id"].map(t["notice_id"])
    out["task_no"] = out["task_id"].map(t["task_no"])
    out["line"] = out["task_id"].map(t["line"])
    out["source_name"] = out["notice_id"].map(_first(notices, "notice_id")["source_name"])
    return out


def _with_notice_context(df: pd.DataFrame, notices: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    if "source_name" not in out.columns:
        out["source_name"] = out["notice_id"].map(_first(notices, "notice_id")["source_name"])
    for c in CONTEXT:
        if c not in out.columns:
            out[c] = None
    return out


def _first_use(df: pd.DataFrame, key: str, uses: pd.DataFrame) -> pd.DataFrame:
    """`df` plus the context of the first task row (in `uses`, already with context) naming its `key`."""
    first = uses.sort_values(["notice_id", "line"], kind="stable").drop_duplicates(key).set_index(key)
    out = df.copy()
    for c in CONTEXT:
        out[c] = out[key].map(first[c]) if len(first) else None
    return out


def task_numbering(tasks: pd.DataFrame, notices: pd.DataFrame) -> pd.DataFrame:
    """Per task: `numbering_scope` (0, or the chapter where numbers restart per chapter) and
    `expected_task_no`, the number the task would have if numbers ran 1, 2, 3… in notice order."""
    per_chapter = tasks["notice_id"].map(_first(notices, "notice_id")["numbering"]).eq("per_chapter")
    scope = tasks["chapter_no"].where(per_chapter, 0).fillna(0).astype("int64")
    ordered = tasks.assign(numbering_scope=scope).sort_values(["notice_id", "line"], kind="stable")
    expected = ordered.groupby(["notice_id", "numbering_scope"], sort=False).cumcount() + 1
    return pd.DataFrame({"numbering_scope": scope, "expected_task_no": expected.reindex(tasks.index)})


def tasks_frame(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """tasks + numbering, unit counts and whether the task's notice gives lead units."""
    tasks, notices, units = tables["tasks"], tables["notices"], tables["task_units"]
    out = tasks.join(task_numbering(tasks, notices))
    counts = units.groupby("task_id").size()
    lead_counts = units[units["role"] == "lead"].groupby("task_id").size()
    out["unit_count"] = out["task_id"].map(counts).fillna(0).astype("int64")
    out["lead_unit_count"] = out["task_id"].map(lead_counts).fillna(0).astype("int64")
    notices_with_leads = set(out.loc[out["lead_unit_count"] > 0, "notice_id"])
    out["notice_gives_lead_units"] = out["notice_id"].isin(notices_with_leads)
    out["source_name"] = out["notice_id"].map(_first(notices, "notice_id")["source_name"])
    return out


def notices_frame(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """notices + the number of tasks found and the year of the issue date."""
    notices, tasks = tables["notices"], tables["tasks"]
    out = _with_notice_context(notices, notices)
    out["task_count"] = out["notice_id"].map(tasks.groupby("notice_id").size()).fillna(0).astype("int64")
    out["stated_task_count"] = pd.to_numeric(out["stated_task_count"]).astype("float64")
    issued = pd.to_datetime(out["issued_on"].astype("object"), errors="coerce")
    out["issued_year"] = issued.dt.year.astype("float64")
    out["year"] = pd.to_numeric(out["year"]).astype("float64")
    return out


def task_units_frame(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """task_units + task context, the unit's jurisdiction and whether an unknown name has its finding."""
    tu = _with_task_context(tables["task_units"], tables["tasks"], tables["notices"])
    tu["jurisdiction"] = tu["unit_id"].map(_first(tables["units"], "unit_id")["jurisdiction"])
    f = tables["quality_findings"]
    recorded = set(zip(f.loc[f["check"] == "unknown_unit", "notice_id"],
                       f.loc[f["check"] == "unknown_unit", "task_no"], strict=True))
    tu["finding_recorded"] = [(n, t) in recorded for n, t in zip(tu["notice_id"], tu["task_no"], strict=True)]
    return tu


def foreign_key_flag(column: str, parent: str) -> str:
    """Name of the derived column saying whether `column` names an existing row of `parent`."""
    return f"{column}_in_{parent}"


def is_key_of(values: pd.Series, keys: pd.Series) -> np.ndarray:
    """Per value: True where it is one of `keys` (null: False). Same answer as `values.isin(set(keys))`,
    computed by Arrow: pandas' isin on Arrow strings converts the key set one scalar at a time."""
    arr = pa.array(values, from_pandas=True)
    try:
        wanted = pa.array(keys.dropna(), from_pandas=True).cast(arr.type)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return values.isin(set(keys.dropna())).to_numpy(dtype=bool)
    return pc.is_in(arr, value_set=wanted).to_numpy(zero_copy_only=False).astype(bool)


def add_foreign_key_flags(frames: dict[str, pd.DataFrame], tables: dict[str, pd.DataFrame]) -> None:
    """Per foreign key column: True where the value is null or a key of the parent table.

    Validating a boolean keeps the GX expectation small (a value set of every parent key makes GX
    copy that set for each metric: minutes on a large release)."""
    for t in TABLES:
        for fk in t.foreign_keys:
            for col, ref in zip(fk.columns, fk.ref_columns, strict=True):
                df = frames[t.name]
                found = pd.Series(is_key_of(df[col], tables[fk.table][ref]), index=df.index)
                frames[t.name] = df.assign(**{foreign_key_flag(col, fk.table): df[col].isna() | found})


def validation_frames(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """One frame per published table (same rows, same index), ready for its suite."""
    notices, tasks = tables["notices"], tables["tasks"]
    frames: dict[str, pd.DataFrame] = {}
    for t in TABLES:
        df = tables[t.name]
        if t.name == "notices":
            frames[t.name] = notices_frame(tables)
        elif t.name == "tasks":
            frames[t.name] = tasks_frame(tables)
        elif t.name == "task_units":
            frames[t.name] = task_units_frame(tables)
        elif "task_id" in df.columns:
            frames[t.name] = _with_task_context(df, tasks, notices)
        elif "notice_id" in df.columns:
            frames[t.name] = _with_notice_context(df, notices)
        else:
            frames[t.name] = df.copy()
    # Units and leaders belong to no notice: point at the first task that names them.
    if "units" in frames:
        frames["units"] = _first_use(frames["units"], "unit_id", frames["task_units"])
    if "leaders" in frames and "task_leaders" in frames:
        frames["leaders"] = _first_use(frames["leaders"], "leader_id", frames["task_leaders"])
    add_foreign_key_flags(frames, tables)
    for name, df in frames.items():
        for c in CONTEXT:
            if c not in df.columns:
                frames[name] = df = df.assign(**{c: None})
    return frames
