"""Benchmark input: N distinct notices as N/4 jurisdictions × 4 consecutive years, made from the
bundled notice with year-over-year edits, in the layouts govtasks reads, plus a manifest.

Each jurisdiction starts from the bundled notice (its name put in place of 海城市, its own small edits
so no two jurisdictions are alike) and changes from one year to the next the way real notices do:

- tasks reworded (a synonym swapped, a phrase added), dropped, and new ones inserted;
- quantitative targets moved (the numbers in a task's text);
- in the second year one lead leader hands all their tasks to a successor (a leader who takes over);
- in the third year one lead unit is renamed (市发展和改革局 → 市发展和改革委员会 …).

Layouts rotate by jurisdiction: label lines (ASCII punctuation, LF), label lines with full-width
punctuation, CRLF and blank lines, inline brackets `…。(牵头领导:…;牵头单位:…)`, and an HTML table.

Jurisdiction names: real county-level places from the project's gazetteer (extract/divisions.csv:
current divisions whose name no other division shares, county-level cities first, like the bundled
海城市), since a release refuses a jurisdiction the gazetteer does not know; or a file of names
(`--names FILE`, one per line). A county's, district's or banner's units start with its own level
word, as its notice prints them (县财政局, not the bundled city's 市财政局: `level_word`), so every size
has about the same share of names the rules resolve. The registry knows few of their units, so runs
use `--allow-unknown`.
Everything is deterministic: the same N and names give the same bytes.
"""

from __future__ import annotations

import csv
import hashlib
import html
import random
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data" / "notices" / "haicheng-2023.txt"
BASE_NAME, BASE_YEAR = "海城市", 2023
FIRST_YEAR = 2021
YEARS = 4
LAYOUTS = ("labels", "fullwidth", "inline", "html")

_CHAPTER = re.compile(r"^[一二三四五六七八九十]+、")
_SUB = re.compile(r"^\([一二三四五六七八九十]+\)")
_TASK = re.compile(r"^(\d+)\.(.*)$")
_LABEL = re.compile(r"^(牵头领导|牵头单位|责任单位):(.*)$")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
LABELS = ("牵头领导", "牵头单位", "责任单位")
_FULL = str.maketrans({":": "：", ",": "，", "(": "（", ")": "）", ";": "；"})

# Rewordings that keep a task recognisable (Dice of bigrams stays high).
_SYNONYMS = (("加快", "加速"), ("推进", "推动"), ("全面", "深入"), ("持续", "不断"), ("提升", "提高"),
             ("积极", "大力"), ("强化", "加强"), ("完善", "健全"), ("确保", "力争"), ("打造", "建设"))
_ADDITIONS = ("进一步", "扎实", "着力")
_SUFFIXES = (",确保取得实效", ",形成长效机制", ",切实增强群众获得感")
# New tasks: built from these pieces, so they resemble no task of the bundled notice.
_NEW_VERBS = ("组织开展", "试点推行", "统筹实施", "探索建立", "谋划启动")
_NEW_OBJECTS = ("智慧社区服务平台", "农村冷链物流网络", "口袋公园建设工程", "老旧供热管网改造", "中小学课后托管服务",
                "数字乡村示范点", "再生资源回收体系", "夜间经济街区", "青年人才驿站", "城市更新片区")
_NEW_TAILS = ("年内覆盖{n}个村(社区)", "新增{n}处", "惠及{n}万人次", "完成投资{n}亿元")
_SUCCESSORS = ("周建华", "孙立群", "郑海涛", "冯雅琴", "褚志远", "卫明哲", "蒋春华", "沈卫东")
# Renamings a unit goes through (the later name is the body's new official name).
_RENAMES = (("市发展和改革局", "市发展和改革委员会"), ("市科学技术局", "市科学技术和工业信息化局"),
            ("市文化旅游和广播电视局", "市文化和旅游局"), ("市工业和信息化局", "市工业和信息化委员会"))


@dataclass
class Task:
    text: str
    labels: dict[str, str] = field(default_factory=dict)  # 牵头领导/牵头单位/责任单位 → value


@dataclass
class Notice:
    """A notice as header lines, title, and a body of ("chapter" | "sub", heading) or ("task", Task)."""

    header: list[str]
    title: str
    body: list[tuple[str, str | Task]]
    tail: str


def read_bundled() -> Notice:
    lines = BUNDLED.read_text(encoding="utf-8").split("\n")
    first = next(i for i, ln in enumerate(lines) if _CHAPTER.match(ln))
    header, title = lines[: first - 1], lines[first - 1]
    body: list[tuple[str, str | Task]] = []
    tail = ""
    current: Task | None = None
    label: str | None = None
    for ln in lines[first:]:
        if not ln.strip():
            continue
        if ln.startswith("附件"):
            tail = ln
        elif _CHAPTER.match(ln):
            body.append(("chapter", ln))
        elif _SUB.match(ln):
            body.append(("sub", ln))
        elif m := _TASK.match(ln):
            current = Task(m.group(2))
            body.append(("task", current))
            label = None
        elif (m := _LABEL.match(ln)) and current is not None:
            label = m.group(1)
            current.labels[label] = m.group(2)
        elif current is not None:  # a wrapped line: continues the label or the text
            if label:
                current.labels[label] += ln
            else:
                current.text += ln
    return Notice(header, title, body, tail)


def gazetteer_names(n: int) -> list[str]:
    """The first `n` current county-level divisions whose name is unique in the gazetteer: county-level
    cities (县级市) first, then the others, each group by code."""
    from extract.divisions import divisions, named

    pool = [d for d in divisions() if d.current and d.level == "county" and len(named(d.name)) == 1]
    pool.sort(key=lambda d: (d.kind != "县级市", d.code))
    if n > len(pool):
        raise SystemExit(f"the gazetteer has {len(pool)} usable names, {n} are needed; give --names FILE")
    return [d.name for d in pool[:n]]


def read_names(path: Path, n: int) -> list[str]:
    names = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    if len(names) < n:
        raise SystemExit(f"{path} has {len(names)} names, {n} are needed")
    return names[:n]


def _tasks(n: Notice) -> list[Task]:
    return [item for kind, item in n.body if kind == "task" and isinstance(item, Task)]


def _reword(text: str, rng: random.Random) -> str:
    present = [(a, b) for a, b in _SYNONYMS if a in text]
    if present and rng.random() < 0.7:
        a, b = rng.choice(present)
        return text.replace(a, b, 1)
    if rng.random() < 0.5:
        return rng.choice(_ADDITIONS) + text
    return text.rstrip("。") + rng.choice(_SUFFIXES) + "。"


def _move_targets(text: str, rng: random.Random) -> str:
    def move(m: re.Match[str]) -> str:
        v = float(m.group(0))
        if v >= 1900 and v <= 2100 and "." not in m.group(0):  # a year: leave it
            return m.group(0)
        new = v * rng.choice((0.8, 0.9, 1.1, 1.2, 1.5))
        return f"{new:.1f}" if "." in m.group(0) else str(max(1, round(new)))

    return _NUMBER.sub(move, text)


def _new_task(rng: random.Random, like: Task) -> Task:
    tail = rng.choice(_NEW_TAILS).format(n=rng.randint(2, 60))
    text = f"{rng.choice(_NEW_VERBS)}{rng.choice(_NEW_OBJECTS)},{tail}。"
    return Task(text, dict(like.labels))


def _replace_everywhere(n: Notice, old: str, new: str, label: str) -> None:
    for t in _tasks(n):
        if label in t.labels:
            t.labels[label] = t.labels[label].replace(old, new)


def next_year(prev: Notice, rng: random.Random, step: int) -> Notice:
    """The following year's notice: reworded, dropped, new tasks, moved targets; a leader taking over
    (step 1), a renamed unit (step 2)."""
    body: list[tuple[str, str | Task]] = []
    for kind, item in prev.body:
        if kind != "task" or not isinstance(item, Task):
            body.append((kind, item))
            continue
        r = rng.random()
        if r < 0.05:
            continue  # dropped
        t = Task(item.text, dict(item.labels))
        if r < 0.15:
            t = replace(t, text=_reword(t.text, rng))
        if _NUMBER.search(t.text) and rng.random() < 0.4:
            t = replace(t, text=_move_targets(t.text, rng))
        body.append(("task", t))
        if rng.random() < 0.05:
            body.append(("task", _new_task(rng, t)))
    out = Notice(list(prev.header), prev.title, body, prev.tail)
    if step == 1:
        leaders = sorted({x for t in _tasks(out) for x in re.split("[、,]", t.labels.get("牵头领导", "")) if x})
        _replace_everywhere(out, rng.choice(leaders), rng.choice(_SUCCESSORS), "牵头领导")
    if step == 2:
        present = [(a, b) for a, b in _RENAMES if any(a in t.labels.get("牵头单位", "") for t in _tasks(out))]
        if present:
            a, b = rng.choice(present)
            for label in ("牵头单位", "责任单位"):
                _replace_everywhere(out, a, b, label)
    return out


def first_year(base: Notice, name: str, rng: random.Random) -> Notice:
    """The bundled notice as `name`'s first year, with edits of its own (distinct from every other)."""
    def place(s: str) -> str:
        return s.replace(BASE_NAME, name).replace(BASE_NAME[:-1], name[:-1])  # 海城市 and 海城

    body: list[tuple[str, str | Task]] = []
    for kind, item in base.body:
        if isinstance(item, Task):
            t = Task(place(item.text), {k: place(v) for k, v in item.labels.items()})
            if rng.random() < 0.1:
                t = replace(t, text=_reword(t.text, rng))
            body.append((kind, t))
        else:
            body.append((kind, place(item)))
    return Notice([place(h) for h in base.header], place(base.title), body, place(base.tail))


def _dated(n: Notice, year: int, rng: random.Random) -> Notice:
    def yr(s: str) -> str:
        return s.replace(str(BASE_YEAR), str(year))

    header = [f"{year}年{rng.randint(2, 4)}月{rng.randint(1, 28)}日" if re.fullmatch(r"\d{4}年\d+月\d+日", h) else yr(h)
              for h in n.header]
    return Notice(header, yr(n.title), n.body, yr(n.tail))


def _numbered(n: Notice) -> list[tuple[str, str | tuple[int, Task]]]:
    out: list[tuple[str, str | tuple[int, Task]]] = []
    no = 0
    for kind, item in n.body:
        if isinstance(item, Task):
            no += 1
            out.append((kind, (no, item)))
        else:
            out.append((kind, item))
    return out


def render(n: Notice, layout: str) -> bytes:
    if layout == "html":
        return _render_html(n)
    lines = [*n.header, n.title]
    for _, item in _numbered(n):
        if isinstance(item, str):
            lines.append(item)
            continue
        no, t = item
        if layout == "inline":
            parts = [f"{lab}:{t.labels[lab]}" for lab in LABELS if t.labels.get(lab)]
            lines.append(f"{no}.{t.text}({';'.join(parts)})")
        else:
            lines.append(f"{no}.{t.text}")
            lines += [f"{lab}:{t.labels[lab]}" for lab in LABELS if t.labels.get(lab)]
    lines.append(n.tail)
    if layout == "fullwidth":
        return "\r\n\r\n".join("\u3000\u3000" + ln.translate(_FULL) for ln in lines).encode("utf-8")
    return "\n".join(lines).encode("utf-8")


def _render_html(n: Notice) -> bytes:
    esc = html.escape
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{esc(n.title)}</title></head><body>",
             "<div class='nav'>首页 政务公开 政策文件</div><div id='content' class='article'>"]
    parts += [f"<p>{esc(h)}</p>" for h in n.header]
    parts.append(f"<p style='text-align:center'><strong>{esc(n.title)}</strong></p>")
    parts.append("<table border='1'><tr>" + "".join(f"<th>{h}</th>" for h in ("序号", "工作任务", *LABELS)) + "</tr>")
    for _, item in _numbered(n):
        if isinstance(item, str):
            parts.append(f"<tr><td colspan='5'>{esc(item)}</td></tr>")
        else:
            no, t = item
            cells = [str(no), t.text, *(t.labels.get(lab, "") for lab in LABELS)]
            parts.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
    parts.append(f"</table><p>{esc(n.tail)}</p></div><div class='footer'>版权所有</div></body></html>")
    return "".join(parts).encode("utf-8")


EXTENSIONS = {"labels": "txt", "fullwidth": "txt", "inline": "txt", "html": "html"}


_UNIT_ITEM = re.compile(r"(^|[,、，;；])市")  # a unit of the jurisdiction's own level, first in a list item


def level_word(name: str) -> str:
    """The word a jurisdiction's own units start with: 市 for a (county-level) city, 县, 区, 旗 (自治县:
    县) — what its notice prints (县财政局 in a county's notice, not the bundled city's 市财政局)."""
    return name[-1] if name[-1] in "县区旗" else "市"


def _own_units(n: Notice, word: str) -> Notice:
    """`n` with its units' level word (市, from the bundled notice) made `word`."""
    if word == "市":
        return n
    body: list[tuple[str, str | Task]] = [
        (kind, Task(item.text, {k: _UNIT_ITEM.sub(lambda m: m.group(1) + word, v) if k != "牵头领导" else v
                                for k, v in item.labels.items()}) if isinstance(item, Task) else item)
        for kind, item in n.body]
    return replace(n, body=body)


def jurisdiction_years(name: str, index: int, base: Notice) -> list[tuple[int, Notice]]:
    rng = random.Random(f"{index}:{name}")
    notice = first_year(base, name, rng)
    out = []
    for step in range(YEARS):
        if step:
            notice = next_year(notice, rng, step)  # renamed units as the bundled notice spells them (市…)
        out.append((FIRST_YEAR + step, _own_units(_dated(notice, FIRST_YEAR + step, rng), level_word(name))))
    return out


def generate(n: int, folder: Path, names: list[str] | None = None) -> Path:
    """Write ceil(n/4) jurisdictions × 4 years (the first n notices) and `manifest.csv` into `folder`;
    returns the manifest."""
    jurisdictions = -(-n // YEARS)
    names = names or gazetteer_names(jurisdictions)
    base = read_bundled()
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for i, name in enumerate(names[:jurisdictions]):
        layout = LAYOUTS[i % len(LAYOUTS)]
        for year, notice in jurisdiction_years(name, i, base):
            if len(rows) == n:
                break
            data = render(notice, layout)
            rel = f"{i:05d}-{year}.{EXTENSIONS[layout]}"
            (folder / rel).write_bytes(data)
            rows.append({"jurisdiction": name, "year": year, "source": rel,
                         "sha256": hashlib.sha256(data).hexdigest(), "replaces": ""})
    manifest = folder / "manifest.csv"
    with manifest.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["jurisdiction", "year", "source", "sha256", "replaces"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return manifest


def change_one(manifest: Path) -> str:
    """Reword the first task of the manifest's last notice (a corrected re-issue, same name and
    year) and update its sha256 in the manifest; returns the changed file's name."""
    rows = list(csv.DictReader(manifest.open(encoding="utf-8")))
    last = rows[-1]
    path = manifest.parent / last["source"]
    data = path.read_bytes().decode("utf-8")
    for a, b in _SYNONYMS:
        if a in data:
            data = data.replace(a, b, 1)
            break
    raw = data.encode("utf-8")
    path.write_bytes(raw)
    last["sha256"] = hashlib.sha256(raw).hexdigest()
    with manifest.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return last["source"]
