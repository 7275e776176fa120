"""The linking threshold (transform/compare.py, THRESHOLD) is chosen from data: these facts must hold."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from extract.read import read_notice
from extract.snapshot import snapshot_local
from transform.compare import THRESHOLD, assign, similarity_matrix, task_refs
from transform.registry_load import load_registry
from transform.tables import build_tables

ROOT = Path(__file__).resolve().parents[1]


def test_different_tasks_of_the_reference_notice_stay_below_the_threshold() -> None:
    frames = build_tables([read_notice(snapshot_local(ROOT / "data" / "notices" / "haicheng-2023.txt"))],
                          load_registry())
    refs = task_refs(frames["tasks"], frames["chapters"], "海城市-2023")
    assert len(refs) == 102
    m = similarity_matrix(refs, refs)
    assert np.allclose(np.diag(m), 1.0)
    np.fill_diagonal(m, 0.0)
    assert 0.5 < m.max() < THRESHOLD  # 0.52: 地区生产总值增长6.5%以上 / 规模以上工业增加值增长7%以上
    assert (m >= 0.5).sum() == 2  # that one pair, both ways


def test_fixture_rewordings_stay_above_and_unrelated_pairs_below() -> None:
    fx = ROOT / "tests" / "fixtures" / "yoy"
    frames = build_tables([read_notice(snapshot_local(fx / f)) for f in ("shili-2023.txt", "shili-2024.txt")],
                          load_registry())
    a = task_refs(frames["tasks"], frames["chapters"], "示例县-2023")
    b = task_refs(frames["tasks"], frames["chapters"], "示例县-2024")
    m = similarity_matrix(a, b)
    links = frames["yoy_task_links"].query("status == 'continued'")
    linked = {(int(x) - 1, int(y) - 1) for x, y in zip(links["task_no_from"], links["task_no_to"], strict=True)}
    scores = [m[i, j] for i, j in linked]
    assert min(scores) > 0.8 > THRESHOLD
    others = [m[i, j] for i in range(len(a)) for j in range(len(b)) if (i, j) not in linked]
    assert max(others) < 0.5 < THRESHOLD


def test_assignment_is_global_not_greedy() -> None:
    # Greedy would take the best pair (0, 0) = 0.9 and leave row 1 with only 0.1.
    scores = np.array([[0.9, 0.85], [0.8, 0.1]])
    assert assign(scores, 0.6) == [(0, 1), (1, 0)]
    # below the threshold nothing links, however the rest is assigned
    assert assign(np.array([[0.59, 0.2], [0.1, 0.95]]), 0.6) == [(1, 1)]
