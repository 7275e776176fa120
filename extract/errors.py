"""Errors that point at the notice: every message names the file, the line and the problem.

File names are shown with control characters escaped (a newline in a name is shown as `\\n`), so an
error stays on one line whatever the file is called.
"""

from __future__ import annotations

import re

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
