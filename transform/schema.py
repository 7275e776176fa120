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


# Where a header fact was read (Header.jurisdiction_source / year_source, set by extract/header.py).
HEADER_SOURCES = ("title", "issuer", "signature", "metadata", "doc_number", "report", "issued_date",
                  "published_date", "manifest", "option")

_NOTICE_FK = ForeignKey(("notice_id",), "notices", ("notice_id",))
_TASK_FK = ForeignKey(("task_id",), "tasks", ("task_id",))

NOTICES = Table(
    "notices",
    "One row per notice: header facts and the provenance of the source file.",
    "每份通知一行：文件头信息与来源。",
    (
        _c("notice_id", "string", "Stable id: jurisdiction and year", "通知标识（地区-年份）", req=True),
        _c("jurisdiction", "string", "Issuing jurisdiction, e.g. 海城市", "地区", req=True),
        _c("division_code", "string", "GB/T 2260 code of the jurisdiction (extract/divisions.csv); null for a "
           "place the gazetteer does not know", "行政区划代码"),
        _c("level", "string", "Level of the jurisdiction in the gazetteer", "行政级别",
           enum=("province", "prefecture", "county")),
        _c("parent_code", "string", "GB/T 2260 code of the jurisdiction's parent (a province for a prefecture "
           "or for a county under the province directly); null for a province", "上级行政区划代码"),
        _c("jurisdiction_source", "string", "Where the jurisdiction was read: the title, the issuer line, the "
           "signature, the portal's metadata block (发布机构), the manifest or the --jurisdiction option",
           "地区来源", req=True, enum=HEADER_SOURCES),
        _c("year", "int", "Year of the work report the notice implements", "年份", req=True),
        _c("year_source", "string", "Where the year was read: the title, the 文号's 〔YYYY〕 (doc_number), the "
           "work report named (report), the issue or publication date, the manifest or the --year option",
           "年份来源", req=True, enum=HEADER_SOURCES),
        _c("title", "string", "Title of the task-decomposition plan", "方案标题", req=True),
        _c("issuer", "string", "Issuing body as printed", "发文机关"),
        _c("issued_on", "date", "Issue date as printed (null when the notice gives none)", "成文日期"),
        _c("published_on", "date", "Publication date the portal page around the notice gives (发布日期, "
           "发表时间, 生成日期); null when there is none", "发布日期"),
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
        _c("script", "string", "Script of the source; traditional sources are published in simplified "
           "characters, with tasks.text_original as printed", "字形", req=True, enum=("simplified", "traditional")),
        _c("lead_rule", "string", "Rule the notice's intro states on who leads, applied to tasks with 责任单位 "
           "but no 牵头单位: units_lead (the 责任单位 lead) or first_listed (the first 责任单位 leads)",
           "牵头规则", enum=("units_lead", "first_listed")),
        _c("form", "string", "Input form of the source", "源文件格式", req=True,
           enum=("txt", "html", "docx", "pdf", "xlsx", "xls")),
        _c("encoding", "string", "Detected text encoding (txt and html)", "文本编码"),
        _c("source_name", "string", "File name of the source", "源文件名", req=True),
        _c("source_url", "string", "URL the notice was published or fetched at", "来源网址"),
        _c("fetched_at", "string", "UTC time the snapshot was fetched (URL sources)", "抓取时间"),
        _c("final_url", "string", "URL the fetch ended at, after redirects (URL sources; never with a user "
           "name or password, like source_url)", "最终网址"),
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
        _c("metric_id", "string", "The indicator the metric names (transform/registry/metrics.yaml: "
                                  "全市生产总值 and GDP are gdp); null when the vocabulary does not list it",
           "指标标识"),
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
        _c("task_id", "string", "Task, where the finding concerns one task", "任务标识"),
        _c("check", "string", "Which check", "检查项", req=True),
        _c("subject", "string", "What the finding is about, where it is one name (unknown_unit: the unit "
                                "as printed, task_units.raw_name)", "对象（如原文单位名称）"),
        _c("detail", "string", "What was found", "详情", req=True),
    ),
    ("notice_id", "check", "detail"),
    (_NOTICE_FK, _TASK_FK),
)

_LINK_COLUMNS = (
    _c("link_id", "string", "Stable id: jurisdiction, both years and both tasks (none where absent)",
       "关联标识", req=True),
    _c("jurisdiction", "string", "Jurisdiction", "地区", req=True),
    _c("year_from", "int", "Earlier year", "前一年份", req=True),
    _c("task_no_from", "int", "Task number in the earlier year; null for a new task", "前一年任务序号"),
    _c("task_id_from", "string", "Task of the earlier year; null for a new task", "前一年任务标识"),
    _c("year_to", "int", "Later year (the next year present for the jurisdiction)", "后一年份", req=True),
    _c("task_no_to", "int", "Task number in the later year; null for a dropped task", "后一年任务序号"),
    _c("task_id_to", "string", "Task of the later year; null for a dropped task", "后一年任务标识"),
)

YOY_TASK_LINKS = Table(
    "yoy_task_links",
    "Year over year, per jurisdiction and consecutive years present: each task of both years once, "
    "linked one-to-one by text and chapter (continued), or dropped, or new. See transform/compare.py "
    "for the similarity and its threshold.",
    "逐年对比（同一地区相邻年份）：两年的每项任务各出现一次，按内容与章节一一对应（延续），或取消、或新增。",
    (
        *_LINK_COLUMNS,
        _c("status", "string", "continued, new or dropped", "状态", req=True,
           enum=("continued", "new", "dropped")),
        _c("similarity", "float", "Similarity of the linked tasks (0 to 1); null for new and dropped",
           "相似度"),
        _c("text_changed", "bool", "Whether the text of a continued task was reworded (punctuation form and "
                                   "white space aside); null for new and dropped", "内容是否改动"),
    ),
    ("link_id",),
    (ForeignKey(("task_id_from",), "tasks", ("task_id",)),
     ForeignKey(("task_id_to",), "tasks", ("task_id",))),
)

YOY_TARGET_CHANGES = Table(
    "yoy_target_changes",
    "Quantitative targets of continued tasks that changed, appeared or disappeared between the two years.",
    "延续任务中变化、新增或取消的量化目标。",
    (
        *_LINK_COLUMNS,
        _c("change_no", "int", "Position of the change within the link, from 1", "排序", req=True),
        _c("metric", "string", "What is measured (the later year's wording where both years have it)", "指标",
           req=True),
        _c("metric_from", "string", "The earlier year's wording of the metric; null for an added target",
           "前一年指标"),
        _c("change", "string", "changed (number, comparator or direction moved), added or removed", "变化",
           req=True, enum=("changed", "added", "removed")),
        _c("value_from", "float", "Earlier value, in `unit`; null for an added target", "前一年数值"),
        _c("value_to", "float", "Later value, in `unit`; null for a removed target", "后一年数值"),
        _c("unit", "string", "Unit of both values: as printed when both years print the same unit, "
                             "else the base unit (values scaled)", "单位", req=True),
        _c("comparator_from", "string", "Earlier comparator (以上, 左右…); null for an exact number",
           "前一年比较方式"),
        _c("comparator_to", "string", "Later comparator; null for an exact number", "后一年比较方式"),
        _c("direction_from", "string", "Earlier direction (增长, 达到…)", "前一年方向"),
        _c("direction_to", "string", "Later direction", "后一年方向"),
        _c("target_position_from", "int", "targets.position of the earlier target", "前一年目标排序"),
        _c("target_position_to", "int", "targets.position of the later target", "后一年目标排序"),
    ),
    ("link_id", "change_no"),
    (ForeignKey(("link_id",), "yoy_task_links", ("link_id",)),),
)

UNIT_WORKLOAD = Table(
    "unit_workload",
    "Tasks each unit leads and shares per jurisdiction and year, and the change since the previous year "
    "present. A unit named only in the previous year has a row with 0 tasks.",
    "各单位每年牵头与参与的任务数，及与上一年份相比的变化；仅上一年出现的单位本年记为0。",
    (
        _c("jurisdiction", "string", "Jurisdiction", "地区", req=True),
        _c("year", "int", "Year", "年份", req=True),
        _c("unit_id", "string", "Unit", "单位标识", req=True),
        _c("unit", "string", "Canonical unit name", "规范单位名称", req=True),
        _c("lead_tasks", "int", "Tasks the unit leads (牵头单位)", "牵头任务数", req=True),
        _c("other_tasks", "int", "Tasks the unit shares (责任单位)", "参与任务数", req=True),
        _c("previous_year", "int", "The jurisdiction's previous year present; null for its first year",
           "上一年份"),
        _c("lead_tasks_before", "int", "Tasks led in the previous year; null for the first year",
           "上一年牵头任务数"),
        _c("other_tasks_before", "int", "Tasks shared in the previous year; null for the first year",
           "上一年参与任务数"),
        _c("lead_change", "int", "lead_tasks minus lead_tasks_before; null for the first year",
           "牵头任务数变化"),
        _c("other_change", "int", "other_tasks minus other_tasks_before; null for the first year",
           "参与任务数变化"),
    ),
    ("jurisdiction", "year", "unit_id"),
    (ForeignKey(("unit_id",), "units", ("unit_id",)),),
)

LEADER_PORTFOLIOS = Table(
    "leader_portfolios",
    "Tasks each lead leader leads per jurisdiction and year, and what changed since the previous year "
    "present: kept, taken over from another leader, new; handed over, dropped. tasks_led = kept + "
    "taken over + new; tasks_led_before = kept + handed over + dropped.",
    "各牵头领导每年牵头的任务及与上一年份相比的变化：保持、接手、新增；移交、取消。",
    (
        _c("jurisdiction", "string", "Jurisdiction", "地区", req=True),
        _c("year", "int", "Year", "年份", req=True),
        _c("leader_id", "string", "Leader", "领导标识", req=True),
        _c("leader", "string", "Normalized name", "规范姓名", req=True),
        _c("tasks_led", "int", "Tasks led this year (0 for a leader who left)", "牵头任务数", req=True),
        _c("previous_year", "int", "The jurisdiction's previous year present; null for its first year",
           "上一年份"),
        _c("tasks_led_before", "int", "Tasks led in the previous year; null for the first year",
           "上一年牵头任务数"),
        _c("status", "string", "first_year (nothing to compare with), continues, appears (led nothing the "
                               "year before) or leaves (leads nothing this year)", "状态", req=True,
           enum=("first_year", "continues", "appears", "leaves")),
        _c("tasks_kept", "int", "Continued tasks the leader led both years", "保持任务数"),
        _c("tasks_taken_over", "int", "Continued tasks the leader leads now but did not lead before",
           "接手任务数"),
        _c("taken_over_from", "string_list", "Who led the taken-over tasks before (and leads them no more), "
                                             "most tasks first", "接手自"),
        _c("tasks_new", "int", "New tasks the leader leads", "新增任务数"),
        _c("tasks_handed_over", "int", "Continued tasks the leader led before but leads no more",
           "移交任务数"),
        _c("handed_over_to", "string_list", "Who leads the handed-over tasks now, most tasks first",
           "移交给"),
        _c("tasks_dropped", "int", "Tasks the leader led before that were dropped", "取消任务数"),
    ),
    ("jurisdiction", "year", "leader_id"),
    (ForeignKey(("leader_id",), "leaders", ("leader_id",)),),
)

_LEVELS = ("province", "prefecture", "county")


def _side(side: str, zh: str) -> tuple[Column, ...]:
    """The notice and task columns of one side (upper or lower) of a link across levels."""
    return (
        _c(f"{side}_notice_id", "string", f"Notice of the {side} level", f"{zh}通知标识", req=True),
        _c(f"{side}_jurisdiction", "string", f"Jurisdiction of the {side} level", f"{zh}地区", req=True),
        _c(f"{side}_level", "string", f"Level of the {side} jurisdiction (notices.level)", f"{zh}层级",
           enum=_LEVELS),
        _c(f"{side}_task_id", "string", f"Task of the {side} level", f"{zh}任务标识", req=True),
        _c(f"{side}_task_no", "int", f"Task number of the {side} level, as printed", f"{zh}任务序号", req=True),
    )


CASCADE_NOTICES = Table(
    "cascade_notices",
    "Across levels: one row per notice and each higher jurisdiction it implements, namely its parent "
    "and grandparent in the division gazetteer and the jurisdictions whose work reports its title "
    "names; whether that jurisdiction's notice of the same year is in the release. See transform/hierarchy.py.",
    "跨层级：每份通知与其所落实的上级地区各一行（区划中的上级、上上级，及标题所列政府工作报告的地区），"
    "以及该地区同年通知是否在本次发布中。",
    (
        _c("notice_id", "string", "The lower notice", "下级通知标识", req=True),
        _c("year", "int", "Year of both notices", "年份", req=True),
        _c("jurisdiction", "string", "The lower jurisdiction", "下级地区", req=True),
        _c("upper_jurisdiction", "string", "The higher jurisdiction", "上级地区", req=True),
        _c("upper_division_code", "string", "Division code of the higher jurisdiction, where known",
           "上级行政区划代码"),
        _c("steps", "int", "Levels between the two in the gazetteer: 1 parent, 2 grandparent; null for a "
                           "jurisdiction only the title names", "相隔层级数"),
        _c("report", "string", "The work report of the higher jurisdiction the title names (notices.reports); "
                               "null when the title names none", "标题所列上级政府工作报告"),
        _c("upper_notice_id", "string", "The higher jurisdiction's notice of the same year; null when it is "
                                        "not in the release", "上级通知标识"),
    ),
    ("notice_id", "upper_jurisdiction"),
    (_NOTICE_FK, ForeignKey(("upper_notice_id",), "notices", ("notice_id",))),
)

CASCADE_LINKS = Table(
    "cascade_links",
    "Across levels: each task of a lower notice linked to the task(s) of a higher notice of the same year "
    "that it implements (one upper task may be implemented by many lower tasks, in many jurisdictions). "
    "Basis target_metric: the tasks set targets of the same metric; text: their texts are alike "
    "(similarity at or above transform/cascade.py's THRESHOLD).",
    "跨层级任务对应：下级通知的任务与其落实的同年上级通知任务（一项上级任务可对应多个地区的多项下级任务）；"
    "依据为相同指标的目标（target_metric）或内容相似（text）。",
    (
        _c("year", "int", "Year of both notices", "年份", req=True),
        *_side("lower", "下级"),
        *_side("upper", "上级"),
        _c("steps", "int", "Levels between the two jurisdictions (1 parent, 2 grandparent); null for a "
                           "jurisdiction only the title names", "相隔层级数"),
        _c("similarity", "float", "Text similarity of the two tasks (0 to 1, transform/compare.py's similarity)",
           "相似度", req=True),
        _c("basis", "string", "Why they are linked: target_metric (targets of the same metric) or text "
                              "(similar texts)", "关联依据", req=True, enum=("target_metric", "text")),
        _c("shared_metrics", "string_list", "Metric ids of the targets both tasks set (empty for a text link)",
           "共同指标"),
    ),
    ("lower_task_id", "upper_task_id"),
    (ForeignKey(("lower_notice_id",), "notices", ("notice_id",)),
     ForeignKey(("upper_notice_id",), "notices", ("notice_id",)),
     ForeignKey(("lower_task_id",), "tasks", ("task_id",)),
     ForeignKey(("upper_task_id",), "tasks", ("task_id",))),
)


def _target_side(side: str, zh: str) -> tuple[Column, ...]:
    return (
        _c(f"{side}_target_position", "int", f"targets.position of the {side} target", f"{zh}目标排序",
           req=True),
        _c(f"{side}_metric", "string", f"The {side} metric as printed", f"{zh}指标", req=True),
        _c(f"{side}_direction", "string", f"The {side} direction (增长, 达到…)", f"{zh}方向"),
        _c(f"{side}_value", "float", f"The {side} number as printed", f"{zh}数值", req=True),
        _c(f"{side}_unit", "string", f"The {side} unit as printed", f"{zh}单位", req=True),
        _c(f"{side}_comparator", "string", f"The {side} comparator (以上, 左右…); null for an exact number",
           f"{zh}比较方式"),
    )


TARGET_CASCADE = Table(
    "target_cascade",
    "Across levels: how a target is passed down. One row per target of a lower task and the target of "
    "the same metric (and unit and direction) in the higher task it implements (cascade_links with "
    "basis target_metric), with the difference in one unit.",
    "跨层级目标传导：下级任务的目标与其所落实上级任务中同一指标（同单位、同方向）的目标，及二者之差。",
    (
        _c("year", "int", "Year of both notices", "年份", req=True),
        _c("metric_id", "string", "The metric both targets measure (targets.metric_id)", "指标标识", req=True),
        _c("metric_name", "string", "Official name of the metric (transform/registry/metrics.yaml)", "指标名称",
           req=True),
        *_side("upper", "上级"),
        *_target_side("upper", "上级"),
        *_side("lower", "下级"),
        *_target_side("lower", "下级"),
        _c("steps", "int", "Levels between the two jurisdictions (1 parent, 2 grandparent); null for a "
                           "jurisdiction only the title names", "相隔层级数"),
        _c("unit", "string", "Unit of the difference: the printed unit when both print the same, else the "
                             "base unit (values scaled)", "差值单位", req=True),
        _c("difference", "float", "Lower value minus upper value, in `unit` (positive: the lower level aims "
                                  "higher)", "差值（下级减上级）", req=True),
    ),
    ("lower_task_id", "lower_target_position", "upper_task_id", "upper_target_position"),
    (ForeignKey(("lower_notice_id",), "notices", ("notice_id",)),
     ForeignKey(("upper_notice_id",), "notices", ("notice_id",)),
     ForeignKey(("lower_task_id",), "tasks", ("task_id",)),
     ForeignKey(("upper_task_id",), "tasks", ("task_id",))),
)

CASCADE_TABLES = ("cascade_notices", "cascade_links", "target_cascade")

TABLES: tuple[Table, ...] = (NOTICES, CHAPTERS, TASKS, TASK_LEADERS, TASK_UNITS, UNITS, LEADERS, TARGETS,
                             YOY_TASK_LINKS, YOY_TARGET_CHANGES, UNIT_WORKLOAD, LEADER_PORTFOLIOS,
                             CASCADE_NOTICES, CASCADE_LINKS, TARGET_CASCADE, QUALITY_FINDINGS)


# The release's own record, in the database only (`output/database.py` writes it, with comments; the
# data dictionaries list it). It is not a data file: its facts are the release metadata (release.json,
# datapackage.json), which describe the data files and so cannot be one of them, and a CSV of it would
# change the content hash and the version comparison on every release.
RELEASE_INFO = Table(
    "release_info",
    "The release itself, one row per source notice: its version, the version it follows and how it changed, "
    "the notice's sha256, and the software and code that made it. In the database only (release.json holds "
    "the same).",
    "本次发布，每份源通知一行：版本号、上一版本及变化类型、通知的SHA-256、生成它的软件与代码版本。仅在数据库中。",
    (
        _c("version", "string", "Version of this release (semantic: major.minor.patch)", "版本号", req=True),
        _c("previous_version", "string", "Version of the release it was compared with; null for the first",
           "上一版本号"),
        _c("change", "string", "How it differs from the previous release: first, major (schema), minor (rows "
                               "or tables added), patch (rows corrected or removed)", "变化类型", req=True,
           enum=("first", "major", "minor", "patch")),
        _c("notice_id", "string", "Notice (通知标识)", "通知标识", req=True),
        _c("source_name", "string", "File name of the source", "源文件名", req=True),
        _c("source_url", "string", "URL the notice was fetched at, where it was", "来源网址"),
        _c("sha256", "string", "SHA-256 of the source bytes", "源文件SHA-256", req=True),
        _c("software", "string_list", "Software versions, as package==version", "软件版本", req=True),
        _c("code_sha256", "string", "Hash of the code and reference data that made the release", "代码与参考数据哈希",
           req=True),
    ),
    ("notice_id",),
)

DATABASE_ONLY_TABLES: tuple[Table, ...] = (RELEASE_INFO,)


def table(name: str) -> Table:
    """The table called `name`."""
    for t in TABLES:
        if t.name == name:
            return t
    raise KeyError(f"no table {name}")
