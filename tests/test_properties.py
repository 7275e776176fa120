"""Property-based tests (hypothesis): mutated notices — bytes flipped, cut, repeated, inserted; lines
shuffled, dropped, duplicated — given to the reader either give a notice or raise the project's own
error (GovtasksError), never anything else. Deterministic (derandomize) and small, so the suite stays
fast; each example is a real read: sniffing, decoding (the bounded worker for HTML and DOCX), parsing.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.errors import GovtasksError
from extract.model import ParsedNotice, Source
from extract.parse import parse_notice
from extract.read import read_bytes
from tests import extract_renditions as R

SMALL = "\n".join(R.bundled_text().split("\n")[:60]).encode("utf-8")  # the header and the first tasks
HTML = R.html_table()
DOCX = R.docx_table()
SETTINGS = settings(max_examples=40, derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def byte_mutations(draw: st.DrawFn, data: bytes) -> bytes:
    """`data` with a few byte-level edits."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "repeat", "truncate"]))
        at = draw(st.integers(0, max(0, len(out) - 1)))
        if kind == "flip" and out:
            out[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del out[at:at + draw(st.integers(1, 200))]
        elif kind == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=40))
        elif kind == "repeat":
            out[at:at] = out[at:at + draw(st.integers(1, 300))] * draw(st.integers(2, 5))
        else:
            del out[at:]
    return bytes(out)


@st.composite
def line_mutations(draw: st.DrawFn) -> bytes:
    """The small notice with its lines dropped, duplicated, swapped or joined."""
    lines = SMALL.decode("utf-8").split("\n")
    for _ in range(draw(st.integers(1, 5))):
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["drop", "dup", "swap", "join", "blank"]))
        if kind == "drop" and len(lines) > 1:
            del lines[i]
        elif kind == "dup":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "join" and i + 1 < len(lines):
            lines[i:i + 2] = [lines[i] + lines[i + 1]]
        else:
            lines[i] = ""
    return "\n".join(lines).encode("utf-8")


def read_or_refuse(data: bytes, name: str) -> ParsedNotice | None:
    """The notice in `data`, or None when it is refused with a GovtasksError (anything else fails)."""
    try:
        lines, form, encoding = read_bytes(data, name)
        return parse_notice(lines, Source(name, "0" * 64, form, encoding))
    except GovtasksError as e:
        assert "\n" not in str(e).split(": ", 1)[0]  # the file and line part stays on one line
        return None


@SETTINGS
@given(byte_mutations(SMALL))
def test_mutated_text_bytes_give_a_notice_or_our_error(data: bytes) -> None:
    n = read_or_refuse(data, "m.txt")
    assert n is None or all(t.task_no >= 0 and t.line >= 1 for t in n.tasks)


@SETTINGS
@given(line_mutations())
def test_mutated_lines_give_a_notice_or_our_error(data: bytes) -> None:
    n = read_or_refuse(data, "m.txt")
    assert n is None or isinstance(n, ParsedNotice)


@settings(SETTINGS, max_examples=15)
@given(byte_mutations(HTML))
def test_mutated_html_gives_a_notice_or_our_error(data: bytes) -> None:
    read_or_refuse(data, "m.html")


@settings(SETTINGS, max_examples=15)
@given(byte_mutations(DOCX))
def test_mutated_docx_gives_a_notice_or_our_error(data: bytes) -> None:
    read_or_refuse(data, "m.docx")


def test_the_unmutated_inputs_are_read() -> None:
    for data, name in ((SMALL, "s.txt"), (HTML, "h.html"), (DOCX, "d.docx")):
        n = read_or_refuse(data, name)
        assert n is not None and n.tasks[0].text == "地区生产总值增长6.5%以上。", name
