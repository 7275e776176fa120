"""The bundled notice converted into other forms and layouts gives identical task, leader and unit data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from extract.model import ParsedNotice
from extract.read import read_notice
from extract.snapshot import snapshot_local
from tests import extract_renditions as R
from transform.registry_load import load_registry
from transform.tables import build_tables

RENDITIONS: dict[str, tuple[Callable[[], bytes], str, str, str | None]] = {
    # name: (builder, form, layout, encoding)
    "fullwidth_crlf.txt": (R.fullwidth_crlf, "txt", "labels", "utf-8"),
    "gb18030.txt": (R.gb18030, "txt", "labels", "gb18030"),
    "inline.txt": (R.inline, "txt", "inline", "utf-8"),
    "table.html": (R.html_table, "html", "table", "utf-8"),
    "table.docx": (R.docx_table, "docx", "table", None),
    "cells.txt": (R.cells_text, "txt", "table", "utf-8"),
    "table.xlsx": (R.xlsx_table, "xlsx", "table", None),
}


@pytest.fixture(scope="module")
def reference() -> ParsedNotice:
    return read_notice(snapshot_local(R.BUNDLED))


@pytest.fixture(scope="module")
def reference_tables(reference: ParsedNotice) -> dict[str, pd.DataFrame]:
    return build_tables([reference], load_registry())


def _read(tmp_path: Path, name: str) -> ParsedNotice:
    builder = RENDITIONS[name][0]
    # Names without the form's extension: the form is sniffed from the bytes, never the extension.
    path = tmp_path / name.replace(".", "_")
    path.write_bytes(builder())
    return read_notice(snapshot_local(path))


def test_reference_parses_as_before(reference: ParsedNotice) -> None:
    assert len(reference.tasks) == 102
    assert sum(s.subchapter_no is None for s in reference.sections) == 11
    assert sum(s.subchapter_no is not None for s in reference.sections) == 33
    assert reference.tasks[20].task_no == 21
    assert reference.tasks[20].lead_leaders == "王威、刘兴达、夏应"
    assert (reference.layout, reference.numbering, reference.script) == ("labels", "continuous", "simplified")


@pytest.mark.parametrize("name", sorted(RENDITIONS))
def test_rendition_gives_the_same_tasks(tmp_path: Path, name: str, reference: ParsedNotice,
                                        reference_tables: dict[str, pd.DataFrame]) -> None:
    _, form, layout, encoding = RENDITIONS[name]
    n = _read(tmp_path, name)
    assert (n.source.form, n.layout, n.source.encoding) == (form, layout, encoding)
    R.assert_same_data(n, reference, reference_tables)


def test_fullwidth_rendition_keeps_its_punctuation(tmp_path: Path) -> None:
    n = _read(tmp_path, "fullwidth_crlf.txt")
    assert n.punctuation == "fullwidth"
    assert n.tasks[6].text.endswith("。") and "，" in n.tasks[7].text  # published as printed, not folded
    assert n.tasks[0].line == 2 * 8 - 1  # line 8 of the original, with a blank line before every line


def test_docx_decoding_keeps_body_order_and_merged_rows() -> None:
    from extract.decode_docx import decode_docx

    lines = decode_docx(R.docx_table(), "t.docx")
    rows = [ln for ln in lines if ln.cells]
    assert rows[0].cells == R.HEADINGS
    assert rows[1].cells == ["一、经济社会发展主要目标"] * 5  # a merged chapter row, repeated per column
    assert lines.index(rows[0]) > 0 and lines[0].cells is None  # header paragraphs come first
