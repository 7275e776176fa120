"""Progress of a release: which stage, how many notices done of N, elapsed time and rate.

The flow reports to `current()` (`stage`, `advance`, `done`); the CLI chooses the reporter with `use`:

- `Bar`: a progress bar on stderr when it is a terminal (rich), one line per finished stage kept;
- `Lines`: plain lines on stderr otherwise (logs, CI, a pipe): one line every LINE_EVERY seconds while
  a stage runs (a short run prints none), and with `--timings` `govtasks: <stage> done in <s> s (…)`
  as each stage ends, then the wall time;
- `Quiet` (`-q`, and the default for a flow run outside the CLI, e.g. a deployment): nothing.

Nothing here imports Prefect: stages call plain functions, and this only counts.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

LINE_EVERY = 10.0  # seconds between plain progress lines within a stage


class Quiet:
    """Reports nothing."""

    def stage(self, name: str, total: int | None = None, unit: str = "notices") -> None:
        """A new stage begins (the previous one, if any, is done)."""

    def advance(self, n: int = 1) -> None:
        """`n` more items of the current stage are done."""

    def done(self) -> None:
        """The current stage is finished."""

    def close(self) -> None:
        self.done()


def _rate(n: int, seconds: float, unit: str) -> str:
    return f"{n / seconds:.0f} {unit}/s" if seconds > 0 else ""


class Lines(Quiet):
    """Plain lines on `stream`: every `every` seconds while a stage runs (a run shorter than that
    prints nothing), and with `timings` one line as each stage ends: `govtasks: <stage> done in <s> s`."""

    def __init__(self, stream: TextIO | None = None, every: float = LINE_EVERY, timings: bool = False) -> None:
        self.stream = stream or sys.stderr
        self.every = every
        self.timings = timings
        self.start = time.monotonic()
        self.name: str | None = None
        self.total: int | None = None
        self.unit = "notices"
        self.count = 0
        self.began = self.start
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        threading.Thread(target=self._tick, name="govtasks-progress", daemon=True).start()

    def _print(self, text: str) -> None:
        print(f"govtasks: {text}", file=self.stream, flush=True)

    def _tick(self) -> None:
        while not self.stopped.wait(self.every):
            with self.lock:
                if self.name is None:
                    continue
                now = time.monotonic()
                if self.total:
                    counted = (f": {self.count}/{self.total} {self.unit}, "
                               f"{_rate(self.count, now - self.began, self.unit)}")
                else:
                    counted = ""
                self._print(f"{self.name}{counted}, {now - self.start:.0f} s elapsed")

    def stage(self, name: str, total: int | None = None, unit: str = "notices") -> None:
        self.done()
        with self.lock:
            self.name, self.total, self.unit, self.count = name, total, unit, 0
            self.began = time.monotonic()

    def advance(self, n: int = 1) -> None:
        with self.lock:
            self.count += n

    def done(self) -> None:
        with self.lock:
            if self.name is None:
                return
            took = time.monotonic() - self.began
            what = f" ({self.count} {self.unit}, {_rate(self.count, took, self.unit)})" if self.count else ""
            if self.timings:
                self._print(f"{self.name} done in {took:.1f} s{what}")
            self.name = None

    def close(self) -> None:
        self.done()
        self.stopped.set()
        if self.timings:
            self._print(f"wall time {time.monotonic() - self.start:.1f} s")


class Bar(Quiet):
    """A rich progress bar on stderr: stage, done of N, elapsed, rate."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[unit]}"), TimeElapsedColumn(),
                                 TextColumn("{task.fields[rate]}"), console=Console(stderr=True), transient=False)
        self.progress.start()
        self.task: int | None = None
        self.lock = threading.Lock()

    def stage(self, name: str, total: int | None = None, unit: str = "notices") -> None:
        self.done()
        with self.lock:
            self.began = time.monotonic()
            self.unit = unit
            self.task = self.progress.add_task(name, total=total, unit=unit if total else "", rate="")

    def advance(self, n: int = 1) -> None:
        with self.lock:
            if self.task is None:
                return
            self.progress.advance(self.task, n)
            done = self.progress.tasks[-1].completed
            self.progress.update(self.task, rate=_rate(int(done), time.monotonic() - self.began, self.unit))

    def done(self) -> None:
        with self.lock:
            if self.task is None:
                return
            t = self.progress.tasks[-1]
            if t.total is None:
                self.progress.update(self.task, total=1, completed=1)
            self.task = None

    def close(self) -> None:
        self.done()
        self.progress.stop()


_current: Quiet = Quiet()


def use(reporter: Quiet) -> None:
    global _current
    _current = reporter


def current() -> Quiet:
    return _current


def for_stream(quiet: bool, timings: bool = False, stream: TextIO | None = None) -> Quiet:
    """The reporter the CLI uses: nothing with -q, a bar on a terminal, plain lines otherwise;
    `timings`: plain lines with each stage's time, wherever stderr goes."""
    stream = stream or sys.stderr
    if timings:
        return Lines(stream, timings=True)
    if quiet:
        return Quiet()
    return Bar() if stream.isatty() else Lines(stream)
