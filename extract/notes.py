"""Notes: things a run repaired on its own (a damaged cache file rebuilt), written to stderr as one
line each. Not errors: the run goes on, and what it publishes is unaffected."""

from __future__ import annotations

import sys

from extract.errors import printable


def note(message: str) -> None:
    """`govtasks: note: <message>` on stderr, on one line."""
    sys.stderr.write(f"govtasks: note: {printable(message)}\n")
    sys.stderr.flush()
