"""The yearly scheduled rerun of the `release` flow, built from flows/schedule.yaml."""

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


def yearly_deployment(schedule: dict[str, Any] | None = None) -> RunnerDeployment:
    """A deployment of `release` on the schedule's cron (no server needed to build it); relative paths
    in the schedule are relative to the project folder."""
    s = schedule or load_schedule()
    return release.to_deployment(
        name=s["name"],
        schedule=Cron(s["cron"], timezone=s["timezone"]),
        parameters={"sources": [_resolve(x) for x in s.get("sources") or []] or None, "out": _resolve(str(s["out"]))},
    )
