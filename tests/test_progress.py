"""Progress: plain lines when stderr is not a terminal, nothing with -q (flows/progress.py)."""

from __future__ import annotations

import io
import time

from flows import progress


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_lines_say_stage_count_of_total_and_rate() -> None:
    out = io.StringIO()
    p = progress.Lines(out, every=0.02, timings=True)
    p.stage("extract", 4)
    p.advance(3)
    deadline = time.monotonic() + 10
    while "extract: 3/4 notices" not in out.getvalue() and time.monotonic() < deadline:
        time.sleep(0.02)
    p.stage("quality", None)  # ends extract
    p.close()
    lines = out.getvalue().splitlines()
    assert any(ln.startswith("govtasks: extract: 3/4 notices, ") and "notices/s" in ln and "s elapsed" in ln
               for ln in lines)
    assert any(ln.startswith("govtasks: extract done in ") and "(3 notices, " in ln for ln in lines)
    assert any(ln.startswith("govtasks: quality done in ") for ln in lines)
    assert lines[-1].startswith("govtasks: wall time ")


def test_without_timings_a_short_run_prints_nothing() -> None:
    out = io.StringIO()
    p = progress.Lines(out, every=60)
    p.stage("extract", 1)
    p.advance()
    p.close()
    assert out.getvalue() == ""


def test_quiet_and_terminal_choices() -> None:
    assert type(progress.for_stream(quiet=True, stream=io.StringIO())) is progress.Quiet
    assert type(progress.for_stream(quiet=True, stream=FakeTTY())) is progress.Quiet
    lines = progress.for_stream(quiet=False, stream=io.StringIO())
    assert type(lines) is progress.Lines
    lines.close()
    timed = progress.for_stream(quiet=True, timings=True, stream=io.StringIO())
    assert type(timed) is progress.Lines and timed.timings
    timed.close()
