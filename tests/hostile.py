"""A generated hostile corpus: each file is made here, from the bundled notice or a few bytes of
invented text, so no big or binary file is committed. Each builder says what the file attacks."""

from __future__ import annotations

import io
import os
import re
import zipfile

from tests import extract_renditions as R


def _rezip(data: bytes, edit: dict[str, bytes | None], extra: dict[str, bytes] | None = None) -> bytes:
    """The zip package `data` with parts replaced (None: removed) and `extra` parts added."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            new = edit.get(info.filename, src.read(info))
            if new is not None:
                zf.writestr(info, new)
        for part, content in (extra or {}).items():
            zf.writestr(part, content)
    return buf.getvalue()


def xlsx_with_far_cell(ref: str) -> bytes:
    """The XLSX rendition with one more cell at `ref` (e.g. XFD1048576, Excel's last cell): calamine
    allocates the whole rectangle up to it. The sheet's <dimension> is left out, as a writer may."""
    col, row = re.fullmatch(r"([A-Z]+)(\d+)", ref).groups()  # type: ignore[union-attr]
    data = R.xlsx_table()
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    sheet = re.sub(rb"<dimension [^>]*/>", b"", sheet)
    cell = f'<row r="{row}"><c r="{col}{row}" t="inlineStr"><is><t>x</t></is></c></row>'.encode()
    return _rezip(data, {"xl/worksheets/sheet1.xml": sheet.replace(b"</sheetData>", cell + b"</sheetData>")})


def xlsx_with_dimension(ref: str) -> bytes:
    """The XLSX rendition whose sheet declares <dimension ref=…> far beyond its cells."""
    data = R.xlsx_table()
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    sheet = re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>'.encode(), sheet)
    return _rezip(data, {"xl/worksheets/sheet1.xml": sheet})


def docx_with_many_elements(n: int) -> bytes:
    """The DOCX rendition with `n` empty paragraphs (distinct ids, so the zip ratio stays ordinary):
    a few MB that python-docx would turn into a tree of millions of objects."""
    data = R.docx_table()
    doc = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    ids = os.urandom(4 * n).hex()
    paras = "".join(f'<w:p w:rsidR="{ids[8 * i:8 * i + 8]}"/>' for i in range(n)).encode()
    return _rezip(data, {"word/document.xml": doc.replace(b"</w:body>", paras + b"</w:body>")})


def docx_with_late_entity() -> bytes:
    """The DOCX rendition whose document.xml declares an internal entity after a 5 KB comment (past a
    4 KB sniff), and uses it in the title: text after an unexpanded entity would silently vanish."""
    data = R.docx_table()
    doc = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    decl, body = doc.split(b"?>", 1)
    prolog = (decl + b"?><!--" + b" " * 5000 + b'--><!DOCTYPE w:document [<!ENTITY city "\xe6\xb5\xb7\xe5\x9f\x8e">]>')
    body = body.replace("海城市关于".encode(), "&city;市关于".encode(), 1)
    return _rezip(data, {"word/document.xml": prolog + body})


def one_line_text(size: int) -> bytes:
    """A text 'notice' of one line of `size` bytes."""
    return ("海城市" * (size // 9 + 1)).encode("utf-8")[:size - size % 3]


def mixed_encoding(line: int) -> bytes:
    """The bundled notice in UTF-8 with line `line` in GB18030 (pasted from another file)."""
    lines = R.bundled_text().split("\n")
    out = [ln.encode("utf-8") for ln in lines]
    out[line - 1] = lines[line - 1].encode("gb18030")
    return b"\n".join(out)


def many_tasks(n: int, first: int = 1, unknown: bool = False) -> bytes:
    """An invented notice in the label layout with tasks numbered first … first+n-1; with `unknown`,
    each task's lead unit is a name no registry knows."""
    head = ("示例县人民政府\n2024年3月1日\n示例县贯彻落实2024年政府工作报告重点任务分解方案\n"
            "一、经济社会发展主要目标\n")
    tasks = "".join(f"{i}.推进第{i}项重点工作。\n牵头领导:张三\n"
                    f"牵头单位:{f'某某{i}号工作专班' if unknown else '县发展和改革局'}\n责任单位:县财政局\n"
                    for i in range(first, first + n))
    return (head + tasks).encode("utf-8")
