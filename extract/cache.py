"""The parsed-notice cache (`<out>/.cache/parsed/`), verified on every use.

Each parsed notice `<source sha256>-<extract fingerprint>.json` has a sidecar `….json.sha256` (JSON)
recording the sha256 of the notice file's bytes and its key, the sha256 of the source it was parsed
from (`write_checked`/`read_checked`: the other content caches, transform/rows_cache.py, verify the
same way). A
cached notice is used only when its bytes hash to the recorded value, the recorded source is the
snapshot's, and it decodes to a notice of that source. Anything else — an edited value, a truncated
or garbled file, a missing or damaged sidecar, a file of an older version — is parsed again from the
snapshot and rewritten, with a note on stderr: never published, and never a dead end.

The check finds damage and edits of the notice file; someone who can write the cache folder can also
rewrite the sidecar, so keep the releases folder writable only by those who run releases.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from extract.model import ParsedNotice
from extract.notes import note
from extract.snapshot import Snapshot, write_atomic

SIDECAR_SUFFIX = ".sha256"
_SIDECAR_MAX_BYTES = 4096


def sidecar(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def write_checked(path: Path, body: bytes, key: str) -> None:
    """`body` into `path`, then its sidecar recording the body's sha256 and the cache `key` it was made
    for (each atomically; a crash between the two leaves a file that does not verify)."""
    write_atomic(path, body)
    meta = {"body_sha256": hashlib.sha256(body).hexdigest(), "key": key}
    write_atomic(sidecar(path), json.dumps(meta, sort_keys=True).encode("utf-8"))


def read_checked(path: Path, key: str) -> tuple[bytes | None, str | None]:
    """(the verified bytes of `path`, None), or (None, why they cannot be used); (None, None) when
    `path` is not there. Verified: the sidecar names `key`, and the bytes hash to what it records."""
    if not path.exists():
        return None, None
    try:
        side = sidecar(path)
        if not side.exists():
            return None, "has no recorded sha256 (written by an older version, or interrupted)"
        with side.open("rb") as f:
            meta = json.loads(f.read(_SIDECAR_MAX_BYTES).decode("utf-8"))
        if not isinstance(meta, dict) or not isinstance(meta.get("body_sha256"), str):
            return None, "has a damaged sidecar"
        if meta.get("key") != key:
            return None, "was made from other inputs"
        body = path.read_bytes()
    except (OSError, ValueError) as e:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return None, f"cannot be read ({type(e).__name__})"
    if hashlib.sha256(body).hexdigest() != meta["body_sha256"]:
        return None, "does not match its recorded sha256 (edited or damaged)"
    return body, None


def write_parsed(path: Path, notice: ParsedNotice) -> None:
    """The notice's JSON into `path`, with its sidecar (keyed by the source's sha256)."""
    write_checked(path, notice.to_json_bytes(), notice.source.sha256)


def is_cached(path: Path, source_sha256: str) -> bool:
    """True when `path` holds a verified parsed notice of the source `source_sha256`; a cached file that
    does not verify is noted (and will be parsed again)."""
    body, problem = read_checked(path, source_sha256)
    if problem:
        note(f"{path}: the cached parsed notice {problem}; parsing the source again")
    return body is not None


def load_parsed(path: Path, snap: Snapshot) -> ParsedNotice:
    """The parsed notice of `snap` cached at `path`, verified; parsed again (and re-cached) from the
    snapshot when it does not verify or does not decode."""
    body, problem = read_checked(path, snap.sha256)
    if body is not None:
        try:
            notice = ParsedNotice.from_dict(json.loads(body.decode("utf-8")))
            if notice.source.sha256 == snap.sha256:
                return notice
            problem = "belongs to another source"
        except (ValueError, TypeError, KeyError, AttributeError) as e:
            problem = f"does not decode ({type(e).__name__})"
    note(f"{path}: the cached parsed notice {problem or 'is missing'}; parsing the source again")
    from extract.read import read_notice

    notice = read_notice(snap)
    write_parsed(path, notice)
    return notice
