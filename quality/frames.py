"""The frames the quality gate validates: each published table, plus derived and context columns.

A check that needs more than one table (task numbering within a notice, the count a notice states,
a lead unit where the notice gives lead units, …) is computed here in pandas as a derived column of
the table it concerns, so that one Great Expectations suite per published table can validate it with
a stock expectation. Context columns (notice, task number, source file and line) let the summary
point at the notice; they are added to every frame under the same names.

Derived columns are for validation only: they are never published.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from extract.damaged_tasks import DAMAGED, NO_LEAD
from transform.columns import is_key_of, positions
from transform.schema import TABLES, Table
from transform.tables import notice_of_task_id

# Context columns every frame carries, for the summary (filled from the tables where they apply).
CONTEXT = ("notice_id", "task_no", "source_name", "line")
# Derived column naming the columns a row leaves empty: a required (or key) column null, or any text
# column holding only white space (text is null or has something to say). None where none is.
EMPTY_COLUMNS = "empty_columns"
# A value with at least one character that is not white space. White space as extract.textnorm reads
# it (ASCII, U+3000, NBSP, zero-width space, BOM), written as the characters themselves so that
# Python's re and Arrow's RE2 read the class alike.
NOT_BLANK = "[^\\s\u3000\u00a0\u200b\ufeff]"
# What a text that is only white space starts with: nothing (the empty text) or one of the
# characters NOT_BLANK leaves out (RE2's \s is ASCII: tab, LF, FF, CR, space).
BLANK_STARTS = ("", "\t", "\n", "\f", "\r", " ", "\u3000", "\u00a0", "\u200b", "\ufeff")


def load_tables(staging: Path) -> dict[str, pd.DataFrame]:
    """Every published table of a staged release, as pandas DataFrames."""
    return {t.name: pd.read_parquet(staging / "data" / f"{t.name}.parquet") for t in TABLES}


def _first(df: pd.DataFrame, key: str) -> pd.DataFrame:
    """`df` indexed by `key`, first row per key (broken data may repeat a key; the key check reports it)."""
    return df.drop_duplicates(key).set_index(key)


def _with_task_context(df: pd.DataFrame, tasks: pd.DataFrame, notices: pd.DataFrame) -> pd.DataFrame:
    """`df` (with a task_id column) plus notice_id, task_no, line of its task and the notice's source file
    (columns `df` has already are kept). A task_id naming no task (a foreign key failure) still gets
    the notice its id names, so that the summary can say where it comes from."""
    t = _first(tasks, "task_id")
    out = df.copy()
    lookup = _lookup(out["task_id"], t)
    if "notice_id" not in out.columns:
        out["notice_id"] = lookup("notice_id")
        orphan = out["notice_id"].isna() & out["task_id"].notna()
        if orphan.any():
            out.loc[orphan, "notice_id"] = out.loc[orphan, "task_id"].map(notice_of_task_id)
    for c in ("task_no", "line"):
        if c not in out.columns:
            out[c] = lookup(c)
    out["source_name"] = _mapped(out["notice_id"], _first(notices, "notice_id"), "source_name")
    return out


def _lookup(keys: pd.Series, table: pd.DataFrame) -> Callable[[str], pd.Series]:
    """`column → keys.map(table[column])`, with the keys looked up in `table`'s index once for all
    columns (each `map` of half a million Arrow strings converts and hashes them again)."""
    pos = positions(keys, table.index)
    if (pos < 0).any():  # a key naming no row: `map` gives the missing values their right dtype
        return lambda column: keys.map(table[column])
    return lambda column: pd.Series(table[column].array.take(pos), index=keys.index, name=keys.name)


def _mapped(keys: pd.Series, table: pd.DataFrame, column: str) -> pd.Series:
    """`keys.map(table[column])` (`table` indexed by key), by way of `_lookup`."""
    return _lookup(keys, table)(column)


def _with_notice_context(df: pd.DataFrame, notices: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    if "source_name" not in out.columns:
        out["source_name"] = _mapped(out["notice_id"], _first(notices, "notice_id"), "source_name")
    for c in CONTEXT:
        if c not in out.columns:
            out[c] = None
    return out


def _first_use(df: pd.DataFrame, key: str, uses: pd.DataFrame) -> pd.DataFrame:
    """`df` plus the context of the first task row (in `uses`, already with context) naming its `key`."""
    first = uses.sort_values(["notice_id", "line"], kind="stable").drop_duplicates(key).set_index(key)
    out = df.copy()
    context = _lookup(out[key], first) if len(first) else None
    for c in CONTEXT:
        out[c] = context(c) if context else None
    return out


def task_numbering(tasks: pd.DataFrame, notices: pd.DataFrame) -> pd.DataFrame:
    """Per task: `numbering_scope` (0, or the chapter where numbers restart per chapter) and
    `expected_task_no`, the number the task would have if numbers ran 1, 2, 3… in notice order."""
    per_chapter = _mapped(tasks["notice_id"], _first(notices, "notice_id"), "numbering").eq("per_chapter")
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
    # A task extract flagged as damaged (cut off, no responsibilities) is published with its finding:
    # the unit checks do not block on it; nor does the lead-unit check on a task whose bracket names
    # no lead on purpose (finding no_lead_unit).
    findings = tables["quality_findings"]
    out["damaged"] = out["task_id"].isin(findings.loc[findings["check"] == DAMAGED, "task_id"])
    no_lead = out["task_id"].isin(findings.loc[findings["check"] == NO_LEAD, "task_id"])  # (A、B等按职责分工负责)
    out["lead_unit_expected"] = out["notice_gives_lead_units"] & ~out["damaged"] & ~no_lead
    out["source_name"] = _mapped(out["notice_id"], _first(notices, "notice_id"), "source_name")
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


def findings_recorded(tu: pd.DataFrame, findings: pd.DataFrame) -> np.ndarray:
    """Per task_units row with match `unknown`: True where quality_findings has its `unknown_unit`
    row, matched on the task and the name as printed (task_id, subject = raw_name). A task naming the
    same unknown name twice needs two findings. Other rows: True. Grouped by pandas (no Python loop
    per row)."""
    out = np.ones(len(tu), dtype=bool)
    unknown = np.flatnonzero((tu["match"] == "unknown").to_numpy(dtype=bool, na_value=False))
    if not len(unknown):
        return out
    f = findings[findings["check"] == "unknown_unit"]
    available = f.groupby(["task_id", "subject"], dropna=False).size()
    rows = pd.DataFrame({"task_id": tu["task_id"].array.take(unknown),  # those rows only, as they are
                         "subject": tu["raw_name"].array.take(unknown)})
    nth = rows.groupby(["task_id", "subject"], dropna=False, sort=False).cumcount().to_numpy() + 1  # in row order
    keys = pd.MultiIndex.from_frame(rows)
    have = available.reindex(keys).fillna(0).to_numpy() if len(available) else np.zeros(len(rows))
    out[unknown] = nth <= have
    return out


def _owner_columns(df: pd.DataFrame, id_col: str, owners: pd.DataFrame, prefix: str,
                   notices: pd.DataFrame) -> pd.DataFrame:
    """`df` (a task's units or leaders, with notice context) plus the jurisdiction and name of the row
    its `id_col` names (`{prefix}_jurisdiction`, `{prefix}_name`) and its task's notice jurisdiction
    (`task_jurisdiction`): a task may only name units and leaders of its own jurisdiction, by their name."""
    owner = _lookup(df[id_col], _first(owners, id_col))
    return df.assign(**{
        f"{prefix}_jurisdiction": owner("jurisdiction"),
        "task_jurisdiction": _mapped(df["notice_id"], _first(notices, "notice_id"), "jurisdiction"),
        f"{prefix}_name": owner("name"),
    })


def task_units_frame(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """task_units + task context, the unit's jurisdiction and name, and whether an unknown name has
    its finding."""
    tu = _with_task_context(tables["task_units"], tables["tasks"], tables["notices"])
    tu = _owner_columns(tu, "unit_id", tables["units"], "unit", tables["notices"])
    tu["finding_recorded"] = findings_recorded(tu, tables["quality_findings"])
    return tu


def task_leaders_frame(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """task_leaders + task context and the leader's jurisdiction and name."""
    tl = _with_task_context(tables["task_leaders"], tables["tasks"], tables["notices"])
    return _owner_columns(tl, "leader_id", tables["leaders"], "leader", tables["notices"])


def foreign_key_flag(column: str, parent: str) -> str:
    """Name of the derived column saying whether `column` names an existing row of `parent`."""
    return f"{column}_in_{parent}"


def required_columns(tbl: Table) -> list[str]:
    """Columns of `tbl` that must be filled: required ones and those of its primary key."""
    return [c.name for c in tbl.columns if c.required or c.name in tbl.primary_key]


def only_white_space(texts: pa.Array) -> np.ndarray:
    """Per text: True where it holds nothing but white space (the empty text too); null is False. The
    pattern runs only on the texts that start as such a text must (`BLANK_STARTS`): most texts do
    not, and their first character alone is cheaper to read than a match."""
    out = np.zeros(len(texts), dtype=bool)
    first = pc.utf8_slice_codeunits(texts, 0, 1)
    maybe = np.flatnonzero(pc.fill_null(pc.is_in(first, value_set=pa.array(BLANK_STARTS)), False)
                           .to_numpy(zero_copy_only=False))
    if len(maybe):
        found = pc.fill_null(pc.match_substring_regex(texts.take(maybe), NOT_BLANK), True)
        out[maybe] = ~found.to_numpy(zero_copy_only=False).astype(bool)
    return out


def empty_columns(df: pd.DataFrame, tbl: Table) -> pd.Series:
    """Per row: the columns it leaves empty (a required one null, any text one only white space),
    joined by ", "; None where there is none. One derived column per table keeps the gate fast (every
    GX expectation costs ~10 ms, even on an empty table)."""
    required = set(required_columns(tbl))
    empty = {}
    for c in tbl.columns:
        if c.type != "string" and c.name not in required:
            continue
        mask = df[c.name].isna().to_numpy(dtype=bool, copy=True)
        if c.type == "string":
            mask = (mask & (c.name in required)) | only_white_space(pa.array(df[c.name], from_pandas=True,
                                                                             type=pa.string()))
        empty[c.name] = mask
    out = np.full(len(df), None, dtype=object)
    for i in np.flatnonzero(np.logical_or.reduce(list(empty.values()))) if empty else ():
        out[i] = ", ".join(n for n, m in empty.items() if m[i])
    return pd.Series(out, index=df.index, dtype=object)


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


def validation_frames(tables: dict[str, pd.DataFrame],
                      keep: Mapping[str, set[str]] | None = None) -> dict[str, pd.DataFrame]:
    """One frame per published table (same rows and index labels, in notice and line order), ready for
    its suite; with `keep`, only those columns of each table (and the context columns) are put in
    order, the others left out: no check reads the texts of tasks or the details of findings,
    and putting every column in order (an Arrow take per column) was the largest part of building
    these frames."""
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
        elif t.name == "task_leaders":
            frames[t.name] = task_leaders_frame(tables)
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
    for t in TABLES:
        frames[t.name] = frames[t.name].assign(**{EMPTY_COLUMNS: empty_columns(tables[t.name], t)})
    for name, df in frames.items():
        for c in CONTEXT:
            if c not in df.columns:
                df = df.assign(**{c: None})
        if keep is not None:
            df = df[[c for c in df.columns if c in keep.get(name, set()) or c in CONTEXT]]
        frames[name] = in_notice_order(df)
    return frames


def in_notice_order(df: pd.DataFrame) -> pd.DataFrame:
    """`df`'s rows by notice and line (index labels kept; no notice or line: last), so that GX, which
    lists the first offending rows in frame order, lists those of the first notices in reading order
    (the summary puts them in file order: quality.summary). The published tables are in key order,
    which is notice order, and within a notice mostly line order: rows already in order are not
    moved (moving every column of millions of rows was the gate's largest cost at 10,000 notices)."""
    if len(df) < 2:
        return df
    keys = pa.table({"n": pa.array(df["notice_id"], from_pandas=True, type=pa.string()),
                     "l": pa.array(df["line"], from_pandas=True, type=pa.int64())})
    order = pc.sort_indices(keys, sort_keys=[("n", "ascending", "at_end"), ("l", "ascending", "at_end")]).to_numpy()
    if bool((order[1:] > order[:-1]).all()):
        return df
    return df.take(order)
