"""A snapshot → a parsed notice: sniff the form from the bytes, decode to lines, convert traditional
characters, parse the layout, and record where it all came from."""

from __future__ import annotations

from pathlib import Path

from extract.decode import check_readable, decode_text
from extract.decode_docx import decode_docx
from extract.decode_html import decode_html
from extract.decode_pdf import decode_pdf
from extract.decode_sheet import decode_sheet
from extract.errors import NoticeError
from extract.limits import MAX_SOURCE_BYTES
from extract.model import Line, ParsedNotice, Source
from extract.parse import parse_notice
from extract.script import is_traditional, to_simplified
from extract.snapshot import Snapshot
from extract.sniff import sniff

_BINARY_KINDS = {
    "zip": "a zip archive that is not a DOCX or XLSX file",
    "doc": "an old Word .doc file (Word 97–2003): not supported; save it as DOCX, PDF or text",
    "binary": "binary data (an image or an archive), not a notice",
}


def read_bytes(data: bytes, name: str) -> tuple[list[Line], str, str | None]:
    """Lines, the form, and the text encoding (txt and html) of a notice's bytes."""
    if len(data) > MAX_SOURCE_BYTES:
        raise NoticeError(name, f"refused: the file is larger than {MAX_SOURCE_BYTES // (1024 * 1024)} MB")
    if not data.strip():
        raise NoticeError(name, "the file is empty")
    form = sniff(data)
    if form in _BINARY_KINDS:
        raise NoticeError(name, _BINARY_KINDS[form])
    encoding: str | None = None
    if form == "pdf":
        lines = decode_pdf(data, name)
    elif form == "docx":
        lines = decode_docx(data, name)
    elif form in ("xlsx", "xls"):
        lines = decode_sheet(data, name, form)
    elif form == "html":
        lines, encoding = decode_html(data, name)
    else:
        lines, encoding = decode_text(data, name)
    if not any(ln.text.strip() for ln in lines):
        raise NoticeError(name, f"the file is empty: the {form} holds no text")
    check_readable(lines, name)
    return lines, form, encoding


def read_notice(snapshot: Snapshot) -> ParsedNotice:
    """The notice in `snapshot`, in any supported form and layout; NoticeError naming file and line."""
    try:
        data = Path(snapshot.path).read_bytes()
    except OSError as e:
        raise NoticeError(snapshot.name, f"cannot read the snapshot: {e.strerror}") from None
    lines, form, encoding = read_bytes(data, snapshot.name)
    if is_traditional(lines):
        lines = to_simplified(lines)
    source = Source(snapshot.name, snapshot.sha256, form, encoding, snapshot.url, snapshot.fetched_at)
    return parse_notice(lines, source)
