"""Release metadata: datapackage.json (Data Package v2, from the schema), release.json and checksums.

Nothing here holds wall-clock time: the same inputs give byte-identical metadata.
"""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import version
from pathlib import Path
from typing import Any

from transform.schema import TABLES, Column, Table

_FRICTIONLESS_TYPES = {
    "string": "string", "int": "integer", "float": "number", "bool": "boolean", "date": "date",
    "string_list": "array",
}
PACKAGES = ("govtasks", "pandas", "pyarrow", "duckdb", "great-expectations", "prefect")


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _field(col: Column) -> dict[str, Any]:
    f: dict[str, Any] = {"name": col.name, "type": _FRICTIONLESS_TYPES[col.type],
                         "description": col.description, "title": col.description_zh}
    constraints: dict[str, Any] = {}
    if col.required:
        constraints["required"] = True
    if col.enum:
        constraints["enum"] = list(col.enum)
    if constraints:
        f["constraints"] = constraints
    if col.type == "bool":
        f["trueValues"], f["falseValues"] = ["true"], ["false"]
    return f


def _resource(tbl: Table, folder: Path) -> dict[str, Any]:
    csv_path = folder / "data" / f"{tbl.name}.csv"
    schema: dict[str, Any] = {"fields": [_field(c) for c in tbl.columns], "primaryKey": list(tbl.primary_key)}
    if tbl.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": list(fk.columns), "reference": {"resource": fk.table, "fields": list(fk.ref_columns)}}
            for fk in tbl.foreign_keys
        ]
    return {
        "name": tbl.name, "type": "table", "path": f"data/{tbl.name}.csv", "format": "csv",
        "mediatype": "text/csv", "encoding": "utf-8", "description": tbl.description,
        "title": tbl.description_zh, "hash": f"sha256:{sha256_of(csv_path)}", "bytes": csv_path.stat().st_size,
        "schema": schema,
    }


def datapackage(folder: Path, name: str) -> dict[str, Any]:
    """Data Package v2 descriptor of the CSV files in `folder`."""
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": name,
        "title": "Task decomposition of government work reports / 政府工作报告任务分解",
        "licenses": [{"name": "other-pd", "title": "Official documents of government bodies, outside copyright "
                                                   "(Copyright Law of the PRC, art. 5)"}],
        "resources": [_resource(t, folder) for t in TABLES],
    }


def software_versions() -> dict[str, str]:
    return {p: version(p) for p in PACKAGES}


def write_json(data: Any, path: Path) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n", encoding="utf-8")


def write_checksums(folder: Path, files: list[Path]) -> None:
    """checksums.sha256 in `sha256sum` format, sorted by path."""
    lines = [f"{sha256_of(p)}  {p.relative_to(folder).as_posix()}" for p in sorted(files)]
    (folder / "checksums.sha256").write_text("\n".join(lines) + "\n", encoding="utf-8")
