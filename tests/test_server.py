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


def test_the_temporary_server_runs_without_its_idle_services(monkeypatch: pytest.MonkeyPatch) -> None:
    from prefect.settings import Settings

    from flows.server import IDLE_SERVICES, server_environment

    monkeypatch.setenv("PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED", "true")  # the user's own choice wins
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:1/api")
    env = server_environment()
    assert env["PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED"] == "false"
    assert env["PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED"] == "true"
    assert "PREFECT_API_URL" not in env  # it is the server
    services = Settings().server.services
    for name in IDLE_SERVICES:  # each name is one of Prefect's services (a renamed one would do nothing)
        assert hasattr(getattr(services, name.lower()), "enabled"), name
    # What records the run stays on: the task runs are in the Prefect database as with Prefect's server.
    assert not {"TASK_RUN_RECORDER", "EVENT_PERSISTER"} & set(IDLE_SERVICES)
    monkeypatch.delenv("PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED")
    for key, value in server_environment().items():
        if key.startswith("PREFECT_SERVER_SERVICES_"):
            monkeypatch.setenv(key, value)
    off = Settings().server.services
    assert [getattr(off, n.lower()).enabled for n in IDLE_SERVICES] == [False] * len(IDLE_SERVICES)
    assert off.task_run_recorder.enabled and off.event_persister.enabled
