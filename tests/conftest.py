"""Shared fixtures: one Prefect test harness per session, and one real release of the bundled notice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import flows  # noqa: F401  (offline Prefect defaults before Prefect is imported)

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data" / "notices" / "haicheng-2023.txt"


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """A temporary Prefect API for the whole session (about 9 s to start, once)."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120), \
            temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


@pytest.fixture(scope="session")
def reference_release(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of a real release of the bundled notice, built once per session by the real flow."""
    from flows.release import release

    out = tmp_path_factory.mktemp("releases")
    result = release(out=str(out))
    return Path(result["folder"])
