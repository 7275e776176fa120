"""A manifest: one file listing the notices of a release, across jurisdictions and years.

CSV (a header row) or YAML (a list of mappings, or a mapping with a `notices:` list), with fields

    jurisdiction  e.g. 海城市 (or 海城, 鞍山市海城市, 210381); a place of the gazetteer
                  (extract/divisions.csv), written as its full name; overrides what the notice's header says
    year          e.g. 2024; overrides what the notice's header says
    source        a path relative to the manifest's folder, an absolute path, or an http(s) URL
    sha256        optional: the expected SHA-256 of the source's bytes; checked after the snapshot
    replaces      optional: the `source` (as written) of another entry of the same jurisdiction and
                  year that this one replaces (a corrected re-issue); the replaced entry is left out

A CSV manifest is UTF-8 (Excel's "CSV UTF-8", byte order mark and all, is fine); its header names
only these columns, each once; every row has exactly the header's number of fields (a value holding a
comma is in double quotes); blank rows and rows whose first field starts with `#` are skipped.

Two entries of the same jurisdiction and year are an error unless one replaces the other. Every
problem is a NoticeError naming the manifest file and line.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from extract.divisions import DivisionError, resolve
from extract.errors import NoticeError
from extract.snapshot import is_url
from extract.urls import redact

MANIFEST_SUFFIXES = (".csv", ".yaml", ".yml")
FIELDS = ("jurisdiction", "year", "source", "sha256", "replaces")
REQUIRED = ("jurisdiction", "year", "source")
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Entry:
    """One notice of a manifest."""

    jurisdiction: str
    year: int
    source: str  # resolved: an absolute path or a URL
    written: str  # the source as the manifest writes it
    sha256: str | None
    replaces: str | None
    manifest: str  # the manifest's file name, for messages
    line: int  # line of the entry in the manifest

    @property
    def where(self) -> str:
        return f"{self.manifest}:{self.line}"


@dataclass(frozen=True)
class Planned:
    """A source of the release; `entry` when it came from a manifest."""

    source: str
    entry: Entry | None = None

    @property
    def jurisdiction(self) -> str | None:
        return self.entry.jurisdiction if self.entry else None

    @property
    def year(self) -> int | None:
        return self.entry.year if self.entry else None


def is_manifest(source: str) -> bool:
    """A local file ending in .csv, .yaml or .yml: notices never come in those forms."""
    return not is_url(source) and Path(source).suffix.lower() in MANIFEST_SUFFIXES


def _fields(n: int) -> str:
    return f"{n} field" + ("" if n == 1 else "s")


def _csv_records(name: str, text: str) -> list[tuple[int, dict[str, Any]]]:
    """(line, fields) of each row of a CSV manifest; every row has exactly the header's fields."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    end = 0
    try:
        for row in reader:
            rows.append((end + 1, row))  # the line the row starts on
            end = reader.line_num
    except csv.Error as e:
        raise NoticeError(name, f"not valid CSV: {e}", end + 1) from None
    rows = [(line, row) for line, row in rows if any(v.strip() for v in row)]
    if not rows:
        raise NoticeError(name, f"the manifest is empty: expected a header row ({', '.join(FIELDS)}) "
                                f"and a row per notice", 1)
    header_line, header = rows[0]
    header = [h.strip() for h in header]
    missing = [f for f in REQUIRED if f not in header]
    if missing:
        raise NoticeError(name, f"not a manifest: the header row lacks {', '.join(missing)} "
                                f"(columns: {', '.join(FIELDS)})", header_line)
    for i, h in enumerate(header, 1):
        if h not in FIELDS:
            problem = f"column {i} of the header has no name" if not h else f"unknown column {h!r}"
            raise NoticeError(name, f"{problem} (columns: {', '.join(FIELDS)})", header_line)
        if header.index(h) != i - 1:
            raise NoticeError(name, f"column {h!r} appears twice in the header", header_line)
    out = []
    for line, row in rows[1:]:
        if row[0].strip().startswith("#"):
            continue
        if len(row) != len(header):
            hint = ("a value holding a comma must be in double quotes" if len(row) > len(header)
                    else "give every column a value, or leave it empty between commas")
            raise NoticeError(name, f"line {line} has {_fields(len(row))}, the header has {len(header)} "
                                    f"({hint})", line)
        out.append((line, dict(zip(header, row, strict=True))))
    return out


def _yaml_records(name: str, text: str) -> list[tuple[int, dict[str, Any]]]:
    """(line, fields) of each entry of a YAML manifest."""
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise NoticeError(name, f"not valid YAML: {getattr(e, 'problem', e)}",
                          mark.line + 1 if mark else None) from None
    items_node = root
    if isinstance(data, dict) and "notices" in data and isinstance(root, yaml.MappingNode):
        data = data["notices"]
        items_node = next(v for k, v in root.value if k.value == "notices")
    if not isinstance(data, list) or not isinstance(items_node, yaml.SequenceNode):
        line = items_node.start_mark.line + 1 if items_node is not None else 1
        raise NoticeError(name, "not a manifest: expected a list of entries (jurisdiction, year, source, "
                                "sha256, replaces), or a mapping with a `notices:` list", line)
    out = []
    for node, item in zip(items_node.value, data, strict=True):
        line = node.start_mark.line + 1
        if not isinstance(item, dict):
            raise NoticeError(name, "an entry must be a mapping with jurisdiction, year and source", line)
        out.append((line, {str(k): v for k, v in item.items()}))
    return out


def _text(value: Any) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s or None


def read_manifest(path: Path) -> list[Entry]:
    """The entries of the manifest at `path`, replaced entries left out, checked: fields present, years
    whole numbers, local files present, sha256 well-formed, one entry per jurisdiction and year."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")  # Excel starts a CSV with a byte order mark
    except FileNotFoundError:
        raise NoticeError(str(path), "no such manifest file") from None
    except UnicodeDecodeError:
        raise NoticeError(name, "the manifest is not UTF-8 text (in Excel: save as \"CSV UTF-8\")") from None
    if not text.strip():
        raise NoticeError(name, f"the manifest is empty: expected an entry per notice ({', '.join(FIELDS)})", 1)
    records = _csv_records(name, text) if path.suffix.lower() == ".csv" else _yaml_records(name, text)
    entries: list[Entry] = []
    for line, rec in records:
        unknown = sorted(set(rec) - set(FIELDS))
        if unknown:
            raise NoticeError(name, f"unknown field {', '.join(unknown)} (fields: {', '.join(FIELDS)})", line)
        for k, v in rec.items():
            if isinstance(v, (list, dict)):
                raise NoticeError(name, f"{k} must be a single value, not a "
                                        f"{'list' if isinstance(v, list) else 'mapping'}", line)
        for f in REQUIRED:
            if _text(rec.get(f)) is None:
                raise NoticeError(name, f"the entry has no {f}", line)
        year_text = str(_text(rec["year"]))
        if not re.fullmatch(r"\d{4}", year_text):
            raise NoticeError(name, f"year {year_text!r} is not a four-digit year", line)
        written = str(_text(rec["source"]))
        if is_url(written):
            source = written
        else:
            local = Path(written) if Path(written).is_absolute() else path.parent / written
            if not local.is_file():
                raise NoticeError(name, f"source {written!r}: no such file (paths are relative to the "
                                        f"manifest's folder)", line)
            source = str(local.resolve())
        sha = _text(rec.get("sha256"))
        if sha is not None:
            sha = sha.lower()
            if not _SHA_RE.match(sha):
                raise NoticeError(name, f"sha256 {sha!r} is not 64 hexadecimal digits", line)
        try:
            place = resolve(str(_text(rec["jurisdiction"])))
        except DivisionError as e:
            raise NoticeError(name, f"jurisdiction {e}", line) from None
        entries.append(Entry(place.name, int(year_text), source, written, sha,
                             _text(rec.get("replaces")), name, line))
    if not entries:
        raise NoticeError(name, "the manifest lists no notices", 1)
    return _apply_replaces(entries)


def _apply_replaces(entries: list[Entry]) -> list[Entry]:
    by_written = {e.written: e for e in entries}
    replaced: set[int] = set()
    for e in entries:
        if e.replaces is None:
            continue
        old = by_written.get(e.replaces)
        if old is None or old is e:
            raise NoticeError(e.manifest, f"replaces {redact(e.replaces)!r}, but no other entry has that source",
                              e.line)
        if (old.jurisdiction, old.year) != (e.jurisdiction, e.year):
            raise NoticeError(e.manifest, f"replaces {redact(e.replaces)!r} ({old.jurisdiction} {old.year}, line "
                                          f"{old.line}), a notice of another jurisdiction or year", e.line)
        replaced.add(old.line)
    kept = [e for e in entries if e.line not in replaced]
    seen: dict[tuple[str, int], Entry] = {}
    for e in kept:
        first = seen.setdefault((e.jurisdiction, e.year), e)
        if first is not e:
            raise NoticeError(e.manifest, f"{e.jurisdiction} {e.year} is listed twice (lines {first.line} "
                                          f"and {e.line}); if one replaces the other, give it "
                                          f"replaces: {redact(first.written)}", e.line)
    return kept


def expand_sources(sources: list[str]) -> list[Planned]:
    """The sources of a release, each manifest expanded to its entries, in the order given."""
    out: list[Planned] = []
    for s in sources:
        if is_manifest(s):
            out += [Planned(e.source, e) for e in read_manifest(Path(s))]
        else:
            out.append(Planned(s))
    return out


def check_sha256(planned: list[Planned], actual: list[str]) -> None:
    """NoticeError naming the manifest line of the first source whose bytes are not the expected ones."""
    for p, sha in zip(planned, actual, strict=True):
        e = p.entry
        if e is not None and e.sha256 is not None and e.sha256 != sha:
            raise NoticeError(e.manifest, f"source {redact(e.written)!r} has sha256 {sha}, but the manifest expects "
                                          f"{e.sha256}: the file changed, or the manifest is wrong", e.line)


def check_distinct(identities: list[tuple[str, int, str]]) -> None:
    """(jurisdiction, year, source name) of every notice of a release: each jurisdiction and year once."""
    seen: dict[tuple[str, int], str] = {}
    for jur, year, name in identities:
        if (jur, year) in seen:
            raise NoticeError(name, f"{jur} {year} is given twice ({seen[(jur, year)]} and {name}); a "
                                    f"release holds one notice per jurisdiction and year: list them in a "
                                    f"manifest and mark the newer one with `replaces`")
        seen[(jur, year)] = name
