"""A source (a local path, or an http(s) URL fetched by extract.fetch) → a snapshot on disk with its sha256.

The snapshot is what every later stage reads, so a rerun decides by content checksum whether
anything changed. A cached URL snapshot (`<sha256>.<ext>`) is checked against its name's sha256 on
every use and rewritten from the fetched bytes when it does not match; a damaged fetch log is started
afresh (both with a note on stderr). Recorded URLs never hold credentials (extract/urls.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from extract.errors import NoticeError, WriteError, writing
from extract.notes import note
from extract.urls import redact


@dataclass(frozen=True)
class Snapshot:
    path: str  # the bytes to read
    sha256: str
    name: str  # file name, for messages and the notices table
    url: str | None = None  # as given, without userinfo
    fetched_at: str | None = None
    final_url: str | None = None  # after redirects, without userinfo


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
    from extract.limits import MAX_SOURCE_BYTES

    if (size := path.stat().st_size) > MAX_SOURCE_BYTES:  # refused before a byte is read or hashed
        raise NoticeError(path.name, f"refused: the file is {size:,} bytes, larger than "
                                     f"{MAX_SOURCE_BYTES // (1024 * 1024)} MB (limit {MAX_SOURCE_BYTES:,} bytes)")
    return Snapshot(str(path.resolve()), sha256_file(path), path.name)


_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]{1,15})://")


def is_url(source: str) -> bool:
    """True for an http(s) URL, False for a local path; NoticeError for any other URL scheme."""
    m = _SCHEME_RE.match(source)
    if m is None:
        return False
    if m.group(1).lower() not in ("http", "https"):
        raise NoticeError(redact(source), "only http and https URLs are supported")
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
    url = redact(source)
    path = snapshot_dir / f"{digest}.{ext}"
    if not snapshot_verifies(path, digest):
        write_atomic(path, got.content)
    name = url.rstrip("/").rsplit("/", 1)[-1].split("?")[0] or digest[:12]
    return Snapshot(str(path.resolve()), digest, name, url, first_fetched(snapshot_dir, url, digest, fetched_at),
                    got.url)


def write_atomic(path: Path, data: bytes) -> None:
    """`data` into `path` by way of a temporary file (a crash leaves no half file); a failed write
    (a full disk, a read-only folder) is a WriteError naming the file."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.part")
    try:
        with writing(path):
            path.parent.mkdir(parents=True, exist_ok=True)
            with tmp.open("wb") as f:
                f.write(data)
            tmp.replace(path)
    except WriteError:
        tmp.unlink(missing_ok=True)
        raise


def snapshot_verifies(path: Path, digest: str) -> bool:
    """True when the cached snapshot `path` exists and holds bytes of sha256 `digest`; a file that
    exists and does not is noted (it is rewritten by the caller)."""
    if not path.exists():
        return False
    try:
        ok = sha256_file(path) == digest
    except OSError:
        ok = False
    if not ok:
        note(f"{path}: the cached snapshot does not match its sha256; written again from the fetched bytes")
    return ok


FETCH_LOG = "fetched.json"


def first_fetched(snapshot_dir: Path, url: str, digest: str, now: str) -> str:
    """When these exact bytes were first fetched from `url` into this cache (`now` if never before).

    A rerun that fetches unchanged bytes therefore records the same fetch date, and the release stays
    byte-identical; new bytes at the same URL get a new date."""
    log_path = snapshot_dir / FETCH_LOG
    url = redact(url)
    log = _read_log(log_path)
    first = log.setdefault(url, {}).setdefault(digest, now)
    if first == now:
        write_atomic(log_path, json.dumps(log, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8"))
    return first


def _read_log(log_path: Path) -> dict[str, dict[str, str]]:
    """The fetch log; a damaged one (not UTF-8, not JSON, not url → sha256 → date) is started afresh, with
    a note. Entries with credentials (written by older versions) are dropped."""
    if not log_path.exists():
        return {}
    try:
        log = json.loads(log_path.read_bytes().decode("utf-8"))
        if not (isinstance(log, dict) and all(isinstance(v, dict) and all(
                isinstance(d, str) and isinstance(t, str) for d, t in v.items()) for v in log.values())):
            raise ValueError("not a mapping of url → sha256 → date")
    except (OSError, ValueError) as e:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        note(f"{log_path}: the fetch log is damaged ({type(e).__name__}); started afresh")
        return {}
    return {u: v for u, v in log.items() if redact(u) == u}
