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


def test_readme_names_the_two_setup_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert "make run" in text and "make test" in text
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
