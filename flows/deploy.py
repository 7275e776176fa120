"""The yearly scheduled rerun of the `release` flow, built from flows/schedule.yaml: its cron (with a
timezone and a slug) and its parameters (the sources manifest and the releases folder).

Two ways to run it: `govtasks serve` (this process runs the flow on the cron; needs a Prefect server
for the schedule), or `govtasks deploy --pool NAME` (registers it for a work pool, run by
`prefect worker start --pool NAME`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from flows.release import release

SCHEDULE_FILE = Path(__file__).with_name("schedule.yaml")
PROJECT = Path(__file__).resolve().parents[1]


def _resolve(location: str) -> str:
    """A schedule path relative to the project folder (the clone), so `serve` works from anywhere."""
    if "://" in location or Path(location).is_absolute():
        return location
    return str(PROJECT / location)


def load_schedule(path: Path = SCHEDULE_FILE) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def parameters(schedule: dict[str, Any]) -> dict[str, Any]:
    """The flow parameters of the scheduled run: its sources (a manifest) and releases folder."""
    return {"sources": [_resolve(x) for x in schedule.get("sources") or []] or None,
            "out": _resolve(str(schedule["out"]))}


def cron(schedule: dict[str, Any]) -> Any:
    return Cron(schedule["cron"], timezone=schedule["timezone"], slug=schedule.get("slug"))


def yearly_deployment(schedule: dict[str, Any] | None = None) -> RunnerDeployment:
    """A deployment of `release` on the schedule's cron (no server needed to build it), for `serve`;
    relative paths in the schedule are relative to the project folder."""
    s = schedule or load_schedule()
    return release.to_deployment(name=s["name"], schedule=cron(s), parameters=parameters(s),
                                 description="The yearly release of the notices in the sources manifest.")


def deploy_to_pool(pool: str, schedule: dict[str, Any] | None = None) -> Any:
    """Register the yearly deployment with a Prefect server for the work pool `pool` (a process pool:
    `prefect work-pool create POOL --type process`; run it with `prefect worker start --pool POOL`).
    The code is this clone (`from_source` on the project folder), so a worker on this machine runs
    it as it is here. Returns the deployment's id."""
    s = schedule or load_schedule()
    flow = release.from_source(source=str(PROJECT), entrypoint="flows/release.py:release")
    return flow.deploy(name=s["name"], work_pool_name=pool, schedule=cron(s), parameters=parameters(s),
                       description="The yearly release of the notices in the sources manifest.",
                       build=False, push=False, print_next_steps=False)
