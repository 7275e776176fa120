"""The one loader of reference data files: transform/registry/*.csv and *.yaml, units_of_measure.yaml,
and extract's word lists (labels.yaml, header_words.yaml).

Reviewed data is read here: CSV files with a fixed header, comment
lines starting with #, values trimmed, each row with its line number; YAML files with safe_load. A
file that cannot be read fails with its name (and line, where there is one), never a traceback.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import yaml

from extract.errors import NoticeError
from extract.textnorm import strip_line


def read_csv(path: Path, columns: tuple[str, ...],
             optional: tuple[str, ...] = ()) -> list[tuple[int, dict[str, str]]]:
    """Rows with their line numbers; the header must be exactly `columns`; every column not in
    `optional` must be filled."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != columns:
            raise NoticeError(str(path), f"the header must be {','.join(columns)}", 1)
        rows = []
        for row in reader:
            if (row[columns[0]] or "").startswith("#"):
                continue
            line = reader.line_num
            if any(not (row.get(c) or "").strip() for c in columns if c not in optional):
                raise NoticeError(str(path), f"empty value in a required column ({', '.join(columns)})", line)
            rows.append((line, {k: strip_line(v or "") for k, v in row.items()}))
        return rows


def read_yaml(path: Path) -> Any:
    """The content of a YAML file; a syntax error names the file and line."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else None
        raise NoticeError(str(path), f"not valid YAML: {e.problem}", line) from None
