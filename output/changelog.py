"""CHANGELOG.md of a release: one entry per release, newest first.

The new entry says what changed against the previous release (notices added, replaced, removed; rows
added, removed and changed per table; schema changes) and, where a jurisdiction has more than one
year, the year-over-year summary in words (from the `yoy_summary` view). Earlier entries are carried
over from the previous release's CHANGELOG.md unchanged. No clock: the same comparison gives the same
entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from extract.errors import write_text
from output.versioning import NoticeRef, ReleaseDiff

CHANGELOG = "CHANGELOG.md"
HEADER = ("# Changelog / 更新记录\n\n"
          "One entry per release, newest first. Versions: major = schema changed, minor = notices or rows "
          "added, patch = rows corrected or removed.\n"
          "每次发布一条，最新在前。版本号：主版本 = 结构变化，次版本 = 新增通知或数据行，修订号 = 数据更正或删除。\n")
ENTRY_START = "\n## "


@dataclass(frozen=True)
class YoyPair:
    """One row of the yoy_summary view."""

    jurisdiction: str
    year_from: int
    year_to: int
    continued: int
    unchanged: int
    reworded: int
    new: int
    dropped: int
    target_changes: int
    leaders_appearing: list[str]
    leaders_leaving: list[str]


def yoy_pairs(database: Path) -> list[YoyPair]:
    """The yoy_summary view of the release database, in jurisdiction and year order."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        rows = con.execute("SELECT jurisdiction, year_from, year_to, continued, unchanged, reworded, new, "
                           "dropped, target_changes, leaders_appearing, leaders_leaving FROM yoy_summary "
                           "ORDER BY jurisdiction, year_from, year_to").fetchall()
    finally:
        con.close()
    return [YoyPair(*r[:9], sorted(r[9] or []), sorted(r[10] or [])) for r in rows]


def yoy_words(p: YoyPair) -> tuple[str, str]:
    """(Chinese, English) sentence summarising one pair of years."""
    zh = (f"{p.jurisdiction} {p.year_from}→{p.year_to}年：延续任务{p.continued}项（未改{p.unchanged}项、"
          f"改写{p.reworded}项），新增{p.new}项，取消{p.dropped}项；量化目标变化{p.target_changes}处")
    en = (f"{p.jurisdiction} {p.year_from}→{p.year_to}: {p.continued} tasks continued ({p.unchanged} unchanged, "
          f"{p.reworded} reworded), {p.new} new, {p.dropped} dropped; {p.target_changes} target changes")
    if p.leaders_appearing:
        zh += f"；新出现的牵头领导：{'、'.join(p.leaders_appearing)}"
        en += f"; leaders appearing: {', '.join(p.leaders_appearing)}"
    if p.leaders_leaving:
        zh += f"；不再牵头的领导：{'、'.join(p.leaders_leaving)}"
        en += f"; leaders leaving: {', '.join(p.leaders_leaving)}"
    return zh + "。", en + "."


def _notice(n: NoticeRef) -> str:
    return f"`{n.notice_id}` ({n.source_name}, sha256 {n.sha256[:12]}…)"


def entry(diff: ReleaseDiff, pairs: list[YoyPair]) -> str:
    """The markdown entry of this release (starting with `## <version>`)."""
    kind = {"first": "first release / 首次发布", "major": "major / 主版本", "minor": "minor / 次版本",
            "patch": "patch / 修订"}[diff.kind]
    out = [f"## {diff.version} ({kind})", ""]
    if diff.previous_version:
        out += [f"Compared with {diff.previous_version}. 与 {diff.previous_version} 相比。", ""]
    lists = [("Notices added / 新增通知", [_notice(n) for n in diff.notices_added]),
             ("Notices replaced / 替换通知", [f"{_notice(a)} replaces / 替换 sha256 {b.sha256[:12]}… ({b.source_name})"
                                             for b, a in diff.notices_replaced]),
             ("Notices removed / 删除通知", [_notice(n) for n in diff.notices_removed]),
             ("Schema changes / 结构变化", [f"`{c}`" for c in diff.schema_changes])]
    for title, items in lists:
        if items:
            out.append(f"- {title}:")
            out += [f"  - {i}" for i in items]
    if diff.descriptions_changed:
        out.append("- Descriptions of tables or columns changed / 表或列的说明有改动")
    changed = [t for t in diff.tables if diff.kind == "first" or t.added or t.removed or t.changed
               or t.status != "same"]
    if changed:
        out += ["", "| table / 表 | rows before / 原行数 | rows / 现行数 | added / 新增 | removed / 删除 | "
                    "changed / 更正 |", "|---|---:|---:|---:|---:|---:|"]
        for t in changed:
            note = "" if t.status == "same" else f" ({t.status})"
            out.append(f"| `{t.name}`{note} | {t.rows_before} | {t.rows_after} | {t.added} | {t.removed} | "
                       f"{t.changed} |")
    same = [t.name for t in diff.tables if t not in changed]
    if same:
        out += ["", f"Unchanged / 未变: {', '.join(f'`{n}`' for n in same)}"]
    if pairs:
        out += ["", "Year over year / 逐年对比:", ""]
        for p in pairs:
            zh, en = yoy_words(p)
            out += [f"- {zh}", f"  {en}"]
    return "\n".join(out) + "\n"


def earlier_entries(previous: Path | None) -> str:
    """The entries of the previous release's CHANGELOG.md (everything from its first entry on)."""
    if previous is None or not (previous / CHANGELOG).is_file():
        return ""
    text = (previous / CHANGELOG).read_text(encoding="utf-8")
    at = text.find(ENTRY_START)
    return "" if at < 0 else text[at + 1:]


def write_changelog(path: Path, diff: ReleaseDiff, pairs: list[YoyPair], previous: Path | None) -> None:
    """CHANGELOG.md: the header, this release's entry, then the earlier ones."""
    earlier = earlier_entries(previous) if diff.kind != "first" else ""
    text = HEADER + "\n" + entry(diff, pairs) + ("\n" + earlier if earlier else "")
    write_text(path, text)
