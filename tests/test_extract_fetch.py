"""URL sources against a local HTTP server (never the internet): a good fetch, redirect loops,
oversized and endless bodies, server errors."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from extract.errors import NoticeError
from extract.fetch import fetch
from extract.read import read_notice
from extract.snapshot import sha256_file, take_snapshot
from tests import extract_renditions as R

PAGE = R.html_table()
HITS: dict[str, int] = {}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        HITS[self.path] = HITS.get(self.path, 0) + 1
        if self.path == "/notice":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)
        elif self.path.startswith("/loop"):
            self.send_response(302)
            self.send_header("Location", "/loop" + str(HITS[self.path]))
            self.end_headers()
        elif self.path == "/big":
            self.send_response(200)
            self.send_header("Content-Length", str(50 * 1024 * 1024))
            self.end_headers()
        elif self.path == "/endless":  # no length, streams until the client gives up
            self.send_response(200)
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"x" * 65536)
            except (BrokenPipeError, ConnectionResetError):
                return
        elif self.path == "/slow":  # trickles bytes forever
            self.send_response(200)
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.05)
            except (BrokenPipeError, ConnectionResetError):
                return
        elif self.path == "/error":
            self.send_response(503)
            self.end_headers()
        else:
            self.send_response(404)
            self.end_headers()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def test_good_fetch_is_saved_with_its_checksum_and_date(server: str, tmp_path: Path) -> None:
    snap = take_snapshot(f"{server}/notice", tmp_path)
    assert Path(snap.path).parent == tmp_path.resolve()
    assert Path(snap.path).name == f"{snap.sha256}.html"
    assert sha256_file(Path(snap.path)) == snap.sha256
    assert snap.url == f"{server}/notice" and snap.fetched_at and snap.fetched_at.endswith("Z")
    n = read_notice(snap)
    assert (n.source.url, n.source.fetched_at, n.source.sha256) == (snap.url, snap.fetched_at, snap.sha256)
    assert (n.source.form, len(n.tasks)) == ("html", 102)


def test_refetching_unchanged_bytes_keeps_the_first_fetch_date(server: str, tmp_path: Path) -> None:
    from extract.snapshot import first_fetched

    first = take_snapshot(f"{server}/notice", tmp_path)
    # the same URL and bytes, fetched "later": the recorded date stays the first one
    assert first_fetched(tmp_path, first.url, first.sha256, "2099-01-01T00:00:00Z") == first.fetched_at
    again = take_snapshot(f"{server}/notice", tmp_path)
    assert again.fetched_at == first.fetched_at
    # other bytes at the same URL get their own date
    assert first_fetched(tmp_path, first.url, "0" * 64, "2099-01-01T00:00:00Z") == "2099-01-01T00:00:00Z"


def test_redirect_loop_is_refused(server: str, tmp_path: Path) -> None:
    with pytest.raises(NoticeError, match="redirects"):
        take_snapshot(f"{server}/loop", tmp_path)
    assert HITS["/loop"] == 1 and len([k for k in HITS if k.startswith("/loop")]) <= 7


def test_declared_oversize_is_refused(server: str) -> None:
    with pytest.raises(NoticeError, match="refused: the page is"):
        fetch(f"{server}/big")


def test_endless_stream_stops_at_the_size_cap(server: str) -> None:
    start = time.monotonic()
    with pytest.raises(NoticeError, match="larger than 1000000 bytes"):
        fetch(f"{server}/endless", max_bytes=1_000_000)
    assert time.monotonic() - start < 10


def test_trickling_stream_stops_at_the_time_cap(server: str) -> None:
    start = time.monotonic()
    with pytest.raises(NoticeError, match="longer than"):
        fetch(f"{server}/slow", total_seconds=1.0)
    assert time.monotonic() - start < 5


def test_server_errors_are_retried_then_reported(server: str) -> None:
    HITS.pop("/error", None)
    with pytest.raises(NoticeError, match="after 2 attempts"):
        fetch(f"{server}/error", attempts=2)
    assert HITS["/error"] == 2


def test_not_found_is_not_retried(server: str) -> None:
    with pytest.raises(NoticeError, match="404"):
        fetch(f"{server}/missing")
    assert HITS["/missing"] == 1
