"""Issue 2: the end-to-end release of the reference notice gives the facts the notice states."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from transform.schema import TABLES


@pytest.fixture(scope="module")
def db(reference_release: Path):
    con = duckdb.connect(str(reference_release / "govtasks.duckdb"), read_only=True)
    yield con
    con.close()


def view_row(db, task_no: int) -> dict:
    cur = db.execute("SELECT * FROM task_responsibilities WHERE task_no = ?", [task_no])
    cols = [d[0] for d in cur.description]
    return dict(zip(cols, cur.fetchone(), strict=True))


def test_release_folder_has_every_table_in_every_format(reference_release: Path) -> None:
    for t in TABLES:
        assert (reference_release / "data" / f"{t.name}.parquet").is_file()
        assert (reference_release / "data" / f"{t.name}.csv").is_file()
    assert (reference_release / "govtasks.duckdb").is_file()
    assert (reference_release.parent / "latest").resolve() == reference_release.resolve()


def test_counts(db) -> None:
    assert db.execute("SELECT count(*) FROM tasks").fetchone()[0] == 102
    assert db.execute("SELECT count(*) FROM chapters WHERE level = 'chapter'").fetchone()[0] == 11
    assert db.execute("SELECT count(*) FROM chapters WHERE level = 'subchapter'").fetchone()[0] == 33
    assert db.execute("SELECT count(*) FROM task_responsibilities").fetchone()[0] == 102


def test_thirteen_leaders_once_white_space_is_removed(db) -> None:
    names = [r[0] for r in db.execute("SELECT name FROM leaders ORDER BY name").fetchall()]
    assert len(names) == 13
    assert "刘哲" in names and "刘 哲" not in names
    assert "王威" in names and "王巍" in names  # two people: never merged by similarity
    raw = {r[0] for r in db.execute("SELECT DISTINCT raw_name FROM task_leaders WHERE leader = '刘哲'").fetchall()}
    assert raw == {"刘 哲", "刘哲"}


def test_task_21(db) -> None:
    row = view_row(db, 21)
    assert row["lead_leaders"] == ["王威", "刘兴达", "夏应"]
    assert row["lead_units"] == ["市委机构编制委员会办公室", "市政府办公室", "市司法局"]
    assert row["jurisdiction"] == "海城市" and row["year"] == 2023 and row["notice_id"] == "海城市-2023"


def test_task_42_restores_the_dropped_prefix(db) -> None:
    assert view_row(db, 42)["lead_units"] == ["市工业和信息化局", "市商务局"]


def test_task_102_ends_before_the_attachment_line(db) -> None:
    text = view_row(db, 102)["task_text"]
    assert text.endswith("发展环境。")
    assert "附件" not in text


def test_notice_header(db) -> None:
    issuer, issued_on, year, reports, code = db.execute(
        "SELECT issuer, issued_on, year, reports, division_code FROM notices").fetchone()
    assert issuer == "海城市人民政府"
    assert str(issued_on) == "2023-03-17"
    assert year == 2023
    assert reports == ["辽宁省政府工作报告", "鞍山市政府工作报告", "海城市政府工作报告"]
    assert code == "210381"


def test_parquet_carries_the_schema_descriptions(reference_release: Path) -> None:
    schema = pq.read_schema(reference_release / "data" / "tasks.parquet")
    assert schema.field("task_no").metadata[b"description_zh"].decode() == "任务序号"
    assert str(schema.field("task_no").type) == "int32"


def test_duckdb_has_comments_from_the_schema(db) -> None:
    comment = db.execute(
        "SELECT comment FROM duckdb_columns() WHERE table_name = 'tasks' AND column_name = 'task_no'").fetchone()[0]
    assert "任务序号" in comment


def test_datapackage_is_valid_for_frictionless(reference_release: Path) -> None:
    from frictionless import validate

    report = validate(str(reference_release / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])[:5]


def test_sha256sums_cover_every_file_the_database_included(reference_release: Path) -> None:
    import hashlib

    listed = {}
    for line in (reference_release / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    files = {p.relative_to(reference_release).as_posix() for p in reference_release.rglob("*") if p.is_file()}
    assert set(listed) == files - {"SHA256SUMS"} and "govtasks.duckdb" in listed
    for name, digest in listed.items():
        assert hashlib.sha256((reference_release / name).read_bytes()).hexdigest() == digest, name


def test_every_table_view_and_column_has_a_comment(db) -> None:
    missing_tables = db.execute(
        "SELECT table_name FROM duckdb_tables() WHERE comment IS NULL "
        "UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal AND comment IS NULL").fetchall()
    assert missing_tables == []
    missing_cols = db.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal AND comment IS NULL").fetchall()
    assert missing_cols == []
    views = {r[0] for r in db.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert {"task_responsibilities", "yoy_tasks", "yoy_summary", "yoy_target_moves",
            "yoy_leader_handovers"} <= views


def test_database_opens_in_duckdb_1_0_and_later(reference_release: Path) -> None:
    con = duckdb.connect(str(reference_release / "govtasks.duckdb"), read_only=True)
    try:
        tags = con.execute("SELECT tags FROM duckdb_databases() WHERE database_name = 'govtasks'").fetchone()[0]
    finally:
        con.close()
    assert tags["storage_version"] == "v1.0.0+"


def test_published_files_are_read_only(reference_release: Path) -> None:
    for p in reference_release.rglob("*"):
        if p.is_file():
            assert p.stat().st_mode & 0o222 == 0, p
            assert p.stat().st_mode & 0o444 == 0o444, p


def test_task_71_keeps_the_towns_concerned_apart_from_every_town(db) -> None:
    row = view_row(db, 71)
    assert row["lead_units"] == ["市财政局"]
    assert row["other_units"] == ["市发展和改革局", "市住房和城乡建设局", "各有关部门", "各有关镇（街道）"]
    assert db.execute("SELECT unit_type FROM units WHERE name = '各有关镇（街道）'").fetchone() == ("collective",)
