"""The yearly rerun is a real Prefect deployment of the release flow, on the reviewed schedule."""

from __future__ import annotations

from flows.deploy import PROJECT, load_schedule, yearly_deployment


def test_yearly_deployment_runs_release_on_1_april_beijing_time() -> None:
    d = yearly_deployment()
    cron = d.schedules[0].schedule
    assert (cron.cron, cron.timezone) == ("0 6 1 4 *", "Asia/Shanghai")
    assert d.parameters == {"sources": None, "out": str(PROJECT / "releases")}
    assert d.name == load_schedule()["name"] == "yearly"


def test_schedule_sources_become_flow_parameters() -> None:
    d = yearly_deployment({"name": "x", "cron": "0 0 1 1 *", "timezone": "UTC",
                           "sources": ["notices/manifest.csv", "https://example.org/n.html"],
                           "out": "/srv/releases"})
    assert d.parameters == {"sources": [str(PROJECT / "notices/manifest.csv"), "https://example.org/n.html"],
                            "out": "/srv/releases"}
