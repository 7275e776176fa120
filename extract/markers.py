"""What marks structure in a notice: chapter, sub-chapter and task numbers, and the label vocabulary.

The vocabulary (label synonyms, table column headings, inline verbs, tail lines) is reviewed data in
labels.yaml; this module turns it into patterns. Patterns match folded text (extract.textnorm.fold).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import cn2an

from extract.errors import NoticeError
from transform.reference_files import read_yaml

CN_DIGITS = "一二三四五六七八九十百零〇"  # what a Chinese number may be written with
CN_DIGIT_VALUES = "〇一二三四五六七八九"  # digit by digit (二〇二三), 零 read as 〇
# Chinese numerals of up to five characters: 一百二十三 (tasks numbered 一、 run on past 一百).
CHAPTER_RE = re.compile(rf"^([{CN_DIGITS}]{{1,5}})\s*[、.]\s*(\S.*)$")
SUBCHAPTER_RE = re.compile(rf"^\(\s*([{CN_DIGITS}]{{1,5}})\s*\)\s*[、.]?\s*(\S.*)$")
TASK_RE = re.compile(r"^(\d{1,9})\s*(?:[.、]|\.(?=\s))\s*(?!\d)(\S.*)$")  # any number; parse.py bounds them
CN_NO_RE = re.compile(rf"^([{CN_DIGITS}]{{1,5}})[、.]?$")
CN_PAREN_NO_RE = re.compile(rf"^\(([{CN_DIGITS}]{{1,5}})\)$")
INT_NO_RE = re.compile(r"^(\d{1,9})[.、]?$")


@dataclass(frozen=True)
class Vocabulary:
    """labels.yaml as patterns."""

    field_by_label: dict[str, str]
    label_re: re.Pattern[str]  # a label line: `牵头领导:…`
    label_anywhere_re: re.Pattern[str]  # a label inside a bracket
    tail_re: re.Pattern[str]  # a line that ends the task list (`附件:`, `抄送:`, `…2024年2月5日印发`)
    column_by_heading: dict[str, str]  # table heading → RawTask field (plus task_no and text)
    inline_lead: tuple[str, ...]
    inline_other: tuple[str, ...]


def _alternation(words: list[str] | tuple[str, ...]) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


@cache
def labels_data() -> dict[str, Any]:
    """labels.yaml as loaded."""
    return dict(read_yaml(Path(__file__).with_name("labels.yaml")))


@cache
def vocabulary() -> Vocabulary:
    data = labels_data()
    field_by_label = {lab: fld for fld, labs in data["fields"].items() for lab in labs}
    alt = _alternation(list(field_by_label))
    columns = dict(field_by_label)
    columns.update({h: fld for fld, hs in data["columns"].items() for h in hs})
    return Vocabulary(
        field_by_label,
        re.compile(rf"^({alt})\s*:\s*(.*)$"),
        re.compile(rf"({alt})\s*:"),
        re.compile(rf"^(?:({_alternation(data['tail'])})\s*[:：]|.*日\s*({_alternation(data['tail_end'])})$)"),
        columns,
        tuple(sorted(data["inline"]["lead"], key=len, reverse=True)),
        tuple(sorted(data["inline"]["other"], key=len, reverse=True)),
    )


@cache
def _canonical_numbers() -> dict[str, int]:
    return {cn2an.an2cn(n): n for n in range(1, 1000)}


def cn_number(text: str) -> int:
    """一 → 1, 十一 → 11, 二十四 → 24; ValueError for anything not written the usual way (十十, 二二, 零)."""
    if (n := _canonical_numbers().get(text)) is None:
        raise ValueError(f"not a Chinese number: {text!r}")
    return n


def cn_digits(text: str) -> int | None:
    """A year, month or day in Chinese numerals: 二〇二三 (digit by digit) or 十七; None if neither."""
    if text and all(c in CN_DIGIT_VALUES or c == "零" for c in text):
        return int("".join(str(CN_DIGIT_VALUES.index("〇" if c == "零" else c)) for c in text))
    return _canonical_numbers().get(text)


def section_number(text: str, name: str, line: int) -> int:
    """The number of a chapter (一、) or sub-chapter ((一)) heading; NoticeError for an odd numeral."""
    try:
        return cn_number(text)
    except ValueError:
        raise NoticeError(name, f"the heading number {text!r} is not a Chinese numeral written the usual "
                                "way (一, 二 … 十, 十一 …)", line) from None


SECOND_PLAN = "a second plan starts here; only one plan per notice is supported"


def next_chapter(numeral: str, previous: int | None, name: str, line: int) -> int:
    """The number of a chapter heading that must follow chapter `previous` (None before the first)."""
    no = section_number(numeral, name, line)
    expected = 1 if previous is None else previous + 1
    if no == 1 and previous is not None:
        raise NoticeError(name, SECOND_PLAN, line)
    if no != expected:
        raise NoticeError(name, f"chapter {numeral} where chapter {cn2an.an2cn(expected)} was expected: "
                                "chapters must run on one by one (一, 二, 三…)", line)
    return no
