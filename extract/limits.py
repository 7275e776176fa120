"""Bounds on what a notice may cost to read: sizes, counts and times. Hostile input is refused here.

Every limit is listed in the README ("Security notes"); a refusal is a one-line error naming the file.
"""

from __future__ import annotations

MAX_SOURCE_BYTES = 20 * 1024 * 1024  # any snapshot, any form (checked with stat before reading)
MAX_HTML_BYTES = 10 * 1024 * 1024
MAX_LINE_CHARS = 100_000  # one decoded line (a table row included)
MAX_DOCX_ENTRIES = 2000
MAX_DOCX_UNCOMPRESSED = 100 * 1024 * 1024  # all entries of an Office package, counted while inflating them
MAX_DOCX_RATIO = 200  # uncompressed / compressed, per entry
MAX_XML_ELEMENTS = 1_000_000  # XML elements in all parts of an Office package
MAX_PDF_PAGES = 500
MAX_SHEET_CELLS = 2_000_000  # rows × columns of all sheets of a workbook (XLSX, XLS)
MAX_SHEET_ROWS = 1_048_576  # Excel's own bounds: a cell reference beyond them is refused
MAX_SHEET_COLUMNS = 16_384
MAX_TASKS = 20_000  # numbered tasks in one notice
DECODE_MEMORY_BYTES = 1024 * 1024 * 1024  # address space of the decoding worker (extract/decode_worker.py)
DECODE_CPU_SECONDS = 300  # CPU time of one decode in the worker
DECODE_WALL_SECONDS = 900.0  # one decode, waited for at most (the machine may be busy)
FETCH_CONNECT_TIMEOUT = 10.0  # seconds
FETCH_READ_TIMEOUT = 30.0
FETCH_TOTAL_SECONDS = 120.0  # one deadline for a whole fetch: connect, headers, body, redirects, retries
FETCH_MAX_REDIRECTS = 5
FETCH_ATTEMPTS = 3
FETCH_BACKOFF_SECONDS = 0.5
MAX_MESSAGES = 10  # repeated messages of one kind shown before "… and N more"
