"""Incremental reruns: is there anything new to publish?

A run's fingerprint is a sha256 of everything a release is made from: every input (in order: its
file name, sha256, URL, and the jurisdiction and year its manifest entry gives), the options
(--jurisdiction, --year, --allow-unknown), the code and reference data (`code_sha256`, which covers
the registry) and the versions of the libraries that write the files. It is recorded in release.json
(`run_fingerprint`); a rerun whose fingerprint equals the latest release's publishes nothing, and says
so, before any table is built. Nothing here imports Prefect.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from extract.manifest import check_sha256, expand_sources
from extract.snapshot import Snapshot, is_url, snapshot_local
from output.metadata import software_versions
from output.provenance import code_fingerprint

FIELD = "run_fingerprint"
BUNDLED_NOTICE = Path(__file__).resolve().parents[1] / "data" / "notices" / "haicheng-2023.txt"


def run_fingerprint(snapshots: list[Snapshot], overrides: list[tuple[str | None, int | None]],
                    options: dict[str, Any]) -> str:
    """sha256 of the inputs, the options, the code and reference data and the library versions."""
    doc = {
        "inputs": [{"name": s.name, "sha256": s.sha256, "url": s.url, "jurisdiction": j, "year": y}
                   for s, (j, y) in zip(snapshots, overrides, strict=True)],
        "options": options,
        "code_sha256": code_fingerprint(),
        "software": software_versions(),
    }
    return hashlib.sha256(json.dumps(doc, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def unchanged_release(out: Path, fingerprint: str) -> Path | None:
    """The latest release under `out` when it was made from exactly this fingerprint, else None."""
    link = out / "latest"
    meta = link / "release.json"
    if not meta.is_file():
        return None
    try:
        info = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return link.resolve() if info.get(FIELD) == fingerprint else None


def options(jurisdiction: str | None, year: int | None, allow_unknown: bool) -> dict[str, Any]:
    """The options that change what a release holds (part of the fingerprint)."""
    return {"jurisdiction": jurisdiction, "year": year, "allow_unknown": allow_unknown}


def unchanged_local_release(sources: list[str] | None, out: Path, opts: dict[str, Any]) -> Path | None:
    """Before any Prefect run: the latest release, when every source is a local file (or a manifest of
    local files) and nothing changed since it; None otherwise (URLs are decided inside the flow, after
    fetching). Manifest problems and sha256 mismatches raise their NoticeError here, as the flow would."""
    if any(is_url(s) for s in sources or []):
        return None
    planned = expand_sources(sources or [str(BUNDLED_NOTICE)])
    if any(is_url(x.source) for x in planned):
        return None
    snapshots = [snapshot_local(Path(x.source)) for x in planned]
    check_sha256(planned, [s.sha256 for s in snapshots])
    return unchanged_release(out, run_fingerprint(snapshots, [(x.jurisdiction, x.year) for x in planned], opts))
