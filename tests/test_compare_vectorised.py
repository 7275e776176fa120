"""The vectorised similarity (sparse bigram matrices) gives exactly the numbers of the pair-by-pair
formula, so year-over-year links are what they were."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from extract.read import read_notice
from extract.snapshot import snapshot_local
from transform.compare import TaskRef, dice, dice_matrix, similarity_matrix, similarity_matrix_reference, task_refs
from transform.names import load_registry
from transform.tables import build_tables

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "yoy"


def _refs(*paths: Path) -> list[list[TaskRef]]:
    frames = build_tables([read_notice(snapshot_local(p)) for p in paths], load_registry())
    return [task_refs(frames["tasks"], frames["chapters"], nid) for nid in frames["notices"]["notice_id"]]


@pytest.mark.parametrize("pair", [("shili-2023.txt", "shili-2024.txt"),
                                  ("perchapter-2023.txt", "perchapter-2024.txt")])
def test_fixture_pairs_score_bit_for_bit_as_the_formula(pair: tuple[str, str]) -> None:
    a, b = _refs(*(FIXTURES / p for p in pair))
    fast, slow = similarity_matrix(a, b), similarity_matrix_reference(a, b)
    assert fast.shape == (len(a), len(b)) and len(a) >= 4
    assert np.array_equal(fast, slow)


def test_reference_notice_against_itself_bit_for_bit() -> None:
    (refs,) = _refs(ROOT / "data" / "notices" / "haicheng-2023.txt")
    assert len(refs) == 102
    assert np.array_equal(similarity_matrix(refs, refs), similarity_matrix_reference(refs, refs))


def test_repeated_bigrams_single_characters_and_empty_strings() -> None:
    a = ["哈哈哈哈", "哈", "", "ab", "abab", "学习学习再学习"]
    b = ["哈哈", "哈", "", "ba", "ababab", "学习"]
    m = dice_matrix(a, b)
    expected = np.array([[dice(x, y) for y in b] for x in a])
    assert np.array_equal(m, expected)
    assert m[0, 0] == 2 * 1 / (3 + 1)  # 哈哈 ×3 and ×1 share one
    assert m[2, 2] == 0.0 and m[1, 1] == 1.0


def test_empty_years_give_empty_matrices() -> None:
    t = [TaskRef("x-t001", 1, "推进项目建设", "稳增长")]
    assert similarity_matrix([], t).shape == (0, 1)
    assert similarity_matrix(t, []).shape == (1, 0)
