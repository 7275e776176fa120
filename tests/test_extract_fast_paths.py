"""The extract stage's fast paths give exactly what the plain, per-character versions give."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from extract import decode, textnorm
from extract.read import read_notice
from extract.snapshot import take_snapshot
from extract.textnorm import HAN_RE, fold

ROOT = Path(__file__).resolve().parents[1]
# Text drawn mostly from the characters that matter: the folded ones, Han, controls, ASCII.
TEXT = st.text(alphabet=st.one_of(st.sampled_from("：，（）；．﹒［］【】　\u00a0０１２３４５６７８９"),
                                  st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
                                  st.characters(max_codepoint=0x7F), st.characters()), max_size=200)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_fold_is_the_translation_table(text: str) -> None:
    assert fold(text) == text.translate(textnorm._FOLD)
    assert len(fold(text)) == len(text)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_han_and_control_counts_are_the_per_character_ones(text: str) -> None:
    assert HAN_RE.findall(text) == [c for c in text if "\u4e00" <= c <= "\u9fff"]
    assert len(decode._CONTROL_RE.findall(text)) == sum(1 for c in text if ord(c) < 32 and c not in "\r\n\t\f")
    assert decode._uncommon(text) == sum(not decode._common(c) for c in decode._han(text))


def test_the_uncommon_class_is_the_per_character_test_on_every_han_character() -> None:
    block = "".join(chr(c) for c in range(0x4E00, 0xA000))
    assert decode._uncommon_re().findall(block) == [c for c in block if not decode._common(c)]


def test_a_parsed_notice_round_trips_through_its_json(tmp_path: Path) -> None:
    notice = read_notice(take_snapshot(str(ROOT / "data" / "notices" / "haicheng-2023.txt"), tmp_path))
    text = notice.to_json()
    assert json.loads(text) == json.loads(json.dumps(asdict(notice)))  # asdict's content, tuples as lists
    assert type(notice).from_dict(json.loads(text)) == notice
    assert len(notice.tasks) == 102
