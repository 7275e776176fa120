"""The threshold of text links across levels (transform/cascade.py, THRESHOLD) is chosen from data: the
facts its docstring gives must hold. Labels: the reworded tasks the fixtures were written with."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from extract.read import read_notice
from extract.snapshot import snapshot_local
from transform.cascade import THRESHOLD, _metric_keys, _refs, _targets_by_task, link_pair
from transform.compare import similarity_matrix
from transform.names import load_registry
from transform.tables import build_tables

ROOT = Path(__file__).resolve().parents[1]
LEVELS = ROOT / "tests" / "fixtures" / "levels"
# (upper notice, upper task, lower notice, lower task) that implement each other by text
TRUE = {("鞍山市-2023", 7, "海城市-2023", 8), ("鞍山市-2023", 8, "海城市-2023", 10),
        ("鞍山市-2023", 11, "海城市-2023", 57), ("鞍山市-2023", 12, "海城市-2023", 84),
        ("鞍山市-2023", 13, "海城市-2023", 98), ("辽宁省-2023", 9, "海城市-2023", 9),
        ("辽宁省-2023", 9, "大连市-2023", 4), ("辽宁省-2023", 13, "海城市-2023", 47),
        ("辽宁省-2023", 14, "海城市-2023", 92), ("辽宁省-2023", 15, "海城市-2023", 98),
        ("辽宁省-2023", 15, "鞍山市-2023", 13)}
PAIRS = [("海城市-2023", "鞍山市-2023"), ("海城市-2023", "辽宁省-2023"), ("鞍山市-2023", "辽宁省-2023"),
         ("大连市-2023", "辽宁省-2023")]


@pytest.fixture(scope="module")
def frames():
    paths = [LEVELS / "liaoning-2023.txt", LEVELS / "anshan-2023.txt", LEVELS / "dalian-2023.txt",
             ROOT / "data" / "notices" / "haicheng-2023.txt"]
    return build_tables([read_notice(snapshot_local(p)) for p in paths], load_registry())


def _scores(frames) -> tuple[list[float], list[float]]:
    """Similarity of every pair a text link may join (not both with targets of known metrics): true, other."""
    targets = _targets_by_task(frames["targets"])
    true, other = [], []
    for lo, up in PAIRS:
        low, upper = _refs(frames["tasks"], frames["chapters"], lo), _refs(frames["tasks"], frames["chapters"], up)
        m = similarity_matrix(low, upper)
        for i, a in enumerate(low):
            for j, b in enumerate(upper):
                if _metric_keys(targets.get(a.task_id, [])) and _metric_keys(targets.get(b.task_id, [])):
                    continue
                (true if (up, b.task_no, lo, a.task_no) in TRUE else other).append(float(m[i, j]))
    return true, other


def test_true_links_score_above_and_unrelated_pairs_below(frames) -> None:
    true, other = _scores(frames)
    assert len(true) == len(TRUE)
    assert min(true) > THRESHOLD  # 0.51: 安全生产, the city's shorter wording of the county's task
    assert max(other) < 0.35 < THRESHOLD  # 0.31


def test_different_tasks_of_the_bundled_notice_stay_below(frames) -> None:
    """The bundled notice against itself stands for two levels sharing a chapter plan."""
    targets = _targets_by_task(frames["targets"])
    refs = _refs(frames["tasks"], frames["chapters"], "海城市-2023")
    m = similarity_matrix(refs, refs)
    np.fill_diagonal(m, 0.0)
    keyed = [bool(_metric_keys(targets.get(r.task_id, []))) for r in refs]
    open_pairs = [m[i, j] for i in range(len(refs)) for j in range(len(refs)) if not (keyed[i] and keyed[j])]
    assert 0.45 < max(open_pairs) < THRESHOLD  # 0.48: 农村生活垃圾收运体系覆盖率 / 村内绿化隙地覆盖率
    # the one pair above the threshold sets targets of two different metrics: no text link
    assert m.max() >= THRESHOLD
    i, j = np.unravel_index(np.argmax(m), m.shape)
    assert {refs[i].task_no, refs[j].task_no} == {1, 5}  # 地区生产总值 / 规模以上工业增加值
    assert link_pair([refs[i]], [refs[j]], targets) == []
