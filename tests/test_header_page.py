"""Issue 9 item 1: header facts from the page around the notice (tests/fixtures/header/, invented texts
in the shapes portals print), each fact with where it came from; the bundled notice wrapped in a
portal page gives the bundled notice's facts and tasks."""

from __future__ import annotations

import html
from dataclasses import asdict
from pathlib import Path

import pytest

from extract.errors import NoticeError
from extract.model import Header, Line, ParsedNotice, Source
from extract.page_meta import is_breadcrumb, portal_date, read_page
from extract.parse import parse_notice
from extract.read import read_notice
from extract.snapshot import snapshot_local
from tests.extract_renditions import bundled_text, reference
from transform.tables import identity

FIX = Path(__file__).parent / "fixtures" / "header"


def read(name: str) -> ParsedNotice:
    return read_notice(snapshot_local(FIX / name))


def facts(h: Header) -> dict[str, object]:
    return {k: v for k, v in asdict(h).items() if v not in (None, [])}


def test_a_metadata_block_gives_the_jurisdiction_number_and_dates() -> None:
    n = read("metadata_block.txt")
    assert facts(n.header) == {
        "title": "2024年重点工作任务分解方案",  # its own line; the page title and 名称 field are not glued in
        "jurisdiction": "清河县", "division_code": "130534", "jurisdiction_source": "metadata",  # 发布机构
        "year": 2024, "year_source": "title",
        "doc_number": "清政办发〔2024〕5号",  # from `文　　　号：` among other pairs on the line
        "issued_on": "2024-02-20",  # 成文日期
        "published_on": "2024-02-22",  # the 发布日期 line under the page title
    }
    assert [(t.task_no, t.chapter_no, t.lead_units, t.other_units) for t in n.tasks] == [
        (1, 1, "县发展改革局", "县财政局、县自然资源局"), (2, 1, "县住建局", "各乡镇人民政府"),
        (3, 2, "县人社局", "县财政局")]


def test_labels_standing_alone_take_the_value_below_when_it_has_the_fields_shape() -> None:
    n = read("value_below.txt")
    assert facts(n.header) == {
        "title": "重点工作任务分解方案",  # below 内容概述:, which never takes the next line
        "jurisdiction": "海城市", "division_code": "210381", "jurisdiction_source": "metadata",  # 发文机构
        "year": 2024, "year_source": "doc_number",  # the title names no year: 海政办发〔2024〕8号
        "doc_number": "海政办发〔2024〕8号", "issued_on": "2024-03-01", "published_on": "2024-03-02",
    }
    assert [(t.task_no, t.lead_units) for t in n.tasks] == [(1, "市发展和改革局"), (2, "市住房和城乡建设局")]


def test_a_repost_line_gives_the_publication_date_and_the_report_gives_the_year() -> None:
    n = read("repost.txt")
    assert facts(n.header) == {
        "title": "台安县重点工作任务分解方案",
        "jurisdiction": "台安县", "division_code": "210321", "jurisdiction_source": "title",
        "year": 2024, "year_source": "report",  # 为落实2024年《台安县政府工作报告》…, before the issue date
        "issuer": "台安县人民政府办公室", "issued_on": "2024-03-01",
        "published_on": "2024-03-05",  # 发表时间:2024-03-05 10:21 来源:… 作者:…
    }
    assert len(n.tasks) == 2


def test_a_title_naming_no_place_takes_it_from_the_signature() -> None:
    h = read("signature.txt").header
    assert (h.jurisdiction, h.division_code, h.jurisdiction_source) == ("台安县", "210321", "signature")
    assert (h.year, h.year_source, h.issuer, h.issued_on) == (2024, "title", "台安县人民政府", "2024-03-01")


def test_a_short_place_name_in_the_title_is_told_apart_by_the_issuer() -> None:
    h = read("short_place.txt").header  # 海城: 海城市 (鞍山市) or 海城区 (北海市); the issuer is 鞍山市's
    assert (h.jurisdiction, h.division_code, h.jurisdiction_source) == ("海城市", "210381", "title")


def test_nothing_naming_a_place_is_refused_with_the_option_that_gives_it() -> None:
    n = read("no_place.txt")
    assert n.header.jurisdiction is None and len(n.tasks) == 1
    with pytest.raises(NoticeError) as e:
        identity(n)
    assert str(e.value) == ("no_place.txt: cannot tell the jurisdiction: no place is named by the title, the "
                            "issuer line, the signature or a 发布机构 field; give it with --jurisdiction or a "
                            "manifest's jurisdiction column")


def test_nothing_naming_a_year_is_refused_with_the_option_that_gives_it() -> None:
    n = read("no_year.txt")
    assert (n.header.jurisdiction, n.header.year) == ("海城市", None)
    with pytest.raises(NoticeError, match=r"no_year.txt: cannot tell the year: .*give it with --year or a "
                                          r"manifest's year column$"):
        identity(n)


@pytest.mark.parametrize(("line", "crumb"), [
    ("网站首页 > 政务公开 > 政府文件", True), ("当前位置：首页>通知公告", True), ("首页 » 信息公开 » 规划计划", True),
    ("1.地区生产总值增长6.5%以上。", False), ("责任单位：市财政局", False)])
def test_breadcrumbs(line: str, crumb: bool) -> None:
    from extract.textnorm import fold

    assert is_breadcrumb(fold(line)) is crumb


def test_several_pairs_on_a_line_and_spaces_inside_labels() -> None:
    page = read_page(["索引号：001/2024-1　信息分类：政府文件　发布机构：海城市人民政府",
                      "文       号：海政发〔2024〕3号   生成日期：2024-03-01", "名 称：海城市2024年任务分解方案"])
    assert page.fields == {"index_no": "001/2024-1", "category": "政府文件", "publisher": "海城市人民政府",
                           "doc_number": "海政发〔2024〕3号", "published_on": "2024-03-01",
                           "title": "海城市2024年任务分解方案"}
    assert page.lines == {0, 1, 2}


@pytest.mark.parametrize(("text", "iso"), [("2024-03-01", "2024-03-01"), ("2024/3/1 10:20", "2024-03-01"),
                                           ("2024年03月01日 16:40", "2024-03-01"), ("2024-13-01", None),
                                           ("来源", None)])
def test_portal_dates(text: str, iso: str | None) -> None:
    assert portal_date(text) == iso


def _portal_page() -> str:
    """The bundled notice as a portal prints it: breadcrumb, metadata block, page title, 发布日期 line."""
    title = reference().header.title
    return "\n".join([
        "网站首页 > 政务公开 > 政府信息公开 > 政府文件",
        "索引号：11210381000000000X/2023-00042　　信息分类：政府文件",
        "发布机构：海城市人民政府　　生成日期：2023-03-20",
        "文　　　号：　　　　有效性：有效",
        f"名　　称：{title}",
        f"海城市人民政府关于印发{title}的通知",
        "发布日期：2023-03-20　　字号：大 中 小",
        "",
    ]) + bundled_text()


def _tasks(p: ParsedNotice) -> list[tuple[object, ...]]:
    return [(t.task_no, t.chapter_no, t.subchapter_no, t.text, t.lead_leaders, t.lead_units, t.other_units)
            for t in p.tasks]


def test_the_bundled_notice_in_a_portal_html_page_gives_its_facts_and_tasks(tmp_path: Path) -> None:
    """The metadata table stands outside the article the HTML reader keeps: its lines are read too."""
    ref = reference()
    title = html.escape(ref.header.title or "")
    body = "".join(f"<p>{html.escape(line)}</p>" for line in bundled_text().split("\n"))
    page = tmp_path / "portal.html"
    page.write_text(f"""<html><head><meta charset="utf-8"><title>{title}</title></head><body>
<div class="crumb">网站首页 &gt; 政务公开 &gt; 政府文件</div>
<table class="meta"><tr><td>索引号：</td><td>11210381/2023-00042</td><td>信息分类：</td><td>政府文件</td></tr>
<tr><td>发布机构：</td><td>海城市人民政府</td><td>生成日期：</td><td>2023-03-20</td></tr>
<tr><td>文　　号：</td><td></td><td>有效性：</td><td>有效</td></tr>
<tr><td>名　　称：</td><td colspan="3">{title}</td></tr></table>
<h1>海城市人民政府关于印发{title}的通知</h1><div>发布日期：2023-03-21</div>
<div class="content">{body}</div></body></html>""", encoding="utf-8")
    n = read_notice(snapshot_local(page))
    assert facts(n.header) == {**facts(ref.header), "published_on": "2023-03-21"}  # 发布日期 before 生成日期
    assert _tasks(n) == _tasks(ref)


def test_the_bundled_notice_in_a_portal_page_gives_its_facts_and_tasks() -> None:
    ref = reference()
    lines = _portal_page().split("\n")
    n = parse_notice([Line(i, t) for i, t in enumerate(lines, 1)], Source("portal.txt", "0"))
    assert facts(n.header) == {**facts(ref.header), "published_on": "2023-03-20"}
    assert facts(ref.header)["jurisdiction_source"] == "title" and ref.header.issuer == "海城市人民政府"

    assert len(n.tasks) == 102 and _tasks(n) == _tasks(ref)
    assert [(s.chapter_no, s.subchapter_no, s.title) for s in n.sections] == \
        [(s.chapter_no, s.subchapter_no, s.title) for s in ref.sections]
