"""The yearly rerun is a real Prefect deployment of the release flow, on the reviewed schedule, with
the sources manifest as its parameter."""

from __future__ import annotations

import csv

from flows.deploy import PROJECT, load_schedule, yearly_deployment


def test_yearly_deployment_runs_release_on_1_april_beijing_time() -> None:
    d = yearly_deployment()
    sched = d.schedules[0]
    assert (sched.schedule.cron, sched.schedule.timezone) == ("0 6 1 4 *", "Asia/Shanghai")
    assert sched.slug == "govtasks-yearly-release"
    manifest = PROJECT / "data" / "notices" / "manifest.csv"
    assert d.parameters == {"sources": [str(manifest)], "out": str(PROJECT / "releases")}
    assert d.name == load_schedule()["name"] == "yearly"
    assert d.flow_name == "release"
    # the manifest lists the bundled notice: next year's notice is one more line
    with manifest.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["jurisdiction"], r["year"], r["source"]) for r in rows] == [("海城市", "2023", "haicheng-2023.txt")]


def test_schedule_sources_become_flow_parameters() -> None:
    d = yearly_deployment({"name": "x", "cron": "0 0 1 1 *", "timezone": "UTC",
                           "sources": ["notices/manifest.csv", "https://example.org/n.html"],
                           "out": "/srv/releases"})
    assert d.parameters == {"sources": [str(PROJECT / "notices/manifest.csv"), "https://example.org/n.html"],
                            "out": "/srv/releases"}
    assert d.schedules[0].slug is None


def test_the_manifest_parameter_releases_the_bundled_notice() -> None:
    from extract.manifest import expand_sources

    (planned,) = expand_sources(yearly_deployment().parameters["sources"])
    assert planned.source == str(PROJECT / "data" / "notices" / "haicheng-2023.txt")
    assert (planned.jurisdiction, planned.year) == ("海城市", 2023)
