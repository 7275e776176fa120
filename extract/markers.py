"""What marks structure in a notice: chapter, sub-chapter and task numbers, and the label vocabulary.

The vocabulary (label synonyms, table column headings, inline verbs, tail lines) is reviewed data in
labels.yaml; this module turns it into patterns. Patterns match folded text (extract.textnorm.fold).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import cn2an
import yaml

CN_DIGITS = "一二三四五六七八九十百零〇"
CHAPTER_RE = re.compile(rf"^([{CN_DIGITS}]{{1,4}})\s*[、.]\s*(\S.*)$")
SUBCHAPTER_RE = re.compile(rf"^\(\s*([{CN_DIGITS}]{{1,4}})\s*\)\s*[、.]?\s*(\S.*)$")
TASK_RE = re.compile(r"^(\d{1,4})\s*(?:[.、]|\.(?=\s))\s*(?!\d)(\S.*)$")
CN_NO_RE = re.compile(rf"^([{CN_DIGITS}]{{1,4}})[、.]?$")
CN_PAREN_NO_RE = re.compile(rf"^\(([{CN_DIGITS}]{{1,4}})\)$")
INT_NO_RE = re.compile(r"^(\d{1,4})[.、]?$")


@dataclass(frozen=True)
class Vocabulary:
    """labels.yaml as patterns."""

    field_by_label: dict[str, str]
    label_re: re.Pattern[str]  # a label line: `牵头领导:…`
    label_anywhere_re: re.Pattern[str]  # a label inside a bracket
    tail_re: re.Pattern[str]
    column_by_heading: dict[str, str]  # table heading → RawTask field (plus task_no and text)
    inline_lead: tuple[str, ...]
    inline_other: tuple[str, ...]


def _alternation(words: list[str] | tuple[str, ...]) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


@cache
def vocabulary() -> Vocabulary:
    data = yaml.safe_load(Path(__file__).with_name("labels.yaml").read_text(encoding="utf-8"))
    field_by_label = {lab: fld for fld, labs in data["fields"].items() for lab in labs}
    alt = _alternation(list(field_by_label))
    columns = dict(field_by_label)
    columns.update({h: fld for fld, hs in data["columns"].items() for h in hs})
    return Vocabulary(
        field_by_label,
        re.compile(rf"^({alt})\s*:\s*(.*)$"),
        re.compile(rf"({alt})\s*:"),
        re.compile(rf"^({_alternation(data['tail'])})\s*[:：]"),
        columns,
        tuple(sorted(data["inline"]["lead"], key=len, reverse=True)),
        tuple(sorted(data["inline"]["other"], key=len, reverse=True)),
    )


def cn_number(text: str) -> int:
    """一 → 1, 十一 → 11, 二十四 → 24."""
    return int(cn2an.cn2an(text, "smart"))
