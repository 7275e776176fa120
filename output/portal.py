"""The dataset's settings (titles, publisher, licence, catalogue classification) from output/portal.yaml,
a reviewed data file: the one loader for it."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from extract.errors import GovtasksError

SETTINGS = Path(__file__).with_name("portal.yaml")
REQUIRED = ("name", "title", "description", "publisher", "license", "sources_status", "catalogue", "landing_page",
            "download_base")


@cache
def portal_settings(path: Path = SETTINGS) -> dict[str, Any]:
    """The settings, checked for the keys every catalogue record needs."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    missing = [k for k in REQUIRED if not isinstance(data, dict) or k not in data]
    if missing:
        raise GovtasksError(f"{path.name}: missing settings: {', '.join(missing)}")
    return data
