"""Atomic publishing: a release is built in a staging folder beside its target and moved into place
only when complete; `latest` moves last. A crash or kill at any moment leaves the last good release
and `latest` as they were.

    out/.staging-XXXX/        the release being built (hidden; never pointed at)
    out/.staging-XXXX.lock    held (flock) by the run that owns the staging folder, while it lives
    out/.staging-XXXX.latest  the new `latest` link, just before it is renamed over `latest`
    out/<version>/            a published release, complete and fsynced before it got its name
    out/latest -> <name>      replaced by rename(2), so it always names a complete release

Staging folders left by a killed run (their lock file exists and is free) are removed by the next
run; those of a run still going (lock held) are left alone, and so is any `.staging-*` folder without
a lock file (not made by govtasks).
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from extract.errors import GovtasksError

STAGING_PREFIX = ".staging-"
LOCK_SUFFIX = ".lock"
LINK_SUFFIX = ".latest"
LATEST = "latest"
CHECKSUMS = "SHA256SUMS"  # lists every file of a release, the database included

_locks: dict[str, int] = {}  # staging folder → fd of its held lock file


class PublishError(GovtasksError):
    """The release cannot be published; nothing was changed."""


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _lock_path(staging: Path) -> Path:
    return staging.with_name(staging.name + LOCK_SUFFIX)


def _link_path(staging: Path) -> Path:
    return staging.with_name(staging.name + LINK_SUFFIX)


def check_latest(out: Path) -> None:
    """Refuse to publish into `out` when `out/latest` is not a link (a real folder or file)."""
    link = out / LATEST
    if os.path.lexists(link) and not link.is_symlink():
        kind = "folder" if link.is_dir() else "file"
        raise PublishError(f"{link} is a {kind}, not a link; publishing replaces it with a link to the new "
                           f"release, so move it out of the way first")


def prepare_out(out: Path) -> None:
    """`out` exists as a writable folder whose `latest` (if any) is a link; PublishError otherwise.
    Run first, so a run that cannot publish stops before doing any work."""
    if out.exists() and not out.is_dir():
        raise PublishError(f"{out} is a file, not a folder for releases")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise PublishError(f"cannot create the releases folder {out} ({e.strerror})") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise PublishError(f"the releases folder {out} is not writable")
    check_latest(out)


def _try_lock(lock: Path) -> int | None:
    """An fd holding `lock` exclusively, or None when another process holds it."""
    try:
        fd = os.open(lock, os.O_RDWR)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def clean_stale(out: Path) -> list[Path]:
    """Remove staging folders (and their links and locks) of runs that are no longer running."""
    removed = []
    stems = {p.name.removesuffix(LOCK_SUFFIX).removesuffix(LINK_SUFFIX)
             for p in out.glob(STAGING_PREFIX + "*")}
    for stem in sorted(stems):
        staging = out / stem
        if str(staging) in _locks:
            continue  # ours, still in use
        lock = _lock_path(staging)
        if not lock.exists():
            continue  # not made by govtasks (every staging folder has its lock file while it exists)
        fd = _try_lock(lock)
        if fd is None:
            continue  # its run is still going
        try:
            shutil.rmtree(staging, ignore_errors=True)
            _link_path(staging).unlink(missing_ok=True)
            lock.unlink(missing_ok=True)
        finally:
            if fd is not None:
                os.close(fd)
        removed.append(staging)
    return removed


def new_staging(out: Path) -> Path:
    """A fresh staging folder inside `out` (same file system, so the final move is a rename), locked
    for this process until `publish` or `discard`. Stale staging folders of killed runs are removed."""
    out.mkdir(parents=True, exist_ok=True)
    check_latest(out)
    clean_stale(out)
    while True:
        fd, name = tempfile.mkstemp(prefix=STAGING_PREFIX, suffix=LOCK_SUFFIX, dir=out)
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            same = os.fstat(fd).st_ino == os.stat(name).st_ino
        except FileNotFoundError:
            same = False  # a concurrent cleaner took the lock file between mkstemp and flock
        if same:
            break
        os.close(fd)
    staging = Path(name[: -len(LOCK_SUFFIX)])
    staging.mkdir(mode=0o755)
    _locks[str(staging)] = fd
    return staging


def _release_lock(staging: Path) -> None:
    fd = _locks.pop(str(staging), None)
    _lock_path(staging).unlink(missing_ok=True)
    if fd is not None:
        os.close(fd)


def discard(staging: Path) -> None:
    """Remove a staging folder that will not be published."""
    shutil.rmtree(staging, ignore_errors=True)
    _link_path(staging).unlink(missing_ok=True)
    _release_lock(staging)


def verify_release(folder: Path) -> list[str]:
    """Problems with `folder` as a complete release: missing checksums, files that do not match them,
    files not listed. Empty when the release is complete."""
    sums = folder / CHECKSUMS
    if not sums.is_file():
        return [f"{CHECKSUMS} is missing"]
    problems, listed = [], set()
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, _, rel = line.partition("  ")
        listed.add(rel)
        path = folder / rel
        if not path.is_file():
            problems.append(f"{rel} is missing")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            problems.append(f"{rel} does not match its checksum")
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_file() and rel not in listed and rel != CHECKSUMS:
            problems.append(f"{rel} is not listed in {CHECKSUMS}")
    return problems


def _make_durable(folder: Path) -> None:
    """Files read-only and readable by everyone (as the umask allows), so a published release is not
    changed by accident (e.g. by opening the database read-write); every file and folder flushed."""
    umask = os.umask(0)
    os.umask(umask)
    for p in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if p.is_file():
            p.chmod(0o444 & ~umask)
            with p.open("rb") as f:
                os.fsync(f.fileno())
        elif p.is_dir():
            p.chmod(0o777 & ~umask)
            _fsync_dir(p)
    folder.chmod(0o777 & ~umask)
    _fsync_dir(folder)


def point_latest(out: Path, name: str, link: Path | None = None) -> None:
    """`out/latest` → `name`, replaced atomically (a new link renamed over the old one)."""
    check_latest(out)
    tmp = link or out / f"{STAGING_PREFIX}{os.getpid()}{LINK_SUFFIX}"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(name, target_is_directory=True)
    os.replace(tmp, out / LATEST)
    _fsync_dir(out)


def _rename_new(staging: Path, out: Path, name: str) -> Path:
    """Rename `staging` to `out/name`; never over a release: a name already taken (another run published
    the same version meanwhile) is a PublishError, and nothing changes."""
    final = out / name
    taken = PublishError(f"release {name} already exists in {out} (another run published it meanwhile?); "
                         f"nothing was published: run again to compare with it")
    if os.path.lexists(final):
        raise taken
    try:
        os.rename(staging, final)  # fails on a non-empty folder of that name: never replaces one
    except OSError as e:
        if e.errno in (errno.EEXIST, errno.ENOTEMPTY):
            raise taken from None
        raise
    return final


def publish(staging: Path, out: Path, name: str) -> Path:
    """Move the complete `staging` folder to `out/name` (the release's version), then point `latest` at it.

    Order: verify checksums → fsync files and folders → rename into place → fsync `out` →
    new link renamed over `latest` → fsync `out`. Killed before the rename: nothing visible changed
    (the next run removes the staging folder). Killed after it: the new release is complete, and
    `latest` names either it or the previous release, never anything half-written."""
    problems = verify_release(staging)
    if problems:
        raise PublishError(f"refusing to publish an incomplete release ({staging.name}): " + "; ".join(problems))
    check_latest(out)
    _make_durable(staging)
    link = _link_path(staging)
    final = _rename_new(staging, out, name)
    _fsync_dir(out)
    point_latest(out, final.name, link)
    _release_lock(staging)
    return final


def latest(out: Path) -> Path | None:
    """The release `out/latest` points at, if any."""
    link = out / LATEST
    return link.resolve() if link.exists() else None
