"""Spreadsheet attachments (XLSX, XLS) and telling Office files apart by their bytes."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from extract.decode_sheet import cell_text, decode_sheet
from extract.errors import NoticeError
from extract.read import read_notice
from extract.snapshot import snapshot_local
from extract.sniff import OLE2_MAGIC, sniff
from tests import extract_renditions as R


def _read(tmp_path: Path, name: str, data: bytes):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_bytes(data)
    return read_notice(snapshot_local(path))


def _ole(stream: str) -> bytes:
    """An OLE2 compound file's first sectors, holding a directory entry named `stream`."""
    return OLE2_MAGIC + b"\x00" * 504 + stream.encode("utf-16-le") + b"\x00" * 1024


def test_office_files_are_told_apart_by_their_bytes() -> None:
    assert sniff(R.docx_table()) == "docx"
    assert sniff(R.xlsx_table()) == "xlsx"
    assert sniff(_ole("Workbook")) == "xls"
    assert sniff(_ole("WordDocument")) == "doc"
    assert sniff(_ole("PowerPoint Document")) == "binary"


def test_old_word_doc_is_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(NoticeError) as e:
        _read(tmp_path, "plan.xls", _ole("WordDocument"))  # the extension does not matter
    assert "old Word .doc" in e.value.problem and "DOCX" in e.value.problem


def test_damaged_xls_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NoticeError) as e:
        _read(tmp_path, "plan.xls", _ole("Workbook"))
    assert e.value.problem.startswith("not a readable XLS file")


def test_xlsx_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<worksheet>" + b" " * (120 * 1024 * 1024) + b"</worksheet>")
    with pytest.raises(NoticeError) as e:
        _read(tmp_path, "bomb", buf.getvalue())
    assert e.value.problem == "XLSX refused: it expands to 120 MB (limit 100 MB)"


def test_merged_cells_fill_their_range_and_a_task_over_rows_is_one_task(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["清河县2024年重点任务分解方案"])
    ws.append(["序号", "重点任务", "牵头单位", "责任单位", "完成时限"])
    ws.append(["一、稳住经济大盘"])
    ws.merge_cells("A3:E3")
    ws.append([1, "新建改建农村公路50公里。", "县交通运输局", "县财政局", "2024年底"])
    ws.append([None, None, None, "各乡镇"])  # the same task: 序号 and text merged over two rows
    ws.merge_cells("A4:A5")
    ws.merge_cells("B4:B5")
    ws.merge_cells("C4:C5")
    ws.append([2.0, "推进县城供热管网改造。", "县住房和城乡建设局", None, None])
    ws.append(["附件:任务台账"])
    buf = io.BytesIO()
    wb.save(buf)

    lines = decode_sheet(buf.getvalue(), "t.xlsx", "xlsx")
    assert lines[0].cells is None and lines[-1].cells is None  # the title, and the 附件 line under the table
    assert lines[2].cells == ["一、稳住经济大盘"] * 5  # a merged chapter row, repeated per column as in DOCX
    assert lines[3].cells == ["1", "新建改建农村公路50公里。", "县交通运输局", "县财政局", "2024年底"]
    assert lines[4].cells == ["1", "新建改建农村公路50公里。", "县交通运输局", "各乡镇", ""]

    n = _read(tmp_path, "plan", buf.getvalue())
    assert (n.source.form, n.layout, n.header.jurisdiction) == ("xlsx", "table", "清河县")
    assert [(t.task_no, t.chapter_no, t.lead_units, t.other_units, t.deadline) for t in n.tasks] == [
        (1, 1, "县交通运输局", "县财政局、各乡镇", "2024年底"),
        (2, 1, "县住房和城乡建设局", None, None),
    ]


def test_cell_values_as_text() -> None:
    import datetime as dt

    assert cell_text(12.0) == "12" and cell_text(6.5) == "6.5"
    assert cell_text(dt.datetime(2024, 12, 31)) == "2024-12-31"
    assert cell_text("市财政局\n市税务局") == "市财政局市税务局"  # like a DOCX cell's paragraphs
