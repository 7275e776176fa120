"""Character-level helpers shared by the decoders and the parser."""

from __future__ import annotations

import re

# Full-width punctuation folded to ASCII, one character to one, so offsets in the folded line are
# offsets in the original. Used for matching only: published text keeps the notice's own form.
_FOLD = str.maketrans({
    "：": ":", "，": ",", "（": "(", "）": ")", "；": ";", "．": ".", "﹒": ".",
    "［": "[", "］": "]", "【": "[", "】": "]", "　": " ", "\u00a0": " ",
    "０": "0", "１": "1", "２": "2", "３": "3", "４": "4",
    "５": "5", "６": "6", "７": "7", "８": "8", "９": "9",
})
FULLWIDTH_MARKS = "：，（）；"
ASCII_MARKS = ":,();"
HAN_RE = re.compile("[\u4e00-\u9fff]")  # the CJK Unified Ideographs block: what notices count as Han
WHITESPACE_RE = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")


_FOLD_RE = re.compile("[" + "".join(chr(c) for c in _FOLD) + "]")


def fold(text: str) -> str:
    """Full-width punctuation, digits and spaces as ASCII; same length as `text`. (`str.translate` with
    a table looks up every character in Python; most characters of a notice fold to themselves, so
    only the ones present are replaced, each by one C-speed `str.replace`.)"""
    found = _FOLD_RE.findall(text)
    if not found:
        return text
    for c in set(found):
        text = text.replace(c, _FOLD[ord(c)])
    return text


def strip_line(text: str) -> str:
    """A line without leading and trailing white space of any kind (ASCII, U+3000, NBSP, BOM)."""
    return text.strip(" \t\r\n\u3000\u00a0\u200b\ufeff")


def remove_whitespace(text: str) -> str:
    """`刘 哲` → `刘哲`: every kind of white space removed."""
    return WHITESPACE_RE.sub("", text)


def punctuation_form(texts: list[str]) -> str:
    """fullwidth, ascii or mixed, by the colons, commas, brackets and semicolons of `texts`."""
    fw = sum(t.count(c) for t in texts for c in FULLWIDTH_MARKS)
    asc = sum(t.count(c) for t in texts for c in ASCII_MARKS)
    if fw == 0 or asc == 0:
        return "ascii" if fw == 0 else "fullwidth"
    minor = min(fw, asc) / (fw + asc)
    if minor < 0.02:
        return "fullwidth" if fw > asc else "ascii"
    return "mixed"
