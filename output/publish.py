"""Atomic publishing: a release is built in a staging folder beside its target and moved into place
only when complete; `latest` moves last. A crash at any moment leaves the last good release and
`latest` as they were.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

STAGING_PREFIX = ".staging-"


def new_staging(out: Path) -> Path:
    """A fresh staging folder inside `out` (same file system, so the final move is a rename)."""
    out.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def _fsync_tree(folder: Path) -> None:
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            with p.open("rb") as f:
                os.fsync(f.fileno())


def point_latest(out: Path, name: str) -> None:
    """`out/latest` → `name`, replaced atomically (a new link renamed over the old one)."""
    tmp = out / f".latest-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(name, target_is_directory=True)
    os.replace(tmp, out / "latest")


def publish(staging: Path, out: Path, name: str) -> Path:
    """Move the complete `staging` folder to `out/name`, then point `latest` at it."""
    _fsync_tree(staging)
    final = out / name
    n = 1
    while final.exists():
        n += 1
        final = out / f"{name}.{n}"
    os.rename(staging, final)
    point_latest(out, final.name)
    return final


def latest(out: Path) -> Path | None:
    """The release `out/latest` points at, if any."""
    link = out / "latest"
    return link.resolve() if link.exists() else None
