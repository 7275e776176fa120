"""A source (a local path, or an http(s) URL fetched by extract.fetch) → a snapshot on disk with its sha256.

The snapshot is what every later stage reads, so a rerun decides by content checksum whether
anything changed.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from extract.errors import NoticeError


@dataclass(frozen=True)
class Snapshot:
    path: str  # the bytes to read
    sha256: str
    name: str  # file name, for messages and the notices table
    url: str | None = None
    fetched_at: str | None = None


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def snapshot_local(path: Path) -> Snapshot:
    """A local notice file as it is."""
    if not path.exists():
        raise NoticeError(str(path), "no such file")
    if not path.is_file():
        raise NoticeError(str(path), "not a file")
    return Snapshot(str(path.resolve()), sha256_file(path), path.name)


_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]{1,15})://")


def is_url(source: str) -> bool:
    """True for an http(s) URL, False for a local path; NoticeError for any other URL scheme."""
    m = _SCHEME_RE.match(source)
    if m is None:
        return False
    if m.group(1).lower() not in ("http", "https"):
        raise NoticeError(source, "only http and https URLs are supported")
    return True


def take_snapshot(source: str, snapshot_dir: Path) -> Snapshot:
    """A local path as it is, or an http(s) URL fetched and saved as snapshot_dir/<sha256>.<ext>."""
    if not is_url(source):
        return snapshot_local(Path(source))
    from extract.fetch import fetch  # httpx only where URLs are read
    from extract.sniff import EXTENSIONS, sniff

    fetched_at = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    got = fetch(source)
    digest = hashlib.sha256(got.content).hexdigest()
    ext = EXTENSIONS.get(sniff(got.content), "bin")
    snapshot_dir.mkdir(parents=True, exist_ok=True)
    path = snapshot_dir / f"{digest}.{ext}"
    if not path.exists():
        tmp = path.with_suffix(path.suffix + ".part")
        tmp.write_bytes(got.content)
        tmp.replace(path)
    name = source.rstrip("/").rsplit("/", 1)[-1].split("?")[0] or digest[:12]
    return Snapshot(str(path.resolve()), digest, name, source, first_fetched(snapshot_dir, source, digest, fetched_at))


FETCH_LOG = "fetched.json"


def first_fetched(snapshot_dir: Path, url: str, digest: str, now: str) -> str:
    """When these exact bytes were first fetched from `url` into this cache (`now` if never before).

    A rerun that fetches unchanged bytes therefore records the same fetch date, and the release stays
    byte-identical; new bytes at the same URL get a new date."""
    log_path = snapshot_dir / FETCH_LOG
    log: dict[str, dict[str, str]] = json.loads(log_path.read_text(encoding="utf-8")) if log_path.exists() else {}
    first = log.setdefault(url, {}).setdefault(digest, now)
    if first == now:
        tmp = log_path.with_suffix(".part")
        tmp.write_text(json.dumps(log, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
        tmp.replace(log_path)
    return first
