"""Year over year within each jurisdiction: which tasks continued, which were dropped or added, and
how their quantitative targets moved.

Task numbers do not carry over between years, so tasks are linked by what they say:

- Similarity of two tasks = TEXT_WEIGHT × text similarity + CHAPTER_WEIGHT × chapter similarity,
  each the Dice coefficient of the character bigrams of the two strings after normalization
  (punctuation, quotes and white space removed, full-width folded, every run of digits replaced by
  `#`, so 增长6.5%以上 and 增长6%以上 read alike and a moved target does not look like a new task).
  Character bigrams suit Chinese, which has no spaces between words: a reworded task keeps most of
  its two-character words, in any order. The chapter string is the chapter and sub-chapter titles,
  so a task that stays in the same chapter gets a small bonus, but a task moved to another chapter
  still links on its text alone.
- One-to-one, globally: the similarity matrix of all task pairs of the two years, with pairs below
  THRESHOLD set to 0, is solved with scipy.optimize.linear_sum_assignment (maximum total
  similarity), never greedily. Assigned pairs at or above THRESHOLD are `continued`; tasks of the
  earlier year left over are `dropped`, of the later year `new`.
- THRESHOLD = 0.6, chosen from data (tests/test_compare_threshold.py keeps these facts true). In
  the reference notice (海城市 2023, 102 tasks) the most similar pair of *different* tasks scores
  0.52 (地区生产总值增长6.5%以上 / 规模以上工业增加值增长7%以上: two short targets in one chapter);
  every other pair scores below 0.50. In the fixture pair (示例县 2023 → 2024) the least similar
  reworded pair (建设高标准农田3万亩 → 新建高标准农田5万亩) scores 0.81 and the most similar pair
  of tasks that are not the same task scores 0.46. 0.6 sits above everything unrelated with a
  margin, and well below real rewordings; a wrong link (which would report target changes that did
  not happen) is worse than a missed one (reported as dropped + new, both visible), so the
  threshold leans high.

Targets of a continued task are paired the same way (same base unit, metric similarity ≥
TARGET_METRIC_THRESHOLD, one-to-one); a pair whose number, comparator or direction differs is
`changed`, a target only in the later task is `added`, only in the earlier one `removed`.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linear_sum_assignment

from extract.textnorm import fold
from transform.columns import is_key_of

TEXT_WEIGHT = 0.85
CHAPTER_WEIGHT = 0.15
THRESHOLD = 0.6
TARGET_METRIC_THRESHOLD = 0.6

_DIGITS_RE = re.compile(r"\d+(?:\.\d+)?")
_DROP_RE = re.compile(r"[\s\u3000\u00a0,.;:!?()\[\]{}<>\"'“”‘’「」『』《》、。·…—\-~/%％]+")


def normalize(text: str) -> str:
    """Text for comparison: folded, digits as `#`, no punctuation, quotes or white space."""
    return _DROP_RE.sub("", _DIGITS_RE.sub("#", fold(text or "")))


def _bigrams(text: str) -> Counter[str]:
    if len(text) < 2:
        return Counter([text]) if text else Counter()
    return Counter(text[i:i + 2] for i in range(len(text) - 1))


def dice(a: str, b: str) -> float:
    """Dice coefficient of the character-bigram multisets of two normalized strings (0…1)."""
    ba, bb = _bigrams(a), _bigrams(b)
    total = sum(ba.values()) + sum(bb.values())
    if total == 0:
        return 0.0
    return 2 * sum((ba & bb).values()) / total


def similarity(text_a: str, chapter_a: str, text_b: str, chapter_b: str) -> float:
    """How alike two tasks are (0…1): their texts, and a little their chapters."""
    return (TEXT_WEIGHT * dice(normalize(text_a), normalize(text_b))
            + CHAPTER_WEIGHT * dice(normalize(chapter_a), normalize(chapter_b)))


def same_text(a: str, b: str) -> bool:
    """Equal once punctuation form and white space are set aside (full-width vs ASCII is no change)."""
    return _DROP_RE.sub("", fold(a)) == _DROP_RE.sub("", fold(b))


@dataclass(frozen=True)
class TaskRef:
    """What linking needs to know of a task."""

    task_id: str
    task_no: int
    text: str
    chapter: str  # chapter and sub-chapter titles


@dataclass(frozen=True)
class Link:
    before: TaskRef | None
    after: TaskRef | None
    status: str  # continued | new | dropped
    similarity: float | None
    text_changed: bool | None


_SINGLE = 0x1FFFFF  # second half of the feature of a one-character text (above every code point)


def bigram_features(texts: Sequence[str]) -> sparse.csr_matrix:
    """One row per text, one 0/1 column per (bigram, occurrence): the k-th occurrence of a bigram in a
    text is its own feature, so the dot product of two rows is the size of the two bigram multisets'
    intersection, sum(min(count_a, count_b)), exactly as `dice` counts it, and a row's sum is its
    bigram count. A text of one character is its own single feature, as in `_bigrams`. Computed with
    numpy over the code points of all texts at once (no Python loop per bigram)."""
    n = len(texts)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=n)
    cps = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    per_text = np.where(lengths == 1, 1, np.maximum(lengths - 1, 0))  # features of each text
    total = int(per_text.sum())
    if total == 0:
        return sparse.csr_matrix((n, 1), dtype=np.int32)
    starts = np.cumsum(lengths) - lengths
    row = np.repeat(np.arange(n), per_text)
    pos = np.repeat(starts, per_text) + (np.arange(total) - np.repeat(np.cumsum(per_text) - per_text, per_text))
    single = np.repeat(lengths == 1, per_text)
    second = np.where(single, _SINGLE, cps[np.minimum(pos + 1, len(cps) - 1)])
    code = (cps[pos] << 21) | second
    # by text, then bigram: one 63-bit key when row < 2^21 (code < 2^42)
    order = np.argsort((row << 42) | code, kind="stable") if n < 1 << 21 else np.lexsort((code, row))
    row, code = row[order], code[order]
    idx = np.arange(total)
    run = np.ones(total, dtype=bool)
    run[1:] = (row[1:] != row[:-1]) | (code[1:] != code[:-1])
    occurrence = idx - np.maximum.accumulate(np.where(run, idx, 0))  # k: 0 for the first of a run
    span = int(occurrence.max()) + 1
    if span < 1 << 21:  # code < 2^42, so code * span + k fits in 63 bits (columns in any order)
        column, uniques = pd.factorize(code * span + occurrence)
        width = len(uniques)
    else:  # a text repeating one bigram two million times: slower, same pairs
        _, column = np.unique(np.stack([code, occurrence], axis=1), axis=0, return_inverse=True)
        column = column.reshape(-1)
        width = int(column.max()) + 1
    return sparse.csr_matrix((np.ones(total, dtype=np.int32), (row, column)), shape=(n, width))


def dice_of(fa: sparse.csr_matrix, fb: sparse.csr_matrix) -> np.ndarray:
    """`dice` of every row of `fa` with every row of `fb` (features of `bigram_features`, same columns):
    integer counts, then the same division as `dice`, so the same numbers bit for bit."""
    inter = (fa @ fb.T).toarray().astype(np.float64)
    total = (np.asarray(fa.sum(axis=1), dtype=np.float64).reshape(-1, 1)
             + np.asarray(fb.sum(axis=1), dtype=np.float64).reshape(1, -1))
    out = np.zeros(inter.shape)
    np.divide(2 * inter, total, out=out, where=total > 0)
    return out


def dice_matrix(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """`dice(a[i], b[j])` for every pair, as one sparse product."""
    f = bigram_features([*a, *b])
    return dice_of(f[: len(a)], f[len(a):])


class TaskFeatures:
    """Bigram features of the normalized texts and chapters of many tasks, computed once; `scores` of
    any two sets of them is `similarity_matrix` of those tasks."""

    def __init__(self, refs: Sequence[TaskRef]) -> None:
        self.row = {r.task_id: i for i, r in enumerate(refs)}
        self.text = bigram_features([normalize(r.text) for r in refs])
        chapters = [normalize(r.chapter) for r in refs]
        self.chapter = bigram_features(chapters)

    def scores(self, before: Sequence[TaskRef], after: Sequence[TaskRef]) -> np.ndarray:
        if not before or not after:
            return np.zeros((len(before), len(after)))
        ib = [self.row[t.task_id] for t in before]
        ia = [self.row[t.task_id] for t in after]
        return (TEXT_WEIGHT * dice_of(self.text[ib], self.text[ia])
                + CHAPTER_WEIGHT * dice_of(self.chapter[ib], self.chapter[ia]))


def similarity_matrix(before: Sequence[TaskRef], after: Sequence[TaskRef]) -> np.ndarray:
    """`similarity` of every pair of tasks (rows: `before`, columns: `after`), vectorised: the bigram
    multisets as sparse 0/1 matrices (`bigram_features`), whose products give every pair's shared
    bigrams at once."""
    if not before or not after:
        return np.zeros((len(before), len(after)))
    own = [TaskRef(f"b{i}", t.task_no, t.text, t.chapter) for i, t in enumerate(before)]
    own += [TaskRef(f"a{i}", t.task_no, t.text, t.chapter) for i, t in enumerate(after)]
    return TaskFeatures(own).scores(own[: len(before)], own[len(before):])


def similarity_matrix_reference(before: Sequence[TaskRef], after: Sequence[TaskRef]) -> np.ndarray:
    """The same matrix pair by pair with `dice` (the formula as written; for tests, too slow for use)."""
    m = np.zeros((len(before), len(after)))
    nb = [(normalize(t.text), normalize(t.chapter)) for t in before]
    na = [(normalize(t.text), normalize(t.chapter)) for t in after]
    for i, (tb, cb) in enumerate(nb):
        for j, (ta, ca) in enumerate(na):
            m[i, j] = TEXT_WEIGHT * dice(tb, ta) + CHAPTER_WEIGHT * dice(cb, ca)
    return m


def assign(scores: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """One-to-one pairs (row, column) maximizing the total of scores ≥ threshold."""
    if scores.size == 0:
        return []
    masked = np.where(scores >= threshold, scores, 0.0)
    rows, cols = linear_sum_assignment(masked, maximize=True)
    return sorted((int(r), int(c)) for r, c in zip(rows, cols, strict=True) if scores[r, c] >= threshold)


def link_tasks(before: Sequence[TaskRef], after: Sequence[TaskRef],
               threshold: float = THRESHOLD, features: TaskFeatures | None = None) -> list[Link]:
    """Every task of both years once: continued pairs, dropped tasks of `before`, new tasks of `after`.
    In the order of the later notice, dropped tasks after it in the order of the earlier one."""
    scores = features.scores(before, after) if features else similarity_matrix(before, after)
    pairs = assign(scores, threshold)
    by_after = {j: i for i, j in pairs}
    linked_before = set(by_after.values())
    links: list[Link] = []
    for j, a in enumerate(after):
        if j in by_after:
            b = before[by_after[j]]
            links.append(Link(b, a, "continued", round(float(scores[by_after[j], j]), 4),
                              not same_text(b.text, a.text)))
        else:
            links.append(Link(None, a, "new", None, None))
    links += [Link(b, None, "dropped", None, None) for i, b in enumerate(before) if i not in linked_before]
    return links


# ---- DataFrames: the published tables ------------------------------------------------------------

def years_present(notices: pd.DataFrame) -> dict[str, list[tuple[int, str]]]:
    """jurisdiction → its (year, notice_id) in year order; jurisdictions in name order. Plain Python
    over the columns: a pandas group per jurisdiction costs ~1 ms each, seconds for 1,000 notices."""
    by_jur: dict[str, list[tuple[int, str]]] = {}
    for jur, year, nid in zip(notices["jurisdiction"].tolist(), notices["year"].tolist(),
                              notices["notice_id"].tolist(), strict=True):
        by_jur.setdefault(str(jur), []).append((int(year), str(nid)))
    return {jur: sorted(by_jur[jur]) for jur in sorted(by_jur)}


def year_pairs(notices: pd.DataFrame) -> list[tuple[str, int, int]]:
    """(jurisdiction, year_from, year_to) for consecutive years present of each jurisdiction."""
    out = []
    for jur, present in years_present(notices).items():
        out += [(jur, a, b) for (a, _), (b, _) in itertools.pairwise(present)]
    return out


def coverage(notices: pd.DataFrame) -> list[tuple[str, str]]:
    """(notice_id, sentence) per jurisdiction: which years are compared, or that there is nothing to
    compare with. The notice_id is the jurisdiction's latest notice."""
    out = []
    for jur, present in years_present(notices).items():
        years = [y for y, _ in present]
        last = present[-1][1]
        if len(years) == 1:
            out.append((last, f"{jur}: only {years[0]} is present; no earlier year to compare with"))
        else:
            steps = ", ".join(f"{a}→{b}" for a, b in itertools.pairwise(years))
            out.append((last, f"{jur}: years {', '.join(map(str, years))} are present; compared {steps}"))
    return out


def coverage_findings(notices: pd.DataFrame) -> list[dict[str, Any]]:
    """quality_findings rows (check `yoy`) for jurisdictions with a single year."""
    return [{"notice_id": nid, "task_no": None, "check": "yoy", "detail": text}
            for nid, text in coverage(notices) if "no earlier year" in text]


def all_task_refs(tasks: pd.DataFrame, chapters: pd.DataFrame) -> dict[str, list[TaskRef]]:
    """notice_id → its tasks in notice order (by line: task ids sort as text, so t1000 would come
    before t101), each with its chapter and sub-chapter titles. One pass over the columns for every
    notice (a filter per notice costs O(notices × tasks))."""
    titles: dict[tuple[str, int, int | None], str] = {}
    for nid, c, sc, title in zip(chapters["notice_id"].tolist(), chapters["chapter_no"].tolist(),
                                 chapters["subchapter_no"].tolist(), chapters["title"].tolist(), strict=True):
        titles[(str(nid), int(c), None if pd.isna(sc) else int(sc))] = str(title)
    ordered = tasks.sort_values(["notice_id", "line"], kind="stable")
    refs: dict[str, list[TaskRef]] = {}
    cols = ("notice_id", "task_id", "task_no", "text", "chapter_no", "subchapter_no")
    for nid, tid, no, text, c, sc in zip(*(ordered[k].tolist() for k in cols), strict=True):
        chapter = ""
        if not pd.isna(c):
            chapter = titles.get((str(nid), int(c), None), "")
            if not pd.isna(sc):
                chapter += " " + titles.get((str(nid), int(c), int(sc)), "")
        refs.setdefault(str(nid), []).append(TaskRef(str(tid), int(no), str(text), chapter.strip()))
    return refs


def task_refs(tasks: pd.DataFrame, chapters: pd.DataFrame, notice_id: str) -> list[TaskRef]:
    """The tasks of one notice, in notice order, each with its chapter and sub-chapter titles."""
    return all_task_refs(tasks[tasks["notice_id"] == notice_id],
                         chapters[chapters["notice_id"] == notice_id]).get(notice_id, [])


def _suffix(task_id: str | None) -> str:
    return task_id.rsplit("-", 1)[1] if task_id else "none"


def link_id(jurisdiction: str, year_from: int, year_to: int, from_id: str | None, to_id: str | None) -> str:
    return f"{jurisdiction}-{year_from}-{year_to}-{_suffix(from_id)}-{_suffix(to_id)}"


def yoy_task_links(notices: pd.DataFrame, tasks: pd.DataFrame,
                   chapters: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of yoy_task_links for every jurisdiction and pair of consecutive years present."""
    nid = {(str(r.jurisdiction), int(r.year)): str(r.notice_id) for r in notices.itertuples()}
    refs = all_task_refs(tasks, chapters)
    pairs = year_pairs(notices)
    compared = {nid[(jur, y)] for jur, yf, yt in pairs for y in (yf, yt)}
    features = TaskFeatures([r for n in sorted(compared) for r in refs.get(n, [])])
    rows = []
    for jur, yf, yt in pairs:
        before, after = refs.get(nid[(jur, yf)], []), refs.get(nid[(jur, yt)], [])
        for ln in link_tasks(before, after, features=features):
            b, a = ln.before, ln.after
            rows.append({
                "link_id": link_id(jur, yf, yt, b.task_id if b else None, a.task_id if a else None),
                "jurisdiction": jur, "year_from": yf, "task_no_from": b.task_no if b else None,
                "task_id_from": b.task_id if b else None, "year_to": yt,
                "task_no_to": a.task_no if a else None,
                "task_id_to": a.task_id if a else None, "status": ln.status, "similarity": ln.similarity,
                "text_changed": ln.text_changed,
            })
    return rows


# ---- targets of continued tasks ------------------------------------------------------------------

def _target_pairs(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[tuple[int, int]]:
    scores = np.zeros((len(before), len(after)))
    for i, b in enumerate(before):
        for j, a in enumerate(after):
            if b["base_unit"] == a["base_unit"]:
                same = b["metric"] == a["metric"]
                scores[i, j] = 1.0 if same else dice(normalize(b["metric"]), normalize(a["metric"]))
    return assign(scores, TARGET_METRIC_THRESHOLD)


def _missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and x != x)


def _same(x: Any, y: Any) -> bool:
    if _missing(x) or _missing(y):
        return _missing(x) and _missing(y)
    return bool(x == y)


def _change_row(b: dict[str, Any] | None, a: dict[str, Any] | None) -> dict[str, Any]:
    if b is not None and a is not None:
        same_unit = b["unit"] == a["unit"]
        vf, vt = (b["value"], a["value"]) if same_unit else (b["base_value"], a["base_value"])
        unit = a["unit"] if same_unit else a["base_unit"]
        change = "changed"
    else:
        t = a if a is not None else b
        assert t is not None
        vf = b["value"] if b is not None else None
        vt = a["value"] if a is not None else None
        unit = t["unit"]
        change = "added" if b is None else "removed"
    return {
        "metric": (a or b or {})["metric"], "metric_from": b["metric"] if b is not None else None,
        "change": change, "value_from": vf, "value_to": vt, "unit": unit,
        "comparator_from": b["comparator"] if b is not None else None,
        "comparator_to": a["comparator"] if a is not None else None,
        "direction_from": b["direction"] if b is not None else None,
        "direction_to": a["direction"] if a is not None else None,
        "target_position_from": b["position"] if b is not None else None,
        "target_position_to": a["position"] if a is not None else None,
    }


def target_changes(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """How the targets of one continued task moved: changed, added and removed targets, in the order
    of the later task (removed ones last); an unchanged target gives nothing."""
    pairs = dict((j, i) for i, j in _target_pairs(before, after))
    out = []
    for j, a in enumerate(after):
        if j in pairs:
            b = before[pairs[j]]
            if not (_same(b["base_value"], a["base_value"]) and _same(b["comparator"], a["comparator"])
                    and _same(b["direction"], a["direction"])):
                out.append(_change_row(b, a))
        else:
            out.append(_change_row(None, a))
    paired = set(pairs.values())
    out += [_change_row(b, None) for i, b in enumerate(before) if i not in paired]
    return out


def yoy_target_changes(links: list[dict[str, Any]], targets: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of yoy_target_changes: target changes of every continued link."""
    by_task: dict[str, list[dict[str, Any]]] = {}
    continued = {ln[k] for ln in links if ln["status"] == "continued" for k in ("task_id_from", "task_id_to")}
    targets = targets[is_key_of(targets["task_id"], continued)]  # only targets of continued tasks are compared
    for rec in targets.sort_values(["task_id", "position"]).to_dict("records"):
        clean = {k: None if _missing(v) else v for k, v in rec.items()}
        by_task.setdefault(str(rec["task_id"]), []).append(clean)
    rows = []
    for ln in links:
        if ln["status"] != "continued":
            continue
        changes = target_changes(by_task.get(ln["task_id_from"], []), by_task.get(ln["task_id_to"], []))
        for no, ch in enumerate(changes, 1):
            rows.append({key: ln[key] for key in ("link_id", "jurisdiction", "year_from", "task_no_from",
                                                   "task_id_from", "year_to", "task_no_to", "task_id_to")}
                        | {"change_no": no} | ch)
    return rows
