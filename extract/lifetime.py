"""Child processes that never outlive the run that started them (parse workers, the temporary
Prefect server): a killed run (even with SIGKILL, which runs no clean-up) leaves no process behind.

- Linux: the child asks the kernel for SIGKILL when its parent dies (prctl PR_SET_PDEATHSIG);
- anywhere: a watchdog thread in the child ends it when its parent pid changes.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None, sig: int = signal.SIGKILL) -> None:
    """In a child process: ask Linux to send `sig` when the parent dies (no-op elsewhere). If the
    parent is already gone (it died before the request was made: the parent is now `parent`'s
    successor, or init), exit at once."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    now = os.getppid()
    if (parent is not None and now != parent) or now == 1:
        os._exit(1)


def watch_parent(parent: int, interval: float = 0.5) -> None:
    """A daemon thread ending this process when `parent` is no longer its parent (any platform)."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="govtasks-parent-watch", daemon=True).start()
