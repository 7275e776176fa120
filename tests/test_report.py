"""Issue 11: report.html, checked in headless Chromium (Debian's chromium package; .ci/run installs it):
no console errors, the charts drawn, Chinese text rendered with a CJK font, nothing loaded from the
network, its figures the release's own."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from output import report as R
from output.portal import portal_settings

FIXTURES = Path(__file__).parent / "fixtures" / "yoy"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--hide-scrollbars"]


def chromium(tmp: Path, page: Path, *extra: str) -> subprocess.CompletedProcess:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    assert exe, "chromium is not installed (apt-get install chromium; .ci/run installs it)"
    return subprocess.run([exe, *CHROMIUM_FLAGS, f"--user-data-dir={tmp / 'profile'}", "--enable-logging=stderr",
                           "--v=0", *extra, page.as_uri()], capture_output=True, text=True, timeout=180)


def console_messages(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ":CONSOLE" in ln]


@pytest.fixture(scope="module")
def two_years(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from flows.release import release

    out = tmp_path_factory.mktemp("releases")
    result = release(sources=[str(FIXTURES / "shili-2023.txt"), str(FIXTURES / "shili-2024.txt")], out=str(out),
                     allow_unknown=True)
    return Path(result["folder"])


def test_the_console_check_sees_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html><body><script>console.error('boom'); nothere();</script></body></html>",
                   encoding="utf-8")
    proc = chromium(tmp_path, bad, "--dump-dom")
    assert len(console_messages(proc.stderr)) == 2, proc.stderr[-2000:]


def test_report_renders_in_chromium_with_charts_and_no_console_errors(reference_release: Path, tmp_path: Path) -> None:
    page = reference_release / "report.html"
    proc = chromium(tmp_path, page, "--dump-dom")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert console_messages(proc.stderr) == []
    dom = proc.stdout
    charts = re.findall(r'<figure class="chart" data-chart="([^"]+)">(.*?)</figure>', dom, re.S)
    assert [c for c, _ in charts] == ["chapters-1", "units-1", "leaders-1"]
    for name, body in charts:
        assert body.count("<rect") > 5 and "<svg" in body, name  # bars drawn in the parsed DOM
    chapters = dict(charts)["chapters-1"]
    assert "6. 筑基础,稳步实现乡村振兴" in chapters and ">18<" in chapters  # chapter 6 has 18 tasks
    assert "102 项任务" in dom and "102 tasks" in dom
    for zh in ("本次发布包含什么", "各章任务数", "牵头单位工作量", "牵头领导分工", "量化目标"):
        assert zh in dom
    assert 'id="changes"' not in dom  # one year only: nothing to compare


def test_screenshot_shows_the_charts_and_a_cjk_font_is_there(reference_release: Path, tmp_path: Path) -> None:
    from PIL import Image

    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    assert fonts.strip(), "no font with Chinese glyphs (apt-get install fonts-noto-cjk; .ci/run installs it)"
    shot = tmp_path / "shot.png"
    proc = chromium(tmp_path, reference_release / "report.html", "--window-size=1000,1800", f"--screenshot={shot}")
    assert shot.is_file(), proc.stderr[-2000:]
    img = Image.open(shot).convert("RGB")
    raw = img.tobytes()
    pixels = [tuple(raw[i:i + 3]) for i in range(0, len(raw), 3)]
    blue = sum(1 for r, g, b in pixels if b > 150 and b - r > 50)  # the chart bars (#2b6cb0, translucent)
    orange = sum(1 for r, g, b in pixels if r > 200 and 80 < g < 180 and b < 120)  # the "other" bars
    assert blue > 5000 and orange > 1000, (blue, orange)


def test_page_is_self_contained(reference_release: Path) -> None:
    text = (reference_release / "report.html").read_text(encoding="utf-8")
    assert "<script" not in text
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:|url\(\s*["']?https?:|@import""", text)
    assert text.startswith("<!DOCTYPE html>") and 'lang="zh-CN"' in text


def test_two_years_show_what_changed(two_years: Path, tmp_path: Path) -> None:
    proc = chromium(tmp_path, two_years / "report.html", "--dump-dom")
    assert console_messages(proc.stderr) == []
    dom = proc.stdout
    changes = dom.split('<section id="changes">', 1)[1].split("</section>", 1)[0]
    assert "示例县 2023→2024年：延续任务12项（未改5项、改写7项），新增3项，取消2项" in changes
    assert 'data-chart="changes"' in changes and changes.count("<rect") > 3
    assert "<td>地区生产总值</td>" in changes and "<td>6.5%以上</td><td>6%</td>" in changes  # a target that moved
    assert "<td>张明</td><td>王强</td>" in changes  # a leader who took over task 12
    con = duckdb.connect(str(two_years / "govtasks.duckdb"), read_only=True)
    try:  # one table row per row of the release's own views (plus a header row per table)
        shown = sum(con.execute(f"SELECT count(*) FROM {v}").fetchone()[0]
                    for v in ("yoy_target_moves", "yoy_leader_handovers"))
    finally:
        con.close()
    assert changes.count("<tr>") == shown + 2


def test_a_section_can_be_added_and_the_page_is_deterministic(reference_release: Path) -> None:
    db = reference_release / "govtasks.duckdb"
    settings = portal_settings()
    before = R.render_report(db, "1.0.0", settings)
    assert R.render_report(db, "1.0.0", settings) == before

    @R.section("extra", "新增部分", "An added section", order=55)
    def _extra(con: duckdb.DuckDBPyConnection) -> str:
        n = con.execute("SELECT count(*) FROM leaders").fetchone()[0]
        return f"<p>{n} 位领导</p>"

    try:
        page = R.render_report(db, "1.0.0", settings)
    finally:
        del R.SECTIONS["extra"]
    assert '<section id="extra"><h2>新增部分 <span class=en>An added section</span></h2><p>13 位领导</p>' in page
    assert page.index('id="targets"') < page.index('id="extra"')
    assert R.render_report(db, "1.0.0", settings) == before


def test_many_pairs_of_years_show_the_first_and_count_the_rest() -> None:
    """A national release compares thousands of pairs of years: words and chart show the first
    MAX_ROWS (a bar per pair), and say how many more the view yoy_summary holds."""
    con = duckdb.connect()
    n = R.MAX_ROWS + 7
    con.execute("CREATE TABLE yoy_summary AS SELECT '县' || lpad(i::VARCHAR, 3, '0') AS jurisdiction, "
                "2023 AS year_from, 2024 AS year_to, 10 AS continued, 4 AS unchanged, 6 AS reworded, 2 AS new, "
                "1 AS dropped, "
                "0 AS target_changes, []::VARCHAR[] AS leaders_appearing, []::VARCHAR[] AS leaders_leaving "
                f"FROM range({n}) t(i)")
    con.execute("CREATE TABLE yoy_target_moves (jurisdiction VARCHAR, year_from INT, year_to INT, task_no_to INT, "
                "metric VARCHAR, change VARCHAR, target_from VARCHAR, target_to VARCHAR)")
    con.execute("CREATE TABLE yoy_leader_handovers (jurisdiction VARCHAR, year_from INT, year_to INT, "
                "task_no_from INT, task_no_to INT, leaders_from VARCHAR[], leaders_to VARCHAR[])")
    html = R.SECTIONS["changes"].render(con)
    assert html.count("<li>") == R.MAX_ROWS and "县000 2023→2024年" in html
    assert "另有 7 组相邻年份，见视图 yoy_summary · 7 more pairs of years in the view yoy_summary" in html
    assert "县059 2023→2024" in html and "县060" not in html  # the 61st pair nowhere: not in the chart either
