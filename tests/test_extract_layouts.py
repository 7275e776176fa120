"""Layouts and variants from small notices written for these tests (tests/fixtures/extract/)."""

from __future__ import annotations

from pathlib import Path

from extract.model import ParsedNotice
from extract.read import read_notice
from extract.snapshot import snapshot_local

FIX = Path(__file__).parent / "fixtures" / "extract"


def read(name: str) -> ParsedNotice:
    return read_notice(snapshot_local(FIX / name))


def test_label_synonyms_fullwidth_numbering_and_header() -> None:
    n = read("labels_synonyms.txt")
    assert n.layout == "labels" and n.punctuation == "fullwidth"
    t1, t2, t3 = n.tasks
    assert (t1.task_no, t1.chapter_no, t1.subchapter_no) == (1, 1, 1)  # 1、
    assert t1.text == "全年实施亿元以上项目40个，完成固定资产投资增长8%。"  # wrapped, U+3000 indent dropped
    assert (t1.lead_leaders, t1.lead_units) == ("张　伟", "县发展改革局")
    assert t1.other_units == "县财政局、县自然资源局"
    assert t1.deadline == "2024年12月底" and t2.deadline is None
    assert (t2.task_no, t2.lead_leaders) == (2, "李晓明")
    assert (t2.lead_units, t2.other_units) == ("县商务局", "各乡镇人民政府")
    assert (t3.task_no, t3.chapter_no, t3.lead_leaders, t3.task_source) == (3, 2, "王丽", "县政府工作报告")
    assert t3.other_units == "县住建局，各乡镇人民政府"  # the 附件 and 联系人 lines end the list
    h = n.header
    assert h.title == "清河县落实2024年《清河县政府工作报告》重点任务分解方案"  # two lines
    assert h.reports == ["清河县政府工作报告"]
    assert (h.jurisdiction, h.year, h.issuer) == ("清河县", 2024, "清河县人民政府")
    assert h.issued_on == "2024-02-06"  # 二〇二四年二月六日
    assert h.doc_number == "清政发〔2024〕3号"  # printed with a space before 3号
    assert h.publicity == "此件公开发布"


def test_inline_brackets_of_every_kind() -> None:
    n = read("inline_variants.txt")
    assert n.layout == "inline"
    got = [(t.task_no, t.text, t.lead_leaders, t.lead_units, t.other_units) for t in n.tasks]
    assert got == [
        (1, "全市地区生产总值增长7%。", "陈刚", "市发展改革委", "市统计局、市财政局"),
        (2, "新增城镇就业2万人。", None, "市人社局", None),
        (3, "建设一批标准化厂房,引进先进制造业项目。", None, "市工信局", "市商务局、各区县人民政府"),
        (4, "改造老旧小区30个。", None, "市住建局", "各区县人民政府"),
        (5, "推进养老服务设施建设。", None, "市民政局、各镇(街道)", None),  # 〔〕 around parentheses
        (6, "完善医疗保障体系。", None, "市医保局", "市卫健委"),  # [ ] with labels
    ]
    assert n.header.doc_number == "柳政发〔2022〕7号"


def test_a_bracket_that_is_not_a_responsibility_stays_in_the_text() -> None:
    from extract.parse_inline import split_inline

    assert split_inline("改造各镇(街道)卫生院。") is None
    assert split_inline("推进项目建设(含续建项目)。") is None
    assert split_inline("推进项目建设。(市发改局牵头,各镇配合)") is not None


def test_table_page_with_navigation_rowspan_and_extra_columns() -> None:
    n = read("table_page.html")
    assert (n.source.form, n.layout) == ("html", "table")
    got = [(t.task_no, t.chapter_no, t.text, t.lead_leaders, t.lead_units, t.other_units, t.deadline,
            t.task_source)
           for t in n.tasks]
    assert got == [
        (1, 1, "新开工工业项目20个。", "周　明", "县工信局", "县发改局", "2024年底", "县报告"),
        (2, 1, "建成物流园一期。", "周　明", "县商务局", None, "2024年9月", "市报告"),  # rowspan leader
        (3, 2, "改造农村公路100公里。", "吴芳", "县交通局", "各乡镇人民政府", None, None),
    ]
    assert [s.title for s in n.sections] == ["做强实体经济", "办好民生实事"]
    h = n.header
    assert (h.title, h.issuer, h.issued_on, h.doc_number) == (
        "石门县2024年政府工作报告重点任务分解表", "石门县人民政府办公室", "2024-03-08", "石政办发〔2024〕5号")
    assert all("首页" not in t.text and "版权" not in t.text for t in n.tasks)


def test_gbk_html_is_detected_from_the_bytes(tmp_path: Path) -> None:
    page = (FIX / "table_page.html").read_text(encoding="utf-8").replace("charset=utf-8", "charset=gb2312")
    path = tmp_path / "page.txt"  # a misleading extension
    path.write_bytes(page.encode("gbk"))
    n = read_notice(snapshot_local(path))
    assert (n.source.form, n.source.encoding) == ("html", "gb18030")
    assert n.tasks[2].other_units == "各乡镇人民政府"


def test_numbering_restarting_per_chapter_is_recorded() -> None:
    n = read("per_chapter.txt")
    assert n.numbering == "per_chapter"
    assert [(t.chapter_no, t.task_no) for t in n.tasks] == [(1, 1), (1, 2), (2, 1), (2, 2)]
    assert read("labels_synonyms.txt").numbering == "continuous"


def test_duplicated_and_skipped_numbers_reach_the_quality_gate() -> None:
    n = read("duplicate_numbers.txt")  # not refused here: issue 5's gate reports them
    assert [t.task_no for t in n.tasks] == [1, 1, 3]
    assert [t.line for t in n.tasks] == [3, 5, 7]


def test_tasks_numbered_with_parenthesised_chinese_numerals() -> None:
    n = read("paren_tasks.txt")
    assert [(t.task_no, t.chapter_no, t.lead_units) for t in n.tasks] == [
        (1, 1, "镇农业服务中心"), (2, 1, "镇经济发展办公室"), (3, 2, "镇综治中心")]
    assert n.tasks[0].other_units == "各村委会"


def test_traditional_repost_is_converted_and_keeps_the_original() -> None:
    n = read("traditional.txt")
    assert n.script == "traditional"
    t = n.tasks[0]
    assert (t.lead_leaders, t.lead_units, t.other_units) == ("刘长兴", "市发展和改革局", "市财政局、市商务局")
    assert t.text == "推动产业转型升级，扩大对外开放。"
    assert t.text_original == "推動產業轉型升級，擴大對外開放。"
    assert (n.header.jurisdiction, n.header.year) == ("嘉义市", 2023)
    assert read("labels_synonyms.txt").tasks[0].text_original is None


def test_docx_with_vertically_merged_cells_and_headings_between_tables(tmp_path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.add_paragraph("北塘区2024年政府工作报告任务分工方案")
    doc.add_paragraph("一、项目建设")
    table = doc.add_table(rows=3, cols=4)
    for cell, h in zip(table.rows[0].cells, ["序号", "重点工作", "牵头单位", "配合部门"], strict=True):
        cell.text = h
    for r, (no, text) in enumerate([("1", "建设标准厂房。"), ("2", "改造供热管网。")], 1):
        table.cell(r, 0).text, table.cell(r, 1).text = no, text
    table.cell(1, 2).merge(table.cell(2, 2)).text = "区住建局"
    table.cell(1, 3).text = "区财政局"
    doc.add_paragraph("二、社会民生")
    table2 = doc.add_table(rows=2, cols=4)
    for cell, h in zip(table2.rows[0].cells, ["序号", "重点工作", "牵头单位", "配合部门"], strict=True):
        cell.text = h
    for cell, v in zip(table2.rows[1].cells, ["3", "新建养老中心。", "区民政局", ""], strict=True):
        cell.text = v
    path = tmp_path / "plan.docx"
    doc.save(str(path))
    n = read_notice(snapshot_local(path))
    got = [(t.task_no, t.chapter_no, t.text, t.lead_units, t.other_units) for t in n.tasks]
    assert got == [(1, 1, "建设标准厂房。", "区住建局", "区财政局"),
                   (2, 1, "改造供热管网。", "区住建局", None),
                   (3, 2, "新建养老中心。", "区民政局", None)]
    assert n.header.title == "北塘区2024年政府工作报告任务分工方案"
