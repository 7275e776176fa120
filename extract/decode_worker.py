"""Decode untrusted files in a bounded worker: a child process with memory and CPU-time limits.

DOCX, XLSX, XLS, PDF and HTML are decoded by native libraries (lxml, calamine, pdfminer, lexbor) that
a hostile file can make allocate without bound or abort the process. Each such decode runs in a child
made by `os.fork()` (cheap: the decoders are already imported, nothing is pickled on the way in). The
child sets `resource.setrlimit` on its address space (what it already has plus DECODE_MEMORY_BYTES) and
its CPU time (DECODE_CPU_SECONDS), disables core files, decodes, sends the lines back through a pipe
and leaves with `os._exit` (no cleanup of the parent's state); what a native library prints there (a
Rust panic's backtrace) goes to /dev/null. A child that runs out of memory or CPU
time, is killed by a signal (a Rust allocation abort is SIGABRT) or takes longer than
DECODE_WALL_SECONDS is a NoticeError naming the file: the run ends with one line, never exit 134.
"""

from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import time
from typing import Any

from extract.errors import NoticeError
from extract.limits import DECODE_CPU_SECONDS, DECODE_MEMORY_BYTES, DECODE_WALL_SECONDS
from extract.model import Line

BOUNDED_FORMS = frozenset({"docx", "xlsx", "xls", "pdf", "html"})
_MIB = 1024 * 1024


def _address_space() -> int:
    """This process's virtual memory size in bytes (Linux /proc; 0 where unknown)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _set(kind: int, soft: int) -> None:
    _, hard = resource.getrlimit(kind)
    resource.setrlimit(kind, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))


def _limit(memory: int, cpu: int) -> None:
    """This (child) process's limits: address space, CPU seconds, no core file."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    _set(resource.RLIMIT_AS, _address_space() + memory)
    used = resource.getrusage(resource.RUSAGE_SELF)
    _set(resource.RLIMIT_CPU, int(used.ru_utime + used.ru_stime) + cpu)


def _child(fd: int, data: bytes, name: str, form: str, memory: int, cpu: int) -> None:
    """In the child: limits on, decode, one pickled message on `fd`."""
    msg: tuple[Any, ...]
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        quiet = os.open(os.devnull, os.O_WRONLY)  # a native library's own messages (a Rust panic) stay out
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)
        _limit(memory, cpu)
        from extract.decode_forms import decode_form

        msg = ("ok", decode_form(data, name, form))
    except NoticeError as e:
        msg = ("notice", e.problem, e.line)
    except MemoryError:
        msg = ("memory",)
    except BaseException as e:  # a Rust panic is a BaseException; any failure is reported
        msg = ("error", f"{type(e).__name__}: {str(e)[:200]}")
    try:
        out = pickle.dumps(msg, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        out = pickle.dumps(("memory",))
    view = memoryview(out)
    while view:
        view = view[os.write(fd, view[: 1 << 20]):]


def _receive(fd: int, wall: float) -> tuple[bytes, bool]:
    """Everything the child writes until it closes the pipe, and whether the wall-clock limit passed."""
    chunks: list[bytes] = []
    deadline = time.monotonic() + wall
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return b"", True
        ready, _, _ = select.select([fd], [], [], min(left, 1.0))
        if ready:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks), False
            chunks.append(chunk)


def _signal_name(signo: int) -> str:
    try:
        return signal.Signals(signo).name
    except ValueError:
        return f"signal {signo}"


def decode_bounded(data: bytes, name: str, form: str, *, memory: int = DECODE_MEMORY_BYTES,
                   cpu: int = DECODE_CPU_SECONDS, wall: float = DECODE_WALL_SECONDS) -> tuple[list[Line], str | None]:
    """Lines and encoding of `data` (a `form` file) decoded in a bounded child; NoticeError naming
    `name` when the file is refused, damaged, or exhausts the worker's limits."""
    from extract import decode_forms  # noqa: F401  (imported before the fork, so the child imports nothing)

    kind = form.upper()
    limits = f"limits: {memory // _MIB} MiB of memory, {cpu} s of CPU time"
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        try:
            os.close(r)
            _child(w, data, name, form, memory, cpu)
        finally:
            os._exit(0)
    os.close(w)
    timed_out = True  # until the child has answered: an interrupt here must not leave it running
    try:
        raw, timed_out = _receive(r, wall)
    finally:
        os.close(r)
        finished, status = os.waitpid(pid, os.WNOHANG)
        if not finished:
            if timed_out:
                os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
    if timed_out:
        raise NoticeError(name, f"{kind} refused: decoding took longer than {wall:g} s ({limits})")
    msg: tuple[Any, ...] | None = None
    if raw:
        try:
            msg = pickle.loads(raw)
        except Exception:  # a child killed while writing
            msg = None
    if msg is None:
        if os.WIFSIGNALED(status):
            sig = _signal_name(os.WTERMSIG(status))
            why = {"SIGXCPU": "it used up its CPU time", "SIGKILL": "it was killed (out of memory?)",
                   "SIGABRT": "the decoder aborted (out of memory, or a damaged file)",
                   "SIGSEGV": "the decoder crashed"}.get(sig, "it was ended by a signal")
            raise NoticeError(name, f"{kind} refused: the decoding worker stopped with {sig}: {why} ({limits})")
        raise NoticeError(name, f"{kind} refused: the decoding worker ended without an answer "
                                f"(exit {os.waitstatus_to_exitcode(status)}; {limits})")
    if msg[0] == "ok":
        return msg[1]
    if msg[0] == "notice":
        raise NoticeError(name, msg[1], msg[2])
    if msg[0] == "memory":
        raise NoticeError(name, f"{kind} refused: decoding it needs more memory than the worker may use ({limits})")
    raise NoticeError(name, f"not a readable {kind} file ({msg[1]})")
