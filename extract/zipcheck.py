"""Checks on an Office zip package (DOCX, XLSX) before any library opens it: hostile input is refused.

Entry count, uncompressed sizes from the zip directory (zipfile never inflates an entry past its
recorded size) and compression ratios are bounded (extract/limits.py); the package must hold its main
part; XML parts declaring a DOCTYPE or entities are refused.
"""

from __future__ import annotations

import io
import zipfile

from extract.errors import NoticeError
from extract.limits import MAX_DOCX_ENTRIES, MAX_DOCX_RATIO, MAX_DOCX_UNCOMPRESSED


def check_zip(data: bytes, name: str, kind: str, main_part: str) -> zipfile.ZipFile:
    """The package as an open zip; NoticeError naming `kind` (DOCX, XLSX) when it is refused."""
    a = "an" if kind[0] in "AEIOUX" else "a"
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise NoticeError(name, f"not {a} {kind} file: it is not a valid zip archive") from None
    infos = zf.infolist()
    if len(infos) > MAX_DOCX_ENTRIES:
        raise NoticeError(name, f"{kind} refused: {len(infos)} zip entries (limit {MAX_DOCX_ENTRIES})")
    total = sum(i.file_size for i in infos)
    if total > MAX_DOCX_UNCOMPRESSED:
        raise NoticeError(name, f"{kind} refused: it expands to {total // (1024 * 1024)} MB "
                                f"(limit {MAX_DOCX_UNCOMPRESSED // (1024 * 1024)} MB)")
    for i in infos:
        if i.file_size > 1024 * 1024 and i.file_size > MAX_DOCX_RATIO * max(1, i.compress_size):
            ratio = i.file_size // max(1, i.compress_size)
            raise NoticeError(name, f"{kind} refused: entry {i.filename} expands {ratio}"
                                    f" times (a zip bomb; limit {MAX_DOCX_RATIO})")
    if main_part not in zf.namelist():
        raise NoticeError(name, f"not {a} {kind} file: the zip has no {main_part}")
    for i in infos:
        if i.filename.endswith((".xml", ".rels")):
            with zf.open(i) as f:
                head = f.read(4096).upper()
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise NoticeError(name, f"{kind} refused: {i.filename} declares a DOCTYPE or entities")
    return zf
