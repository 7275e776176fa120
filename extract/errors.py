"""Errors that point at the notice: every message names the file, the line and the problem."""

from __future__ import annotations


class GovtasksError(Exception):
    """Any failure that ends a run with a readable message and no traceback."""


class NoticeError(GovtasksError):
    """A problem in one notice, located by file and (where it applies) line."""

    def __init__(self, source: str, problem: str, line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.problem = problem
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {problem}")

    def __reduce__(self) -> tuple[type[NoticeError], tuple[str, str, int | None]]:
        """Pickled as its three fields, so the error of a notice parsed in another process (a Dask
        worker) arrives whole."""
        return (type(self), (self.source, self.problem, self.line))
