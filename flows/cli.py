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
from typing import Annotated

import typer

import flows  # noqa: F401  (offline Prefect defaults, before Prefect is imported)
from extract.errors import GovtasksError
from flows.names_cli import names_app

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
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's logs.")] = False,
) -> None:
    """Run the Prefect flow `release`: extract → transform → quality → output, then publish atomically."""
    check_out_folder(out)
    check_jurisdiction_option(jurisdiction)
    if not verbose:
        quiet_prefect()
    prefect_home_writable()
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from flows.release import release as release_flow

    interrupts = watch_interrupts()
    try:
        with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            result = release_flow(sources=sources or None, out=str(out), jurisdiction=jurisdiction, year=year,
                                  allow_unknown=allow_unknown)
    except GovtasksError as e:
        fail(str(e))
    except KeyboardInterrupt:
        fail("interrupted; nothing was published (the last release and latest are as they were)")
    except Exception as e:  # an unexpected failure still gets one readable paragraph
        fail(f"release failed ({type(e).__name__}): {e}")
    # Published: an interrupt during Prefect's shutdown must not print a traceback or change the outcome.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if interrupts:
        typer.echo("govtasks: interrupted, but only after the release was complete: it is published", err=True)
    folder = Path(result["folder"])
    rows = result["rows"]
    if result.get("unchanged"):
        typer.echo(f"release unchanged: {folder} (version {result['version']}: the same schema and data; "
                   f"nothing new was published)")
    else:
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

    for _, line in coverage(pd.read_parquet(folder / "data" / "notices.parquet")):
        typer.echo(f"year over year:    {line}")
    from transform.cascade import coverage as level_coverage

    for line in level_coverage(*(pd.read_parquet(folder / "data" / f"{t}.parquet")
                                 for t in ("cascade_notices", "cascade_links", "target_cascade"))):
        typer.echo(f"across levels:     {line}")


@app.command()
def serve() -> None:
    """Serve the yearly scheduled rerun (flows/schedule.yaml) until stopped; needs a Prefect server
    (`prefect server start`, then PREFECT_API_URL) for the schedule to be kept between runs."""
    from prefect import serve as prefect_serve

    from flows.deploy import yearly_deployment

    prefect_serve(yearly_deployment())


def main() -> None:
    app()


if __name__ == "__main__":
    sys.exit(main())
