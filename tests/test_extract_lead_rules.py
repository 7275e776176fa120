"""Rules in the intro on who leads (extract/lead_rules.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.errors import NoticeError
from extract.model import ParsedNotice
from extract.read import read_notice
from extract.snapshot import snapshot_local
from transform.registry_load import load_registry
from transform.tables import build_tables

FIXTURES = Path(__file__).parent / "fixtures" / "extract"


def _read(path: Path) -> ParsedNotice:
    return read_notice(snapshot_local(path))


def _units(n: ParsedNotice) -> list[tuple[int, str | None, str | None]]:
    return [(t.task_no, t.lead_units, t.other_units) for t in n.tasks]


def test_first_listed_unit_leads() -> None:
    n = _read(FIXTURES / "lead_rule_first.txt")
    assert n.lead_rule == "first_listed"
    assert _units(n) == [
        (1, "县交通运输局", "县财政局、各乡镇"),
        (2, "县住房和城乡建设局", "县财政局"),  # a lead unit given: the rule does not apply
        (3, "县文化旅游体育局", None),
    ]
    notices = build_tables([n], load_registry())["notices"]
    assert notices["lead_rule"].tolist() == ["first_listed"]


def test_units_lead_where_no_lead_unit_is_given() -> None:
    n = _read(FIXTURES / "lead_rule_units.txt")
    assert n.lead_rule == "units_lead"
    assert _units(n) == [
        (1, "县交通运输局、县财政局、各乡镇", None),
        (2, "县住房和城乡建设局", "县财政局"),
        (3, "县文化旅游体育局", None),
    ]


def test_no_rule_leaves_units_as_printed(tmp_path: Path) -> None:
    text = (FIXTURES / "lead_rule_first.txt").read_text(encoding="utf-8")
    path = tmp_path / "plain.txt"
    path.write_text(text.replace("排在第一位的为牵头单位，其他为配合单位，", ""), encoding="utf-8")
    n = _read(path)
    assert n.lead_rule is None
    assert _units(n)[0] == (1, None, "县交通运输局、县财政局、各乡镇")


def test_first_item_that_is_not_a_unit_is_refused(tmp_path: Path) -> None:
    text = (FIXTURES / "lead_rule_first.txt").read_text(encoding="utf-8")
    path = tmp_path / "suffix.txt"
    path.write_text(text.replace("县交通运输局、县财政局、各乡镇", "城关、双河等镇"), encoding="utf-8")
    with pytest.raises(NoticeError) as e:
        _read(path)
    assert e.value.line == 10 and "'城关' does not read like a unit name" in e.value.problem
