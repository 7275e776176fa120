"""The README and the bundled data agree with the code."""

from __future__ import annotations

import hashlib
import re

from output.docs import README, with_dictionary
from tests.conftest import BUNDLED, ROOT


def test_readme_data_dictionary_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    assert with_dictionary(text) == text, "run: python -m output.docs"


def test_bundled_notice_matches_its_recorded_sha256() -> None:
    sources = (ROOT / "data" / "notices" / "SOURCES.md").read_text(encoding="utf-8")
    recorded = re.search(r"\| haicheng-2023\.txt \|.*\| ([0-9a-f]{64}) \|", sources).group(1)
    assert hashlib.sha256(BUNDLED.read_bytes()).hexdigest() == recorded


def _make_recipe(target: str) -> str:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    m = re.search(rf"^{target}:[^\n]*\n((?:\t[^\n]*\n)+)", makefile, re.M)
    assert m, f"no Makefile target {target}"
    return m.group(1)


def test_readme_setup_is_the_two_make_commands_and_ci_runs_the_test_one() -> None:
    text = README.read_text(encoding="utf-8")
    setup = text.split("## Setup: two commands", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [ln.split("#")[0].strip() for ln in setup.strip().splitlines()]
    assert commands == ["make run", "make test"]
    assert "govtasks release" in _make_recipe("run")
    assert "pytest" in _make_recipe("test") and "ruff check" in _make_recipe("test")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)
