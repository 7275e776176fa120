"""Memoized name resolution gives exactly what resolving afresh gives, whichever jurisdiction came first."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.read import read_notice
from extract.snapshot import snapshot_local
from transform.naming import REGISTRY_DIR
from transform.registry_load import load_registry
from transform.suggestions import suggest
from transform.unit_resolution import _resolve_list, _shared_by_prefix, notice_spellings, resolve_units

NOTICE = Path(__file__).resolve().parents[1] / "data" / "notices" / "haicheng-2023.txt"
EXTRA = ["样例三市财政局、市教育局", "样 例三市发改局", "西四、牛庄、岔沟等镇(街道)",
         "市发改局、市文旅集团等各有关部门", "市委组织部、各乡镇（街道）", "样例一市人民政府办公室"]


@pytest.fixture(scope="module")
def raws() -> list[str]:
    notice = read_notice(snapshot_local(NOTICE))
    lists = [x for t in notice.tasks for x in (t.lead_units, t.other_units) if x]
    return list(dict.fromkeys(lists)) + EXTRA


@pytest.mark.parametrize("order", [("样例一市", "样例二市", "样例三市", "海城市", "某某县", "样例四县"),
                                   ("样例四县", "海城市", "样例三市", "样例二市", "某某县", "样例一市")])
def test_memo_equals_fresh_resolution(raws: list[str], order: tuple[str, ...]) -> None:
    memo = load_registry.__wrapped__(REGISTRY_DIR)  # a registry with empty memos
    fresh = load_registry.__wrapped__(REGISTRY_DIR)
    for jur in order:
        spellings = notice_spellings(raws, jur, fresh)
        for raw in raws:
            assert resolve_units(raw, jur, memo, spellings=spellings) == \
                _resolve_list(raw, jur, fresh, dict(spellings)), (jur, raw)


def test_lists_naming_the_jurisdiction_are_not_shared() -> None:
    reg = load_registry()
    assert _shared_by_prefix("市教育局、市财政局", "样例三市", reg)
    assert not _shared_by_prefix("样例三市财政局、市教育局", "样例三市", reg)
    assert not _shared_by_prefix("样例 三市财政局", "样例三市", reg)  # white space inside the name
    assert not _shared_by_prefix("市教育局", "海城市", reg)  # listed in the registry


def test_suggestions_are_per_candidate_pool() -> None:
    reg = load_registry.__wrapped__(REGISTRY_DIR)
    a = suggest("市卫生健康委员会", "样例一市", reg)
    assert suggest("市卫生健康委员会", "样例二市", reg) == a  # same pool: unlisted, prefix 市
    assert suggest("市卫生健康委员会", "海城市", reg)[0] == "市卫生健康局"  # the registry's own unit
    assert all(c.startswith("县") for c in suggest("县卫生健康委员会", "某某县", reg)[:1])
