"""What extract hands to transform: a parsed notice, as plain dataclasses that round-trip through JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

import orjson


@dataclass
class Line:
    """One decoded line of a notice, numbered from 1 in the decoded text."""

    no: int
    text: str
    cells: list[str] | None = None  # a table row: its cells, left to right (text is them joined by tabs)
    original: str | None = None  # the line as printed, where `text` was converted (traditional → simplified)


@dataclass
class Source:
    """Where a notice came from."""

    name: str  # file name, for messages and the notices table
    sha256: str
    form: str = "txt"  # txt | html | docx | pdf | xlsx | xls
    encoding: str | None = None
    url: str | None = None  # without userinfo
    fetched_at: str | None = None
    final_url: str | None = None  # after redirects, without userinfo


@dataclass
class Header:
    """Facts from the notice's header and title. None where the notice does not say."""

    jurisdiction: str | None = None
    division_code: str | None = None  # GB/T 2260, where the gazetteer (extract/divisions.csv) knows the place
    year: int | None = None
    jurisdiction_source: str | None = None  # transform.schema.HEADER_SOURCES: where the jurisdiction was read
    year_source: str | None = None  # transform.schema.HEADER_SOURCES: where the year was read
    title: str | None = None
    issuer: str | None = None
    issued_on: str | None = None  # ISO date
    published_on: str | None = None  # ISO date a portal page gives (发布日期, 发表时间, 生成日期)
    doc_number: str | None = None
    reports: list[str] = field(default_factory=list)
    publicity: str | None = None
    stated_task_count: int | None = None


@dataclass
class Section:
    chapter_no: int
    subchapter_no: int | None
    title: str
    line: int


RESPONSIBILITY_FIELDS = ("lead_leaders", "lead_units", "other_units")  # the RawTask fields naming who


@dataclass
class RawTask:
    """A task with its responsibilities as printed (lists not yet split)."""

    task_no: int
    chapter_no: int | None
    subchapter_no: int | None
    text: str
    line: int
    lead_leaders: str | None = None
    lead_units: str | None = None
    other_units: str | None = None
    deadline: str | None = None
    measures: str | None = None
    task_source: str | None = None
    text_original: str | None = None


@dataclass
class Finding:
    """Something wrong with one task that does not stop the notice (published in quality_findings)."""

    check: str  # e.g. damaged_task
    task_no: int | None
    line: int | None
    subject: str | None
    detail: str


@dataclass
class ParsedNotice:
    source: Source
    header: Header
    sections: list[Section]
    tasks: list[RawTask]
    layout: str = "labels"  # labels | inline | table
    punctuation: str = "ascii"  # fullwidth | ascii | mixed
    numbering: str = "continuous"  # continuous | per_chapter (task numbers restart in each chapter)
    script: str = "simplified"  # simplified | traditional (names and texts converted to simplified)
    lead_rule: str | None = None  # units_lead | first_listed: a rule in the intro on who leads (lead_rules.py)
    findings: list[Finding] = field(default_factory=list)  # damaged tasks (extract/damaged.py)

    def to_json(self) -> str:
        """The notice as JSON (the parsed-notice cache): `dataclasses.asdict` without its deep copies,
        written compactly by json's C encoder (indentation would take its pure-Python one)."""
        return json.dumps(_plain(self), ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def to_json_bytes(self) -> bytes:
        """The same document as UTF-8 bytes, by orjson, which reads the dataclasses itself (about 30
        times faster than `to_json`; the notice holds no floats, so the two read back the same)."""
        return orjson.dumps(self, option=orjson.OPT_SORT_KEYS)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ParsedNotice:
        return cls(
            source=Source(**d["source"]),
            header=Header(**d["header"]),
            sections=[Section(**s) for s in d["sections"]],
            tasks=[RawTask(**t) for t in d["tasks"]],
            layout=d["layout"],
            punctuation=d["punctuation"],
            numbering=d.get("numbering", "continuous"),
            script=d.get("script", "simplified"),
            lead_rule=d.get("lead_rule"),
            findings=[Finding(**f) for f in d.get("findings", [])],
        )

    @classmethod
    def load(cls, path: Path) -> ParsedNotice:
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))


def _plain(value: Any) -> Any:
    """`dataclasses.asdict` for the model's values (dataclasses, lists, tuples, dicts of plain values)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
