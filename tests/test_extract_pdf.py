"""PDF with a text layer: the bundled notice typeset by reportlab (built-in CID font STSong-Light),
read back by pdfplumber, gives the same tasks; a PDF without text is refused."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from extract.errors import NoticeError
from extract.read import read_notice
from extract.snapshot import snapshot_local
from extract.textnorm import fold
from tests import extract_renditions as R

WRAP = 36  # characters per printed line: long lines wrap as they do on paper


def _pdf(lines: list[str]) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    y, page = 800, 1
    for line in lines:
        for k in range(0, max(1, len(line)), WRAP):
            if y < 60:
                c.setFont("STSong-Light", 9)
                c.drawString(290, 30, f"- {page} -")  # a page number, dropped by the reader
                c.showPage()
                y, page = 800, page + 1
            c.setFont("STSong-Light", 12)
            c.drawString(40, y, line[k:k + WRAP])
            y -= 18
    c.save()
    return buf.getvalue()


def test_pdf_of_the_bundled_notice_gives_the_same_tasks(tmp_path: Path) -> None:
    ref = R.reference()
    path = tmp_path / "notice.pdf"
    path.write_bytes(_pdf(R.bundled_text().split("\n")))
    n = read_notice(snapshot_local(path))
    assert n.source.form == "pdf" and n.source.encoding is None
    assert [(t.task_no, t.chapter_no, t.subchapter_no) for t in n.tasks] == \
        [(t.task_no, t.chapter_no, t.subchapter_no) for t in ref.tasks]
    assert [fold(t.text) for t in n.tasks] == [fold(t.text) for t in ref.tasks]
    assert [(t.lead_leaders, t.lead_units, t.other_units) for t in n.tasks] == \
        [(t.lead_leaders, t.lead_units, t.other_units) for t in ref.tasks]
    assert (n.header.jurisdiction, n.header.year, n.header.issued_on) == ("海城市", 2023, "2023-03-17")


def test_pdf_without_a_text_layer_is_refused(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.rect(100, 100, 200, 200, fill=1)  # a "scan": shapes, no text
    c.save()
    path = tmp_path / "scan.pdf"
    path.write_bytes(buf.getvalue())
    with pytest.raises(NoticeError, match="no text layer"):
        read_notice(snapshot_local(path))
