"""The checks of the quality gate: one Great Expectations suite per published table.

Most checks come from transform.schema (keys unique, required columns filled and no text only white
space, allowed values, source lines from 1, foreign keys); the rest are written here (task numbering,
units of each task, the count a notice states, year and issue date, leader names, registry matches and
their findings, a task's units and leaders of its own jurisdiction and named as their ids' rows).
Each check is a stock GX expectation
with `meta` naming the check and saying in words what it expects, for the summary.

Great Expectations is imported inside `build_suites`, never at module import time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from quality.frames import EMPTY_COLUMNS, foreign_key_flag, required_columns
from transform.metrics import load_metrics
from transform.schema import TABLES, Table

# Match values of task_units that count as "in the registry".
RESOLVED_MATCHES = ("canonical", "alias", "rule")
UNKNOWN_UNIT_CHECK = "unit_in_registry"


@dataclass(frozen=True)
class Check:
    """One expectation of a table's suite: which GX expectation, with which arguments, and why."""

    table: str
    check: str  # short id, unique within the table
    about: str  # what it expects, in words
    expectation: str  # GX expectation class name
    kwargs: dict[str, Any] = field(default_factory=dict)
    when: tuple[str, Any] | None = None  # row condition: (column, value) rows the check applies to
    shows: tuple[str, ...] = ()  # columns to show for an offending row (default: the checked ones)

    @property
    def meta(self) -> dict[str, str]:
        return {"table": self.table, "check": self.check, "about": self.about}


def schema_checks(tbl: Table) -> list[Check]:
    """Keys unique, required and key columns filled (text: not only white space), allowed values,
    source lines from 1, and foreign keys of `tbl`."""
    key = list(tbl.primary_key)
    out: list[Check] = []
    if len(key) == 1:
        out.append(Check(tbl.name, "key_unique", f"{key[0]} is unique", "ExpectColumnValuesToBeUnique",
                         {"column": key[0]}))
    else:
        out.append(Check(tbl.name, "key_unique", f"({', '.join(key)}) is unique", "ExpectCompoundColumnsToBeUnique",
                         {"column_list": key}))
    required = ", ".join(required_columns(tbl))
    out.append(Check(tbl.name, "required_filled", f"required columns are filled ({required}) and no text "
                                                  "is only white space", "ExpectColumnValuesToBeNull",
                     {"column": EMPTY_COLUMNS}))
    for c in tbl.columns:
        if c.name == "line":
            out.append(Check(tbl.name, "line_from_1", "line is a line of the source (1 or more)",
                             "ExpectColumnValuesToBeBetween", {"column": "line", "min_value": 1}))
        if c.enum:
            out.append(Check(tbl.name, f"{c.name}_in_set", f"{c.name} is one of {', '.join(c.enum)}",
                             "ExpectColumnValuesToBeInSet", {"column": c.name, "value_set": list(c.enum)}))
    for fk in tbl.foreign_keys:
        for col, ref in zip(fk.columns, fk.ref_columns, strict=True):
            out.append(Check(tbl.name, f"{col}_foreign_key", f"every {col} is a {ref} of {fk.table}",
                             "ExpectColumnValuesToBeInSet",
                             {"column": foreign_key_flag(col, fk.table), "value_set": [True]}, shows=(col,)))
    return out


def custom_checks(table: str, allow_unknown: bool) -> list[Check]:
    """Checks that need more than the schema (derived columns come from quality.frames)."""
    if table == "notices":
        return [
            Check(table, "stated_task_count", "a notice has as many tasks as it says it has, where it says",
                  "ExpectColumnPairValuesToBeEqual",
                  {"column_A": "stated_task_count", "column_B": "task_count",
                   "ignore_row_if": "either_value_is_missing"}),
            Check(table, "year_matches_issue_date", "a notice's year is the year of its issue date",
                  "ExpectColumnPairValuesToBeEqual",
                  {"column_A": "year", "column_B": "issued_year", "ignore_row_if": "either_value_is_missing"}),
        ]
    if table == "tasks":
        return [
            Check(table, "task_no_unique", "a task number appears once in its notice "
                                           "(once per chapter where numbers restart in each chapter)",
                  "ExpectCompoundColumnsToBeUnique", {"column_list": ["notice_id", "numbering_scope", "task_no"]}),
            Check(table, "task_no_contiguous", "task numbers run 1, 2, 3… in notice order, without gaps",
                  "ExpectColumnPairValuesToBeEqual", {"column_A": "task_no", "column_B": "expected_task_no"}),
            Check(table, "task_has_unit", "every task names at least one unit (牵头单位 or 责任单位), "
                                          "unless flagged as damaged (quality_findings damaged_task)",
                  "ExpectColumnValuesToBeBetween", {"column": "unit_count", "min_value": 1},
                  when=("damaged", False)),
            Check(table, "task_has_lead_unit", "every task has a lead unit (牵头单位) when its notice gives them, "
                                               "unless flagged (damaged_task, no_lead_unit)",
                  "ExpectColumnValuesToBeBetween", {"column": "lead_unit_count", "min_value": 1},
                  when=("lead_unit_expected", True)),
        ]
    if table in ("targets", "target_cascade"):
        return [Check(table, "metric_id_in_vocabulary", "metric_id is an id of transform/registry/metrics.yaml",
                      "ExpectColumnValuesToBeInSet",
                      {"column": "metric_id", "value_set": sorted(load_metrics().metrics)})]
    if table == "leaders":
        return [Check(table, "leader_without_white_space", "name has no white space",
                      "ExpectColumnValuesToNotMatchRegex", {"column": "name", "regex": r"\s"})]
    if table == "task_leaders":
        return [Check(table, "leader_without_white_space", "leader has no white space",
                      "ExpectColumnValuesToNotMatchRegex", {"column": "leader", "regex": r"\s"}),
                *owner_checks(table, "leader")]
    if table == "task_units":
        if allow_unknown:
            registry = Check(table, "unknown_unit_recorded", "every unit name not in the registry is recorded "
                                                             "in quality_findings (--allow-unknown), once per "
                                                             "task and name",
                             "ExpectColumnValuesToBeInSet", {"column": "finding_recorded", "value_set": [True]},
                             when=("match", "unknown"), shows=("raw_name",))
        else:
            registry = Check(table, UNKNOWN_UNIT_CHECK, "every unit name is in the registry (canonical name or "
                                                        "alias)",
                             "ExpectColumnValuesToBeInSet", {"column": "match", "value_set": list(RESOLVED_MATCHES)})
        return [*owner_checks(table, "unit"), registry]
    return []


def owner_checks(table: str, what: str) -> list[Check]:
    """A task's unit (leader) belongs to the task's jurisdiction and carries the name of its id's row
    (derived columns from quality.frames._owner_columns)."""
    return [
        Check(table, f"{what}_in_task_jurisdiction", f"every {what}_id is a {what} of the task's jurisdiction",
              "ExpectColumnPairValuesToBeEqual",
              {"column_A": f"{what}_jurisdiction", "column_B": "task_jurisdiction",
               "ignore_row_if": "either_value_is_missing"}, shows=(f"{what}_id", f"{what}_jurisdiction",
                                                                    "task_jurisdiction")),
        Check(table, f"{what}_name_matches_id", f"{what} is the name of its {what}_id's row in "
                                                f"{'units' if what == 'unit' else 'leaders'}",
              "ExpectColumnPairValuesToBeEqual",
              {"column_A": what, "column_B": f"{what}_name", "ignore_row_if": "either_value_is_missing"},
              shows=(f"{what}_id", what, f"{what}_name")),
    ]


def expectation_columns(kwargs: dict[str, Any]) -> list[str]:
    """The columns an expectation looks at (its `column`, `column_A` and `column_B`, or `column_list`)."""
    if "column" in kwargs:
        return [kwargs["column"]]
    if "column_A" in kwargs:
        return [kwargs["column_A"], kwargs["column_B"]]
    return list(kwargs.get("column_list", []))


def checked_columns(checks: list[Check]) -> set[str]:
    """Every column `checks` read: checked, compared, in a row condition, or shown for an offending
    row (the summary shows `shows`, else the checked columns)."""
    out: set[str] = set()
    for c in checks:
        out |= set(expectation_columns(c.kwargs)) | set(c.shows) | ({c.when[0]} if c.when else set())
    return out


def suite_checks(allow_unknown: bool) -> dict[str, list[Check]]:
    """Every check, by table, in a fixed order."""
    return {t.name: schema_checks(t) + custom_checks(t.name, allow_unknown) for t in TABLES}


def build_suites(checks: dict[str, list[Check]]) -> dict[str, Any]:
    """table → gx.ExpectationSuite holding its checks."""
    import great_expectations as gx
    from great_expectations.expectations.row_conditions import Column

    suites = {}
    for table, cs in checks.items():
        suite = gx.ExpectationSuite(name=table)
        for c in cs:
            kwargs = dict(c.kwargs)
            if c.when is not None:
                kwargs["row_condition"] = Column(c.when[0]) == c.when[1]
            suite.add_expectation(getattr(gx.expectations, c.expectation)(**kwargs, meta=c.meta))
        suites[table] = suite
    return suites
