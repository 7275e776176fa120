"""Errors that point at the notice: every message names the file, the line and the problem.

File names are shown with control characters escaped (a newline in a name is shown as `\\n`), so an
error stays on one line whatever the file is called.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with control characters (newlines, tabs, escapes, bidirectional overrides) escaped."""
    return _CONTROL_RE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class GovtasksError(Exception):
    """Any failure that ends a run with a readable message and no traceback."""


class NoticeError(GovtasksError):
    """A problem in one notice, located by file and (where it applies) line."""

    def __init__(self, source: str, problem: str, line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.problem = problem
        shown = printable(source)
        where = f"{shown}:{line}" if line is not None else shown
        super().__init__(f"{where}: {problem}")

    def __reduce__(self) -> tuple[type[NoticeError], tuple[str, str, int | None]]:
        """Pickled as its three fields, so the error of a notice parsed in another process (a Dask
        worker) arrives whole."""
        return (type(self), (self.source, self.problem, self.line))


class WriteError(GovtasksError):
    """A file that could not be written: a full disk, a quota, a read-only folder, a file too large."""

    def __init__(self, path: str | Path, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"cannot write {printable(self.path)}: {problem}")

    def __reduce__(self) -> tuple[type[WriteError], tuple[str, str]]:
        return (type(self), (self.path, self.problem))


@contextmanager
def writing(path: str | Path, also: tuple[type[BaseException], ...] = ()) -> Iterator[None]:
    """Around the code that writes `path`: an OSError (from Python, pyarrow, …), or one of `also`
    (a library's own I/O error, such as DuckDB's), becomes a WriteError naming `path`."""
    try:
        yield
    except (OSError, *also) as e:
        # an OSError in the system's words (pyarrow's message wraps them); a library's own as it says it
        errno = e.errno if isinstance(e, OSError) else None
        problem = os.strerror(errno) if errno else str(e).strip() or type(e).__name__
        raise WriteError(path, printable(problem)) from None


def write_text(path: Path, text: str) -> None:
    """`text` into `path` as UTF-8; a failed write is a WriteError naming the file."""
    with writing(path):
        path.write_text(text, encoding="utf-8")
