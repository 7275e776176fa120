"""The `govtasks` command line. Every command has --help.

    govtasks release [SOURCE ...] [--out DIR]   publish a release (default: the bundled notice)
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

import flows  # noqa: F401  (offline Prefect defaults, before Prefect is imported)
from extract.credentials import hold
from extract.errors import GovtasksError, WriteError
from flows.names_cli import names_app

if TYPE_CHECKING:
    from flows.server import TemporaryServer

app = typer.Typer(
    help="Turn government work-report task-decomposition notices into validated open data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


app.add_typer(names_app, name="names")


@app.callback()
def main_callback() -> None:
    """Turn government work-report task-decomposition notices into validated open data."""


def quiet_prefect() -> None:
    """Prefect's own logs off (client, server, root logger), unless the user set their levels."""
    from flows.settings import USER_SET

    for key in ("PREFECT_LOGGING_LEVEL", "PREFECT_LOGGING_ROOT_LEVEL", "PREFECT_SERVER_LOGGING_LEVEL"):
        if key not in USER_SET:
            os.environ[key] = "CRITICAL"  # our own one-paragraph messages instead
    logging.getLogger("prefect").setLevel(logging.CRITICAL)
    # Dask (--dask): its scheduler's and workers' INFO lines off too, in this process and the workers
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")
    logging.getLogger("distributed").setLevel(logging.ERROR)


def check_out_folder(out: Path) -> None:
    """Fail before any work (and before Prefect starts) when `out` cannot hold releases."""
    from output.publish import PublishError, prepare_out

    try:
        prepare_out(out)
    except PublishError as e:
        fail(str(e))


def check_jurisdiction_option(jurisdiction: str | None) -> None:
    """Fail before any work when --jurisdiction is not a place of the gazetteer (with the closest names)."""
    from extract.divisions import DivisionError, resolve

    if jurisdiction is not None:
        try:
            resolve(jurisdiction)
        except DivisionError as e:
            fail(f"--jurisdiction {e}")


def prefect_home_writable() -> None:
    """Prefect keeps its local database in PREFECT_HOME (default ~/.prefect): fail in one line if it
    cannot be written, instead of a server that never starts."""
    home = Path(os.environ.get("PREFECT_HOME", "~/.prefect")).expanduser()
    try:
        home.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=home):
            pass
    except OSError as e:
        fail(f"Prefect needs a writable folder for its local database, and {home} is not ({e.strerror}); "
             f"set PREFECT_HOME to a writable folder")


def watch_interrupts() -> list[int]:
    """Ctrl-C raises KeyboardInterrupt as usual and is counted; if Python has to swallow it (it landed
    in a finalizer inside Prefect's machinery), no traceback is printed and the caller can tell."""
    seen: list[int] = []

    def on_sigint(signum: int, frame: object) -> None:
        seen.append(signum)
        raise KeyboardInterrupt

    default_hook = sys.unraisablehook

    def hook(unraisable: sys.UnraisableHookArgs) -> None:
        if not isinstance(unraisable.exc_value, KeyboardInterrupt):
            default_hook(unraisable)

    signal.signal(signal.SIGINT, on_sigint)
    sys.unraisablehook = hook
    return seen


def fail(message: str) -> None:
    """One paragraph on stderr and exit status 1: never a traceback."""
    typer.echo(f"govtasks: {message}", err=True)
    raise typer.Exit(1)


def _start_server() -> TemporaryServer | None:
    """Our own temporary Prefect server (flows/server.py), started now so that it boots while the
    stages and Great Expectations are imported; None when a server is configured (PREFECT_API_URL, in
    the environment or the active Prefect profile, or Prefect already imported and pointed at one,
    e.g. a test harness)."""
    from flows.server import TemporaryServer, profile_api_url

    if os.environ.get("PREFECT_API_URL") or profile_api_url():
        return None
    if "prefect" in sys.modules:
        from prefect.settings import PREFECT_API_URL

        if PREFECT_API_URL.value():
            return None
    server = TemporaryServer()
    server.start()
    return server


def _task_runner(dask: str | None, workers: int | None) -> Any:
    """A DaskTaskRunner: on the cluster at scheduler address `dask`, or a LocalCluster when `dask` is
    "local" (`workers` processes, default: one per core)."""
    from prefect_dask import DaskTaskRunner

    if dask and dask != "local":
        return DaskTaskRunner(address=dask)
    kwargs: dict[str, Any] = {"processes": True, "threads_per_worker": 1, "dashboard_address": None}
    if workers:
        kwargs["n_workers"] = workers
    return DaskTaskRunner(cluster_class="distributed.LocalCluster", cluster_kwargs=kwargs)


@app.command()
def release(
    sources: Annotated[list[str] | None, typer.Argument(
        help="Notice files, http(s) URLs, or manifests (.csv, .yaml) listing notices by jurisdiction, "
             "year, source, sha256 and replaces. Default: the bundled reference notice "
             "(海城市 2023).")] = None,
    out: Annotated[Path, typer.Option("--out", help="Releases folder; each run adds a release and "
                                                    "points DIR/latest at it.")] = Path("releases"),
    jurisdiction: Annotated[str | None, typer.Option(
        help="Override the jurisdiction read from the notice: a place of the gazetteer (海城市, 海城, "
             "鞍山市海城市 or 210381).")] = None,
    year: Annotated[int | None, typer.Option(help="Override the year read from the notice.")] = None,
    allow_unknown: Annotated[bool, typer.Option(
        "--allow-unknown", help="Publish even if unit names are not in the registry; they are recorded "
                                "in quality_findings.")] = False,
    dask: Annotated[str | None, typer.Option(
        "--dask", envvar="GOVTASKS_DASK", metavar="ADDRESS",
        help="Run per-notice and per-jurisdiction work as batches on Dask: 'local' for a LocalCluster on "
             "this machine, or a scheduler address (tcp://host:8786). Also GOVTASKS_DASK.")] = None,
    dask_workers: Annotated[int | None, typer.Option(
        "--dask-workers", help="Worker processes of the local cluster (default: one per core).")] = None,
    batch_size: Annotated[int, typer.Option(
        "--batch-size", min=1, help="Notices per mapped task with --dask.")] = 50,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's logs.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or progress lines.")] = False,
    timings: Annotated[bool, typer.Option("--timings", help="Print each stage's time on stderr.")] = False,
) -> None:
    """Run the Prefect flow `release`: extract → transform → quality → output, then publish atomically."""
    check_out_folder(out)
    check_jurisdiction_option(jurisdiction)
    if sources:  # credentials stay in this process, out of the flow's parameters (Prefect's database)
        sources = [hold(s) for s in sources]
    if not verbose:
        quiet_prefect()
    prefect_home_writable()
    result = _unchanged(sources, out, jurisdiction, year, allow_unknown)
    if result is not None:  # nothing to do: no Prefect run at all
        _report(result, out)
        return
    saved_url = os.environ.get("PREFECT_API_URL")
    server = _start_server()  # boots in its own process while we import
    try:
        result = _run_release(server, sources, out, jurisdiction, year, allow_unknown,
                              dask, dask_workers, batch_size if dask else 0, quiet, timings)
    finally:
        if server is not None:
            server.stop()
            if saved_url is None:
                os.environ.pop("PREFECT_API_URL", None)
    _report(result, out)


def _unchanged(sources: list[str] | None, out: Path, jurisdiction: str | None, year: int | None,
               allow_unknown: bool) -> dict[str, Any] | None:
    """The flow's answer for a rerun of local files with nothing changed, found without starting
    Prefect (fast); None when there is work to do or the flow has to decide (URLs)."""
    from flows.incremental import options, unchanged_local_release

    try:
        same = unchanged_local_release(sources, out, options(jurisdiction, year, allow_unknown))
    except GovtasksError as e:
        fail(str(e))
    return None if same is None else {"folder": str(same), "unchanged": True}


def _report(result: dict[str, Any], out: Path) -> None:
    folder = Path(result["folder"])
    if result.get("unchanged"):  # the same inputs (decided before the flow), or the same schema and data
        typer.echo(f"release unchanged: {folder} (version {result.get('version') or folder.name}: the same "
                   f"schema and data; nothing new was published)")
        typer.echo(f"latest:            {out / 'latest'}")
        return
    rows = result["rows"]
    typer.echo(f"release published: {folder}")
    after = f", after {result['previous_version']}" if result.get("previous_version") else ""
    typer.echo(f"version:           {result['version']} ({result['change']}{after})")
    typer.echo(f"latest:            {out / 'latest'}")
    typer.echo(f"database:          {folder / 'govtasks.duckdb'}")
    typer.echo(f"data files:        {folder / 'data'} (Parquet and CSV)")
    typer.echo(f"quality:           {result['gate']}")
    typer.echo(f"rows:              notices {rows['notices']}, tasks {rows['tasks']}, "
               f"chapters and sub-chapters {rows['chapters']}, leaders {rows['leaders']}, units {rows['units']}, "
               f"targets {rows['targets']}, quality findings {rows['quality_findings']}")
    import pandas as pd

    from transform.compare import coverage

    lines = coverage(pd.read_parquet(folder / "data" / "notices.parquet"))
    for _, line in lines[:MAX_COVERAGE_LINES]:
        typer.echo(f"year over year:    {line}")
    if len(lines) > MAX_COVERAGE_LINES:
        typer.echo(f"year over year:    … and {len(lines) - MAX_COVERAGE_LINES} more jurisdictions "
                   f"(yoy_summary in the database)")

    from transform.cascade import coverage as level_coverage

    for line in level_coverage(*(pd.read_parquet(folder / "data" / f"{t}.parquet")
                                 for t in ("cascade_notices", "cascade_links", "target_cascade"))):
        typer.echo(f"across levels:     {line}")


NOTHING_PUBLISHED = "nothing was published (the last release and latest are as they were)"
MAX_COVERAGE_LINES = 20  # jurisdictions listed under "year over year" (all are in the database)


def _run_release(server: TemporaryServer | None, sources: list[str] | None, out: Path, jurisdiction: str | None,
                 year: int | None, allow_unknown: bool, dask: str | None, dask_workers: int | None,
                 batch_size: int, quiet: bool, timings: bool) -> dict[str, Any]:
    from prefect.settings import (
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
        temporary_settings,
    )

    from extract.pool import batch_gc
    from flows import progress
    from flows.release import release as release_flow
    from quality.gate import preload

    batch_gc()

    preload()  # Great Expectations' import (seconds) while the server boots
    interrupts = watch_interrupts()
    reporter = progress.for_stream(quiet, timings)
    progress.use(reporter)
    try:
        if server is not None:
            server.wait_ready(float(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value()))
        flow = release_flow.with_options(task_runner=_task_runner(dask, dask_workers)) if dask else release_flow
        with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            result = flow(sources=sources or None, out=str(out), jurisdiction=jurisdiction, year=year,
                          allow_unknown=allow_unknown, batch_size=batch_size)
    except WriteError as e:
        reporter.close()
        fail(f"{e}; {NOTHING_PUBLISHED}")
    except GovtasksError as e:
        reporter.close()
        fail(str(e))
    except KeyboardInterrupt:
        reporter.close()
        fail(f"interrupted; {NOTHING_PUBLISHED}")
    except Exception as e:  # an unexpected failure still gets one readable paragraph
        reporter.close()
        fail(f"release failed ({type(e).__name__}): {e}")
    finally:
        progress.use(progress.Quiet())
    reporter.close()
    # Published: an interrupt during Prefect's shutdown must not print a traceback or change the outcome.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if interrupts:
        typer.echo("govtasks: interrupted, but only after the release was complete: it is published", err=True)
    return result


@app.command()
def serve() -> None:
    """Serve the yearly scheduled rerun (flows/schedule.yaml) until stopped; needs a Prefect server
    (`prefect server start`, then PREFECT_API_URL) for the schedule to be kept between runs."""
    from prefect import serve as prefect_serve

    from flows.deploy import yearly_deployment

    prefect_serve(yearly_deployment())


@app.command()
def deploy(pool: Annotated[str, typer.Option("--pool", help="A Prefect work pool (type process).")]) -> None:
    """Register the yearly scheduled release (flows/schedule.yaml) with the Prefect server at
    PREFECT_API_URL for the work pool POOL; run it with `prefect worker start --pool POOL`."""
    if not os.environ.get("PREFECT_API_URL"):
        fail("deploy needs a running Prefect server: `prefect server start`, then "
             "export PREFECT_API_URL=http://127.0.0.1:4200/api")
    from flows.deploy import deploy_to_pool

    typer.echo(f"deployment registered: release/yearly ({deploy_to_pool(pool)}) for work pool {pool}")


def main() -> None:
    """The `govtasks` command: the CLI, then an immediate exit. Python's own exit would free every
    object and module one by one (Prefect, Great Expectations, pandas, the tables of the run): about
    a second after the bundled notice, more after thousands. Everything the run wrote is closed by then,
    so the exit handlers (worker pool, logging) run, the streams are flushed, and the process ends."""
    import atexit

    code: int = 0
    try:
        app()
    except SystemExit as e:
        if isinstance(e.code, str):
            print(e.code, file=sys.stderr)
            code = 1
        else:
            code = e.code or 0
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main())
