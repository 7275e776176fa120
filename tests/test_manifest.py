"""Issue 6, many notices in one release: manifest files (CSV or YAML) and a real two-year release."""

from __future__ import annotations

import hashlib
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from extract.errors import NoticeError
from extract.manifest import Planned, check_sha256, expand_sources, is_manifest, read_manifest

FIXTURES = Path(__file__).parent / "fixtures" / "yoy"
README = Path(__file__).parents[1] / "README.md"
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
                                      f"清河县,2023,shili-2023.txt,{SHA['shili-2023.txt']},\n"
                                      "清河县,2024,shili-2024.txt,,\n")
    entries = read_manifest(m)
    assert [(e.jurisdiction, e.year, Path(e.source).name, e.line) for e in entries] == [
        ("清河县", 2023, "shili-2023.txt", 2), ("清河县", 2024, "shili-2024.txt", 3)]
    assert Path(entries[0].source).is_absolute() and entries[1].sha256 is None
    assert is_manifest(str(m)) and not is_manifest(str(folder / "shili-2023.txt"))
    planned = expand_sources([str(folder / "shili-2023.txt"), str(m)])
    assert [p.year for p in planned] == [None, 2023, 2024]


def test_yaml_manifest_with_replaces(folder: Path) -> None:
    shutil.copy(folder / "shili-2024.txt", folder / "shili-2024-corrected.txt")
    m = write(folder / "notices.yaml", f"""notices:
  - {{jurisdiction: 清河县, year: 2023, source: shili-2023.txt, sha256: {SHA['shili-2023.txt']}}}
  - {{jurisdiction: 清河县, year: 2024, source: shili-2024.txt}}
  - jurisdiction: 清河县
    year: 2024
    source: shili-2024-corrected.txt
    replaces: shili-2024.txt
""")
    entries = read_manifest(m)
    assert [(e.year, e.written, e.line) for e in entries] == [
        (2023, "shili-2023.txt", 2), (2024, "shili-2024-corrected.txt", 4)]


def test_same_jurisdiction_and_year_twice_is_an_error(folder: Path) -> None:
    m = write(folder / "notices.csv", "jurisdiction,year,source\n清河县,2024,shili-2023.txt\n"
                                      "清河县,2024,shili-2024.txt\n")
    with pytest.raises(NoticeError) as e:
        read_manifest(m)
    assert str(e.value) == ("notices.csv:3: 清河县 2024 is listed twice (lines 2 and 3); if one replaces the "
                            "other, give it replaces: shili-2023.txt")


def test_sha256_mismatch_names_the_manifest_line(folder: Path) -> None:
    wrong = "0" * 64
    m = write(folder / "notices.csv", f"jurisdiction,year,source,sha256\n清河县,2023,shili-2023.txt,{wrong}\n")
    planned = expand_sources([str(m)])
    with pytest.raises(NoticeError, match=r"^notices\.csv:2: source 'shili-2023.txt' has sha256 "
                                          + SHA["shili-2023.txt"]):
        check_sha256(planned, [SHA["shili-2023.txt"]])
    check_sha256([Planned("x.txt")], ["abc"])  # plain sources carry no expectation


@pytest.mark.parametrize(("text", "problem"), [
    ("jurisdiction,year\n清河县,2023\n", "notices.csv:1: not a manifest: the header row lacks source"),
    ("jurisdiction,year,source\n清河县,23,shili-2023.txt\n", "notices.csv:2: year '23' is not a four-digit year"),
    ("jurisdiction,year,source\n清河县,2023,nowhere.txt\n", "notices.csv:2: source 'nowhere.txt': no such file"),
    ("jurisdiction,year,source,sha256\n清河县,2023,shili-2023.txt,abc\n",
     "notices.csv:2: sha256 'abc' is not 64 hexadecimal digits"),
    ("jurisdiction,year,source,replaces\n清河县,2023,shili-2023.txt,old.txt\n",
     "notices.csv:2: replaces 'old.txt', but no other entry has that source"),
    ("jurisdiction,year,source,replaces\n清河县,2023,shili-2023.txt,\n清河县,2024,shili-2024.txt,shili-2023.txt\n",
     "notices.csv:3: replaces 'shili-2023.txt' (清河县 2023, line 2), a notice of another jurisdiction or year"),
])
def test_bad_manifests(folder: Path, text: str, problem: str) -> None:
    with pytest.raises(NoticeError) as e:
        read_manifest(write(folder / "notices.csv", text))
    assert str(e.value).startswith(problem)


@pytest.mark.parametrize(("name", "text", "problem"), [
    # an unquoted comma: csv.DictReader would put the extra value under a None key
    ("notices.csv", "jurisdiction,year,source\n清河县,2023,shili-2023.txt,第二版\n",
     "notices.csv:2: line 2 has 4 fields, the header has 3 (a value holding a comma must be in double quotes)"),
    ("notices.csv", "jurisdiction,year,source,sha256,replaces\n清河县,2023,shili-2023.txt,,\n"
                    "清河县,2024,shili-2024.txt,,,,\n",
     "notices.csv:3: line 3 has 7 fields, the header has 5"),
    ("notices.csv", "jurisdiction,year,source,sha256\n清河县,2023,shili-2023.txt\n",
     "notices.csv:2: line 2 has 3 fields, the header has 4 (give every column a value, or leave it empty"),
    ("notices.csv", "", "notices.csv:1: the manifest is empty"),
    ("notices.csv", "\n,,\n", "notices.csv:1: the manifest is empty"),
    ("notices.csv", "jurisdiction,year,source\n", "notices.csv:1: the manifest lists no notices"),
    ("notices.csv", "jurisdiction,year,source,source\n清河县,2023,a,b\n",
     "notices.csv:1: column 'source' appears twice in the header"),
    ("notices.csv", "jurisdiction,year,source,备注\n清河县,2023,shili-2023.txt,x\n",
     "notices.csv:1: unknown column '备注'"),
    ("notices.csv", "\n\njurisdiction,year,source,\n清河县,2023,shili-2023.txt,\n",
     "notices.csv:3: column 4 of the header has no name"),
    ("notices.csv", '\ufeffjurisdiction,year,source\n"清河县,2023,shili-2023.txt\n',
     "notices.csv:2: line 2 has 1 field, the header has 3"),
    ("notices.yaml", "", "notices.yaml:1: the manifest is empty"),
    ("notices.yaml", "清河县 2023 shili-2023.txt\n", "notices.yaml:1: not a manifest: expected a list of entries"),
    ("notices.yaml", "# notices\nnotices:\n  jurisdiction: 清河县\n",
     "notices.yaml:3: not a manifest: expected a list of entries"),
    ("notices.yaml", "jurisdiction: 清河县\nyear: 2023\nsource: shili-2023.txt\n",
     "notices.yaml:1: not a manifest: expected a list of entries"),
    ("notices.yml", "- shili-2023.txt\n",
     "notices.yml:1: an entry must be a mapping with jurisdiction, year and source"),
    ("notices.yaml", "- {jurisdiction: 清河县, year: 2023, source: shili-2023.txt}\n"
                     "- {jurisdiction: [清河县, 示例镇], year: 2024, source: shili-2024.txt}\n",
     "notices.yaml:2: jurisdiction must be a single value, not a list"),
    ("notices.yaml", "- {jurisdiction: 清河县, year: 2023, source: shili-2023.txt\n",
     "notices.yaml:2: not valid YAML"),
], ids=["extra-field", "extra-fields", "missing-field", "empty", "blank-rows", "header-only", "column-twice",
        "unknown-column", "unnamed-column", "unclosed-quote", "yaml-empty", "yaml-scalar", "yaml-notices-mapping",
        "yaml-one-mapping", "yaml-entry-scalar", "yaml-list-value", "yaml-invalid"])
def test_malformed_manifests_name_file_and_line(folder: Path, name: str, text: str, problem: str) -> None:
    with pytest.raises(NoticeError) as e:
        read_manifest(write(folder / name, text))
    assert str(e.value).startswith(problem), str(e.value)


def test_csv_manifest_as_excel_writes_it(folder: Path) -> None:
    """Excel's "CSV UTF-8": a byte order mark, CRLF line ends, quoted fields, trailing empty cells."""
    m = folder / "notices.csv"
    m.write_bytes("\ufeffjurisdiction,year,source,sha256,replaces\r\n"
                  '"清河县",2023,shili-2023.txt,,\r\n'
                  "# 2024 follows,,,,\r\n"
                  f"清河县,2024,shili-2024.txt,{SHA['shili-2024.txt'].upper()},\r\n".encode())
    entries = read_manifest(m)
    assert [(e.jurisdiction, e.year, e.written, e.sha256, e.line) for e in entries] == [
        ("清河县", 2023, "shili-2023.txt", None, 2), ("清河县", 2024, "shili-2024.txt", SHA["shili-2024.txt"], 4)]


def test_manifest_in_another_encoding_is_refused(folder: Path) -> None:
    m = folder / "notices.csv"
    m.write_bytes("jurisdiction,year,source\n清河县,2023,shili-2023.txt\n".encode("gbk"))
    with pytest.raises(NoticeError, match=r'^notices\.csv: the manifest is not UTF-8 text \(in Excel: save as '
                                          r'"CSV UTF-8"\)$'):
        read_manifest(m)


class _Notices(BaseHTTPRequestHandler):
    """Serves the fixture notices by name; anything else is a 404."""

    timeout = 10  # seconds a connection may sit idle: a stuck client cannot hold the test

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        name = self.path.lstrip("/")
        body = (FIXTURES / name).read_bytes() if name in SHA else None
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")
        SERVED.append(name)


SERVED: list[str] = []


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    """The base URL of a local HTTP server (127.0.0.1, a free port) serving the fixture notices."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Notices)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def yoy_db(prefect_harness: None, served: str, tmp_path_factory: pytest.TempPathFactory):
    """The database of a real release of a two-year manifest (清河县 2023 and 2024): 2023 a local file,
    2024 a URL on the local server, both with their sha256."""
    from flows.release import release

    folder = tmp_path_factory.mktemp("notices")
    shutil.copy(FIXTURES / "shili-2023.txt", folder / "shili-2023.txt")
    m = write(folder / "notices.csv", "jurisdiction,year,source,sha256\n"
                                      f"清河县,2023,shili-2023.txt,{SHA['shili-2023.txt']}\n"
                                      f"清河县,2024,{served}/shili-2024.txt,{SHA['shili-2024.txt']}\n")
    out = tmp_path_factory.mktemp("releases")
    result = release(sources=[str(m)], out=str(out), allow_unknown=True)
    con = duckdb.connect(str(Path(result["folder"]) / "govtasks.duckdb"), read_only=True)
    yield con
    con.close()


def test_release_of_a_two_year_manifest(yoy_db, served: str) -> None:
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
    # the URL entry was fetched, its sha256 checked and recorded
    assert con.execute("SELECT year, source_url, sha256 FROM notices ORDER BY year").fetchall() == [
        (2023, None, SHA["shili-2023.txt"]), (2024, f"{served}/shili-2024.txt", SHA["shili-2024.txt"])]


def test_url_in_a_manifest_with_a_wrong_sha256_stops_the_release(prefect_harness: None, served: str,
                                                                   tmp_path: Path) -> None:
    from flows.release import release

    wrong = "f" * 64
    m = write(tmp_path / "notices.csv", f"jurisdiction,year,source,sha256\n清河县,2023,{served}/shili-2023.txt,"
                                        f"{wrong}\n")
    out = tmp_path / "releases"
    before = SERVED.count("shili-2023.txt")
    with pytest.raises(NoticeError) as e:
        release(sources=[str(m)], out=str(out))
    assert str(e.value) == (f"notices.csv:2: source '{served}/shili-2023.txt' has sha256 {SHA['shili-2023.txt']}, "
                            f"but the manifest expects {wrong}: the file changed, or the manifest is wrong")
    assert SERVED.count("shili-2023.txt") == before + 1  # fetched once (no retry), then checked
    assert not (out / "latest").exists()


# ---- the README's queries, read from README.md and run ----------------------------------------------

def normal_sql(sql: str) -> str:
    """A statement without its `--` comment lines, white space collapsed: the key of its fact."""
    lines = [x for x in sql.splitlines() if not x.strip().startswith("--")]
    return " ".join(" ".join(lines).split()).rstrip(";").strip()


def readme_statements(section: str) -> list[str]:
    """Every SQL statement of the ```sql blocks of the README section `## <section>`, as written."""
    text = README.read_text(encoding="utf-8")
    head = f"\n## {section}\n"
    assert head in text, f"README.md has no section {head.strip()!r}"
    body = text.split(head, 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^```sql\n(.*?)^```", body, flags=re.S | re.M)
    return [st.strip() for b in blocks for st in b.split(";") if normal_sql(st)]


# Each query of the README section "Year over year", with a fact it must show on the two-year release.
YOY_FACTS: dict[str, Callable[[list[tuple]], bool]] = {normal_sql(q): f for q, f in [
    ("SELECT version, previous_version, change, notice_id, sha256 FROM release_info ORDER BY notice_id",
     lambda r: [x[:4] for x in r] == [("1.0.0", None, "first", "清河县-2023"), ("1.0.0", None, "first", "清河县-2024")]
     and r[1][4] == SHA["shili-2024.txt"]),
    ("""SELECT n.jurisdiction, n.year, c.chapter_no, c.title, count(t.task_id) AS tasks
FROM chapters c JOIN notices n USING (notice_id)
LEFT JOIN tasks t ON t.notice_id = c.notice_id AND t.chapter_no = c.chapter_no
WHERE c.level = 'chapter'
GROUP BY ALL ORDER BY n.jurisdiction, n.year, c.chapter_no""",
     lambda r: len(r) == 8 and r[1] == ("清河县", 2023, 2, "推动工业提质增效", 4)
     and r[6] == ("清河县", 2024, 3, "推动工业高质量发展", 4)),
    ("""SELECT jurisdiction, year, unit, lead_tasks, other_tasks
FROM unit_workload WHERE lead_tasks > 0
ORDER BY jurisdiction, year, lead_tasks DESC, unit""",
     lambda r: r[:2] == [("清河县", 2023, "县农业农村局", 4, 0), ("清河县", 2023, "县发展和改革局", 3, 1)]),
    ("SELECT * FROM yoy_summary", lambda r: r[0][:3] == ("清河县", 2023, 2024)),
    ("SELECT year_from, task_no_from, text_from FROM yoy_tasks WHERE status = 'dropped'",
     lambda r: [x[1] for x in r] == [8, 13]),
    ("SELECT year_to, task_no_to, text_to FROM yoy_tasks WHERE status = 'new'",
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
FROM yoy_task_links k WHERE k.jurisdiction = '清河县' AND k.task_no_from = 5""",
     lambda r: r == [(2023, 5, 2024, 9, "continued")]),
]}


def test_every_readme_query_has_a_fact_and_every_fact_a_readme_query() -> None:
    in_readme = [normal_sql(st) for st in readme_statements("Year over year")]
    assert len(in_readme) == len(set(in_readme))
    assert [q for q in in_readme if q not in YOY_FACTS] == [], "README queries without a fact in YOY_FACTS"
    assert [q for q in YOY_FACTS if q not in in_readme] == [], "facts whose query is no longer in the README"


@pytest.mark.parametrize("sql", readme_statements("Year over year"), ids=lambda s: normal_sql(s)[:60])
def test_readme_queries(yoy_db, sql: str) -> None:
    rows = yoy_db.execute(sql).fetchall()
    fact = YOY_FACTS.get(normal_sql(sql))
    assert rows, sql
    assert fact is not None and fact(rows), rows


def test_readme_first_query_on_the_reference_release(reference_release: Path) -> None:
    first = readme_statements("Setup: two commands")[0]
    assert "task_responsibilities" in first and "市商务局" in first, first
    con = duckdb.connect(str(reference_release / "govtasks.duckdb"), read_only=True)
    try:
        rows = con.execute(first).fetchall()
    finally:
        con.close()
    by_no = {r[0]: r for r in rows}
    assert all("市商务局" in r[2] for r in rows)
    assert 42 in by_no and 4 in by_no, sorted(by_no)
    assert by_no[42][2] == ["市工业和信息化局", "市商务局"]
    assert [r[0] for r in rows] == sorted(by_no)


def test_sha256_mismatch_stops_the_release(prefect_harness: None, folder: Path, tmp_path_factory) -> None:
    from flows.release import release

    m = write(folder / "notices.yaml", f"- {{jurisdiction: 清河县, year: 2023, source: shili-2023.txt, "
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
