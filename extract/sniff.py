"""What a snapshot's bytes are: txt, html, docx, xlsx, xls, pdf…, by their content (never the file extension)."""

from __future__ import annotations

import io
import re
import zipfile

_HTML_RE = re.compile(rb"<\s*(!doctype\s+html|html|head|body|meta|div|p|table|title)[\s>/]", re.I)
EXTENSIONS = {"txt": "txt", "html": "html", "docx": "docx", "xlsx": "xlsx", "xls": "xls", "pdf": "pdf",
              "zip": "zip", "doc": "doc", "binary": "bin"}
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Stream names in an OLE2 compound file's directory (UTF-16LE): a workbook (.xls) or a Word document (.doc).
_OLE_WORKBOOK = ("Workbook".encode("utf-16-le"), "Book\x00".encode("utf-16-le"))
_OLE_WORD = "WordDocument".encode("utf-16-le")


def _zip_kind(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())  # reads the directory only
    except (zipfile.BadZipFile, ValueError, OSError):
        names = set()
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if names:
        return "zip"
    # A damaged zip: the local headers' names, so the decoder can say what is wrong with it.
    head = data[:65536]
    if b"xl/" in head:
        return "xlsx"
    return "docx" if b"word/" in head or b"[Content_Types].xml" in head else "zip"


def _ole_kind(data: bytes) -> str:
    if _OLE_WORD in data:
        return "doc"
    if any(name in data for name in _OLE_WORKBOOK):
        return "xls"
    return "binary"


def sniff(data: bytes) -> str:
    """txt | html | docx | xlsx | xls | pdf | zip (another zip) | doc (old Word) | binary (other known kinds)."""
    head = data[:2048]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(data)
    if head.startswith(OLE2_MAGIC):
        return _ole_kind(data)
    if head.startswith((b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!",
                        b"7z\xbc\xaf")):
        return "binary"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if _HTML_RE.search(stripped[:1024]) and stripped.startswith(b"<"):
        return "html"
    return "txt"
