"""Leader group headings: a heading that says whose tasks follow gives the lead leader of the tasks
below it (`一、张三同志负责事项(共12项)`, `李四副市长负责事项`), as some tables group their rows.

The heading is the leader (as printed, without the honorific 同志 and the count) and one of the
`leader_groups` suffixes of labels.yaml. A numbered group heading is still a chapter (or sub-chapter)
of the notice; an unnumbered one only names the leader. A task's own 牵头领导 wins over its group's.
"""

from __future__ import annotations

import re
from functools import cache

from extract.markers import labels_data
from extract.textnorm import fold, remove_whitespace

_COUNT_RE = re.compile(r"[(（]\s*共?\s*\d+\s*项\s*[)）]$|[:：]$")
_MAX_WHO = 20


@cache
def _words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    data = labels_data()["leader_groups"]
    return (tuple(sorted(data["suffixes"], key=len, reverse=True)),
            tuple(sorted(data["honorifics"], key=len, reverse=True)))


def group_leader(heading: str) -> str | None:
    """The leader a group heading (its text without the number) names, or None for any other heading."""
    suffixes, honorifics = _words()
    text = remove_whitespace(heading)
    while (m := _COUNT_RE.search(text)) is not None and m.start() > 0:
        text = text[: m.start()]
    suffix = next((s for s in suffixes if text.endswith(s)), None)
    if suffix is None:
        return None
    who = text[: -len(suffix)]
    who = next((who[: -len(h)] for h in honorifics if who.endswith(h)), who)
    if not who or len(who) > _MAX_WHO or any(c in fold(who) for c in "。,;:()"):
        return None
    return who
