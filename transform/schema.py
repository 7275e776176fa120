"""The one schema source for every published table.

Parquet schemas (pyarrow), DuckDB DDL and comments, the Great Expectations key checks,
datapackage metadata and the data dictionary in the README are all generated from `TABLES`.
This module is a leaf: it imports nothing from the project and nothing heavy.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    """One column of a published table."""

    name: str
    type: str  # one of LOGICAL_TYPES
    description: str
    description_zh: str
    required: bool = False
    enum: tuple[str, ...] = ()


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    table: str
    ref_columns: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A published table: its columns, keys and descriptions (English and Chinese)."""

    name: str
    description: str
    description_zh: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = field(default=())

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name}")


LOGICAL_TYPES = ("string", "int", "float", "bool", "date", "string_list")


def _c(name: str, type_: str, en: str, zh: str, *, req: bool = False, enum: tuple[str, ...] = ()) -> Column:
    assert type_ in LOGICAL_TYPES, type_
    return Column(name, type_, en, zh, req, enum)


_NOTICE_FK = ForeignKey(("notice_id",), "notices", ("notice_id",))
_TASK_FK = ForeignKey(("task_id",), "tasks", ("task_id",))

NOTICES = Table(
    "notices",
    "One row per notice: header facts and the provenance of the source file.",
    "每份通知一行：文件头信息与来源。",
    (
        _c("notice_id", "string", "Stable id: jurisdiction and year", "通知标识（地区-年份）", req=True),
        _c("jurisdiction", "string", "Issuing jurisdiction, e.g. 海城市", "地区", req=True),
        _c("division_code", "string", "Administrative division code where known", "行政区划代码"),
        _c("year", "int", "Year of the work report the notice implements", "年份", req=True),
        _c("title", "string", "Title of the task-decomposition plan", "方案标题", req=True),
        _c("issuer", "string", "Issuing body as printed", "发文机关"),
        _c("issued_on", "date", "Issue date as printed (null when the notice gives none)", "成文日期"),
        _c("doc_number", "string", "Document number (文号)", "文号"),
        _c("reports", "string_list", "Work reports the plan implements, in title order", "所落实的政府工作报告"),
        _c("publicity", "string", "Publicity mark, e.g. 此件公开发布", "公开属性"),
        _c("layout", "string", "How responsibilities are given", "责任分工版式", req=True,
           enum=("labels", "inline", "table")),
        _c("punctuation", "string", "Punctuation form of the source text", "标点形式", req=True,
           enum=("fullwidth", "ascii", "mixed")),
        _c("stated_task_count", "int", "Task count the notice states, where it states one", "通知所述任务数"),
        _c("numbering", "string", "How tasks are numbered: on through the notice, or from 1 in each chapter",
           "任务编号方式", req=True, enum=("continuous", "per_chapter")),
        _c("form", "string", "Input form of the source", "源文件格式", req=True,
           enum=("txt", "html", "docx", "pdf")),
        _c("encoding", "string", "Detected text encoding (txt and html)", "文本编码"),
        _c("source_name", "string", "File name of the source", "源文件名", req=True),
        _c("source_url", "string", "URL the notice was published or fetched at", "来源网址"),
        _c("fetched_at", "string", "UTC time the snapshot was fetched (URL sources)", "抓取时间"),
        _c("sha256", "string", "SHA-256 of the source bytes", "源文件SHA-256", req=True),
    ),
    ("notice_id",),
)

CHAPTERS = Table(
    "chapters",
    "Chapters (一、) and sub-chapters ((一)) of each notice.",
    "各通知的章（一、）与节（(一)）。",
    (
        _c("section_id", "string", "Stable id: notice, chapter and sub-chapter numbers", "章节标识", req=True),
        _c("notice_id", "string", "Notice", "通知标识", req=True),
        _c("level", "string", "chapter or subchapter", "层级", req=True, enum=("chapter", "subchapter")),
        _c("chapter_no", "int", "Chapter number (一 = 1)", "章序号", req=True),
        _c("subchapter_no", "int", "Sub-chapter number within the chapter; null on chapter rows", "节序号"),
        _c("title", "string", "Heading text without its number", "标题", req=True),
        _c("line", "int", "Line of the heading in the decoded source", "源文件行号", req=True),
    ),
    ("section_id",),
    (_NOTICE_FK,),
)

TASKS = Table(
    "tasks",
    "One row per numbered task.",
    "每项任务一行。",
    (
        _c("task_id", "string", "Stable id: notice and task number", "任务标识", req=True),
        _c("notice_id", "string", "Notice", "通知标识", req=True),
        _c("task_no", "int", "Task number as printed", "任务序号", req=True),
        _c("chapter_no", "int", "Chapter the task stands in", "章序号"),
        _c("subchapter_no", "int", "Sub-chapter the task stands in", "节序号"),
        _c("section_id", "string", "Deepest section the task stands in", "所属章节标识"),
        _c("text", "string", "Task text as the notice says it, trimmed", "任务内容", req=True),
        _c("text_original", "string", "Original text when the source was converted (traditional)", "原文"),
        _c("deadline", "string", "完成时限, where given", "完成时限"),
        _c("measures", "string", "落实措施, where given", "落实措施"),
        _c("task_source", "string", "任务来源, where given", "任务来源"),
        _c("line", "int", "Line where the task starts in the decoded source", "源文件行号", req=True),
    ),
    ("task_id",),
    (_NOTICE_FK, ForeignKey(("section_id",), "chapters", ("section_id",))),
)

TASK_LEADERS = Table(
    "task_leaders",
    "Lead leaders (牵头领导) of each task, in notice order.",
    "各任务的牵头领导，按通知顺序。",
    (
        _c("task_id", "string", "Task", "任务标识", req=True),
        _c("position", "int", "Position in the task's leader list, from 1", "排序", req=True),
        _c("leader_id", "string", "Leader", "领导标识", req=True),
        _c("leader", "string", "Normalized name (white space removed)", "规范姓名", req=True),
        _c("raw_name", "string", "Name as printed", "原文姓名", req=True),
    ),
    ("task_id", "position"),
    (_TASK_FK, ForeignKey(("leader_id",), "leaders", ("leader_id",))),
)

TASK_UNITS = Table(
    "task_units",
    "Lead (牵头单位) and other (责任单位) units of each task, in notice order.",
    "各任务的牵头单位与责任单位，按通知顺序。",
    (
        _c("task_id", "string", "Task", "任务标识", req=True),
        _c("role", "string", "lead or other", "角色", req=True, enum=("lead", "other")),
        _c("position", "int", "Position in the task's list for this role, from 1", "排序", req=True),
        _c("unit_id", "string", "Unit", "单位标识", req=True),
        _c("unit", "string", "Canonical unit name", "规范单位名称", req=True),
        _c("raw_name", "string", "List item as printed", "原文名称", req=True),
        _c("match", "string", "How the name was resolved", "匹配方式", req=True,
           enum=("canonical", "alias", "rule", "unknown")),
    ),
    ("task_id", "role", "position"),
    (_TASK_FK, ForeignKey(("unit_id",), "units", ("unit_id",))),
)

UNITS = Table(
    "units",
    "Units named in the notices, one row per jurisdiction and canonical name.",
    "通知中出现的单位，按地区与规范名称各一行。",
    (
        _c("unit_id", "string", "Stable id: jurisdiction and canonical name", "单位标识", req=True),
        _c("jurisdiction", "string", "Jurisdiction the unit belongs to", "地区", req=True),
        _c("name", "string", "Canonical name in the notice's own style", "规范名称", req=True),
        _c("full_name", "string", "Full name with the jurisdiction", "全称"),
        _c("unit_type", "string", "Unit type; null for an unknown name", "单位类型",
           enum=("government_department", "party_organ", "development_zone", "town", "street",
                 "enterprise", "court_procuratorate", "peoples_organization", "branch",
                 "hospital_school", "collective", "other")),
        _c("in_registry", "bool", "Whether the registry knows the unit", "是否在名录中", req=True),
    ),
    ("unit_id",),
)

LEADERS = Table(
    "leaders",
    "Lead leaders, one row per jurisdiction and normalized name.",
    "牵头领导，按地区与规范姓名各一行。",
    (
        _c("leader_id", "string", "Stable id: jurisdiction and name", "领导标识", req=True),
        _c("jurisdiction", "string", "Jurisdiction", "地区", req=True),
        _c("name", "string", "Normalized name", "规范姓名", req=True),
        _c("kind", "string", "person, role or group heading", "类型", req=True,
           enum=("person", "role", "group")),
    ),
    ("leader_id",),
)

TARGETS = Table(
    "targets",
    "Quantitative targets read from task texts (transform/targets.py), in text order.",
    "任务内容中的量化目标，按原文顺序。",
    (
        _c("task_id", "string", "Task", "任务标识", req=True),
        _c("position", "int", "Position among the task's targets, from 1", "排序", req=True),
        _c("metric", "string", "What is measured, as printed without quotes or bracketed asides",
           "指标", req=True),
        _c("direction", "string", "How the number reads (增长, 达到, 新增…); null when the text gives none",
           "方向", enum=("下降", "保持在", "减少", "增加", "增长", "完成", "年均增长", "控制在", "提高",
                         "新增", "稳定在", "达到", "降至")),
        _c("value", "float", "The number as printed", "数值", req=True),
        _c("unit", "string", "Unit as printed, magnitude word included (%, 亿元, 万亩)", "单位", req=True),
        _c("base_value", "float", "Value scaled by the magnitude word (100万株 → 1000000)", "基本单位数值",
           req=True),
        _c("base_unit", "string", "Unit without magnitude word (%, 元, 株)", "基本单位", req=True),
        _c("comparator", "string", "How the number bounds the target; null for an exact number", "比较方式",
           enum=("不低于", "不少于", "不超过", "不高于", "以上", "以下", "以内", "低于", "左右", "突破",
                 "至少", "超过")),
        _c("raw", "string", "The span of the task text the target was read from", "原文片段", req=True),
    ),
    ("task_id", "position"),
    (_TASK_FK,),
)

QUALITY_FINDINGS = Table(
    "quality_findings",
    "Findings that do not block a release, e.g. a unit name published under --allow-unknown.",
    "不阻止发布的质量提示，例如以 --allow-unknown 发布的未知单位名称。",
    (
        _c("notice_id", "string", "Notice", "通知标识", req=True),
        _c("task_no", "int", "Task number, where the finding concerns one task", "任务序号"),
        _c("check", "string", "Which check", "检查项", req=True),
        _c("detail", "string", "What was found", "详情", req=True),
    ),
    ("notice_id", "check", "detail"),
    (_NOTICE_FK,),
)

TABLES: tuple[Table, ...] = (NOTICES, CHAPTERS, TASKS, TASK_LEADERS, TASK_UNITS, UNITS, LEADERS, TARGETS,
                             QUALITY_FINDINGS)


def table(name: str) -> Table:
    """The table called `name`."""
    for t in TABLES:
        if t.name == name:
            return t
    raise KeyError(f"no table {name}")
