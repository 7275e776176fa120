"""The temporary Prefect server of one CLI run: started early, beside the imports, and never outliving
the run.

With no PREFECT_API_URL, Prefect would start its own temporary server the first time a flow runs (a
subprocess that survives `kill -9` of the CLI, with parent 1). The CLI starts the same server itself
instead, before it imports Prefect, Great Expectations and the stages, so the server's start-up (a few
seconds) overlaps those imports, and it starts it as a child that dies with its parent:

- on Linux the child asks the kernel for SIGKILL when the CLI dies (prctl PR_SET_PDEATHSIG), even
  when the CLI is killed with SIGKILL and runs no clean-up;
- elsewhere (and in addition on Linux) a watchdog thread inside the server process ends it when its
  parent is gone (its parent pid changes).

The server is the one Prefect starts (uvicorn on `prefect.server.api.server:create_app`, UI off, on a
free local port); PREFECT_API_URL points the CLI's flow at it. This module does not import Prefect.
"""

from __future__ import annotations

import contextlib
import functools
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from extract.lifetime import die_with_parent


def profile_api_url() -> str | None:
    """PREFECT_API_URL of the active Prefect profile (PREFECT_HOME/profiles.toml), if it sets one: then
    Prefect talks to that server and no temporary one is needed. Read without importing Prefect."""
    import tomllib

    home = Path(os.environ.get("PREFECT_HOME", "~/.prefect")).expanduser()
    path = Path(os.environ.get("PREFECT_PROFILES_PATH", home / "profiles.toml")).expanduser()
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    name = os.environ.get("PREFECT_PROFILE") or doc.get("active") or "ephemeral"
    value = (doc.get("profiles") or {}).get(name, {}).get("PREFECT_API_URL")
    return str(value) if value else None


# Background services of a Prefect server that a server living for one run has no use for: they
# schedule deployments, watch for late, paused or crashed runs and run automations, each waking up
# every few seconds (measured on the bundled notice: 0.5 s of CPU and of wall time per run). The
# services that record what the run did (task run recorder, event persister) stay on, so the run is
# in the Prefect database as with Prefect's own temporary server. A user's variable wins.
IDLE_SERVICES = ("SCHEDULER", "LATE_RUNS", "FOREMAN", "CANCELLATION_CLEANUP", "PAUSE_EXPIRATIONS",
                 "REPOSSESSOR", "CLEANUP_RECONCILER", "TRIGGERS")


def server_environment() -> dict[str, str]:
    """The environment of the temporary server: this process's, UI off, idle services off (unless
    the user set them), and no PREFECT_API_URL (it is the server)."""
    services = {f"PREFECT_SERVER_SERVICES_{name}_ENABLED": "false" for name in IDLE_SERVICES}
    env = {**services, **os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
           "PREFECT__SERVER_FINAL": "1"}
    env.pop("PREFECT_API_URL", None)
    return env


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# Run in the server process (`python -c`): watch the parent, then run uvicorn as Prefect does.
_BOOT = """
import sys
from extract.lifetime import watch_parent
watch_parent({parent})
import uvicorn.main
sys.argv = ["uvicorn", *sys.argv[1:]]
uvicorn.main.main()
"""


class TemporaryServer:
    """A Prefect API server for this process only (`start`, then `wait_ready`, `stop`)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop); the server's stderr, for a message if it fails

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def start(self) -> None:
        """Start the server (returns at once) and point PREFECT_API_URL at it."""
        import importlib.util

        spec = importlib.util.find_spec("prefect")
        assert spec is not None and spec.origin is not None
        app_dir = str(Path(spec.origin).parent.parent)
        boot = _BOOT.format(parent=os.getpid())
        env = server_environment()
        self.process = subprocess.Popen(
            [sys.executable, "-c", boot, "--app-dir", app_dir, "--factory", "prefect.server.api.server:create_app",
             "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "error", "--lifespan", "on"],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.errors,
            preexec_fn=functools.partial(die_with_parent, os.getpid()) if os.name == "posix" else None)
        os.environ["PREFECT_API_URL"] = self.api_url

    def wait_ready(self, timeout: float) -> None:
        """Block until the server answers /health; RuntimeError if it exits or does not answer in time."""
        import httpx

        assert self.process is not None
        deadline = time.monotonic() + timeout
        with httpx.Client() as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    self.errors.seek(0)
                    err = self.errors.read().decode(errors="replace")
                    raise RuntimeError(f"the temporary Prefect server exited with status {self.process.returncode}"
                                       + (f": {err.strip().splitlines()[-1]}" if err.strip() else ""))
                with contextlib.suppress(httpx.HTTPError):
                    if client.get(f"{self.api_url}/health", timeout=2).status_code == 200:
                        return
                time.sleep(0.1)
        raise RuntimeError(f"the temporary Prefect server did not answer within {timeout:.0f} s")

    def stop(self) -> None:
        p, self.process = self.process, None
        if p is None:
            return
        p.terminate()
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        self.errors.close()
