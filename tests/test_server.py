"""The CLI's temporary Prefect server is skipped where a server is configured (flows/server.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.server import profile_api_url


def test_the_active_profile_api_url_is_read_without_prefect(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    monkeypatch.delenv("PREFECT_PROFILE", raising=False)
    monkeypatch.delenv("PREFECT_PROFILES_PATH", raising=False)
    assert profile_api_url() is None  # no profiles file
    (tmp_path / "profiles.toml").write_text(
        'active = "work"\n[profiles.ephemeral]\n[profiles.work]\nPREFECT_API_URL = "http://10.0.0.5:4200/api"\n',
        encoding="utf-8")
    assert profile_api_url() == "http://10.0.0.5:4200/api"
    monkeypatch.setenv("PREFECT_PROFILE", "ephemeral")
    assert profile_api_url() is None
