"""What a snapshot's bytes are: txt, html, docx or pdf, by their content (never the file extension)."""

from __future__ import annotations

import re

_HTML_RE = re.compile(rb"<\s*(!doctype\s+html|html|head|body|meta|div|p|table|title)[\s>/]", re.I)
EXTENSIONS = {"txt": "txt", "html": "html", "docx": "docx", "pdf": "pdf", "zip": "zip", "binary": "bin"}


def sniff(data: bytes) -> str:
    """txt | html | docx | pdf | zip (a zip that is not a DOCX) | binary (other known binary kinds)."""
    head = data[:2048]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "docx" if b"word/" in data[:65536] or b"[Content_Types].xml" in data[:65536] else "zip"
    if head.startswith((b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!",
                        b"7z\xbc\xaf")):
        return "binary"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if _HTML_RE.search(stripped[:1024]) and stripped.startswith(b"<"):
        return "html"
    return "txt"
