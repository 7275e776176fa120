"""A snapshot → a parsed notice: sniff the form from the bytes, decode to lines, convert traditional
characters, parse the layout, and record where it all came from.

The snapshot's size is checked (stat) before it is read, it is read with a bounded read, and its bytes
must hash to the snapshot's sha256 (so what is parsed is exactly what is recorded). Text is decoded in
process (pure Python, bounded by the size and line limits); every other form in the bounded worker
(extract/decode_worker.py).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from extract.decode import check_line_lengths, check_readable
from extract.decode_forms import decode_form
from extract.decode_worker import BOUNDED_FORMS, decode_bounded
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
_MB = 1024 * 1024


def too_big(name: str, size: int) -> NoticeError:
    return NoticeError(name, f"refused: the file is {size:,} bytes, larger than {MAX_SOURCE_BYTES // _MB} MB "
                             f"(limit {MAX_SOURCE_BYTES:,} bytes)")


def read_bytes(data: bytes, name: str, *, bounded: bool = True) -> tuple[list[Line], str, str | None]:
    """Lines, the form, and the text encoding (txt and html) of a notice's bytes; with `bounded`, every
    form but text is decoded in the bounded worker."""
    if len(data) > MAX_SOURCE_BYTES:
        raise too_big(name, len(data))
    if not data.strip():
        raise NoticeError(name, "the file is empty")
    form = sniff(data)
    if form in _BINARY_KINDS:
        raise NoticeError(name, _BINARY_KINDS[form])
    if bounded and form in BOUNDED_FORMS:
        lines, encoding = decode_bounded(data, name, form)
    else:
        lines, encoding = decode_form(data, name, form)
    check_line_lengths(lines, name)
    if not any(ln.text.strip() for ln in lines):
        raise NoticeError(name, f"the file is empty: the {form} holds no text")
    check_readable(lines, name)
    return lines, form, encoding


def snapshot_bytes(snapshot: Snapshot) -> bytes:
    """The snapshot's bytes: size checked before reading, read bounded, verified against its sha256."""
    path = Path(snapshot.path)
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            raise too_big(snapshot.name, size)
        with path.open("rb") as f:
            data = f.read(MAX_SOURCE_BYTES + 1)
    except OSError as e:
        raise NoticeError(snapshot.name, f"cannot read the snapshot: {e.strerror or e}") from None
    if len(data) > MAX_SOURCE_BYTES:
        raise too_big(snapshot.name, len(data))
    if hashlib.sha256(data).hexdigest() != snapshot.sha256:
        raise NoticeError(snapshot.name, "the file changed after its snapshot was taken (sha256 "
                                         f"{snapshot.sha256[:12]}…): nothing is read from it; run again")
    return data


def read_notice(snapshot: Snapshot) -> ParsedNotice:
    """The notice in `snapshot`, in any supported form and layout; NoticeError naming file and line."""
    lines, form, encoding = read_bytes(snapshot_bytes(snapshot), snapshot.name)
    if is_traditional(lines):
        lines = to_simplified(lines)
    source = Source(snapshot.name, snapshot.sha256, form, encoding, snapshot.url, snapshot.fetched_at,
                    snapshot.final_url)
    return parse_notice(lines, source)
