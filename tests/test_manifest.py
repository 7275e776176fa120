"""Issue 6, many notices in one release: manifest files (CSV or YAML) and a real two-year release."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

from extract.errors import NoticeError
from extract.manifest import Planned, check_sha256, expand_sources, is_manifest, read_manifest

FIXTURES = Path(__file__).parent / "fixtures" / "yoy"
SHA = {n: hashlib.sha256((FIXTURES / n).read_bytes()).hexdigest() for n in ("shili-2023.txt", "shili-2024.txt")}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for n in SHA:
        shutil.copy(FIXTURES / n, tmp_path / n)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_manifest(folder: Path) -> None:
    m = write(folder / "notices.csv", "jurisdiction,year,source,sha256,replaces\n"
                                      f"示例县,2023,shili-2023.txt,{SHA['shili-2023.txt']},\n"
                                      "示例县,2024,shili-2024.txt,,\n")
    entries = read_manifest(m)
    assert [(e.jurisdiction, e.year, Path(e.source).name, e.line) for e in entries] == [
        ("示例县", 2023, "shili-2023.txt", 2), ("示例县", 2024, "shili-2024.txt", 3)]
    assert Path(entries[0].source).is_absolute() and entries[1].sha256 is None
    assert is_manifest(str(m)) and not is_manifest(str(folder / "shili-2023.txt"))
    planned = expand_sources([str(folder / "shili-2023.txt"), str(m)])
    assert [p.year for p in planned] == [None, 2023, 2024]


def test_yaml_manifest_with_replaces(folder: Path) -> None:
    shutil.copy(folder / "shili-2024.txt", folder / "shili-2024-corrected.txt")
    m = write(folder / "notices.yaml", f"""notices:
  - {{jurisdiction: 示例县, year: 2023, source: shili-2023.txt, sha256: {SHA['shili-2023.txt']}}}
  - {{jurisdiction: 示例县, year: 2024, source: shili-2024.txt}}
  - jurisdiction: 示例县
    year: 2024
    source: shili-2024-corrected.txt
    replaces: shili-2024.txt
""")
    entries = read_manifest(m)
    assert [(e.year, e.written, e.line) for e in entries] == [
        (2023, "shili-2023.txt", 2), (2024, "shili-2024-corrected.txt", 4)]


def test_same_jurisdiction_and_year_twice_is_an_error(folder: Path) -> None:
    m = write(folder / "notices.csv", "jurisdiction,year,source\n示例县,2024,shili-2023.txt\n"
                                      "示例县,2024,shili-2024.txt\n")
    with pytest.raises(NoticeError) as e:
        read_manifest(m)
    assert str(e.value) == ("notices.csv:3: 示例县 2024 is listed twice (lines 2 and 3); if one replaces the "
                            "other, give it replaces: shili-2023.txt")


def test_sha256_mismatch_names_the_manifest_line(folder: Path) -> None:
    wrong = "0" * 64
    m = write(folder / "notices.csv", f"jurisdiction,year,source,sha256\n示例县,2023,shili-2023.txt,{wrong}\n")
    planned = expand_sources([str(m)])
    with pytest.raises(NoticeError, match=r"^notices\.csv:2: source 'shili-2023.txt' has sha256 "
                                          + SHA["shili-2023.txt"]):
        check_sha256(planned, [SHA["shili-2023.txt"]])
    check_sha256([Planned("x.txt")], ["abc"])  # plain sources carry no expectation


@pytest.mark.parametrize(("text", "problem"), [
    ("jurisdiction,year\n示例县,2023\n", "notices.csv:1: not a manifest: the header row lacks source"),
    ("jurisdiction,year,source\n示例县,23,shili-2023.txt\n", "notices.csv:2: year '23' is not a four-digit year"),
    ("jurisdiction,year,source\n示例县,2023,nowhere.txt\n", "notices.csv:2: source 'nowhere.txt': no such file"),
    ("jurisdiction,year,source,sha256\n示例县,2023,shili-2023.txt,abc\n",
     "notices.csv:2: sha256 'abc' is not 64 hexadecimal digits"),
    ("jurisdiction,year,source,replaces\n示例县,2023,shili-2023.txt,old.txt\n",
     "notices.csv:2: replaces 'old.txt', but no other entry has that source"),
    ("jurisdiction,year,source,replaces\n示例县,2023,shili-2023.txt,\n示例县,2024,shili-2024.txt,shili-2023.txt\n",
     "notices.csv:3: replaces 'shili-2023.txt' (示例县 2023, line 2), a notice of another jurisdiction or year"),
])
def test_bad_manifests(folder: Path, text: str, problem: str) -> None:
    with pytest.raises(NoticeError) as e:
        read_manifest(write(folder / "notices.csv", text))
    assert str(e.value).startswith(problem)


@pytest.fixture(scope="module")
def yoy_db(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory):
    """The database of a real release of a two-year manifest (示例县 2023 and 2024)."""
    from flows.release import release

    folder = tmp_path_factory.mktemp("notices")
    for n in SHA:
        shutil.copy(FIXTURES / n, folder / n)
    m = write(folder / "notices.csv", "jurisdiction,year,source,sha256\n"
                                      f"示例县,2023,shili-2023.txt,{SHA['shili-2023.txt']}\n"
                                      f"示例县,2024,shili-2024.txt,{SHA['shili-2024.txt']}\n")
    out = tmp_path_factory.mktemp("releases")
    result = release(sources=[str(m)], out=str(out), allow_unknown=True)
    con = duckdb.connect(str(Path(result["folder"]) / "govtasks.duckdb"), read_only=True)
    yield con
    con.close()


def test_release_of_a_two_year_manifest(yoy_db) -> None:
    con = yoy_db
    assert con.execute("SELECT continued, unchanged, reworded, new, dropped, target_changes, "
                       "leaders_appearing, leaders_leaving FROM yoy_summary").fetchall() == [
        (12, 5, 7, 3, 2, 8, ["陈刚"], ["李华"])]
    assert con.execute("SELECT target_from, target_to FROM yoy_target_moves "
                       "WHERE metric = '地区生产总值'").fetchall() == [("6.5%以上", "6%")]
    assert con.execute("SELECT count(*) FROM yoy_task_links").fetchone()[0] == 17
    assert con.execute("SELECT count(*) FROM quality_findings WHERE \"check\" = 'yoy'").fetchone()[0] == 0
    assert con.execute("SELECT year_from, task_no_from FROM notices n JOIN yoy_task_links k "
                       "ON k.year_to = n.year WHERE k.task_no_to = 9").fetchall() == [(2023, 5)]


# The queries of the README section "Year over year", each with a fact it must show.
README_QUERIES = [
    ("SELECT * FROM yoy_summary", lambda r: r[0][:3] == ("示例县", 2023, 2024)),
    ("""SELECT year_from, task_no_from, text_from FROM yoy_tasks WHERE status = 'dropped'""",
     lambda r: [x[1] for x in r] == [8, 13]),
    ("""SELECT year_to, task_no_to, text_to FROM yoy_tasks WHERE status = 'new'""",
     lambda r: [x[1] for x in r] == [8, 11, 15]),
    ("""SELECT task_no_from, task_no_to, similarity, text_from, text_to
FROM yoy_tasks WHERE status = 'continued' AND text_changed ORDER BY similarity""",
     lambda r: (r[0][0], r[0][1]) == (10, 6) and len(r) == 7),
    ("""SELECT jurisdiction, year_from, year_to, metric, target_from, target_to
FROM yoy_target_moves ORDER BY jurisdiction, year_to, task_no_to""",
     lambda r: r[0][3:] == ("地区生产总值", "6.5%以上", "6%") and r[1][3:] == ("固定资产投资", "10%以上", "8%左右")),
    ("""SELECT year, unit, lead_tasks, lead_change, other_tasks, other_change
FROM unit_workload
WHERE previous_year IS NOT NULL AND (lead_change <> 0 OR other_change <> 0)
ORDER BY lead_change DESC, unit""",
     lambda r: (2024, "县商务局", 0, -1, 1, 1) in r),
    ("""SELECT year, leader, status, tasks_led, tasks_led_before, taken_over_from, handed_over_to
FROM leader_portfolios WHERE status <> 'first_year' ORDER BY year, leader""",
     lambda r: (2024, "陈刚", "appears", 5, 0, ["李华"], []) in r
     and (2024, "李华", "leaves", 0, 5, [], ["陈刚"]) in r),
    ("SELECT * FROM yoy_leader_handovers",
     lambda r: [(x[2], x[4], x[5], x[6]) for x in r][-1] == (7, 12, ["张明"], ["王强"])),
    ("""SELECT k.year_from, k.task_no_from, k.year_to, k.task_no_to, k.status
FROM yoy_task_links k WHERE k.jurisdiction = '示例县' AND k.task_no_from = 5""",
     lambda r: r == [(2023, 5, 2024, 9, "continued")]),
]


@pytest.mark.parametrize(("sql", "fact"), README_QUERIES)
def test_readme_queries(yoy_db, sql: str, fact) -> None:
    rows = yoy_db.execute(sql).fetchall()
    assert rows and fact(rows), rows


def test_sha256_mismatch_stops_the_release(prefect_harness: None, folder: Path, tmp_path_factory) -> None:
    from flows.release import release

    m = write(folder / "notices.yaml", f"- {{jurisdiction: 示例县, year: 2023, source: shili-2023.txt, "
                                       f"sha256: {'1' * 64}}}\n")
    out = tmp_path_factory.mktemp("releases")
    with pytest.raises(NoticeError, match=r"notices\.yaml:1: source 'shili-2023.txt' has sha256"):
        release(sources=[str(m)], out=str(out))
    assert not (out / "latest").exists()


def test_one_year_release_says_so_on_the_command_line(prefect_harness: None, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from flows.cli import app

    res = CliRunner().invoke(app, ["release", str(FIXTURES / "shili-2024.txt"), "--out", str(tmp_path),
                                   "--allow-unknown"])
    assert res.exit_code == 0, res.output
    assert "year over year:    示例县: only 2024 is present; no earlier year to compare with" in res.output
    con = duckdb.connect(str(tmp_path / "latest" / "govtasks.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT notice_id, detail FROM quality_findings WHERE \"check\" = 'yoy'").fetchall() == [
            ("示例县-2024", "示例县: only 2024 is present; no earlier year to compare with")]
    finally:
        con.close()
