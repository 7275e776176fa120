"""Checks on an Office zip package (DOCX, XLSX) before any library opens it: hostile input is refused.

Every entry is actually inflated, in chunks, counting its real bytes — the zip directory's sizes are
not trusted: the entry count, the total inflated size and each entry's compression ratio are bounded
(extract/limits.py), and an entry whose bytes do not match its checksum is refused. Every XML part is
parsed by lxml with entity resolution, DTD loading and network access off; a part that declares a
DOCTYPE (Office never writes one) or is not well-formed is refused, wherever in the part it stands,
and the XML elements of all parts are counted against a limit. The package must hold its main part.
`scan` lets a decoder look at each XML element as it streams by (decode_sheet checks cell references).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from typing import IO

from lxml import etree

from extract.errors import NoticeError
from extract.limits import MAX_DOCX_ENTRIES, MAX_DOCX_RATIO, MAX_DOCX_UNCOMPRESSED, MAX_XML_ELEMENTS

_CHUNK = 1 << 16
_MB = 1024 * 1024

Scan = Callable[[str, "etree._Element"], None]  # (entry name, element at its start)


class _Counted(io.RawIOBase):
    """An entry's stream that counts the bytes really inflated and refuses past the limits."""

    def __init__(self, raw: IO[bytes], info: zipfile.ZipInfo, budget: list[int], refuse: Callable[[str], None]):
        self.raw, self.info, self.budget, self.refuse, self.size = raw, info, budget, refuse, 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.raw.read(min(len(b), _CHUNK))
        self.size += len(data)
        self.budget[0] -= len(data)
        if self.budget[0] < 0:
            self.refuse(f"it expands to more than {MAX_DOCX_UNCOMPRESSED // _MB} MB (limit)")
        if self.size > _MB and self.size > MAX_DOCX_RATIO * max(1, self.info.compress_size):
            self.refuse(f"entry {self.info.filename} expands more than {MAX_DOCX_RATIO} times (a zip bomb; "
                        f"limit {MAX_DOCX_RATIO})")
        b[: len(data)] = data
        return len(data)


def _xml_events(stream: IO[bytes]) -> Iterator[tuple[str, etree._Element]]:
    return etree.iterparse(stream, events=("start", "end"), resolve_entities=False, no_network=True,
                           load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True)


def check_zip(data: bytes, name: str, kind: str, main_part: str, scan: Scan | None = None) -> zipfile.ZipFile:
    """The package as an open zip; NoticeError naming `kind` (DOCX, XLSX) when it is refused."""
    a = "an" if kind[0] in "AEIOUX" else "a"

    def refuse(problem: str) -> None:
        raise NoticeError(name, f"{kind} refused: {problem}")

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise NoticeError(name, f"not {a} {kind} file: it is not a valid zip archive") from None
    if len(infos) > MAX_DOCX_ENTRIES:
        refuse(f"{len(infos)} zip entries (limit {MAX_DOCX_ENTRIES})")
    declared = sum(i.file_size for i in infos)
    if declared > MAX_DOCX_UNCOMPRESSED:
        refuse(f"it expands to {declared // _MB} MB (limit {MAX_DOCX_UNCOMPRESSED // _MB} MB)")
    if main_part not in zf.namelist():
        raise NoticeError(name, f"not {a} {kind} file: the zip has no {main_part}")
    budget = [MAX_DOCX_UNCOMPRESSED]
    elements = 0
    for info in infos:
        if info.is_dir():
            continue
        xml = info.filename.endswith((".xml", ".rels"))
        try:
            with zf.open(info) as raw:
                stream = io.BufferedReader(_Counted(raw, info, budget, refuse), _CHUNK)
                if not xml:
                    while stream.read(_CHUNK):
                        pass
                    continue
                first = True
                for event, el in _xml_events(stream):
                    if event == "end":
                        el.clear(keep_tail=True)
                        parent = el.getparent()
                        while parent is not None and el.getprevious() is not None:  # keep memory flat
                            del parent[0]
                        continue
                    if first:
                        first = False
                        if el.getroottree().docinfo.doctype:
                            refuse(f"{info.filename} declares a DOCTYPE (entities are not read)")
                    elements += 1
                    if elements > MAX_XML_ELEMENTS:
                        refuse(f"more than {MAX_XML_ELEMENTS:,} XML elements (limit)")
                    if scan is not None:
                        scan(info.filename, el)
        except etree.XMLSyntaxError as e:
            refuse(f"{info.filename} is not well-formed XML ({str(e).splitlines()[0][:120]})")
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError,
                RuntimeError, OSError) as e:
            raise NoticeError(name, f"not {a} {kind} file: entry {info.filename} is damaged "
                                    f"({type(e).__name__}: {str(e)[:120]})") from None
    return zf
