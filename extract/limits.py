"""Bounds on what a notice may cost to read: sizes, counts and times. Hostile input is refused here."""

from __future__ import annotations

MAX_SOURCE_BYTES = 20 * 1024 * 1024  # any snapshot, any form
MAX_HTML_BYTES = 10 * 1024 * 1024
MAX_DOCX_ENTRIES = 2000
MAX_DOCX_UNCOMPRESSED = 100 * 1024 * 1024  # sum of the zip directory's uncompressed sizes
MAX_DOCX_RATIO = 200  # uncompressed / compressed, per entry
MAX_PDF_PAGES = 500
FETCH_CONNECT_TIMEOUT = 10.0  # seconds
FETCH_READ_TIMEOUT = 30.0
FETCH_TOTAL_SECONDS = 120.0  # a whole download, however slowly it streams
FETCH_MAX_REDIRECTS = 5
FETCH_ATTEMPTS = 3
FETCH_BACKOFF_SECONDS = 0.5
MAX_SHEET_CELLS = 2_000_000  # rows × columns of all sheets of a workbook (XLSX, XLS)
