"""The data dictionaries and example queries, generated from transform.schema, the view files and
output/queries.sql (tests keep the README current).

    python -m output.docs          rewrite the generated sections of README.md (between the markers)

- `data_dictionary()`: the README's data dictionary (English, Chinese in brackets);
- `release_dictionary()`: DATA_DICTIONARY.md of a release, Chinese and English side by side;
- `queries_block()`: the README's "Year over year" queries, from output/queries.sql (their one home,
  copied into every release as queries.sql).
"""

from __future__ import annotations

import sys
from pathlib import Path

from output.database import views
from transform.schema import DATABASE_ONLY_TABLES, TABLES, Table

START, END = "<!-- data-dictionary:start -->", "<!-- data-dictionary:end -->"
QUERIES_START, QUERIES_END = "<!-- queries:start -->", "<!-- queries:end -->"
QUERIES = Path(__file__).with_name("queries.sql")
README = Path(__file__).resolve().parents[1] / "README.md"


def data_dictionary() -> str:
    """Markdown: one section per table (columns, types, keys, descriptions), then one per view."""
    parts = []
    for t in TABLES + DATABASE_ONLY_TABLES:
        where = " In the database only." if t in DATABASE_ONLY_TABLES and "database only" not in t.description else ""
        parts.append(f"#### `{t.name}`\n\n{t.description}{where} {t.description_zh}  \n"
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


def _zh_table(t: Table, where: str) -> list[str]:
    out = [f"### `{t.name}` — {t.description_zh}", "", t.description + where, "",
           f"主键 / Primary key: `{', '.join(t.primary_key)}`", "",
           "| 列 column | 类型 type | 必填 required | 说明 | description |", "|---|---|---|---|---|"]
    for c in t.columns:
        desc = c.description + (f"; one of {', '.join(f'`{v}`' for v in c.enum)}" if c.enum else "")
        out.append(f"| `{c.name}` | {c.type} | {'是 yes' if c.required else ''} | {c.description_zh} | {desc} |")
    return [*out, ""]


def release_dictionary(version: str) -> str:
    """DATA_DICTIONARY.md of a release: every data file's table, the database-only tables and the
    views, with Chinese and English descriptions side by side."""
    out = [f"# 数据字典 / Data dictionary — govtasks {version}", "",
           "每个表对应 `data/<表名>.csv`（UTF-8 带 BOM）与 `data/<表名>.parquet`，也在 `govtasks.duckdb` 中。",
           "Each table is `data/<table>.csv` (UTF-8 with a BOM) and `data/<table>.parquet`, and a table of "
           "`govtasks.duckdb`.", "",
           "CSV: 以 `=` `+` `-` `@`、制表符、回车或 `'` 开头的文本单元格前加一个 `'`（防止电子表格把它当作公式）；"
           "Parquet 与 DuckDB 保存原文。",
           "CSV: a text cell starting with `=` `+` `-` `@`, a tab, a carriage return or `'` has one `'` put in "
           "front (so no spreadsheet evaluates it); Parquet and DuckDB hold the exact text.", "",
           "类型 / types: string 文本, int 整数, float 数值, bool 布尔（`true`/`false`）, date 日期（YYYY-MM-DD）, "
           "string_list 文本列表（CSV 中为 JSON 数组）.", "", "## 数据表 / Tables", ""]
    for t in TABLES:
        out += _zh_table(t, "")
    out += ["## 仅在数据库中的表 / Tables in the database only", ""]
    for t in DATABASE_ONLY_TABLES:
        out += _zh_table(t, "")
    out += ["## 视图（仅在数据库中）/ Views (database only)", ""]
    for v in views():
        en, _, zh = v.comment.partition(" / ")
        out += [f"### `{v.name}` — {zh or en}", "", en, "", "| 列 column | 说明 / description |", "|---|---|"]
        out += [f"| `{col}` | {text} |" for col, text in v.columns.items()]
        out.append("")
    return "\n".join(out)


def queries_text() -> str:
    """output/queries.sql as it is (copied into every release)."""
    return QUERIES.read_text(encoding="utf-8")


def queries_block() -> str:
    """The README's SQL block: the queries of output/queries.sql without its header comment."""
    body = queries_text().split("\n\n", 1)[1].strip()
    return f"```sql\n{body}\n```"


def _between(text: str, start: str, end: str, body: str) -> str:
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    return f"{head}{start}\n{body}\n{end}{tail}"


def with_dictionary(readme: str) -> str:
    """`readme` with its generated sections (data dictionary, example queries) regenerated."""
    readme = _between(readme, START, END, data_dictionary())
    if QUERIES_START in readme:
        readme = _between(readme, QUERIES_START, QUERIES_END, queries_block())
    return readme


def main() -> int:
    README.write_text(with_dictionary(README.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
