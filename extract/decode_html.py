"""An HTML page as government sites publish it → the notice's lines.

Finds the article (the element whose block children hold the most text), ignores navigation,
headers, footers, scripts and forms, and reads tables as rows of cells (rowspan and colspan
repeated into every grid position they cover). The page title (<h1> or <title>) is put first when
the article does not carry it. No entity or DTD processing happens: an HTML parser does not expand
custom entities, and the page size is capped before parsing.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from extract.decode import check_not_binary, decode_bytes
from extract.errors import NoticeError
from extract.header import is_title_line
from extract.limits import MAX_HTML_BYTES
from extract.model import Line
from extract.page_meta import is_page_line
from extract.textnorm import fold, strip_line

_DROP = "script, style, noscript, nav, header, footer, aside, form, iframe, select, button, svg, object"
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "center",
           "blockquote", "pre", "dd", "dt", "ul", "ol", "dl", "tr", "font", "span", "td", "th", "tbody"}
_BREAK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "center",
               "blockquote", "pre", "dd", "dt", "ul", "ol", "dl", "br", "hr", "tr"}
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_NAV_RE = re.compile(r"nav|menu|footer|header|breadcrumb|crumb|share|sidebar|links|banner|copyright", re.I)
_WS_RE = re.compile(r"[ \t\r\n\f]+")


def _text(node: LexborNode) -> str:
    return _WS_RE.sub(" ", node.text(deep=True, separator="")).strip()


def _score(node: LexborNode) -> int:
    """Text held by the node's own block children and text nodes (not deeper descendants)."""
    total = 0
    for child in node.iter(include_text=True):
        if child.tag == "-text":
            total += len(strip_line(child.text_content or ""))
        elif child.tag in ("p", "table", "br", "span", "font", "h1", "h2", "h3", "h4", "h5", "h6"):
            total += len(_text(child)) if child.tag != "br" else 0
    return total


def _grid(table: LexborNode) -> list[list[str]]:
    """Rows of a table with rowspan/colspan cells repeated into each grid position."""
    rows: list[list[str]] = []
    pending: dict[tuple[int, int], str] = {}
    trs = [tr for tr in table.css("tr")
           if (owner := _owner_table(tr)) is not None and owner.mem_id == table.mem_id]
    for r, tr in enumerate(trs):
        row: list[str] = []
        c = 0
        for cell in (ch for ch in tr.iter() if ch.tag in ("td", "th")):
            while (r, c) in pending:
                row.append(pending.pop((r, c)))
                c += 1
            text = " ".join(_lines_of(cell)).replace("\t", " ")
            span_c = _span(cell, "colspan")
            span_r = _span(cell, "rowspan")
            for dc in range(span_c):
                row.append(text)
                for dr in range(1, span_r):
                    pending[(r + dr, c + dc)] = text
            c += span_c
        while (r, c) in pending:
            row.append(pending.pop((r, c)))
            c += 1
        rows.append(row)
    return rows


def _span(cell: LexborNode, attr: str) -> int:
    try:
        return max(1, min(int((cell.attributes.get(attr) or "1").strip()), 50))
    except ValueError:
        return 1


def _owner_table(node: LexborNode) -> LexborNode | None:
    p = node.parent
    while p is not None and p.tag != "table":
        p = p.parent
    return p


def _collect(node: LexborNode, out: list[tuple[str, list[str] | None]], tables: bool) -> None:
    """Text lines of `node` in document order, a new line at each block element and <br>; with `tables`,
    each innermost table as rows of cells and table cells as blocks."""
    buf: list[str] = []

    def flush() -> None:
        s = strip_line(_WS_RE.sub(" ", "".join(buf)))
        if s:
            out.append((s, None))
        buf.clear()

    def walk(n: LexborNode) -> None:
        for ch in n.iter(include_text=True):
            if ch.tag == "-text":
                buf.append(ch.text_content or "")
            elif tables and ch.tag == "table" and len(ch.css("table")) == 1:  # css() includes the node
                flush()
                for row in _grid(ch):
                    cells = [strip_line(c) for c in row]
                    if any(cells):
                        out.append(("\t".join(cells), cells))
            elif ch.tag in _BREAK_TAGS or (tables and ch.tag in ("table", "td", "th")):
                flush()
                if ch.tag not in ("br", "hr"):
                    walk(ch)
                    flush()
            else:
                walk(ch)

    walk(node)
    flush()


def _lines_of(node: LexborNode) -> list[str]:
    """Text lines of a node (a table cell)."""
    out: list[tuple[str, list[str] | None]] = []
    _collect(node, out, tables=False)
    return [text for text, _ in out]


def _article(body: LexborNode) -> LexborNode:
    best, best_score = body, _score(body)
    for node in body.css("div, article, section, td, main, center"):
        if _NAV_RE.search((node.attributes.get("class") or "") + " " + (node.attributes.get("id") or "")):
            continue
        s = _score(node)
        if s > best_score:
            best, best_score = node, s
    return best


def _page_rows(body: LexborNode, article: list[tuple[str, list[str] | None]]) -> list[tuple[str, list[str] | None]]:
    """The portal's metadata lines outside the article (索引号, 发布机构, 发布日期 … blocks), as plain
    lines to put before it: header facts of the page (extract/page_meta.py)."""
    inside = {t for t, _ in article}
    everything: list[tuple[str, list[str] | None]] = []
    _collect(body, everything, tables=True)
    return [(t, None) for t, _ in everything if t not in inside and is_page_line(t)]


def decode_html(data: bytes, name: str) -> tuple[list[Line], str]:
    """The article of an HTML page as lines (table rows with their cells) and the page's encoding."""
    if len(data) > MAX_HTML_BYTES:
        raise NoticeError(name, f"the HTML page is larger than {MAX_HTML_BYTES // (1024 * 1024)} MB")
    head = data[:4096]
    if b"<!ENTITY" in data[:65536].upper():
        raise NoticeError(name, "the page declares entities (<!ENTITY>): refused, entities are not expanded")
    declared = m.group(1).decode("ascii", "replace") if (m := _CHARSET_RE.search(head)) else None
    text, encoding = decode_bytes(data, name, declared)
    check_not_binary(text, name)
    tree = LexborHTMLParser(text)
    for node in tree.css(_DROP):
        node.decompose()
    for node in tree.css("[class], [id]"):
        label = (node.attributes.get("class") or "") + " " + (node.attributes.get("id") or "")
        if node.tag in ("div", "ul", "section", "table") and _NAV_RE.search(label) and _score(node) < 2000:
            node.decompose()
    body = tree.body
    if body is None:
        raise NoticeError(name, "an HTML page with no body: no notice in it")
    article = _article(body)
    rows: list[tuple[str, list[str] | None]] = []
    _collect(article, rows, tables=True)
    rows = _page_rows(body, rows) + rows
    if not any(is_title_line(fold(t)) for t, cells in rows[:40] if cells is None):
        title_node = tree.css_first("h1") or tree.css_first("title")
        if title_node is not None:
            title = re.split(r"[_|]| - ", _text(title_node))[0].strip()
            if is_title_line(fold(title)):
                rows.insert(0, (title, None))
    if not rows:
        raise NoticeError(name, "an HTML page with no text in it: no notice")
    return [Line(i, t, cells) for i, (t, cells) in enumerate(rows, 1)], encoding
