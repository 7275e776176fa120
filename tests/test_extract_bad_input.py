"""Bad and hostile input ends in a NoticeError naming the file, the line and the problem."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from extract.errors import NoticeError
from extract.read import read_notice
from extract.snapshot import snapshot_local, take_snapshot
from tests import extract_renditions as R

FIX = Path(__file__).parent / "fixtures" / "extract"


def refused(path: Path) -> NoticeError:
    with pytest.raises(NoticeError) as e:
        read_notice(snapshot_local(path))
    return e.value


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("data", [b"", b"\r\n\r\n  \n", b"\xef\xbb\xbf"])
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    e = refused(write(tmp_path, "empty.txt", data))
    assert str(e).startswith("empty.txt: ") and "empty" in e.problem


def test_binary_data(tmp_path: Path) -> None:
    e = refused(write(tmp_path, "notice.txt", bytes(range(256)) * 20))
    assert e.source == "notice.txt" and ("binary" in e.problem or "not a text file" in e.problem)
    png = refused(write(tmp_path, "notice2.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100))
    assert "binary" in png.problem


def test_mojibake_utf8_read_as_gbk(tmp_path: Path) -> None:
    garbled = R.bundled_text().encode("utf-8").decode("gb18030", errors="replace").encode("utf-8")
    e = refused(write(tmp_path, "repost.txt", garbled))
    assert "mojibake" in e.problem and e.line == 1


def test_mojibake_in_one_line_names_that_line(tmp_path: Path) -> None:
    lines = R.bundled_text().split("\n")
    lines[40] = "锟斤拷锟斤拷" + lines[40]
    e = refused(write(tmp_path, "repost.txt", "\n".join(lines).encode("utf-8")))
    assert "mojibake" in e.problem and e.line == 41
    assert str(e).startswith("repost.txt:41: mojibake")


def test_mojibake_latin1(tmp_path: Path) -> None:
    garbled = R.bundled_text().encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
    assert "mojibake" in refused(write(tmp_path, "r.txt", garbled)).problem


def test_html_page_with_no_notice() -> None:
    e = refused(FIX / "empty_notice.html")
    assert str(e).startswith("empty_notice.html:1: no tasks found")


def test_notice_without_responsibilities_names_the_first_task_line() -> None:
    e = refused(FIX / "no_responsibility.txt")
    assert (e.line, e.source) == (3, "no_responsibility.txt") and "no responsibilities" in e.problem


def test_notice_without_tasks(tmp_path: Path) -> None:
    text = "海城市2023年政府工作报告任务分解方案\n一、经济目标\n(一)稳增长\n".encode()
    e = refused(write(tmp_path, "n.txt", text))
    assert "no tasks" in e.problem and e.line == 2


def test_docx_that_is_not_a_zip(tmp_path: Path) -> None:
    e = refused(write(tmp_path, "plan.docx", b"PK\x03\x04word/" + b"\x00garbage" * 50))
    assert "not a DOCX" in e.problem or "not a valid zip" in e.problem


def test_zip_that_is_not_a_docx(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "hello")
    assert "zip" in refused(write(tmp_path, "a.docx", buf.getvalue())).problem


def test_docx_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<w:document>" + b" " * (120 * 1024 * 1024) + b"</w:document>")
    e = refused(write(tmp_path, "bomb.docx", buf.getvalue()))
    assert "refused" in e.problem and "MB" in e.problem


def test_docx_with_entity_expansion_is_refused(tmp_path: Path) -> None:
    good = R.docx_table()
    src = zipfile.ZipFile(io.BytesIO(good))
    buf = io.BytesIO()
    lol = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = lol + data.split(b"?>", 1)[1]
            zf.writestr(info, data)
    e = refused(write(tmp_path, "lol.docx", buf.getvalue()))
    assert "DOCTYPE" in e.problem


def test_html_with_entity_declarations_is_refused(tmp_path: Path) -> None:
    page = (b'<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            b"<html><body><p>&b;&b;</p></body></html>")
    assert "entit" in refused(write(tmp_path, "p.html", page)).problem


def test_oversized_html_is_refused(tmp_path: Path) -> None:
    page = b"<html><body>" + b"<p>x</p>" * (11 * 1024 * 1024 // 8) + b"</body></html>"
    assert "larger than" in refused(write(tmp_path, "big.html", page)).problem


def test_pdf_that_is_damaged(tmp_path: Path) -> None:
    assert "PDF" in refused(write(tmp_path, "x.pdf", b"%PDF-1.4\n" + b"\x00junk" * 100)).problem


def test_other_url_schemes_are_refused(tmp_path: Path) -> None:
    with pytest.raises(NoticeError, match="only http and https"):
        take_snapshot("ftp://example.org/notice.txt", tmp_path)
    with pytest.raises(NoticeError, match="no such file"):
        take_snapshot(str(tmp_path / "missing.txt"), tmp_path)
