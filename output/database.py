"""The DuckDB database of a release: every table (DDL and comments from the schema) plus views.

Views are SQL files in output/views/, one per view, run in name order; each starts with a
`-- comment:` line that becomes the view's COMMENT.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from transform.schema import TABLES, Table

_DUCKDB_TYPES = {
    "string": "VARCHAR", "int": "INTEGER", "float": "DOUBLE", "bool": "BOOLEAN", "date": "DATE",
    "string_list": "VARCHAR[]",
}
VIEWS_DIR = Path(__file__).with_name("views")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def ddl(tbl: Table) -> str:
    """CREATE TABLE for `tbl`, with NOT NULL and the primary key."""
    cols = [f'"{c.name}" {_DUCKDB_TYPES[c.type]}{" NOT NULL" if c.required else ""}' for c in tbl.columns]
    pk = ", ".join(f'"{c}"' for c in tbl.primary_key)
    return f'CREATE TABLE "{tbl.name}" ({", ".join(cols)}, PRIMARY KEY ({pk}))'


def comments(tbl: Table) -> list[str]:
    """COMMENT ON statements: English description, then the Chinese one."""
    out = [f'COMMENT ON TABLE "{tbl.name}" IS {_quote(f"{tbl.description} / {tbl.description_zh}")}']
    out += [f'COMMENT ON COLUMN "{tbl.name}"."{c.name}" IS {_quote(f"{c.description} / {c.description_zh}")}'
            for c in tbl.columns]
    return out


def view_sql() -> list[tuple[str, str, str]]:
    """(name, comment, select) for every view file."""
    out = []
    for path in sorted(VIEWS_DIR.glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        first, _, body = text.partition("\n")
        comment = first.removeprefix("-- comment:").strip()
        out.append((path.stem.split("_", 1)[1], comment, body.strip().rstrip(";")))
    return out


def write_database(tables: dict[str, pa.Table], path: Path) -> None:
    """A new DuckDB file at `path` holding every table and view."""
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    try:
        for tbl in TABLES:
            con.execute(ddl(tbl))
            data = tables[tbl.name]  # noqa: F841 (read by DuckDB's replacement scan)
            con.execute(f'INSERT INTO "{tbl.name}" SELECT * FROM data')
            for stmt in comments(tbl):
                con.execute(stmt)
        for name, comment, select in view_sql():
            con.execute(f'CREATE VIEW "{name}" AS {select}')
            con.execute(f'COMMENT ON VIEW "{name}" IS {_quote(comment)}')
        con.execute("CHECKPOINT")
    finally:
        con.close()
