"""Bytes of one form (txt, html, docx, xlsx, xls, pdf) → lines and the text encoding (txt and html).

The plain dispatch; extract/read.py runs it in process for text and in the bounded worker
(extract/decode_worker.py) for everything a native library decodes. Imported by the worker's fork
server, so it imports every decoder.
"""

from __future__ import annotations

from extract.decode import decode_text
from extract.decode_docx import decode_docx
from extract.decode_html import decode_html
from extract.decode_pdf import decode_pdf
from extract.decode_sheet import decode_sheet
from extract.model import Line


def decode_form(data: bytes, name: str, form: str) -> tuple[list[Line], str | None]:
    if form == "pdf":
        return decode_pdf(data, name), None
    if form == "docx":
        return decode_docx(data, name), None
    if form in ("xlsx", "xls"):
        return decode_sheet(data, name, form), None
    if form == "html":
        return decode_html(data, name)
    return decode_text(data, name)
