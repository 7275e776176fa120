"""Issue 11: a release folder a portal publishes as it is: versions, CHANGELOG, BOM CSV files every reader
opens unchanged, SHA256SUMS, the data dictionary, queries.sql and the catalogue records. (report.html:
tests/test_report.py; CSV formula injection: tests/test_csv_injection.py.)"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from output.catalog import data_files
from output.docs import README, queries_text
from output.versioning import bump, compare, next_version
from transform.schema import DATABASE_ONLY_TABLES, TABLES

FIXTURES = Path(__file__).parent / "fixtures" / "yoy"


def test_first_release_is_1_0_0_everywhere(reference_release: Path) -> None:
    assert reference_release.name == "1.0.0"
    assert json.loads((reference_release / "datapackage.json").read_text(encoding="utf-8"))["version"] == "1.0.0"
    info = json.loads((reference_release / "release.json").read_text(encoding="utf-8"))
    assert (info["version"], info["change"], info["previous_version"]) == ("1.0.0", "first", None)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", info["created"])
    con = duckdb.connect(str(reference_release / "govtasks.duckdb"), read_only=True)
    try:
        rows = con.execute("SELECT version, previous_version, change, notice_id, source_name, sha256, code_sha256, "
                           "software FROM release_info").fetchall()
        notice_sha = con.execute("SELECT sha256 FROM notices").fetchone()[0]
    finally:
        con.close()
    assert len(rows) == 1
    version, prev, change, notice_id, name, sha, code, software = rows[0]
    assert (version, prev, change, notice_id, name) == ("1.0.0", None, "first", "海城市-2023", "haicheng-2023.txt")
    assert sha == notice_sha == info["inputs"][0]["sha256"] and code == info["code_sha256"]
    assert f"duckdb=={duckdb.__version__}" in software


def test_sha256sum_c_passes_and_lists_the_database(reference_release: Path) -> None:
    proc = subprocess.run(["sha256sum", "-c", "--strict", "SHA256SUMS"], cwd=reference_release,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "govtasks.duckdb: OK" in proc.stdout and "report.html: OK" in proc.stdout


def test_csv_files_have_a_bom_and_every_reader_reads_them_unchanged(reference_release: Path) -> None:
    from frictionless import Resource

    path = reference_release / "data" / "task_units.csv"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbftask_id,role,position,unit_id")  # Excel: UTF-8 with a BOM
    assert b"\r\n" not in raw
    # what the Parquet file holds, as the reference facts say (task 42: 市工业和信息化局, 市商务局)
    expected = [("市工业和信息化局", 1), ("市商务局", 2)]

    df = pd.read_csv(path, encoding="utf-8")
    assert df.columns[0] == "task_id"
    lead42 = df[(df.task_id == "海城市-2023-t042") & (df.role == "lead")]
    assert list(zip(lead42.unit, lead42.position, strict=True)) == expected

    con = duckdb.connect()
    try:
        got = con.execute(f"SELECT unit, position FROM read_csv('{path}') WHERE task_id = '海城市-2023-t042' "
                          "AND role = 'lead' ORDER BY position").fetchall()
        cols = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_csv('{path}')").fetchall()]
    finally:
        con.close()
    assert got == expected and cols[0] == "task_id"

    with Resource(str(path)) as res:
        rows = [r for r in res.row_stream if r["task_id"] == "海城市-2023-t042" and r["role"] == "lead"]
        assert res.header[0] == "task_id"
    assert [(r["unit"], r["position"]) for r in rows] == expected

    with path.open(encoding="utf-8-sig", newline="") as f:  # Python's csv, as Excel would split it
        first = next(csv.reader(f))
    assert first[0] == "task_id"


def test_datapackage_validates_and_names_version_licence_and_sources(reference_release: Path) -> None:
    from frictionless import validate

    report = validate(str(reference_release / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])[:5]
    dp = json.loads((reference_release / "datapackage.json").read_text(encoding="utf-8"))
    assert dp["name"] == "govtasks-1.0.0" and dp["licenses"][0]["name"] == "CC0-1.0"
    assert [s["title"] for s in dp["sources"]] == ["haicheng-2023.txt"]
    assert "著作权法" in dp["description"] and "article 5" in dp["description"]


def test_parquet_files_carry_version_licence_and_sources(reference_release: Path) -> None:
    for t in TABLES:
        meta = pq.read_schema(reference_release / "data" / f"{t.name}.parquet").metadata
        assert meta[b"govtasks.version"] == b"1.0.0", t.name
        assert meta[b"govtasks.license"].startswith(b"CC0-1.0")
        sources = json.loads(meta[b"govtasks.sources"])
        assert [(s["notice_id"], s["source_name"]) for s in sources] == [("海城市-2023", "haicheng-2023.txt")]
        assert meta[b"table"] == t.name.encode()  # the schema's own keys are kept


def test_data_dictionary_has_every_table_and_column_in_both_languages(reference_release: Path) -> None:
    text = (reference_release / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    for t in TABLES + DATABASE_ONLY_TABLES:
        assert f"### `{t.name}` — {t.description_zh}" in text
        for c in t.columns:
            assert f"| `{c.name}` | {c.type} |" in text and c.description_zh in text, (t.name, c.name)
    assert "### `yoy_summary`" in text and "govtasks 1.0.0" in text


def test_queries_sql_is_the_one_home_of_the_readme_queries(reference_release: Path) -> None:
    from tests.test_manifest import normal_sql, readme_statements

    shipped = (reference_release / "queries.sql").read_text(encoding="utf-8")
    assert shipped == queries_text()
    statements = [normal_sql(s) for s in shipped.split(";") if normal_sql(s)]
    assert statements == [normal_sql(s) for s in readme_statements("Year over year")]
    assert "<!-- queries:start -->" in README.read_text(encoding="utf-8")


def test_catalogue_records_parse_and_name_every_data_file(reference_release: Path) -> None:
    sums = dict(reversed(line.split("  ", 1)) for line in
                (reference_release / "SHA256SUMS").read_text(encoding="utf-8").splitlines())
    files = [p.relative_to(reference_release).as_posix() for p in data_files(reference_release)]
    assert len(files) == 2 * len(TABLES) + 1 and "govtasks.duckdb" in files

    ld = json.loads((reference_release / "catalog.jsonld").read_text(encoding="utf-8"))
    assert "Dataset" in ld["@type"] and "dcat:Dataset" in ld["@type"]
    assert ld["version"] == "1.0.0" and ld["license"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert ld["temporalCoverage"] == "2023"
    assert ld["spatialCoverage"] == [{"@type": "Place", "name": "海城市", "identifier": "210381"}]
    assert ld["publisher"]["name"] and {n["@language"] for n in ld["name"]} == {"zh", "en"}
    dist = {d["name"]: d for d in ld["distribution"]}
    assert sorted(dist) == sorted(files)
    for name, d in dist.items():
        assert d["spdx:checksum"]["spdx:checksumValue"] == sums[name], name
        assert d["contentUrl"].endswith(f"/1.0.0/{name}")
    assert dist["data/tasks.csv"]["encodingFormat"] == "text/csv"
    assert dist["data/tasks.parquet"]["encodingFormat"] == "application/vnd.apache.parquet"

    gb = json.loads((reference_release / "catalog_gbt21063.json").read_text(encoding="utf-8"))
    for element in ("信息资源名称", "信息资源摘要", "信息资源提供方", "信息资源分类", "信息资源标识符", "元数据标识符",
                    "信息资源格式", "关键字说明", "发布日期", "更新周期", "共享类型", "开放类型", "在线资源链接地址",
                    "元数据维护方", "使用许可", "源文件公开属性"):
        assert gb[element], element
    assert gb["信息资源格式"] == "CSV、DuckDB、Parquet" and gb["更新周期"] == "每年"
    assert gb["发布日期"] == json.loads((reference_release / "release.json").read_text())["created"][:10]
    assert "海城市" in gb["信息资源摘要"] and "第五条" in gb["源文件公开属性"]
    assert sorted(f["名称"] for f in gb["数据文件"]) == sorted(files)
    assert all(f["SHA-256"] == sums[f["名称"]] for f in gb["数据文件"])


def test_bump() -> None:
    assert [bump("1.4.2", k) for k in ("major", "minor", "patch", "none")] == ["2.0.0", "1.5.0", "1.4.3", "1.4.2"]


def test_a_schema_change_is_a_major_version(reference_release: Path, tmp_path: Path) -> None:
    """The previous release had a column the new one lacks (so, to the new one, a column was added)."""
    previous = tmp_path / "1.3.1"
    shutil.copytree(reference_release, previous)
    dp_path = previous / "datapackage.json"
    dp_path.chmod(0o644)
    dp = json.loads(dp_path.read_text(encoding="utf-8"))
    tasks = next(r for r in dp["resources"] if r["name"] == "tasks")
    tasks["schema"]["fields"] = [f for f in tasks["schema"]["fields"] if f["name"] != "deadline"]
    dp["version"] = "1.3.1"
    dp_path.write_text(json.dumps(dp), encoding="utf-8")
    diff = compare(previous, reference_release)
    assert (diff.version, diff.kind) == ("2.0.0", "major")
    assert diff.schema_changes == ["tasks: column deadline added"]


def test_the_same_data_is_no_new_version(reference_release: Path) -> None:
    assert next_version(reference_release, reference_release) == ("1.0.0", "none")
    assert next_version(None, reference_release) == ("1.0.0", "first")


# ---- successive releases into one folder --------------------------------------------------------------

@pytest.fixture(scope="module")
def successive(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Four runs into one releases folder: 示例县 2023; then 2023 and 2024 (one more notice); the same
    again (nothing changed); then 2024 corrected (task 7 reworded, no number changed)."""
    from flows.release import release

    src = tmp_path_factory.mktemp("notices")
    for name in ("shili-2023.txt", "shili-2024.txt"):
        shutil.copy(FIXTURES / name, src / name)
    text = (src / "shili-2024.txt").read_text(encoding="utf-8")
    assert text.count("农村人居环境整治提升") == 1
    fixed = src / "corrected" / "shili-2024.txt"
    fixed.parent.mkdir()
    fixed.write_text(text.replace("农村人居环境整治提升", "农村人居环境整治"), encoding="utf-8")
    out = tmp_path_factory.mktemp("releases")
    runs = {}
    runs["first"] = release(sources=[str(src / "shili-2023.txt")], out=str(out), allow_unknown=True)
    runs["second"] = release(sources=[str(src / "shili-2023.txt"), str(src / "shili-2024.txt")], out=str(out),
                             allow_unknown=True)
    runs["same"] = release(sources=[str(src / "shili-2023.txt"), str(src / "shili-2024.txt")], out=str(out),
                           allow_unknown=True)
    runs["corrected"] = release(sources=[str(src / "shili-2023.txt"), str(fixed)], out=str(out), allow_unknown=True)
    runs["out"] = {"path": str(out), "sources": [str(src / "shili-2023.txt"), str(fixed)]}
    return runs


def test_one_more_notice_is_a_minor_version_with_a_changelog_entry(successive: dict[str, dict]) -> None:
    first, second = Path(successive["first"]["folder"]), Path(successive["second"]["folder"])
    assert (first.name, second.name) == ("1.0.0", "1.1.0")
    assert (successive["second"]["change"], successive["second"]["previous_version"]) == ("minor", "1.0.0")
    log = (second / "CHANGELOG.md").read_text(encoding="utf-8")
    new_entry, old_entry = log.split("\n## 1.1.0 (minor / 次版本)\n", 1)[1].split("\n## 1.0.0 ", 1)
    assert "Compared with 1.0.0" in new_entry
    assert re.search(r"Notices added / 新增通知:\n  - `示例县-2024` \(shili-2024\.txt, sha256 [0-9a-f]{12}…\)",
                     new_entry)
    assert "| `notices` | 1 | 2 | 1 | 0 | 0 |" in new_entry
    assert "示例县 2023→2024年：延续任务12项（未改5项、改写7项），新增3项，取消2项；量化目标变化8处" in new_entry
    assert "示例县 2023→2024: 12 tasks continued (5 unchanged, 7 reworded), 3 new, 2 dropped" in new_entry
    assert "leaders appearing: 陈刚; leaders leaving: 李华." in new_entry
    # the 1.0.0 entry is carried over as it was
    first_log = (first / "CHANGELOG.md").read_text(encoding="utf-8")
    assert first_log.split("\n## 1.0.0 ", 1)[1] == old_entry
    assert "`示例县-2023`" in old_entry and "Year over year" not in old_entry


def test_an_unchanged_rerun_publishes_nothing(successive: dict[str, dict]) -> None:
    same = successive["same"]
    assert same["unchanged"] and same["change"] == "none" and Path(same["folder"]).name == "1.1.0"


def test_a_corrected_notice_is_a_patch(successive: dict[str, dict]) -> None:
    out = Path(successive["out"]["path"])
    corrected = successive["corrected"]
    assert (Path(corrected["folder"]).name, corrected["change"]) == ("1.1.1", "patch")
    assert sorted(p.name for p in out.iterdir()) == [".cache", "1.0.0", "1.1.0", "1.1.1", "latest"]
    assert (out / "latest").resolve() == (out / "1.1.1").resolve()
    log = (out / "1.1.1" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert [m for m in re.findall(r"^## (\S+)", log, re.M)] == ["1.1.1", "1.1.0", "1.0.0"]
    entry = log.split("\n## 1.1.0 ", 1)[0]
    assert "Notices replaced / 替换通知:\n  - `示例县-2024`" in entry
    assert "| `tasks` | 29 | 29 | 0 | 0 | 1 |" in entry and "| `notices` | 2 | 2 | 0 | 0 | 1 |" in entry
    assert "Unchanged / 未变: `chapters`" in entry


def test_the_command_line_says_when_a_rerun_publishes_nothing(successive: dict[str, dict]) -> None:
    from typer.testing import CliRunner

    from flows.cli import app

    out = Path(successive["out"]["path"])
    res = CliRunner().invoke(app, ["release", *successive["out"]["sources"], "--out", str(out), "--allow-unknown"])
    assert res.exit_code == 0, res.output
    assert (f"release unchanged: {(out / '1.1.1').resolve()} (version 1.1.1: the same schema and data; nothing new "
            "was published)") in res.output
    assert sorted(p.name for p in out.iterdir()) == [".cache", "1.0.0", "1.1.0", "1.1.1", "latest"]


def test_changelog_entries_are_identical_on_identical_inputs(reference_release: Path, tmp_path: Path) -> None:
    from flows.release import release

    again = Path(release(out=str(tmp_path))["folder"])
    assert (again / "CHANGELOG.md").read_bytes() == (reference_release / "CHANGELOG.md").read_bytes()
    text = (again / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "| `tasks` | 0 | 102 | 102 | 0 | 0 |" in text and "`海城市-2023` (haicheng-2023.txt" in text


def test_portal_settings_are_checked_and_chinese_texts_unbroken(tmp_path: Path) -> None:
    from extract.errors import GovtasksError
    from output.portal import SETTINGS, portal_settings

    settings = portal_settings()
    for text in (settings["description"]["zh"], settings["sources_status"]["zh"], settings["title"]["zh"]):
        assert not re.search(r"[\u4e00-\u9fff，、。] [\u4e00-\u9fff]", text), text
    broken = tmp_path / "portal.yaml"
    broken.write_text(SETTINGS.read_text(encoding="utf-8").replace("\nlicense:", "\nlicence:"), encoding="utf-8")
    with pytest.raises(GovtasksError, match=r"^portal\.yaml: missing settings: license$"):
        portal_settings(broken)


def test_every_table_of_the_database_has_its_primary_key(reference_release: Path) -> None:
    """Keys are added after the rows (output/database.py, one index build per table): the catalogue
    holds each table's primary key as the schema declares it, and a duplicate key is refused."""
    con = duckdb.connect(str(reference_release / "govtasks.duckdb"), read_only=True)
    try:
        keys = {t: list(cols) for t, cols in con.execute(
            "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
            "WHERE constraint_type = 'PRIMARY KEY'").fetchall()}
        sql = dict(con.execute("SELECT table_name, sql FROM duckdb_tables()").fetchall())
    finally:
        con.close()
    for t in TABLES:
        assert keys[t.name] == list(t.primary_key), t.name
        assert "PRIMARY KEY(" + ", ".join(t.primary_key) + ")" in sql[t.name].replace('"', ""), t.name
    copy = reference_release.parent / "pk-check.duckdb"
    shutil.copy(reference_release / "govtasks.duckdb", copy)
    con = duckdb.connect(str(copy))
    try:
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO tasks SELECT * FROM tasks LIMIT 1")
    finally:
        con.close()
        copy.unlink()
