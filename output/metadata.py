"""Release metadata: datapackage.json (Data Package v2, from the schema), release.json and checksums.

Nothing here holds wall-clock time: the same inputs give byte-identical metadata.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

from extract.errors import write_text
from transform.schema import TABLES, Column, Table

_FRICTIONLESS_TYPES = {
    "string": "string", "int": "integer", "float": "number", "bool": "boolean", "date": "date",
    "string_list": "array",
}
PACKAGES = ("govtasks", "pandas", "pyarrow", "duckdb", "great-expectations", "prefect")


_remembered: dict[Path, str] | None = None  # path → sha256, within `remembered_digests`


@contextlib.contextmanager
def remembered_digests() -> Iterator[None]:
    """Within: each file's sha256 is computed once (`sha256_of`). For writing a release, whose files
    are each written once and then hashed up to four times (the content hash, datapackage.json, the two
    catalog records), the 90 MB database among them; never for checking files that may change."""
    global _remembered
    outer, _remembered = _remembered, {}
    try:
        yield
    finally:
        _remembered = outer


def sha256_of(path: Path) -> str:
    memo = _remembered
    key = path.resolve()
    if memo is not None and key in memo:
        return memo[key]
    with path.open("rb") as f:
        digest = hashlib.file_digest(f, "sha256").hexdigest()
    if memo is not None:
        memo[key] = digest
    return digest


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


def schema_descriptor(tbl: Table) -> dict[str, Any]:
    """The Table Schema of `tbl`'s CSV file: fields, primary key, foreign keys."""
    schema: dict[str, Any] = {"fields": [_field(c) for c in tbl.columns], "primaryKey": list(tbl.primary_key)}
    if tbl.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": list(fk.columns), "reference": {"resource": fk.table, "fields": list(fk.ref_columns)}}
            for fk in tbl.foreign_keys
        ]
    return schema


def _resource(tbl: Table, folder: Path) -> dict[str, Any]:
    csv_path = folder / "data" / f"{tbl.name}.csv"
    return {
        "name": tbl.name, "type": "table", "path": f"data/{tbl.name}.csv", "format": "csv",
        "mediatype": "text/csv", "encoding": "utf-8", "description": tbl.description,
        "title": tbl.description_zh, "hash": f"sha256:{sha256_of(csv_path)}", "bytes": csv_path.stat().st_size,
        "schema": schema_descriptor(tbl),
    }


def datapackage(folder: Path, name: str, version: str | None = None, created: str | None = None,
                settings: dict[str, Any] | None = None, sources: list[dict[str, Any]] | None = None
                ) -> dict[str, Any]:
    """Data Package v2 descriptor of the CSV files in `folder`: version, created time, licence,
    publisher and sources from the release and `settings` (output/portal.yaml)."""
    out: dict[str, Any] = {"$schema": "https://datapackage.org/profiles/2.0/datapackage.json", "name": name}
    if settings is None:
        out["title"] = "Task decomposition of government work reports / 政府工作报告任务分解"
        out["licenses"] = [{"name": "other-pd", "title": "Official documents of government bodies, outside "
                                                         "copyright (Copyright Law of the PRC, art. 5)"}]
    else:
        lic = settings["license"]
        out |= {
            "title": f"{settings['title']['zh']} / {settings['title']['en']}",
            "description": f"{settings['description']['zh']}\n\n{settings['description']['en']}\n\n"
                           f"{settings['sources_status']['zh']} {settings['sources_status']['en']}",
            "homepage": settings["landing_page"],
            "keywords": list(settings.get("keywords", [])),
            "licenses": [{"name": lic["name"], "path": lic["path"], "title": lic["title"]}],
            "contributors": [{"title": settings["publisher"]["name"], "path": settings["publisher"]["url"],
                              "roles": ["publisher"]}],
        }
    if version is not None:
        out["version"] = version
    if created is not None:
        out["created"] = created
    if sources is not None:
        out["sources"] = [{"title": s["source_name"], **({"path": s["source_url"]} if s.get("source_url") else {}),
                           "sha256": s["sha256"]} for s in sources]
    out["resources"] = [_resource(t, folder) for t in TABLES]
    return out


def software_versions() -> dict[str, str]:
    return {p: version(p) for p in PACKAGES}


def write_json(data: Any, path: Path) -> None:
    write_text(path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n")


CHECKSUMS = "SHA256SUMS"


def write_checksums(folder: Path, files: list[Path]) -> None:
    """SHA256SUMS in `sha256sum` format (check with `sha256sum -c SHA256SUMS`), sorted by path."""
    lines = [f"{sha256_of(p)}  {p.relative_to(folder).as_posix()}" for p in sorted(files)]
    write_text(folder / CHECKSUMS, "\n".join(lines) + "\n")
