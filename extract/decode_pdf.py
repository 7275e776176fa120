"""A PDF with a text layer → the notice's lines (pdfplumber), without page-number lines.

Scanned PDFs (no text layer) are refused: OCR is not done. Pages are capped.
"""

from __future__ import annotations

import io
import re

import pdfplumber

from extract.errors import NoticeError
from extract.limits import MAX_PDF_PAGES
from extract.model import Line

_PAGE_NO_RE = re.compile(r"^[-—–\s]*\d{1,4}[-—–\s]*$|^第\s*\d+\s*页")


def decode_pdf(data: bytes, name: str) -> list[Line]:
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as e:  # pdfminer raises many kinds on a damaged file
        raise NoticeError(name, f"not a readable PDF file ({type(e).__name__})") from None
    with pdf:
        if len(pdf.pages) > MAX_PDF_PAGES:
            raise NoticeError(name, f"PDF refused: {len(pdf.pages)} pages (limit {MAX_PDF_PAGES})")
        texts: list[str] = []
        try:
            for page in pdf.pages:
                texts.extend((page.extract_text() or "").split("\n"))
        except Exception as e:
            raise NoticeError(name, f"not a readable PDF file ({type(e).__name__})") from None
    lines = [t for t in texts if not _PAGE_NO_RE.match(t)]
    if not any(t.strip() for t in lines):
        raise NoticeError(name, "the PDF has no text layer (a scan?); OCR is not supported")
    return [Line(i, t) for i, t in enumerate(lines, 1)]
