"""Bytes of a snapshot → text and numbered lines, by sniffing what the bytes are (never the file extension).

Also the checks that make unreadable text fail loudly: binary data and mojibake (text decoded in the
wrong encoding, or damaged in a repost) are refused with the line where they show.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache
from itertools import accumulate

from charset_normalizer import from_bytes

from extract.errors import NoticeError
from extract.limits import MAX_LINE_CHARS
from extract.model import Line
from extract.script import t2s
from extract.textnorm import HAN_RE

_MAX_CONTROL_SHARE = 0.01
_MOJIBAKE_SHARE = 0.3  # share of a line's Han characters outside the 3,755 common ones
_MOJIBAKE_MIN_HAN = 8  # lines shorter than this are not judged alone
_LATIN1_RE = re.compile(r"[\u00c0-\u00ff\u0080-\u009f\u2020-\u203a\u0152-\u0178]")
_MOJIBAKE_MARKERS = ("\ufffd", "锟斤拷", "烫烫烫", "屯屯屯")
_GB_NAMES = ("gb18030", "gbk", "gb2312", "hz", "cp936")  # all read as gb18030, their superset
_UTF16_SHARE = 0.9  # UTF-16 without a BOM: read as UTF-16, this share is Chinese text, ASCII or punctuation


def _notice_char(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef" \
        or (c.isascii() and (c.isprintable() or c in "\r\n\t"))


def _utf16_without_bom(data: bytes) -> bool:
    """Bytes that are not UTF-8 but read as UTF-16 (either byte order) give notice text."""
    if len(data) % 2:
        return False
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if sum(map(_notice_char, text)) > _UTF16_SHARE * len(text):
            return True
    return False


def decode_bytes(data: bytes, name: str, declared: str | None = None) -> tuple[str, str]:
    """Text and encoding: a BOM, then UTF-8, then a declared charset, then GB18030/Big5/UTF-16 detected."""
    if not data.strip():
        raise NoticeError(name, "the file is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as e:
            raise NoticeError(name, f"has a UTF-8 byte-order mark but is not valid UTF-8 ({e.reason})") \
                from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as e:
            raise NoticeError(name, f"has a UTF-16 byte-order mark but is not valid UTF-16 ({e.reason})") \
                from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if (bad := _mixed_with_utf8(data)) is not None:
        raise NoticeError(name, "mixed encodings: most lines are UTF-8, but this one is not (a part pasted "
                                "from a GBK/GB18030 file?); save the whole file in one encoding", bad)
    if _utf16_without_bom(data):
        raise NoticeError(name, "UTF-16 without a byte-order mark is not supported: save the file as "
                                "UTF-8 (or UTF-16 with a byte-order mark)")
    if declared:
        gb = declared.lower().replace("-", "").replace("_", "") in _GB_NAMES
        enc = "gb18030" if gb else declared
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            pass
    best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_16"]).best()
    if best is None:
        raise NoticeError(name, "not a text file: the bytes decode in no supported encoding "
                                "(UTF-8, GB18030/GBK, Big5, UTF-16)")
    encoding = "gb18030" if best.encoding in _GB_NAMES else best.encoding
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError:
        raise NoticeError(name, f"not a text file: the bytes are not valid {encoding}") from None


def _mixed_with_utf8(data: bytes) -> int | None:
    """The first line that is not UTF-8 in bytes whose other lines with Chinese text are UTF-8 (at least
    two such lines, and more of them than lines that are not UTF-8); None otherwise."""
    utf8_han = 0
    bad: list[int] = []
    for no, raw in enumerate(data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n"), 1):
        if raw.isascii():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(no)
            continue
        utf8_han += len(HAN_RE.findall(text)) >= 2
    return bad[0] if bad and utf8_han >= 2 and utf8_han > len(bad) else None


def split_lines(text: str) -> list[Line]:
    """Lines numbered from 1; LF, CRLF or CR."""
    parts = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [Line(i, t) for i, t in enumerate(parts, 1)]


def decode_text(data: bytes, name: str) -> tuple[list[Line], str]:
    """Plain text in UTF-8 (with or without BOM) or GB18030/GBK, LF or CRLF → lines and the encoding."""
    text, encoding = decode_bytes(data, name)
    check_not_binary(text, name)
    return split_lines(text), encoding


_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f]")  # below U+0020 but tab, LF, form feed, CR


def check_not_binary(text: str, name: str) -> None:
    controls = len(_CONTROL_RE.findall(text))
    if "\x00" in text or controls > _MAX_CONTROL_SHARE * len(text):
        raise NoticeError(name, "binary data, not a notice: the file holds control bytes")


@cache
def _common(ch: str) -> bool:
    """A Han character in GB2312 level 1 (the 3,755 common characters), after t2s."""
    simplified = t2s().convert(ch)
    try:
        b = simplified.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and 0xB0 <= b[0] <= 0xD7


def _han(text: str) -> list[str]:
    return HAN_RE.findall(text)


@cache
def _uncommon_re() -> re.Pattern[str]:
    """The Han characters `_common` refuses, as one character class (built once per process, ~0.1 s:
    counting them with it is C-speed, not a Python call per character)."""
    ranges: list[str] = []
    start = None
    for cp in range(0x4E00, 0xA001):
        uncommon = cp < 0xA000 and not _common(chr(cp))
        if uncommon and start is None:
            start = cp
        elif not uncommon and start is not None:
            ranges.append(f"{chr(start)}-{chr(cp - 1)}" if cp - 1 > start else chr(start))
            start = None
    return re.compile("[" + "".join(ranges) + "]")


def _uncommon(text: str) -> int:
    """How many Han characters of `text` are not common ones (`_common`)."""
    return len(_uncommon_re().findall(text))


def _garbled(text: str) -> bool:
    if any(m in text for m in _MOJIBAKE_MARKERS):
        return True
    han = _han(text)
    if len(_LATIN1_RE.findall(text)) >= 3 and len(_LATIN1_RE.findall(text)) > 0.1 * max(1, len(text.strip())):
        return True
    if len(han) < _MOJIBAKE_MIN_HAN:
        return False
    return _uncommon(text) / len(han) > _MOJIBAKE_SHARE


def check_line_lengths(lines: list[Line], name: str) -> None:
    """Refuse a line longer than MAX_LINE_CHARS (a file of one endless line), naming it."""
    for ln in lines:
        if len(ln.text) > MAX_LINE_CHARS:
            raise NoticeError(name, f"refused: the line is {len(ln.text):,} characters long "
                                    f"(limit {MAX_LINE_CHARS:,})", ln.no)


def check_readable(lines: list[Line], name: str) -> None:
    """Refuse mojibake: the whole text, or any one line, reads as garbage; names the first bad line.
    Counted over the whole text at once; only the lines holding an uncommon or Latin-1 character or a
    mojibake marker (the only lines `_garbled` can refuse) are judged alone. Counts, never lists of
    characters, so memory stays that of the text."""
    text = "\n".join(ln.text for ln in lines)
    starts = list(accumulate((len(ln.text) + 1 for ln in lines), initial=0))
    suspects: set[int] = set()
    han = len(HAN_RE.findall(text))
    uncommon = latin = 0
    for m in _uncommon_re().finditer(text):
        uncommon += 1
        suspects.add(bisect_right(starts, m.start()) - 1)
    for m in _LATIN1_RE.finditer(text):
        latin += 1
        suspects.add(bisect_right(starts, m.start()) - 1)
    for marker in _MOJIBAKE_MARKERS:
        at = text.find(marker)
        while at >= 0:
            suspects.add(bisect_right(starts, at) - 1)
            at = text.find(marker, at + 1)
    chars = len(text) - max(0, len(lines) - 1)
    whole_bad = bool(han) and uncommon / han > _MOJIBAKE_SHARE
    if not han and latin > 0.1 * max(1, chars):
        whole_bad = True
    for i in sorted(suspects):
        if _garbled(lines[i].text):
            ln = lines[i]
            raise NoticeError(name, "mojibake: the text is garbled (wrong encoding or damaged); "
                                    f"it reads {ln.text.strip()[:30]!r}", ln.no)
    if whole_bad:
        raise NoticeError(name, "mojibake: most characters are not ones a notice uses",
                          lines[0].no if lines else None)
    if not han:
        raise NoticeError(name, "no Chinese text: this is not a notice")
