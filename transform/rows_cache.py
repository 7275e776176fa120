"""Content caches of the transform stage (`<out>/.cache/transform/<code fingerprint>/`): a notice's rows
and a jurisdiction's year-over-year rows are built once per content, so a rerun with one notice
changed builds names, targets and year over year again for that notice and its jurisdiction only.

- `rows/<key>.arrow`: the per-notice rows (`transform.tables.notice_rows` of that notice alone), each
  table's as an Arrow IPC stream (`transform.arrow_rows`), its units and leaders as JSON, in one
  file (`pack_rows`): read back without decoding a value at a time. Its key is the sha256 of
  everything those rows are made of: the parsed notice's file name (the source's sha256 and the
  extract fingerprint), the snapshot's fields, and the (jurisdiction, year) of the options and of
  its manifest entry.
- `yoy/<key>.arrow`: the year-over-year rows of one jurisdiction (`transform.yoy.yoy_rows` of its
  notices alone), each table's as an Arrow IPC stream in one file (`pack_rows`), keyed by the
  sorted row keys of its notices.

The code and reference data (`output.provenance.code_fingerprint`, which covers the registry) name the
folder: a change of code starts an empty one, and the folders of other code versions are removed
(`prune`), so the cache holds one version. Every file is verified on use like the parsed notices
(extract/cache.py: a sidecar records its sha256 and key); one that does not verify is rebuilt, with a
note, never used. Files are Arrow IPC with a JSON header, never pickle: reading a cache runs no code.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import asdict
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa

from extract.cache import read_checked, write_checked
from extract.notes import note
from extract.snapshot import Snapshot
from output.provenance import code_fingerprint, extract_fingerprint

Override = tuple[str | None, int | None]


def cache_folder(root: str | Path) -> Path:
    """The folder of this code version under the transform cache `root`."""
    return Path(root) / f"{code_fingerprint()[:16]}-{extract_fingerprint()}"


def prune(root: str | Path) -> None:
    """Remove the cache folders of other code versions under `root`."""
    keep = cache_folder(root).name
    base = Path(root)
    if base.is_dir():
        for p in base.iterdir():
            if p.name != keep and p.is_dir():
                shutil.rmtree(p, ignore_errors=True)


def _sha(doc: Any) -> str:
    return hashlib.sha256(json.dumps(doc, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def rows_key(parsed: str, snap: Snapshot, jurisdiction: str | None, year: int | None, entry: Override) -> str:
    """The key of a notice's rows: its parsed file, its snapshot, and the options and manifest entry
    that may set its jurisdiction and year."""
    return _sha({"parsed": Path(parsed).name, "snapshot": asdict(snap), "options": [jurisdiction, year],
                 "entry": list(entry)})


def yoy_key(row_keys: list[str]) -> str:
    """The key of a jurisdiction's year-over-year rows: the row keys of its notices."""
    return _sha(sorted(row_keys))


SUFFIX = ".arrow"  # every cached file is a `pack_rows` file


def file_of(root: str | Path, kind: str, key: str) -> Path:
    """The file of the cached `kind`/`key`."""
    return cache_folder(root) / kind / f"{key}{SUFFIX}"


PACK_MAGIC = b"govtasks-rows-1\n"  # then the header's length (8 bytes, little end), the header, the streams


def pack_rows(tables: dict[str, pa.Table], doc: dict[str, Any]) -> bytes:
    """One file of Arrow tables (an IPC stream each) and a JSON-ready `doc`: a JSON header names each
    table's bytes (offset and length after the header) and holds `doc`."""
    streams, index, offset = [], [], 0
    for name, table in tables.items():
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        data = sink.getvalue().to_pybytes()
        index.append([name, offset, len(data)])
        streams.append(data)
        offset += len(data)
    header = orjson.dumps({"tables": index, "doc": doc})
    return b"".join([PACK_MAGIC, len(header).to_bytes(8, "little"), header, *streams])


def unpack_rows(body: bytes) -> tuple[dict[str, pa.Table], Any]:
    """The tables and doc of `pack_rows`; ValueError (or an Arrow error) when `body` is not one."""
    if not body.startswith(PACK_MAGIC):
        raise ValueError("not a packed rows file")
    start = len(PACK_MAGIC) + 8
    size = int.from_bytes(body[len(PACK_MAGIC):start], "little")
    header = orjson.loads(body[start:start + size])
    buf = pa.py_buffer(body)
    base = start + size
    tables = {}
    for name, offset, length in header["tables"]:
        if offset < 0 or length < 0 or base + offset + length > len(body):
            raise ValueError("a table lies outside the file")
        tables[str(name)] = pa.ipc.open_stream(buf.slice(base + offset, length)).read_all()
    return tables, header["doc"]


def load_packed(root: str | Path, kind: str, key: str) -> tuple[dict[str, pa.Table], Any] | None:
    """The cached tables and doc `kind`/`key` (`pack_rows`), verified; None when absent or when they
    do not verify or decode (noted)."""
    path = file_of(root, kind, key)
    body, problem = read_checked(path, key)
    if body is not None:
        try:
            return unpack_rows(body)
        except (ValueError, KeyError, TypeError, pa.ArrowException) as e:
            problem = f"does not decode ({type(e).__name__})"
    if problem:
        note(f"{path}: the cached {kind} {problem}; building them again")
    return None


def save_packed(root: str | Path, kind: str, key: str, tables: dict[str, pa.Table], doc: Any) -> None:
    """`tables` and `doc` as the cached `kind`/`key` (`pack_rows`, with its verifying sidecar)."""
    path = file_of(root, kind, key)
    try:
        body = pack_rows(tables, doc)
    except TypeError as e:  # a value JSON cannot hold: not cached, built again
        note(f"{path}: the {kind} are not cached ({e})")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    write_checked(path, body, key)
