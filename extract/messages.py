"""Repeated messages, capped: the first MAX_MESSAGES, then one line saying how many more there are."""

from __future__ import annotations

from collections.abc import Sequence

from extract.limits import MAX_MESSAGES


def more(n: int) -> str:
    """`… and 189,990 more`."""
    return f"… and {n:,} more"


def capped(lines: Sequence[str], limit: int = MAX_MESSAGES) -> list[str]:
    """`lines` when there are at most `limit`; else the first `limit` and `… and N more`."""
    if len(lines) <= limit:
        return list(lines)
    return [*lines[:limit], more(len(lines) - limit)]
