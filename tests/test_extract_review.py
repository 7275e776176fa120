"""Review findings on the reader: each notice here once gave silently wrong data or a traceback.

The notices are built in the tests from a small header and body written for them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.errors import NoticeError
from extract.model import ParsedNotice
from extract.read import read_notice
from extract.snapshot import snapshot_local

HEADER = """海城市人民政府关于印发海城市2024年政府工作报告任务分解方案的通知
各镇人民政府，市政府各部门：
现将方案印发给你们，请认真贯彻落实。
海城市人民政府
2024年2月2日
"""
TITLE = "海城市2024年政府工作报告任务分解方案\n"
TASKS = """1.地区生产总值增长6%左右。
牵头领导：刘兴达
牵头单位：市发展和改革局
责任单位：各有关部门
2.一般公共预算收入增长5%。
牵头领导：王丽敏
牵头单位：市财政局
"""
PLAN = HEADER + TITLE + "一、主要目标\n" + TASKS


def read_text(tmp_path: Path, text: str, name: str = "n.txt") -> ParsedNotice:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return read_notice(snapshot_local(path))


def refused(tmp_path: Path, text: str | bytes, name: str = "n.txt") -> NoticeError:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    with pytest.raises(NoticeError) as e:
        read_notice(snapshot_local(path))
    return e.value


def line_of(text: str, start: str) -> int:
    return next(i for i, ln in enumerate(text.split("\n"), 1) if ln.startswith(start))


# 1. A stray line in a labels notice is an error, not a switch to the (一) reading.

SUBCHAPTERS = """海城市2024年政府工作报告任务分解方案
一、稳增长
(一)保障企业运行
说明：本节任务由市发展和改革局统筹。
1.精准把握政策导向。
牵头领导：刘兴达
牵头单位：市发展和改革局
2.加大助企纾困力度。
牵头领导：王丽敏
牵头单位：市财政局
(二)扩大有效投资
3.新建项目20个。
牵头领导：刘兴达
牵头单位：市发展和改革局
"""


def test_a_stray_line_in_a_labels_notice_is_refused_not_read_as_paren_tasks(tmp_path: Path) -> None:
    assert len(read_text(tmp_path, SUBCHAPTERS.replace("说明：本节任务由市发展和改革局统筹。\n", "")).tasks) == 3
    e = refused(tmp_path, SUBCHAPTERS)
    assert (e.line, e.source) == (4, "n.txt") and "text outside any task" in e.problem


def test_the_level_carrying_the_responsibility_is_the_task() -> None:
    """(一) above a 1. line that carries the 牵头单位 is a sub-chapter, not a task (parse_levels)."""
    from extract.model import Line
    from extract.parse_lines import parse_lines
    from extract.textnorm import fold

    text = ("白水镇2023年政府工作报告重点任务分工方案\n一、乡村振兴\n(一)建设高标准农田。\n1.细化到村。\n"
            "牵头单位:镇农业服务中心\n")
    lines = [Line(i, t) for i, t in enumerate(text.strip().split("\n"), 1)]
    body = parse_lines(lines, [fold(ln.text) for ln in lines], "p.txt")
    assert body is not None
    assert [(t.task_no, t.chapter_no, t.subchapter_no, t.lead_units) for t in body.tasks] == \
        [(1, 1, 1, "镇农业服务中心")]


# 2. Two labels on one line.

def test_two_labels_on_one_line_are_cut_apart(tmp_path: Path) -> None:
    one_line = "牵头领导：刘兴达　牵头单位：市发展和改革局"
    n = read_text(tmp_path, PLAN.replace("牵头领导：刘兴达\n牵头单位：市发展和改革局", one_line))
    t = n.tasks[0]
    assert (t.lead_leaders, t.lead_units, t.other_units) == ("刘兴达", "市发展和改革局", "各有关部门")


# 4. Jurisdiction of joint notices and of plans issued by a parent level's office.

def test_jurisdiction_of_a_jointly_issued_notice(tmp_path: Path) -> None:
    h = read_text(tmp_path, PLAN.replace("海城市人民政府\n", "中共海城市委员会　　海城市人民政府\n")).header
    assert (h.jurisdiction, h.division_code) == ("海城市", "210381")
    assert h.issuer == "中共海城市委员会海城市人民政府"


def test_jurisdiction_is_the_titles_when_a_parent_office_issues_the_plan(tmp_path: Path) -> None:
    h = read_text(tmp_path, PLAN.replace("海城市人民政府\n", "鞍山市人民政府办公室\n")).header
    assert (h.jurisdiction, h.issuer) == ("海城市", "鞍山市人民政府办公室")


def test_jurisdiction_from_the_issuer_when_the_title_names_none(tmp_path: Path) -> None:
    text = PLAN.replace(HEADER.split("\n")[0], "关于印发重点任务分解方案的通知")
    text = text.replace(TITLE, "2024年政府工作报告重点任务分解方案\n")
    text = text.replace("海城市人民政府\n", "中共海城市委员会　海城市人民政府\n")
    assert read_text(tmp_path, text).header.jurisdiction == "海城市"


# 5. Document number and stated task count are the notice's own, not a cited document's.

def test_doc_number_and_stated_count_are_not_taken_from_a_cited_document(tmp_path: Path) -> None:
    intro = ("按照《鞍山市人民政府关于印发鞍山市2024年政府工作报告任务分解方案的通知》（鞍政发〔2024〕1号）要求，"
             "现将方案印发给你们，共涉及3项重点工作，请认真贯彻落实。")
    h = read_text(tmp_path, PLAN.replace("现将方案印发给你们，请认真贯彻落实。", intro)).header
    assert (h.doc_number, h.stated_task_count) == (None, None)


def test_doc_number_alone_on_its_line_field_or_broken_and_the_stated_count(tmp_path: Path) -> None:
    stated = "现将方案印发给你们，请认真贯彻落实。全市重点工作共分解为2项任务。"
    base = PLAN.replace("现将方案印发给你们，请认真贯彻落实。", stated)
    for printed in ("海政发〔2024〕3号", "文号：海政发〔2024〕 3号", "海政发〔2024〕\n3号"):
        h = read_text(tmp_path, base.replace("各镇人民政府", printed + "\n各镇人民政府", 1)).header
        assert (h.doc_number, h.stated_task_count) == ("海政发〔2024〕3号", 2), printed
    h = read_text(tmp_path, PLAN.replace("请认真贯彻落实。", "共2项任务，请认真贯彻落实。")).header
    assert h.stated_task_count == 2


# 6. A numbered list in the intro of a notice without chapters.

@pytest.mark.parametrize("with_title", [False, True])
def test_numbered_intro_of_a_notice_without_chapters_is_header(tmp_path: Path, with_title: bool) -> None:
    intro = "现将方案印发给你们，有关要求如下：\n1.提高认识，加强领导。\n2.按时报送进展情况。"
    text = HEADER.replace("现将方案印发给你们，请认真贯彻落实。", intro)
    text += (TITLE if with_title else "") + TASKS
    n = read_text(tmp_path, text)
    assert [(t.task_no, t.text, t.lead_units) for t in n.tasks] == [
        (1, "地区生产总值增长6%左右。", "市发展和改革局"), (2, "一般公共预算收入增长5%。", "市财政局")]
    assert (n.header.issuer, n.header.issued_on, n.header.jurisdiction) == ("海城市人民政府", "2024-02-02", "海城市")


# 7. The closing block, lines that cannot continue a task, and a second plan.

def test_closing_block_ends_the_task_list(tmp_path: Path) -> None:
    closing = "抄送：市委各部门，市人大常委会办公室。\n海城市人民政府办公室        2024年2月5日印发\n"
    n = read_text(tmp_path, PLAN + closing)
    assert n.tasks[1].lead_units == "市财政局"
    n = read_text(tmp_path, PLAN + "主题词：经济 任务 通知\n")
    assert n.tasks[1].lead_units == "市财政局"


@pytest.mark.parametrize(("closing", "words"), [
    ("海城市人民政府\n2024年2月2日\n", "issuer line"),
    ("2024年2月2日\n", "date line"),
    ("市财政局 责任单位：市税务局\n", "label (责任单位:)"),
])
def test_a_line_that_cannot_continue_a_task_is_refused(tmp_path: Path, closing: str, words: str) -> None:
    e = refused(tmp_path, PLAN + closing)
    assert e.line == PLAN.count("\n") + 1 and words in e.problem  # the first closing line


def test_a_second_plan_is_refused_at_its_title(tmp_path: Path) -> None:
    text = PLAN + "海城市2024年民生实事任务分解方案\n一、民生\n3.新建学校2所。\n牵头单位：市教育局\n"
    e = refused(tmp_path, text)
    assert e.line == line_of(text, "海城市2024年民生实事") and "a second plan starts here" in e.problem


def test_a_second_plan_is_refused_where_chapters_restart(tmp_path: Path) -> None:
    text = PLAN + "二、改善民生\n3.新建学校2所。\n牵头单位：市教育局\n"
    text += "一、民生实事\n4.新建公园1个。\n牵头单位：市住建局\n"
    e = refused(tmp_path, text)
    assert e.line == line_of(text, "一、民生实事")
    assert e.problem == "a second plan starts here; only one plan per notice is supported"


# 8. The title.

def test_title_printed_before_the_issuer_and_date(tmp_path: Path) -> None:
    text = TITLE + "海城市人民政府\n2024年2月2日\n一、主要目标\n" + TASKS
    h = read_text(tmp_path, text).header
    assert (h.title, h.issuer, h.issued_on) == ("海城市2024年政府工作报告任务分解方案", "海城市人民政府", "2024-02-02")


def test_title_over_three_lines(tmp_path: Path) -> None:
    three = "海城市关于贯彻落实2024年\n《海城市政府工作报告》\n重点任务分工方案\n"
    h = read_text(tmp_path, PLAN.replace(TITLE, three)).header
    assert h.title == "海城市关于贯彻落实2024年《海城市政府工作报告》重点任务分工方案"
    assert (h.reports, h.year, h.issuer) == (["海城市政府工作报告"], 2024, "海城市人民政府")


def test_a_notice_without_a_title_is_refused_at_the_body_start(tmp_path: Path) -> None:
    e = refused(tmp_path, "海城市人民政府\n2024年2月2日\n一、主要目标\n" + TASKS)
    assert e.line == 3 and "no plan title found" in e.problem


# 9. Tables: a task over two rows, and an empty 序号 cell.

PAGE = ("<html><head><meta charset='utf-8'></head><body><div><p>海城市2024年政府工作报告重点任务分解表</p>"
        "<p>海城市人民政府办公室</p><p>2024年3月8日</p><table>"
        "<tr><td>序号</td><td>工作任务</td><td>牵头单位</td><td>责任单位</td></tr>"
        "<tr><td colspan=4>一、经济</td></tr>{rows}</table></div></body></html>")


def test_a_table_task_over_two_rows_is_one_task(tmp_path: Path) -> None:
    rows = ("<tr><td rowspan=2>1</td><td rowspan=2>地区生产总值增长6%。</td>"
            "<td>市发展和改革局</td><td>市财政局</td></tr>"
            "<tr><td>市统计局</td><td>市商务局</td></tr>"
            "<tr><td></td><td></td><td></td><td>市税务局</td></tr>"
            "<tr><td>2</td><td>新建学校2所。</td><td>市教育局</td><td></td></tr>")
    n = read_text(tmp_path, PAGE.format(rows=rows), "p.html")
    assert [(t.task_no, t.text, t.lead_units, t.other_units) for t in n.tasks] == [
        (1, "地区生产总值增长6%。", "市发展和改革局、市统计局", "市财政局、市商务局、市税务局"),
        (2, "新建学校2所。", "市教育局", None)]


def test_an_empty_number_cell_with_a_new_task_text_is_refused(tmp_path: Path) -> None:
    rows = ("<tr><td>1</td><td>地区生产总值增长6%。</td><td>市发展和改革局</td><td></td></tr>"
            "<tr><td></td><td>新建学校2所。</td><td>市教育局</td><td></td></tr>")
    e = refused(tmp_path, PAGE.format(rows=rows), "p.html")
    assert e.line == 7 and "序号" in e.problem


# 12b. UTF-16.

def test_damaged_utf16_and_utf16_without_bom_are_refused_clearly(tmp_path: Path) -> None:
    e = refused(tmp_path, b"\xff\xfe\x00")
    assert "UTF-16" in e.problem and "not valid" in e.problem
    e = refused(tmp_path, PLAN.encode("utf-16-le"))
    assert e.problem.startswith("UTF-16 without a byte-order mark is not supported")
    path = tmp_path / "bom.txt"
    path.write_bytes(PLAN.encode("utf-16"))  # with a byte-order mark: read
    assert len(read_notice(snapshot_local(path)).tasks) == 2


# 12c. Chapter numerals.

@pytest.mark.parametrize("numeral", ["十十", "百", "二二", "零"])
def test_odd_chapter_numerals_are_refused(tmp_path: Path, numeral: str) -> None:
    text = PLAN + f"{numeral}、其他\n3.新建学校2所。\n牵头单位：市教育局\n"
    e = refused(tmp_path, text)
    assert e.line == line_of(text, numeral + "、")


def test_chapters_must_run_on_one_by_one(tmp_path: Path) -> None:
    text = PLAN + "三、其他\n3.新建学校2所。\n牵头单位：市教育局\n"
    e = refused(tmp_path, text)
    assert e.line == line_of(text, "三、") and "chapter 二 was expected" in e.problem
    from extract.markers import cn_number
    with pytest.raises(ValueError):
        cn_number("十十")


# One home for URL recognition.

def test_manifests_and_snapshots_recognise_urls_alike() -> None:
    from extract import manifest, snapshot

    assert manifest.is_url is snapshot.is_url
    assert snapshot.is_url("https://example.org/a.html") and not snapshot.is_url("notices/a.txt")
    with pytest.raises(NoticeError, match="only http and https URLs are supported"):
        manifest.is_manifest("ftp://example.org/list.csv")
