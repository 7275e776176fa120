"""Parsed notices → one pandas DataFrame per published table, built to transform.schema.

Ids are stable across reruns: they are made of the jurisdiction, the year and numbers the notice
prints, never of run order or time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyarrow as pa

from extract.divisions import by_code
from extract.errors import NoticeError
from extract.manifest import check_distinct
from extract.model import ParsedNotice
from transform.arrow_rows import cached_form, pandas_frame
from transform.cascade import cascade_rows
from transform.leaders import LEADER_FRAGMENT_CHECK, LeaderNameError, leader_kind, read_leaders
from transform.metrics import metric_id
from transform.registry_load import Registry
from transform.schema import CASCADE_TABLES, TABLES, Table, table
from transform.suggestions import UnknownName, format_unknown, suggest, suggested_type
from transform.targets import extract_targets
from transform.unit_resolution import notice_spellings, resolve_units
from transform.yoy import YOY_TABLES, yoy_rows


def notice_id(jurisdiction: str, year: int) -> str:
    return f"{jurisdiction}-{year}"


def section_id(nid: str, chapter_no: int, subchapter_no: int | None) -> str:
    return f"{nid}-c{chapter_no:02d}" + (f"-s{subchapter_no:02d}" if subchapter_no is not None else "")


def task_id(nid: str, seq: int) -> str:
    """Tasks are keyed by their order in the notice (the printed number may repeat per chapter)."""
    return f"{nid}-t{seq:03d}"


def notice_of_task_id(tid: str) -> str | None:
    """The notice id inside a task id (the inverse of `task_id`); None when `tid` is not one."""
    nid, sep, seq = tid.rpartition("-t")
    return nid if sep and nid and seq.isdigit() else None


def scoped_id(jurisdiction: str, name: str) -> str:
    return f"{jurisdiction}:{name}"


def frame(tbl: Table, rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """Rows as a DataFrame with exactly the table's columns, sorted by its primary key."""
    return _by_key(tbl, unsorted_frame(tbl, rows))


def unsorted_frame(tbl: Table, rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """Rows as a DataFrame with exactly the table's columns, in their order; column types inferred by
    pandas from the values (what `_framed` infers again for a column that is object in one part)."""
    return pd.DataFrame(list(rows), columns=tbl.column_names)


def _by_key(tbl: Table, df: pd.DataFrame) -> pd.DataFrame:
    if not len(df):
        return df
    return df.sort_values(list(tbl.primary_key), kind="stable", na_position="first").reset_index(drop=True)


def identity(n: ParsedNotice) -> tuple[str, int]:
    """(jurisdiction, year) of a notice, or a clear error naming what is missing."""
    h = n.header
    if not h.jurisdiction:
        raise NoticeError(n.source.name, "cannot tell the jurisdiction: no place is named by the title, the "
                                         "issuer line, the signature or a 发布机构 field; give it with "
                                         "--jurisdiction or a manifest's jurisdiction column")
    if not h.year:
        raise NoticeError(n.source.name, "cannot tell the year: none in the title, the 文号, the 政府工作报告 "
                                         "the notice implements, the issue date or a publication date; give it "
                                         "with --year or a manifest's year column")
    return h.jurisdiction, h.year


def extract_findings(n: ParsedNotice, nid: str) -> list[dict[str, Any]]:
    """quality_findings rows for what extract flagged (damaged tasks), keyed to their tasks."""
    seq_of = {(t.task_no, t.line): seq for seq, t in enumerate(n.tasks, 1)}
    out = []
    for f in n.findings:
        seq = seq_of.get((f.task_no, f.line)) if f.line is not None else None
        out.append({"notice_id": nid, "task_no": f.task_no, "task_id": task_id(nid, seq) if seq else None,
                    "check": f.check, "subject": f.subject, "detail": f.detail})
    return out


@dataclass
class Rows:
    """The rows of the per-notice tables for some notices (a batch), before the tables are framed:
    `framed` by table name, the earlier rows framed part by part (`compact`), then the rows not
    framed yet: `tables`, as dicts, or `arrow`, as Arrow tables of whole notices read from the rows
    cache (only one of the two holds rows at a time); `units` and `leaders` by id (the last notice
    naming one wins); `keys`: notice id → the content key its rows were cached under
    (transform/rows_cache.py), when they were."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {t.name: [] for t in TABLES})
    units: dict[str, dict[str, Any]] = field(default_factory=dict)
    leaders: dict[str, dict[str, Any]] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    framed: dict[str, list[pd.DataFrame]] = field(default_factory=lambda: {t.name: [] for t in TABLES})
    arrow: dict[str, list[pa.Table]] = field(default_factory=lambda: {t.name: [] for t in TABLES})

    def extend(self, other: Rows) -> None:
        """`other`'s rows after these (batches in notice order give the rows of all notices at once)."""
        other_dicts, other_arrow = any(other.tables.values()), any(other.arrow.values())
        if (any(other.framed.values()) or (other_dicts and any(self.arrow.values()))
                or (other_arrow and any(self.tables.values()))):
            self.compact()  # what is pending here goes first
        if any(other.framed.values()):
            for name, parts in other.framed.items():
                self.framed[name] += parts
        for name, rs in other.tables.items():
            self.tables[name] += rs
        for name, ts in other.arrow.items():
            self.arrow[name] += ts
        self.units.update(other.units)
        self.leaders.update(other.leaders)
        self.keys.update(other.keys)

    def compact(self) -> Rows:
        """The rows not framed yet framed, one part per table (in order, after the earlier parts): a
        frame holds a batch's rows in a fraction of the memory of their dicts, and is sent between
        processes at the cost of its buffers. `notice_frames` gives the same tables either way."""
        for name, rs in self.tables.items():
            if rs:
                self.framed[name].append(unsorted_frame(table(name), rs))
                self.tables[name] = []
        for name, ts in self.arrow.items():
            if ts:
                self.framed[name].append(pandas_frame(table(name), ts))
                self.arrow[name] = []
        return self

    def to_arrow(self) -> tuple[dict[str, pa.Table], dict[str, Any]]:
        """For the rows cache (`transform.arrow_rows.cached_form`; tables without rows left out): each
        table's rows as an Arrow table, and a JSON-ready document of the units, the leaders and the
        rows of any table Arrow cannot hold as pandas frames them. Rows as dicts only (one
        notice's, as `notice_rows` built them)."""
        assert not any(self.framed.values()) and not any(self.arrow.values()), "only dict rows are cached"
        tables, as_rows = cached_form({name: rs for name, rs in self.tables.items() if rs})
        return tables, {"units": self.units, "leaders": self.leaders, "rows": as_rows}

    @classmethod
    def cached(cls, tables: dict[str, pa.Table], doc: dict[str, Any]) -> Rows:
        """The rows `to_arrow` gave (an unknown table or column raises KeyError)."""
        out = cls(units=dict(doc["units"]), leaders=dict(doc["leaders"]))
        for name, t in tables.items():
            if name not in out.arrow or t.column_names != table(name).column_names:
                raise KeyError(name)
            out.arrow[name].append(t)
        for name, rs in doc["rows"].items():
            if name not in out.tables or not isinstance(rs, list):
                raise KeyError(name)
            out.tables[name] = rs
        return out


def build_tables(notices: list[ParsedNotice], registry: Registry) -> dict[str, pd.DataFrame]:
    """Every published table for `notices`."""
    return finish_tables(notice_rows(notices, registry))


def notice_rows(notices: Iterable[ParsedNotice], registry: Registry) -> Rows:
    """The rows of every per-notice table for `notices` (names resolved, targets read), one notice at
    a time: `notices` may be a generator loading each notice when it is needed."""
    out = Rows()
    rows, units, leaders = out.tables, out.units, out.leaders
    for n in notices:
        jur, year = identity(n)
        nid = notice_id(jur, year)
        h, s = n.header, n.source
        division = by_code(h.division_code) if h.division_code else None
        rows["notices"].append({
            "notice_id": nid, "jurisdiction": jur, "division_code": h.division_code,
            "level": division.level if division else None,
            "parent_code": division.parent_code if division else None,
            "jurisdiction_source": h.jurisdiction_source, "year": year, "year_source": h.year_source,
            "title": h.title, "issuer": h.issuer, "issued_on": h.issued_on, "published_on": h.published_on,
            "doc_number": h.doc_number,
            "reports": list(h.reports), "publicity": h.publicity, "layout": n.layout,
            "punctuation": n.punctuation, "stated_task_count": h.stated_task_count,
            "numbering": n.numbering, "script": n.script, "lead_rule": n.lead_rule, "form": s.form,
            "encoding": s.encoding, "source_name": s.name, "source_url": s.url, "fetched_at": s.fetched_at,
            "final_url": s.final_url, "sha256": s.sha256,
        })
        for sec in n.sections:
            rows["chapters"].append({
                "section_id": section_id(nid, sec.chapter_no, sec.subchapter_no), "notice_id": nid,
                "level": "chapter" if sec.subchapter_no is None else "subchapter",
                "chapter_no": sec.chapter_no, "subchapter_no": sec.subchapter_no, "title": sec.title,
                "line": sec.line,
            })
        rows["quality_findings"] += extract_findings(n, nid)
        unit_lists = (x for t in n.tasks for x in (t.lead_units, t.other_units))
        spellings = notice_spellings(unit_lists, jur, registry)
        for seq, t in enumerate(n.tasks, 1):
            tid = task_id(nid, seq)
            rows["tasks"].append({
                "task_id": tid, "notice_id": nid, "task_no": t.task_no, "chapter_no": t.chapter_no,
                "subchapter_no": t.subchapter_no,
                "section_id": section_id(nid, t.chapter_no, t.subchapter_no) if t.chapter_no else None,
                "text": t.text, "text_original": t.text_original, "deadline": t.deadline,
                "measures": t.measures, "task_source": t.task_source, "line": t.line,
            })
            for pos, tg in enumerate(extract_targets(t.text), 1):
                rows["targets"].append({"task_id": tid, "position": pos, **vars(tg),  # flat: no asdict copy
                                        "metric_id": metric_id(tg.metric)})
            try:
                task_leaders = read_leaders(t.lead_leaders)
            except LeaderNameError as e:
                raise NoticeError(s.name, f"task {t.task_no}: {e}", t.line) from None
            for f in task_leaders.fragments:
                rows["quality_findings"].append({
                    "notice_id": nid, "task_no": t.task_no, "task_id": tid, "check": LEADER_FRAGMENT_CHECK,
                    "subject": f.raw, "detail": f"{s.name}:{t.line}: task {t.task_no}: leader {f.raw!r} ends in "
                    f"{f.cut!r}, the start of a label cut off ({f.cut}…); published as {f.name!r}"})
            for pos, p in enumerate(task_leaders.names, 1):
                lid = scoped_id(jur, p.name)
                leaders[lid] = {"leader_id": lid, "jurisdiction": jur, "name": p.name, "kind": leader_kind(p.name)}
                rows["task_leaders"].append({"task_id": tid, "position": pos, "leader_id": lid,
                                             "leader": p.name, "raw_name": p.raw})
            for role, raw in (("lead", t.lead_units), ("other", t.other_units)):
                for pos, r in enumerate(resolve_units(raw, jur, registry, spellings=spellings), 1):
                    uid = scoped_id(jur, r.unit)
                    rec = r.record
                    units[uid] = {"unit_id": uid, "jurisdiction": jur, "name": r.unit,
                                  "full_name": rec.full_name if rec else None,
                                  "unit_type": rec.unit_type if rec else None, "in_registry": r.in_registry}
                    rows["task_units"].append({"task_id": tid, "role": role, "position": pos, "unit_id": uid,
                                               "unit": r.unit, "raw_name": r.raw, "match": r.match})
                    if r.match == "unknown":
                        rows["quality_findings"].append({
                            "notice_id": nid, "task_no": t.task_no, "task_id": tid, "check": "unknown_unit",
                            "subject": r.raw, "detail": format_unknown(UnknownName(
                                nid, s.name, jur, t.task_no, t.line, role, pos, r.unit, r.raw,
                                suggest(r.unit, jur, registry), suggested_type(r.unit, registry))),
                        })
    return out


def finish_tables(parts: Rows) -> dict[str, pd.DataFrame]:
    """Every published table from the rows of all notices: the per-notice tables framed, then year
    over year across them."""
    frames = notice_frames(parts)
    return with_levels(with_yoy(frames, [yoy_rows(frames)]))  # year over year, then across levels


def notice_frames(parts: Rows) -> dict[str, pd.DataFrame]:
    """The per-notice tables framed (the year-over-year tables still empty)."""
    parts.compact()
    check_distinct([identity for part in parts.framed["notices"]  # in notice order
                    for identity in zip(part["jurisdiction"].tolist(), part["year"].tolist(),
                                        part["source_name"].tolist(), strict=True)])
    out = {t.name: _framed(t, parts.framed[t.name]) for t in TABLES if t.name not in ("units", "leaders")}
    out["units"] = frame(table("units"), parts.units.values())
    out["leaders"] = frame(table("leaders"), parts.leaders.values())
    return {t.name: out[t.name] for t in TABLES}


def _framed(tbl: Table, parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The parts (`Rows.compact`) as one frame: what `frame` gives for all their rows at once. Each
    part's column types were inferred from its own rows; a column that is object in one part (all
    null there, say) and typed in another is object once concatenated, so object columns are inferred
    again from all their values, as `frame` infers them."""
    if not parts:
        return frame(tbl, [])
    if len(parts) == 1:
        return _by_key(tbl, parts[0].reset_index(drop=True))
    df = pd.concat(parts, ignore_index=True)
    for c in df.columns:
        if df[c].dtype == object:
            df[c] = pd.DataFrame([(v,) for v in df[c].tolist()], columns=[c])[c]  # as `frame` infers
    return _by_key(tbl, df)


def with_yoy(frames: dict[str, pd.DataFrame],
             yoy_parts: list[dict[str, Any]]) -> dict[str, pd.DataFrame]:
    """`frames` with the year-over-year tables and their quality findings from `yoy_parts`, the rows
    of `transform.yoy.yoy_rows` for disjoint sets of jurisdictions, each table as a list of rows or
    already framed (`framed_yoy`); framing sorts rows by key, so how the jurisdictions were split does
    not change a byte."""
    out = dict(frames)
    for name in YOY_TABLES:
        out[name] = _framed(table(name), _parts(table(name), [part[name] for part in yoy_parts]))
    findings = [part["quality_findings"] for part in yoy_parts]
    return _with_findings(out, [r for f in findings for r in (f.to_pylist() if isinstance(f, pa.Table) else f)])


def framed_yoy(part: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """`part` (rows of `yoy_rows`) with its year-over-year tables framed, as a worker sends them back
    (a frame is sent at the cost of its buffers, a list of dicts at the cost of every value); its
    quality findings stay rows."""
    return {name: unsorted_frame(table(name), rows) if name in YOY_TABLES else rows for name, rows in part.items()}


def _parts(tbl: Table, items: list[list[dict[str, Any]] | pd.DataFrame | pa.Table]) -> list[pd.DataFrame]:
    """`items` (lists of rows, frames, or Arrow tables of `transform.arrow_rows`) as frames in the same
    order, consecutive lists of rows framed together, and consecutive Arrow tables; empty ones left
    out."""
    out: list[pd.DataFrame] = []
    pending: list[dict[str, Any]] = []
    arrow: list[pa.Table] = []
    for item in [*items, None]:
        if isinstance(item, list):
            if arrow:
                out.append(pandas_frame(tbl, arrow))
                arrow = []
            pending += item
            continue
        if pending:
            out.append(unsorted_frame(tbl, pending))
            pending = []
        if isinstance(item, pa.Table):
            if item.num_rows:
                arrow.append(item)
            continue
        if arrow:
            out.append(pandas_frame(tbl, arrow))
            arrow = []
        if item is not None and len(item):
            out.append(item)
    return out


def with_levels(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """`frames` with the across-levels tables and their quality findings (`transform.cascade`: every
    notice of a year at once, province → prefecture → county)."""
    levels = cascade_rows(frames)
    out = dict(frames)
    for name in CASCADE_TABLES:
        out[name] = frame(table(name), levels[name])
    return _with_findings(out, levels["quality_findings"])


def _with_findings(frames: dict[str, pd.DataFrame], rows: list[dict[str, Any]]) -> dict[str, pd.DataFrame]:
    """`frames` with `rows` added to quality_findings (framing sorts them by key)."""
    tbl = table("quality_findings")
    if not rows:
        return frames
    return {**frames, "quality_findings": _framed(tbl, _parts(tbl, [frames["quality_findings"], rows]))}
