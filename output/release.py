"""Fill a staging folder with a complete release: Parquet, CSV, DuckDB, metadata, documents, checksums.

Layout of a release folder (published as `<out>/<version>/`):
    data/<table>.parquet, data/<table>.csv   every table of transform.schema (CSV: UTF-8 with a BOM)
    govtasks.duckdb                          all tables, release_info, comments and views
    quality/                                 validation results and their summary (quality stage)
    datapackage.json, release.json           metadata (version; the created time is their one clock value)
    catalog.jsonld, catalog_gbt21063.json    catalogue records (schema.org/DCAT, GB/T 21063.3)
    CHANGELOG.md                             one entry per release, newest first
    DATA_DICTIONARY.md, queries.sql          the tables in Chinese and English; example queries
    report.html                              one page for people, charts inline
    SHA256SUMS                               sha256 of every other file (`sha256sum -c SHA256SUMS`)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from extract.errors import write_text
from output.arrow import to_arrow
from output.catalog import GBT, JSONLD, Coverage, dataset_jsonld, gbt21063_record
from output.changelog import CHANGELOG, write_changelog, yoy_pairs
from output.database import write_database
from output.docs import queries_text, release_dictionary
from output.files import read_parquet, write_csv, write_parquet
from output.metadata import (
    datapackage,
    remembered_digests,
    sha256_of,
    software_versions,
    write_checksums,
    write_json,
)
from output.portal import portal_settings
from output.provenance import code_fingerprint
from output.report import REPORT, write_report
from output.versioning import ReleaseDiff, compare
from transform.schema import RELEASE_INFO, TABLES

DATABASE = "govtasks.duckdb"
# The files that hold the release's created time (its one clock value); every other file is the same on
# every rerun of the same inputs and version.
CLOCK_FILES = ("datapackage.json", "release.json", JSONLD, GBT)


def data_dir(folder: Path) -> Path:
    return folder / "data"


def write_tables(frames: dict[str, pd.DataFrame], staging: Path) -> dict[str, str]:
    """Parquet file of every table in `staging/data`; returns table → sha256 of its file."""
    d = data_dir(staging)
    d.mkdir(parents=True, exist_ok=True)
    out = {}
    for tbl in TABLES:
        path = d / f"{tbl.name}.parquet"
        write_parquet(to_arrow(frames[tbl.name], tbl), path)
        out[tbl.name] = sha256_of(path)
    return out


def load_tables(folder: Path) -> dict[str, pa.Table]:
    return {t.name: read_parquet(data_dir(folder) / f"{t.name}.parquet") for t in TABLES}


def content_hash(file_hashes: dict[str, str]) -> str:
    """One hash of the release's data, from its CSV files (plain text, so it does not change with the
    Parquet writer's version): equal data, equal hash."""
    return hashlib.sha256("".join(f"{k}:{v}\n" for k, v in sorted(file_hashes.items())).encode()).hexdigest()


def created_now() -> str:
    """The release's created time (UTC, seconds): `SOURCE_DATE_EPOCH` when set (reproducible builds),
    else the clock. Kept out of the data files, CHANGELOG.md and report.html."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return now.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sources(tables: dict[str, pa.Table]) -> list[dict[str, Any]]:
    """The source notices of the release: id, file name, URL and sha256, by notice id."""
    rows = tables["notices"].select(["notice_id", "source_name", "source_url", "sha256"]).to_pylist()
    return sorted(rows, key=lambda r: r["notice_id"])


def _parquet_metadata(diff: ReleaseDiff, settings: dict[str, Any], sources: list[dict[str, Any]]) -> dict[str, str]:
    return {
        "govtasks.dataset": settings["name"],
        "govtasks.version": diff.version,
        "govtasks.license": f"{settings['license']['name']} ({settings['license']['path']})",
        "govtasks.sources": json.dumps(sources, ensure_ascii=False, sort_keys=True),
    }


def _release_info(diff: ReleaseDiff, sources: list[dict[str, Any]], software: dict[str, str]) -> pa.Table:
    from output.arrow import arrow_schema

    soft = [f"{k}=={v}" for k, v in software.items()]
    rows = [{"version": diff.version, "previous_version": diff.previous_version, "change": diff.kind,
             "notice_id": s["notice_id"], "source_name": s["source_name"], "source_url": s["source_url"],
             "sha256": s["sha256"], "software": soft, "code_sha256": code_fingerprint()} for s in sources]
    return pa.Table.from_pylist(rows, schema=arrow_schema(RELEASE_INFO))


def _coverage(tables: dict[str, pa.Table]) -> Coverage:
    notices = tables["notices"].select(["jurisdiction", "division_code", "year"]).to_pylist()
    places = sorted({(n["jurisdiction"], n["division_code"]) for n in notices}, key=lambda p: (p[0], p[1] or ""))
    return Coverage(sorted({n["year"] for n in notices}), places)


@remembered_digests()  # every file is written once, then hashed by several documents
def finish_release(staging: Path, inputs: list[dict[str, Any]], previous: Path | None = None,
                   created: str | None = None, extra: dict[str, Any] | None = None,
                   seal: bool = True) -> dict[str, Any]:
    """Everything beside the Parquet files, once the gate has passed: the version (against the release
    folder `previous`), CSV, DuckDB, documents, metadata (release.json with `extra` fields) and SHA256SUMS.

    When nothing changed against `previous` (same schema, same data), nothing is written and the
    result says `change: none` (the caller publishes nothing). `seal=False`: no SHA256SUMS yet (the
    quality gate is still writing its files beside; `seal_release` once it is done)."""
    diff = compare(previous, staging)
    base = {"version": diff.version, "previous_version": diff.previous_version, "change": diff.kind}
    if diff.kind == "none":
        return base
    settings = portal_settings()
    tables = load_tables(staging)
    sources = _sources(tables)
    meta = _parquet_metadata(diff, settings, sources)
    for tbl in TABLES:  # the same data, now with the release's key-value metadata
        write_parquet(tables[tbl.name], data_dir(staging) / f"{tbl.name}.parquet", meta)
    software = software_versions()
    db_tables = {**tables, RELEASE_INFO.name: _release_info(diff, sources, software)}
    # DuckDB does most of its work outside the GIL: it writes the database on a second thread while
    # Python writes the CSV files (measured at 1,000 notices: 5.9 s → 5.1 s).
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="duckdb") as pool:
        database = pool.submit(write_database, db_tables, staging / DATABASE)
        for tbl in TABLES:
            write_csv(tables[tbl.name], tbl, data_dir(staging) / f"{tbl.name}.csv")
        database.result()  # its error, if any, is raised here
    digest = content_hash({t.name: sha256_of(data_dir(staging) / f"{t.name}.csv") for t in TABLES})
    created = created or created_now()
    write_changelog(staging / CHANGELOG, diff, yoy_pairs(staging / DATABASE), previous)
    write_text(staging / "DATA_DICTIONARY.md", release_dictionary(diff.version))
    write_text(staging / "queries.sql", queries_text())
    write_report(staging / REPORT, staging / DATABASE, diff.version, settings)
    write_json(datapackage(staging, f"{settings['name']}-{diff.version}", diff.version, created, settings, sources),
               staging / "datapackage.json")
    coverage = _coverage(tables)
    write_json(dataset_jsonld(staging, settings, diff.version, created, coverage), staging / JSONLD)
    write_json(gbt21063_record(staging, settings, diff.version, created, coverage), staging / GBT)
    info = {
        **base,
        "created": created,
        "content_sha256": digest,
        "inputs": sorted(inputs, key=lambda i: (i["source_name"], i["sha256"])),
        "rows": {t.name: tables[t.name].num_rows for t in TABLES},
        "software": software,
        "code_sha256": code_fingerprint(),
        **(extra or {}),
    }
    write_json(info, staging / "release.json")
    if seal:
        seal_release(staging)
    return info


def seal_release(staging: Path) -> None:
    """SHA256SUMS of every file of the staged release (the last file written before publishing)."""
    write_checksums(staging, [p for p in staging.rglob("*") if p.is_file()])
