"""The README's data dictionary, generated from transform.schema (a test keeps the README current).

    python -m output.docs          rewrite the section between the markers in README.md
"""

from __future__ import annotations

import sys
from pathlib import Path

from output.database import views
from transform.schema import TABLES

START, END = "<!-- data-dictionary:start -->", "<!-- data-dictionary:end -->"
README = Path(__file__).resolve().parents[1] / "README.md"


def data_dictionary() -> str:
    """Markdown: one section per table (columns, types, keys, descriptions), then one per view."""
    parts = []
    for t in TABLES:
        parts.append(f"#### `{t.name}`\n\n{t.description} {t.description_zh}  \n"
                     f"Primary key: `{', '.join(t.primary_key)}`\n")
        parts.append("| column | type | required | description |\n|---|---|---|---|")
        for c in t.columns:
            desc = f"{c.description} ({c.description_zh})"
            if c.enum:
                desc += f"; one of {', '.join(f'`{v}`' for v in c.enum)}"
            parts.append(f"| `{c.name}` | {c.type} | {'yes' if c.required else ''} | {desc} |")
        parts.append("")
    for v in views():
        parts.append(f"#### view `{v.name}`\n\n{v.comment}\n")
        parts.append("| column | description |\n|---|---|")
        parts += [f"| `{col}` | {text} |" for col, text in v.columns.items()]
        parts.append("")
    return "\n".join(parts)


def with_dictionary(readme: str) -> str:
    """`readme` with its data-dictionary section regenerated."""
    head, _, rest = readme.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{data_dictionary()}\n{END}{tail}"


def main() -> int:
    README.write_text(with_dictionary(README.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
